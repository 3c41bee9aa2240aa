package netproxy

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/url"
)

// proxyTypeProxy is the WinHttpSettings flag for "use the proxy"
// (PROXY_TYPE_PROXY of wininet.h; PROXY_TYPE_DIRECT, 1, is always set).
const proxyTypeProxy = 2

// ParseWinHTTPSettings decodes the WinHttpSettings value that netsh winhttp
// writes under HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Internet
// Settings\Connections: a DWORD version, a DWORD counter, DWORD flags,
// then the proxy and the bypass list, each a DWORD length and that many
// ANSI bytes. A blob without the proxy flag means direct access.
func ParseWinHTTPSettings(b []byte) (*Settings, error) {
	s := &Settings{Source: "winhttp", Proxies: map[string]*url.URL{}}
	if len(b) < 12 {
		return nil, fmt.Errorf("winhttp settings: %d bytes, want at least 12", len(b))
	}
	flags := binary.LittleEndian.Uint32(b[8:12])
	rest := b[12:]
	proxy, rest, err := lenString(rest)
	if err != nil {
		return nil, fmt.Errorf("winhttp settings: proxy: %w", err)
	}
	bypass, _, err := lenString(rest)
	if err != nil {
		return nil, fmt.Errorf("winhttp settings: bypass list: %w", err)
	}
	if flags&proxyTypeProxy == 0 || proxy == "" {
		return s, nil
	}
	s.Proxies, s.Invalid = ParseProxyServer(proxy)
	s.Bypass = SplitBypass(bypass)
	return s, nil
}

func lenString(b []byte) (string, []byte, error) {
	if len(b) == 0 {
		return "", b, nil // older blobs end early when empty
	}
	if len(b) < 4 {
		return "", nil, errors.New("truncated length")
	}
	n := binary.LittleEndian.Uint32(b[:4])
	if uint64(n) > uint64(len(b)-4) {
		return "", nil, fmt.Errorf("length %d beyond the %d bytes left", n, len(b)-4)
	}
	return string(b[4 : 4+n]), b[4+n:], nil
}
