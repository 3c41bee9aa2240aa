package hostcheck

import (
	"context"
	"fmt"

	"github.com/l2diag/l2diag/diag"
	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/svc"
	"golang.org/x/sys/windows/svc/mgr"
)

// listFailedServices finds automatic services that are stopped with an
// error exit code: Windows' nearest thing to a failed unit. Stopped
// services that exited cleanly (trigger-start, delayed start done) are fine.
// mgr.Connect and OpenService ask for full access, which needs an
// administrator; enumerate and query rights are enough here.
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
		p, err := windows.UTF16PtrFromString(name)
		if err != nil {
			continue
		}
		sh, err := windows.OpenService(h, p, windows.SERVICE_QUERY_CONFIG|windows.SERVICE_QUERY_STATUS)
		if err != nil {
			continue
		}
		s := &mgr.Service{Name: name, Handle: sh}
		cfg, cerr := s.Config()
		st, serr := s.Query()
		s.Close()
		if cerr != nil || serr != nil || cfg.StartType != mgr.StartAutomatic || st.State != svc.Stopped {
			continue
		}
		code := st.Win32ExitCode
		if code == uint32(windows.ERROR_SERVICE_SPECIFIC_ERROR) {
			code = st.ServiceSpecificExitCode
		}
		if code == 0 {
			continue
		}
		rep.Failed = append(rep.Failed, failedService{
			Name:        name,
			Description: cfg.DisplayName,
			State:       "stopped",
			Result:      fmt.Sprintf("exit code %d", code),
		})
	}
	return rep, nil
}
