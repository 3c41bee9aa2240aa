//go:build !windows

package main

import "os"

// setupConsole decides whether human output stays ASCII. Terminals here
// speak UTF-8; L2DIAG_ASCII=1 forces ASCII (a serial console, a legacy
// terminal); asciiEnv is its value. The returned function restores the
// console (nothing here).
func setupConsole(_ *os.File, asciiEnv string) (ascii bool, restore func()) {
	ascii, _ = asciiOverride(asciiEnv)
	return ascii, func() {}
}
