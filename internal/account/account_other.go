//go:build !windows

package account

import (
	"fmt"
	"os/user"
)

// Current names the process's user; only Windows has service accounts
// in this sense.
func Current() (Account, error) {
	u, err := user.Current()
	if err != nil {
		return Account{}, fmt.Errorf("account: %w", err)
	}
	return Account{Name: u.Username}, nil
}
