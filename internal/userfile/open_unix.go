//go:build unix

package userfile

import "syscall"

// openFlags keep the open of a FIFO from waiting for a writer.
const openFlags = syscall.O_NONBLOCK
