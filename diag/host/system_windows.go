package hostcheck

import (
	"context"
	"errors"

	"github.com/l2diag/l2diag/diag"
	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
)

// rebootKeys are the registry keys whose presence means Windows waits for
// a reboot (servicing stack, Windows Update).
var rebootKeys = []string{
	`SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending`,
	`SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired`,
}

// pendingReboot reads the servicing and Windows Update keys and the
// PendingFileRenameOperations value (files replaced at the next boot).
func pendingReboot(_ context.Context, _ *diag.Env) rebootState {
	st := rebootState{Known: true}
	for _, k := range rebootKeys {
		key, err := registry.OpenKey(registry.LOCAL_MACHINE, k, registry.QUERY_VALUE)
		if err == nil {
			key.Close()
			st.Pending = true
			st.Reasons = append(st.Reasons, `HKLM\`+k+" exists")
		} else if !errors.Is(err, windows.ERROR_FILE_NOT_FOUND) && !errors.Is(err, registry.ErrNotExist) {
			st.Known = false
		}
	}
	key, err := registry.OpenKey(registry.LOCAL_MACHINE, `SYSTEM\CurrentControlSet\Control\Session Manager`, registry.QUERY_VALUE)
	if err == nil {
		defer key.Close()
		if v, _, err := key.GetStringsValue("PendingFileRenameOperations"); err == nil && len(v) > 0 {
			st.Pending = true
			st.Reasons = append(st.Reasons, "files are queued for replacement at the next boot (PendingFileRenameOperations)")
		}
	}
	if st.Pending {
		st.Known = true
	}
	return st
}

func detectContainer(context.Context) string { return "" }
