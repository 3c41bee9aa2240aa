//go:build !unix

package userfile

// openFlags: outside Unix, opening a named pipe path does not wait for a
// writer the same way; the Stat before the open already refuses it.
const openFlags = 0
