package netproxy

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// Script fetching limits: a PAC file is a few KiB; browsers give up on a
// slow one within seconds.
const (
	maxPACSize   = 1 << 20
	fetchTimeout = 5 * time.Second
)

// FetchPAC downloads the script at pacURL directly (a PAC file is never
// fetched through a proxy) and compiles it. file:// URLs are read from
// disk, as WinINET allows. The caller's deadline applies; without one,
// fetchTimeout.
func FetchPAC(ctx context.Context, pacURL string, host Host) (*PAC, error) {
	u, err := url.Parse(pacURL)
	if err != nil {
		return nil, fmt.Errorf("pac: the URL %q does not parse: %w", pacURL, err)
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, fetchTimeout)
		defer cancel()
	}
	var body []byte
	switch u.Scheme {
	case "file":
		path := u.Path
		if u.Host != "" {
			path = `\\` + u.Host + strings.ReplaceAll(u.Path, "/", `\`) // UNC
		} else if len(path) > 2 && path[0] == '/' && path[2] == ':' {
			path = path[1:] // file:///C:/...
		}
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("pac: %w", err)
		}
		defer f.Close()
		body, err = io.ReadAll(io.LimitReader(f, maxPACSize+1))
		if err != nil {
			return nil, fmt.Errorf("pac: read %s: %w", path, err)
		}
	case "http", "https":
		tr := &http.Transport{Proxy: nil, DisableKeepAlives: true}
		defer tr.CloseIdleConnections()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
		if err != nil {
			return nil, fmt.Errorf("pac: %w", err)
		}
		resp, err := (&http.Client{Transport: tr}).Do(req)
		if err != nil {
			return nil, fmt.Errorf("pac: fetch %s: %w", u.Redacted(), err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("pac: fetch %s: HTTP %s", u.Redacted(), resp.Status)
		}
		body, err = io.ReadAll(io.LimitReader(resp.Body, maxPACSize+1))
		if err != nil {
			return nil, fmt.Errorf("pac: fetch %s: %w", u.Redacted(), err)
		}
	default:
		return nil, fmt.Errorf("pac: the URL %q is not http, https or file", pacURL)
	}
	if len(body) > maxPACSize {
		return nil, fmt.Errorf("pac: %s is larger than %d bytes", u.Redacted(), maxPACSize)
	}
	return ParsePAC(string(body), host)
}
