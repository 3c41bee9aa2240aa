package hostcheck

import (
	"context"
	"errors"
	"fmt"
	"unsafe"

	"github.com/l2diag/l2diag/diag"
	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/svc/mgr"
)

// listFailedServices finds automatic services that are stopped with an
// error exit code: Windows' nearest thing to a failed unit. Stopped
// services that exited cleanly (trigger-start, delayed start done) are fine.
// mgr.Connect and OpenService ask for full access, which needs an
// administrator; enumerate and query rights are enough here. Only the
// start type is needed, so plain QueryServiceConfig is asked, not the
// descriptions and delayed-start flags mgr.Service.Config reads (which
// fail for some services, and under wine for all). A service that cannot
// be read is counted and reported, never skipped silently.
func listFailedServices(ctx context.Context, _ *diag.Env) (serviceReport, error) {
	rep := serviceReport{Manager: "Windows"}
	h, err := windows.OpenSCManager(nil, nil, windows.SC_MANAGER_CONNECT|windows.SC_MANAGER_ENUMERATE_SERVICE)
	if err != nil {
		return rep, fmt.Errorf("host: open the service manager: %w", err)
	}
	m := &mgr.Mgr{Handle: h}
	defer m.Disconnect()
	names, err := m.ListServices()
	if err != nil {
		return rep, fmt.Errorf("host: list services: %w", err)
	}
	for _, name := range names {
		if ctx.Err() != nil {
			return rep, ctx.Err()
		}
		st, err := readService(h, name)
		if err != nil {
			rep.Unreadable = append(rep.Unreadable, unreadableService{Name: name, Error: err.Error()})
			continue
		}
		rep.Checked++
		code, failed := serviceFailed(st.startType, st.status.CurrentState, st.status.Win32ExitCode, st.status.ServiceSpecificExitCode)
		if !failed {
			continue
		}
		rep.Failed = append(rep.Failed, failedService{
			Name:        name,
			Description: st.displayName,
			State:       "stopped",
			Result:      fmt.Sprintf("exit code %d", code),
		})
	}
	return rep, nil
}

type serviceState struct {
	startType   uint32
	displayName string
	status      windows.SERVICE_STATUS
}

func readService(scm windows.Handle, name string) (serviceState, error) {
	var st serviceState
	p, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return st, err
	}
	sh, err := windows.OpenService(scm, p, windows.SERVICE_QUERY_CONFIG|windows.SERVICE_QUERY_STATUS)
	if err != nil {
		return st, fmt.Errorf("open: %w", err)
	}
	defer windows.CloseServiceHandle(sh)
	// The documented two-call pattern: ask for the size, then the data.
	var need uint32
	err = windows.QueryServiceConfig(sh, nil, 0, &need)
	if !errors.Is(err, windows.ERROR_INSUFFICIENT_BUFFER) {
		return st, fmt.Errorf("QueryServiceConfig: %w", err)
	}
	// Aligned for the struct's pointers.
	buf := make([]uint64, (need+7)/8)
	cfg := (*windows.QUERY_SERVICE_CONFIG)(unsafe.Pointer(&buf[0]))
	if err := windows.QueryServiceConfig(sh, cfg, uint32(len(buf)*8), &need); err != nil {
		return st, fmt.Errorf("QueryServiceConfig: %w", err)
	}
	st.startType = cfg.StartType
	st.displayName = windows.UTF16PtrToString(cfg.DisplayName)
	if err := windows.QueryServiceStatus(sh, &st.status); err != nil {
		return st, fmt.Errorf("QueryServiceStatus: %w", err)
	}
	return st, nil
}
