//go:build linux || darwin

package permcheck

import (
	"slices"

	"golang.org/x/sys/unix"
)

// cred is what the kernel checks access against: effective IDs and groups,
// and the capabilities that bypass mode bits.
type cred struct {
	uid, gid  int
	groups    map[int]bool // primary and supplementary
	groupList []int        // supplementary, in the kernel's order
	// dacOverride bypasses read/write checks and most execute checks
	// (CAP_DAC_OVERRIDE; root has it).
	dacOverride bool
	// dacReadSearch bypasses read checks on files and search on
	// directories (CAP_DAC_READ_SEARCH).
	dacReadSearch bool
}

func currentCred() cred {
	c := cred{uid: unix.Geteuid(), gid: unix.Getegid(), groups: map[int]bool{}}
	c.groups[c.gid] = true
	if gs, err := unix.Getgroups(); err == nil {
		for _, g := range gs {
			c.groups[g] = true
		}
		c.groupList = gs
	}
	if !slices.Contains(c.groupList, c.gid) {
		c.groupList = append([]int{c.gid}, c.groupList...)
	}
	c.dacOverride, c.dacReadSearch = dacCaps(c.uid)
	return c
}
