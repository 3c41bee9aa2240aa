//go:build !windows

package hostcheck

import (
	"context"

	"github.com/shirou/gopsutil/v4/host"
)

// listUsers reads utmp through gopsutil.
func listUsers(ctx context.Context) ([]sessionUser, error) {
	us, err := host.UsersWithContext(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]sessionUser, 0, len(us))
	for _, u := range us {
		out = append(out, sessionUser{User: u.User, Terminal: u.Terminal, Host: u.Host, Started: int64(u.Started)})
	}
	return out, nil
}
