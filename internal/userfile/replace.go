package userfile

import (
	"io/fs"
	"os"
)

// CheckReplaceable returns nil when a file may be written at path by
// renaming a new one over it: nothing is there, or a regular file is.
// Anything else — a device node such as /dev/null, a FIFO, a socket, a
// directory, a symbolic link — is refused with an *Error wrapping
// ErrNotRegular: the rename would destroy it (or, for a link, replace the
// link instead of writing where it points).
func CheckReplaceable(path string) error {
	fi, err := os.Lstat(path)
	if err != nil {
		// Nothing there, or nothing reachable: a rename cannot destroy
		// it, and the writer reports its own error.
		return nil
	}
	if fi.Mode().IsRegular() {
		return nil
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return &Error{Path: path, What: "is a symbolic link, not a regular file", Err: ErrNotRegular}
	}
	return notRegular(path, fi.Mode())
}
