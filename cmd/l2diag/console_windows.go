package main

import (
	"os"

	"golang.org/x/sys/windows"
)

const cpUTF8 = 65001

var (
	kernel32               = windows.NewLazySystemDLL("kernel32.dll")
	procGetConsoleOutputCP = kernel32.NewProc("GetConsoleOutputCP")
	procSetConsoleOutputCP = kernel32.NewProc("SetConsoleOutputCP")
)

// setupConsole prepares the Windows console for l2diag's output and says
// whether it must stay ASCII. On a console, Go writes UTF-16, so the
// marks survive; the output code page is set to UTF-8 as well (and
// restored at exit) and VT processing is enabled for the colours. When
// stdout is redirected, Windows PowerShell 5.1 and cmd.exe decode the
// bytes with the console's code page: unless that is UTF-8 already
// (chcp 65001), the output stays ASCII ([ok] [FAIL] [warn]). Without a
// console at all (a service, an RMM agent) the reader's encoding is
// unknown: ASCII too. L2DIAG_ASCII (its value asciiEnv) overrides.
func setupConsole(out *os.File, asciiEnv string) (ascii bool, restore func()) {
	restore = func() {}
	forced, set := asciiOverride(asciiEnv)
	h := windows.Handle(out.Fd())
	var mode uint32
	onConsole := windows.GetConsoleMode(h, &mode) == nil
	cp, _, _ := procGetConsoleOutputCP.Call()
	if onConsole {
		if mode&windows.ENABLE_VIRTUAL_TERMINAL_PROCESSING == 0 {
			if windows.SetConsoleMode(h, mode|windows.ENABLE_VIRTUAL_TERMINAL_PROCESSING) == nil {
				prev := mode
				restore = func() { _ = windows.SetConsoleMode(h, prev) }
			}
		}
		if cp != 0 && cp != cpUTF8 {
			if r, _, _ := procSetConsoleOutputCP.Call(cpUTF8); r != 0 {
				prevRestore := restore
				restore = func() { _, _, _ = procSetConsoleOutputCP.Call(cp); prevRestore() }
			}
		}
	}
	if set {
		return forced, restore
	}
	return !onConsole && cp != cpUTF8, restore
}
