//go:build !unix

package sockets

// readLimits: Windows has no per-process descriptor limit for sockets
// (Winsock handles are bounded by memory), so only Cap applies.
func readLimits() Limits { return Limits{} }
