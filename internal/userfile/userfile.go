// Package userfile reads files whose path a user gave (a flag, an
// environment variable, a config key): regular files only, never more than
// a cap. A FIFO would block the open or the read forever, a device such as
// /dev/zero never ends, a directory is no file; each is refused with an
// error naming the path, before anything is read.
package userfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ErrNotRegular means the path names a FIFO, device, socket or directory.
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge means the file is larger than the cap its reader accepts.
var ErrTooLarge = errors.New("file too large")

// Error is a refused or failed read of a user-given path. Err is
// ErrNotRegular, ErrTooLarge or the operating system's error.
type Error struct {
	Path string
	// What is why the error happened in words: "is a FIFO (named pipe),
	// not a regular file", "is larger than 1.0 MiB", or the OS error.
	What string
	Err  error
}

func (e *Error) Error() string { return e.Path + " " + e.What }

// Unwrap lets errors.Is match ErrNotRegular, ErrTooLarge and fs errors
// (fs.ErrNotExist, fs.ErrPermission).
func (e *Error) Unwrap() error { return e.Err }

// Open opens path for reading after making sure it is a regular file. On
// Unix the open itself does not block (O_NONBLOCK), so a FIFO swapped in
// after the first look cannot hang it either; the opened file is checked
// again. The caller closes the file.
func Open(path string) (*os.File, fs.FileInfo, error) {
	if fi, err := os.Stat(path); err != nil {
		return nil, nil, osError(path, err)
	} else if !fi.Mode().IsRegular() {
		return nil, nil, notRegular(path, fi.Mode())
	}
	f, err := os.OpenFile(path, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, nil, osError(path, err)
	}
	fi, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, nil, osError(path, err)
	}
	if !fi.Mode().IsRegular() {
		_ = f.Close()
		return nil, nil, notRegular(path, fi.Mode())
	}
	return f, fi, nil
}

// Read returns the content of the regular file at path, refusing it when it
// is larger than limit bytes. The cap also holds for a file that grows while
// it is read.
func Read(path string, limit int64) ([]byte, error) {
	f, fi, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi.Size() > limit {
		return nil, tooLarge(path, limit)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, osError(path, err)
	}
	if int64(len(data)) > limit {
		return nil, tooLarge(path, limit)
	}
	return data, nil
}

// CheckSize refuses a file larger than limit (for readers that stream).
func CheckSize(path string, fi fs.FileInfo, limit int64) error {
	if fi.Size() > limit {
		return tooLarge(path, limit)
	}
	return nil
}

func osError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	what := err.Error()
	switch {
	case errors.Is(err, fs.ErrNotExist):
		what = "does not exist"
	case errors.Is(err, fs.ErrPermission):
		what = "cannot be read (permission denied)"
	}
	return &Error{Path: path, What: what, Err: err}
}

func notRegular(path string, m fs.FileMode) error {
	kind := "is not a regular file"
	switch {
	case m.IsDir():
		kind = "is a directory, not a file"
	case m&fs.ModeNamedPipe != 0:
		kind = "is a FIFO (named pipe), not a regular file"
	case m&fs.ModeCharDevice != 0:
		kind = "is a character device, not a regular file"
	case m&fs.ModeDevice != 0:
		kind = "is a block device, not a regular file"
	case m&fs.ModeSocket != 0:
		kind = "is a socket, not a regular file"
	}
	return &Error{Path: path, What: kind, Err: ErrNotRegular}
}

func tooLarge(path string, limit int64) error {
	return &Error{Path: path, What: "is larger than " + Human(limit) + ", the most l2diag reads from it", Err: ErrTooLarge}
}

// Human prints a byte count the way caps are written in the docs.
func Human(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
