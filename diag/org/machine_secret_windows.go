//go:build windows

package orgcheck

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/report"
)

var procNetLogonControl2 = netapi32.NewProc("I_NetLogonControl2")

// I_NetLogonControl2 (lmaccess.h, MS-NRPC 3.5.4.9.1): verify the secure
// channel to the domain's DC, as nltest /sc_verify does, answered in a
// NETLOGON_INFO_2.
const (
	netlogonControlTCVerify      = 10
	netlogonVerifyStatusReturned = 0x80
)

// netlogonInfo2 is NETLOGON_INFO_2.
type netlogonInfo2 struct {
	Flags               uint32
	PDCConnectionStatus uint32
	TrustedDCName       *uint16
	TCConnectionStatus  uint32
}

// runMachineAccount verifies the machine's secure channel through
// NetLogon. Windows keeps the machine secret in LSA, not in a file, so
// this is the way to ask; it needs administrator rights, and wine does not
// implement it: both say "not verified", never a verdict.
func runMachineAccount(ctx context.Context, env *diag.Env, mi machineInput) report.Result {
	if !mi.Joined {
		return diag.Skipped("This machine is not joined to " + mi.Domain + ": it has no machine account to verify.")
	}
	if err := procNetLogonControl2.Find(); err != nil {
		return diag.Errored(fmt.Errorf("org: could not read the secure channel: I_NetLogonControl2: %w", err))
	}
	type answer struct {
		info netlogonInfo2
		dc   string
		err  error
	}
	ch := make(chan answer, 1)
	go func() {
		dom, err := windows.UTF16PtrFromString(mi.Domain)
		if err != nil {
			ch <- answer{err: err}
			return
		}
		var buf *netlogonInfo2
		r, _, _ := procNetLogonControl2.Call(0, netlogonControlTCVerify, 2, uintptr(unsafe.Pointer(&dom)), uintptr(unsafe.Pointer(&buf)))
		if r != 0 {
			ch <- answer{err: windows.Errno(r)}
			return
		}
		defer windows.NetApiBufferFree((*byte)(unsafe.Pointer(buf)))
		ch <- answer{info: *buf, dc: strings.TrimPrefix(windows.UTF16PtrToString(buf.TrustedDCName), `\\`)}
	}()
	var a answer
	select {
	case a = <-ch:
	case <-ctx.Done():
		return diag.Errored(errors.New("org: could not read the secure channel: NetLogon did not answer before the check's deadline"))
	}
	switch {
	case errors.Is(a.err, windows.ERROR_ACCESS_DENIED):
		return diag.Skipped("Needs administrator rights: the secure channel verification (nltest /sc_verify) was refused to this user, so the machine account was not verified.")
	case a.err != nil:
		return diag.Errored(fmt.Errorf("org: could not read the secure channel: I_NetLogonControl2: %w", a.err))
	}
	status := a.info.TCConnectionStatus
	if status == 0 && a.info.Flags&netlogonVerifyStatusReturned != 0 {
		// The channel exists; this is the result of verifying it.
		status = a.info.PDCConnectionStatus
	}
	o, noDC := classifyTCStatus(status)
	if noDC {
		return diag.Errored(fmt.Errorf("org: the secure channel was not verified: no domain controller answered NetLogon (%w)", windows.Errno(status)))
	}
	o.Via, o.Account, o.DC = "NetLogon secure channel verification", mi.Domain, a.dc
	if status != 0 {
		o.Reason = fmt.Sprintf("%d: %v", status, windows.Errno(status))
	}
	if !o.InSync && !o.Stale && !o.Missing {
		return diag.Errored(fmt.Errorf("org: the secure channel was not verified: %s answered %s", a.dc, o.Reason))
	}
	return judgeSecret(o)
}
