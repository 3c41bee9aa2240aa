// Package netproxy chooses the proxy for a URL the way the machine's own
// HTTP stacks do: the environment (HTTP_PROXY, HTTPS_PROXY, NO_PROXY) for
// command-line programs, Windows' WinINET settings for the interactive
// user (per-scheme ProxyServer, the ProxyOverride bypass list with
// <local>, AutoConfigURL) and the machine's WinHTTP settings for services
// and SYSTEM, and a PAC script evaluated per URL on every OS. The checks
// (diag/net) and the ticket clients share it; it imports nothing of
// l2diag's.
package netproxy

import (
	"context"
	"net"
	"net/url"
	"strings"

	"golang.org/x/net/http/httpproxy"
)

// Settings is one source's proxy configuration.
type Settings struct {
	// Source names where the settings come from: "env", "wininet"
	// (the user's Internet Options), "winhttp" (the machine's, netsh
	// winhttp).
	Source string `json:"source"`
	// Proxies are the fixed proxies by scheme: "http", "https", "socks",
	// or "all" for a ProxyServer without scheme prefixes.
	Proxies map[string]*url.URL `json:"-"`
	// Bypass is the bypass list (WinINET ProxyOverride, WinHTTP bypass):
	// host patterns with * wildcards, and <local> for plain host names.
	Bypass []string `json:"bypass,omitempty"`
	// PACURL is the auto-config script's address (AutoConfigURL).
	PACURL string `json:"pac_url,omitempty"`
	// AutoDetect is WPAD discovery (WinINET AutoDetect).
	AutoDetect bool `json:"auto_detect,omitempty"`
	// Invalid are values that name no usable proxy (shown, never used).
	Invalid []string `json:"invalid,omitempty"`
	// PAC is the fetched and compiled script, when PACURL was fetched.
	PAC *PAC `json:"-"`
	// env holds the environment's NO_PROXY semantics (Source "env").
	env *httpproxy.Config
}

// FromEnvironment returns the environment's settings, nil when no proxy
// variable is set.
func FromEnvironment() *Settings {
	c := httpproxy.FromEnvironment()
	if c.HTTPProxy == "" && c.HTTPSProxy == "" {
		return nil
	}
	s := &Settings{Source: "env", Proxies: map[string]*url.URL{}, env: c}
	for scheme, v := range map[string]string{"http": c.HTTPProxy, "https": c.HTTPSProxy} {
		if u := ParseProxy(v); u != nil {
			s.Proxies[scheme] = u
		}
	}
	if c.NoProxy != "" {
		s.Bypass = strings.Split(c.NoProxy, ",")
	}
	return s
}

// Configured reports whether the settings name any proxy or script.
func (s *Settings) Configured() bool {
	return s != nil && (len(s.Proxies) > 0 || s.PACURL != "" || s.AutoDetect)
}

// Choice is the proxy one URL uses, and why.
type Choice struct {
	// Proxy is the proxy to use; nil means direct.
	Proxy *url.URL `json:"-"`
	// ProxyText is Proxy redacted, or "DIRECT".
	ProxyText string `json:"proxy"`
	// Reason says which rule decided: "bypass list: *.corp.example",
	// "ProxyServer (https=)", "PAC: PROXY p:8080; DIRECT", "no proxy
	// for https".
	Reason string `json:"reason"`
	// Source is the settings' source.
	Source string `json:"source"`
}

func direct(s *Settings, reason string) Choice {
	return Choice{ProxyText: "DIRECT", Reason: reason, Source: s.Source}
}

func via(s *Settings, p *url.URL, reason string) Choice {
	return Choice{Proxy: p, ProxyText: p.Redacted(), Reason: reason, Source: s.Source}
}

