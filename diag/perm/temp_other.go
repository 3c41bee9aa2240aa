//go:build !linux && !darwin && !windows

package permcheck

import "io/fs"

func stickyMissing(fs.FileInfo) bool  { return false }
func tempSpace(string) (space, error) { return space{}, errUnsupported }
func currentUserName() string         { return "this user" }

func modeText(fi fs.FileInfo) string { return fi.Mode().String() }
