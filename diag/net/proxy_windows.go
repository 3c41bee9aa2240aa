//go:build windows

package netcheck

import (
	"context"
	"strings"

	"golang.org/x/sys/windows/registry"
)

// osProxies reads the user's WinINET settings (what Edge, Chrome and most
// Windows programs use): ProxyEnable/ProxyServer, AutoConfigURL and
// AutoDetect (WPAD).
func osProxies(context.Context) (ok, invalid []proxySetting, noProxy string) {
	k, err := registry.OpenKey(registry.CURRENT_USER, `Software\Microsoft\Windows\CurrentVersion\Internet Settings`, registry.QUERY_VALUE)
	if err != nil {
		return nil, nil, ""
	}
	defer k.Close()
	if pac, _, err := k.GetStringValue("AutoConfigURL"); err == nil && pac != "" {
		ok = append(ok, proxySetting{Source: "windows:AutoConfigURL", Scheme: "pac", Value: pac})
	}
	if ad, _, err := k.GetIntegerValue("AutoDetect"); err == nil && ad != 0 {
		ok = append(ok, proxySetting{Source: "windows:AutoDetect", Scheme: "pac", Value: "WPAD (automatic detection)"})
	}
	if en, _, err := k.GetIntegerValue("ProxyEnable"); err != nil || en == 0 {
		return ok, invalid, ""
	}
	noProxy, _, _ = k.GetStringValue("ProxyOverride")
	server, _, err := k.GetStringValue("ProxyServer")
	if err != nil || server == "" {
		return ok, invalid, noProxy
	}
	// "host:port" for all schemes, or "http=host:port;https=host:port".
	for _, part := range strings.Split(server, ";") {
		scheme, val := "all", part
		if s, v, found := strings.Cut(part, "="); found {
			scheme, val = strings.ToLower(s), v
		}
		if scheme != "all" && scheme != "http" && scheme != "https" {
			continue
		}
		s := proxySetting{Source: "windows:ProxyServer", Scheme: scheme}
		if u := parseProxy(val); u != nil {
			s.url, s.Value = u, u.Redacted()
			ok = append(ok, s)
		} else {
			s.Value = redactRaw(val)
			invalid = append(invalid, s)
		}
	}
	return ok, invalid, noProxy
}
