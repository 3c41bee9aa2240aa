package account

import (
	"fmt"

	"golang.org/x/sys/windows"
)

// Current reads the process token's user.
func Current() (Account, error) {
	u, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return Account{}, fmt.Errorf("account: token user: %w", err)
	}
	sid := u.User.Sid
	a := Account{Name: sid.String()}
	if acc, dom, _, err := sid.LookupAccount(""); err == nil {
		a.Name = acc
		if dom != "" {
			a.Name = dom + `\` + acc
		}
	}
	for _, w := range []struct {
		t    windows.WELL_KNOWN_SID_TYPE
		name string
	}{{windows.WinLocalSystemSid, "SYSTEM"}, {windows.WinLocalServiceSid, "LocalService"}, {windows.WinNetworkServiceSid, "NetworkService"}} {
		if sid.IsWellKnown(w.t) {
			a.Service = w.name
		}
	}
	return a, nil
}
