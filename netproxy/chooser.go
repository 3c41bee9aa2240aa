package netproxy

import (
	"context"
	"encoding/json"
	"net/url"
)

// Chooser picks the proxy for each URL from the settings in effect: the
// environment's when a proxy variable is set (Go programs, curl and most
// command-line tools honour them), else the OS's (on Windows WinINET for
// the user, WinHTTP for services and SYSTEM). Its PAC script, if any, is
// fetched once by Discover.
type Chooser struct {
	Env *Settings
	OS  OSSettings
	// PACError is why the PAC script could not be fetched or compiled.
	PACError error
}

// Discover reads the environment and the OS settings and fetches the PAC
// script of the settings in effect (WPAD discovery is not attempted). The
// chooser is usable even when the script could not be fetched: URLs then
// go the way WinINET falls back to (the fixed proxy, else direct).
func Discover(ctx context.Context, host Host) *Chooser {
	c := &Chooser{Env: FromEnvironment(), OS: ReadOS()}
	if s := c.Effective(); s != nil && s.PACURL != "" {
		s.PAC, c.PACError = FetchPAC(ctx, s.PACURL, host)
	}
	return c
}

// Effective returns the settings that apply to this process (nil: none).
func (c *Chooser) Effective() *Settings {
	if c == nil {
		return nil
	}
	if c.Env.Configured() {
		return c.Env
	}
	return c.OS.Effective()
}

// ForURL chooses the proxy for u.
func (c *Chooser) ForURL(ctx context.Context, u *url.URL) (Choice, error) {
	return c.Effective().ForURL(ctx, u)
}

// Proxy is ForURL in the form http.Transport.Proxy wants; a PAC failure
// falls back silently, as a browser does.
func (c *Chooser) Proxy(ctx context.Context) func(*url.URL) (*url.URL, error) {
	return func(u *url.URL) (*url.URL, error) {
		ch, _ := c.ForURL(ctx, u)
		return ch.Proxy, nil
	}
}

// MarshalJSON shows which settings apply (for a bundle's facts); proxy
// URLs are redacted.
func (c *Chooser) MarshalJSON() ([]byte, error) {
	s := c.Effective()
	out := map[string]any{"source": "none"}
	if s != nil {
		out["source"] = s.Source
		px := map[string]string{}
		for k, v := range s.Proxies {
			px[k] = v.Redacted()
		}
		out["proxies"], out["bypass"], out["pac_url"] = px, s.Bypass, s.PACURL
	}
	if c.OS.Applies != "" {
		out["os_applies"] = c.OS.Applies
	}
	return json.Marshal(out)
}