// ForURL chooses the proxy for u as the settings' HTTP stack would. With
// a PAC script, the script decides (its first usable entry); when it
// fails, WinINET falls back to the fixed proxy, and so does this, with the
// script's error returned beside the choice.
func (s *Settings) ForURL(ctx context.Context, u *url.URL) (Choice, error) {
	if s == nil {
		return Choice{ProxyText: "DIRECT", Reason: "no proxy configured"}, nil
	}
	if s.env != nil {
		p, err := s.env.ProxyFunc()(u)
		if err != nil || p == nil {
			return direct(s, "NO_PROXY or no proxy variable for "+u.Scheme), err
		}
		return via(s, p, "environment ("+strings.ToUpper(u.Scheme)+"_PROXY)"), nil
	}
	var pacErr error
	if s.PAC != nil {
		answer, err := s.PAC.FindProxy(ctx, u)
		if err == nil {
			var entries []Entry
			entries, err = ParseResult(answer)
			for _, e := range entries {
				if e.Kind == "DIRECT" {
					return direct(s, "PAC: "+answer), nil
				}
				if p := e.URL(); p != nil {
					return via(s, p, "PAC: "+answer), nil
				}
			}
			if err == nil {
				err = &url.Error{Op: "pac", URL: u.Redacted(), Err: errNoUsable(answer)}
			}
		}
		pacErr = err
	}
	if len(s.Proxies) == 0 {
		return direct(s, "no fixed proxy"), pacErr
	}
	if rule, ok := Bypassed(s.Bypass, u); ok {
		return direct(s, "bypass list: "+rule), pacErr
	}
	for _, scheme := range []string{strings.ToLower(u.Scheme), "all"} {
		if p := s.Proxies[scheme]; p != nil {
			what := "ProxyServer (" + scheme + "=)"
			if scheme == "all" {
				what = "ProxyServer (all schemes)"
			}
			return via(s, p, what), pacErr
		}
	}
	if p := s.Proxies["socks"]; p != nil {
		return via(s, p, "ProxyServer (socks=)"), pacErr
	}
	return direct(s, "ProxyServer names no proxy for "+u.Scheme), pacErr
}

type errNoUsable string

func (e errNoUsable) Error() string {
	return "the PAC answer " + string(e) + " names no proxy Go can use"
}

// Bypassed reports whether u's host matches the WinINET/WinHTTP bypass
// list, and the entry that matched. <local> matches host names without a
// dot; loopback always goes direct unless the list has <-loopback>, as in
// WinINET since Internet Explorer 9. Entries may carry a scheme prefix
// and a port, and * wildcards; comparison ignores case.
func Bypassed(list []string, u *url.URL) (string, bool) {
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	loopback := true
	for _, raw := range list {
		if strings.TrimSpace(strings.ToLower(raw)) == "<-loopback>" {
			loopback = false
		}
	}
	if ip := net.ParseIP(host); loopback && (host == "localhost" || ip != nil && ip.IsLoopback()) {
		return "loopback", true
	}
	for _, raw := range list {
		e := strings.ToLower(strings.TrimSpace(raw))
		switch {
		case e == "" || e == "<-loopback>":
			continue
		case e == "<local>":
			if !strings.Contains(host, ".") && !strings.Contains(host, ":") {
				return raw, true
			}
			continue
		}
		if scheme, rest, ok := strings.Cut(e, "://"); ok {
			if scheme != strings.ToLower(u.Scheme) {
				continue
			}
			e = rest
		}
		pat, pport := e, ""
		if i := strings.LastIndex(e, ":"); i > 0 && !strings.Contains(e[:i], ":") {
			pat, pport = e[:i], e[i+1:]
		}
		if pport != "" && pport != "*" && pport != port {
			continue
		}
		if globMatch(pat, host) {
			return strings.TrimSpace(raw), true
		}
	}
	return "", false
}

// globMatch matches s against a pattern where * is any run of characters.
func globMatch(pattern, s string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for i, p := range parts[1:] {
		last := i == len(parts)-2
		if last {
			return strings.HasSuffix(s, p)
		}
		j := strings.Index(s, p)
		if j < 0 {
			return false
		}
		s = s[j+len(p):]
	}
	return true
}

// ParseProxy parses a proxy value as WinINET and httpproxy do: a bare
// host:port means http://host:port. It returns nil for what is not a
// proxy URL.
func ParseProxy(v string) *url.URL {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil
	}
	if !strings.Contains(v, "://") {
		v = "http://" + v
	}
	u, err := url.Parse(v)
	if err != nil || u.Hostname() == "" {
		return nil
	}
	switch u.Scheme {
	case "http", "https", "socks5", "socks5h", "socks":
		return u
	}
	return nil
}

// ParseProxyServer splits a WinINET/WinHTTP ProxyServer value: "host:port"
// for every scheme, or "http=h:p;https=h:p;socks=h:p". It returns the
// proxies by scheme ("all" for the bare form) and the parts that are not
// proxies.
func ParseProxyServer(v string) (map[string]*url.URL, []string) {
	out := map[string]*url.URL{}
	var bad []string
	for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == ' ' }) {
		scheme, val := "all", part
		if s, rest, ok := strings.Cut(part, "="); ok {
			scheme, val = strings.ToLower(s), rest
		}
		switch scheme {
		case "all", "http", "https":
		case "socks":
			val = "socks5://" + strings.TrimPrefix(val, "socks://")
		default:
			continue // ftp= and the like: not ours
		}
		if u := ParseProxy(val); u != nil {
			out[scheme] = u
		} else {
			bad = append(bad, part)
		}
	}
	return out, bad
}

// SplitBypass splits a ProxyOverride/bypass value (";" separated; WinHTTP
// also allows spaces).
func SplitBypass(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == ' ' || r == '\t' })
}
