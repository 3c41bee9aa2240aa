//go:build !windows

package main

import "os"

// setupConsole decides whether human output stays ASCII. Terminals here
// speak UTF-8; L2DIAG_ASCII=1 forces ASCII (a serial console, a legacy
// terminal). The returned function restores the console (nothing here).
func setupConsole(*os.File) (ascii bool, restore func()) {
	ascii, _ = asciiOverride()
	return ascii, func() {}
}
