package dnscheck

import (
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
)

// Paths are the files the resolver configuration is read from. Each
// platform sets its defaults; tests point them at captured files.
type Paths struct {
	ResolvConf string
	// ResolvedConf is systemd-resolved's list of real upstreams, read when
	// ResolvConf points at the stub (Linux).
	ResolvedConf string
	// NSSwitch is nsswitch.conf (Linux).
	NSSwitch string
	// ResolverDir holds per-domain resolver files (macOS /etc/resolver).
	ResolverDir string
	// Hosts is the hosts file the OS resolver consults first.
	Hosts string
}

// rawFile is a configuration file read, for the bundle's raw/ folder.
type rawFile struct {
	Name, Path string
	Data       []byte
}

// LoadConfigFiles reads the resolver configuration from files. A missing
// resolv.conf is an error (the caller reports it); anything malformed
// inside one becomes a LineProblem.
func LoadConfigFiles(p Paths) (*Config, []rawFile, error) {
	c, data, err := ReadResolvConf(p.ResolvConf)
	if err != nil {
		return nil, nil, err
	}
	raw := []rawFile{{"dns/resolv.conf", p.ResolvConf, data}}
	if p.ResolvedConf != "" && isStub(c.Servers) {
		c.Stub = true
		c.StubSource = p.ResolvedConf
		up, d, err := ReadResolvConf(p.ResolvedConf)
		switch {
		case err != nil:
			c.UpstreamError = err.Error()
		default:
			raw = append(raw, rawFile{"dns/systemd-resolved-resolv.conf", p.ResolvedConf, d})
			for _, s := range up.Servers {
				if !isStub([]netip.AddrPort{s}) {
					c.Upstreams = append(c.Upstreams, s)
				}
			}
			c.Problems = append(c.Problems, up.Problems...)
			if len(c.Search) == 0 {
				c.Search = up.Search
			}
		}
	}
	if p.NSSwitch != "" {
		if d, err := os.ReadFile(p.NSSwitch); err == nil {
			raw = append(raw, rawFile{"dns/nsswitch.conf", p.NSSwitch, d})
			c.NSSwitchHosts = ParseNSSwitchHosts(d)
		}
	}
	if p.ResolverDir != "" {
		scoped, files, err := readResolverDir(p.ResolverDir)
		if err != nil {
			c.Problems = append(c.Problems, LineProblem{File: p.ResolverDir, Why: err.Error()})
		}
		c.Scoped = scoped
		raw = append(raw, files...)
		for _, f := range files {
			if sub := ParseResolvConf(f.Data, f.Path); len(sub.Problems) > 0 {
				c.Problems = append(c.Problems, sub.Problems...)
			}
		}
	}
	return c, raw, nil
}

// isStub reports whether servers is only systemd-resolved's stub.
func isStub(servers []netip.AddrPort) bool {
	if len(servers) == 0 {
		return false
	}
	for _, s := range servers {
		if s.Addr() != systemdStub {
			return false
		}
	}
	return true
}

// readResolverDir reads macOS's /etc/resolver: one file per domain, in
// resolv.conf syntax (resolver(5)).
func readResolverDir(dir string) (map[string][]netip.AddrPort, []rawFile, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("dns: read %s: %w", dir, err)
	}
	out := map[string][]netip.AddrPort{}
	var raw []rawFile
	names := make([]string, 0, len(ents))
	for _, e := range ents {
		if e.Type().IsRegular() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for _, n := range names {
		p := filepath.Join(dir, n)
		d, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		raw = append(raw, rawFile{"dns/resolver/" + n, p, d})
		out[n] = ParseResolvConf(d, p).Servers
	}
	return out, raw, nil
}
