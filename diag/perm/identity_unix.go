//go:build linux || darwin

package permcheck

import (
	"context"
	"fmt"
	"os"
	"os/user"
	"strconv"
	"sync"
)

// currentIdentity reads the effective IDs and groups the kernel uses for
// permission checks, not the login name.
func currentIdentity(context.Context) (identity, error) {
	c := currentCred()
	id := identity{
		User:     userName(c.uid),
		ID:       "uid " + strconv.Itoa(c.uid),
		Elevated: c.uid == 0 || c.dacOverride,
		Home:     homeDir(c.uid),
	}
	id.PrimaryGroup = groupLabel(c.gid)
	for _, g := range c.groupList {
		id.Groups = append(id.Groups, groupLabel(g))
	}
	if m, ok := readUmask(); ok {
		id.Umask = fmt.Sprintf("%04o", m)
	}
	platformIdentity(&id, c)
	return id, nil
}

// nameCache keeps uid/gid lookups; /etc/passwd does not change during a run.
var nameCache sync.Map

func userName(uid int) string {
	k := "u" + strconv.Itoa(uid)
	if v, ok := nameCache.Load(k); ok {
		return v.(string)
	}
	name := strconv.Itoa(uid)
	if u, err := user.LookupId(strconv.Itoa(uid)); err == nil {
		name = u.Username
	}
	nameCache.Store(k, name)
	return name
}

func groupName(gid int) string {
	k := "g" + strconv.Itoa(gid)
	if v, ok := nameCache.Load(k); ok {
		return v.(string)
	}
	name := strconv.Itoa(gid)
	if g, err := user.LookupGroupId(strconv.Itoa(gid)); err == nil {
		name = g.Name
	}
	nameCache.Store(k, name)
	return name
}

func groupLabel(gid int) string { return fmt.Sprintf("%s(%d)", groupName(gid), gid) }

// currentHome is the home directory of the effective user.
func currentHome() string { return homeDir(os.Geteuid()) }

func homeDir(uid int) string {
	if u, err := user.LookupId(strconv.Itoa(uid)); err == nil && u.HomeDir != "" {
		return u.HomeDir
	}
	h, _ := os.UserHomeDir()
	return h
}
