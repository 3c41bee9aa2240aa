package main

import "os"

// asciiOverride reads L2DIAG_ASCII: 1 forces ASCII output, 0 forces UTF-8,
// anything else leaves it to the console detection.
func asciiOverride() (ascii, set bool) {
	switch os.Getenv("L2DIAG_ASCII") {
	case "1", "true", "yes":
		return true, true
	case "0", "false", "no":
		return false, true
	}
	return false, false
}
