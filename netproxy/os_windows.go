package netproxy

import (
	"errors"
	"fmt"
	"net/url"

	"golang.org/x/sys/windows/registry"

	"github.com/l2diag/l2diag/internal/account"
)

const (
	wininetKey = `Software\Microsoft\Windows\CurrentVersion\Internet Settings`
	winhttpKey = `SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings\Connections`
)

// ReadOS reads the user's WinINET settings (HKCU) and the machine's
// WinHTTP settings (HKLM WinHttpSettings), and picks the one this process
// would use: WinHTTP when it runs as SYSTEM, LocalService or
// NetworkService (Intune, SCCM and RMM agents run scripts that way).
func ReadOS() OSSettings {
	var o OSSettings
	if s, err := readWinINET(); err != nil {
		o.Errors = append(o.Errors, err.Error())
	} else {
		o.User = s
	}
	if s, err := readWinHTTP(); err != nil {
		o.Errors = append(o.Errors, err.Error())
	} else {
		o.Machine = s
	}
	o.Applies, o.Why = "wininet", "the user's Internet Options (WinINET) apply to a program the user runs"
	if a, err := account.Current(); err == nil && a.Service != "" {
		o.Applies, o.Why = "winhttp", "running as "+a.Service+": services and SYSTEM use the machine's WinHTTP settings (netsh winhttp show proxy), not a user's Internet Options"
	}
	return o
}

func readWinINET() (*Settings, error) {
	k, err := registry.OpenKey(registry.CURRENT_USER, wininetKey, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf(`proxy: HKCU\%s: %w`, wininetKey, err)
	}
	defer k.Close()
	s := &Settings{Source: "wininet", Proxies: map[string]*url.URL{}}
	if pac, _, err := k.GetStringValue("AutoConfigURL"); err == nil && pac != "" {
		s.PACURL = pac
	}
	if ad, _, err := k.GetIntegerValue("AutoDetect"); err == nil && ad != 0 {
		s.AutoDetect = true
	}
	if en, _, err := k.GetIntegerValue("ProxyEnable"); err != nil || en == 0 {
		return s, nil
	}
	if server, _, err := k.GetStringValue("ProxyServer"); err == nil {
		s.Proxies, s.Invalid = ParseProxyServer(server)
	}
	if bypass, _, err := k.GetStringValue("ProxyOverride"); err == nil {
		s.Bypass = SplitBypass(bypass)
	}
	return s, nil
}

func readWinHTTP() (*Settings, error) {
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, winhttpKey, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf(`proxy: HKLM\%s: %w`, winhttpKey, err)
	}
	defer k.Close()
	b, _, err := k.GetBinaryValue("WinHttpSettings")
	if errors.Is(err, registry.ErrNotExist) {
		return nil, nil // never set: direct
	}
	if err != nil {
		return nil, fmt.Errorf(`proxy: HKLM\%s\WinHttpSettings: %w`, winhttpKey, err)
	}
	return ParseWinHTTPSettings(b)
}
