package hostcheck

import (
	"context"
	"errors"
	"fmt"
	"unsafe"

	"golang.org/x/sys/windows"
)

var procWTSQuerySessionInformation = windows.NewLazySystemDLL("wtsapi32.dll").NewProc("WTSQuerySessionInformationW")

// WTS_INFO_CLASS values (wtsapi32.h).
const (
	wtsUserName   = 5
	wtsDomainName = 7
)

// wtsStates names WTS_CONNECTSTATE_CLASS values a user can be in.
var wtsStates = map[uint32]string{
	windows.WTSActive: "active", windows.WTSConnected: "connected", windows.WTSDisconnected: "disconnected",
	windows.WTSIdle: "idle", windows.WTSShadow: "shadow",
}

// listUsers reads the terminal-services sessions: every session with a
// user name is a logged-in user (the console user, RDP users, and
// disconnected sessions that still hold a desktop). gopsutil has no
// Windows implementation.
func listUsers(ctx context.Context) ([]sessionUser, error) {
	var infos *windows.WTS_SESSION_INFO
	var n uint32
	if err := windows.WTSEnumerateSessions(0, 0, 1, &infos, &n); err != nil {
		return nil, fmt.Errorf("host: WTSEnumerateSessions: %w", err)
	}
	defer windows.WTSFreeMemory(uintptr(unsafe.Pointer(infos)))
	console := windows.WTSGetActiveConsoleSessionId()
	if n == 0 {
		// Windows always has session 0 (services): an empty list means
		// the API is not implemented (wine), not that nobody is logged in.
		// The console session's user is still worth asking for.
		if user, err := sessionString(console, wtsUserName); err == nil && user != "" {
			return []sessionUser{{User: user, Terminal: "Console", Console: true}}, nil
		}
		return nil, errors.New("host: WTSEnumerateSessions listed no session, not even the services session 0")
	}
	var out []sessionUser
	for _, s := range unsafe.Slice(infos, n) {
		if ctx.Err() != nil {
			return out, ctx.Err()
		}
		user, err := sessionString(s.SessionID, wtsUserName)
		if err != nil {
			return nil, fmt.Errorf("host: WTSQuerySessionInformation(%d): %w", s.SessionID, err)
		}
		if user == "" {
			continue // services session 0, listeners
		}
		if domain, _ := sessionString(s.SessionID, wtsDomainName); domain != "" {
			user = domain + `\` + user
		}
		out = append(out, sessionUser{
			User: user, Terminal: windows.UTF16PtrToString(s.WindowStationName),
			Console: s.SessionID == console, State: wtsStates[s.State],
		})
	}
	return out, nil
}

func sessionString(id uint32, class uintptr) (string, error) {
	var buf *uint16
	var size uint32
	r, _, err := procWTSQuerySessionInformation.Call(0, uintptr(id), class, uintptr(unsafe.Pointer(&buf)), uintptr(unsafe.Pointer(&size)))
	if r == 0 {
		return "", err
	}
	defer windows.WTSFreeMemory(uintptr(unsafe.Pointer(buf)))
	return windows.UTF16PtrToString(buf), nil
}
