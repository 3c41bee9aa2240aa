package main

// asciiOverride reads L2DIAG_ASCII's value: 1 forces ASCII output, 0
// forces UTF-8, anything else leaves it to the console detection.
func asciiOverride(v string) (ascii, set bool) {
	switch v {
	case "1", "true", "yes":
		return true, true
	case "0", "false", "no":
		return false, true
	}
	return false, false
}
