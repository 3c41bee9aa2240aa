package permcheck

import (
	"io/fs"
	"os"

	"golang.org/x/sys/windows"
)

// stickyMissing: Windows has no sticky bit; per-user temp directories and
// ACLs do that job.
func stickyMissing(fs.FileInfo) bool { return false }

// modeText is empty on Windows: Go's mode bits there are made up from
// the read-only attribute ("drwxrwxrwx" for every directory) and would
// suggest a permission that the ACL does not grant.
func modeText(fs.FileInfo) string { return "" }

func tempSpace(dir string) (space, error) {
	p, err := windows.UTF16PtrFromString(dir)
	if err != nil {
		return space{}, err
	}
	var avail, total, free uint64
	if err := windows.GetDiskFreeSpaceEx(p, &avail, &total, &free); err != nil {
		return space{}, err
	}
	return space{availBytes: avail, totalBytes: total}, nil
}

func currentUserName() string {
	if u := os.Getenv("USERNAME"); u != "" {
		return u
	}
	return "this user"
}
