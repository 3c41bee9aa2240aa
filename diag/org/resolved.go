package orgcheck

import (
	"bufio"
	"bytes"
	"errors"
	"io/fs"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// linkDNS is one link's DNS settings as systemd-resolved uses them: its
// servers, its search domains (which also route), its routing-only
// domains (`~corp.example`) and whether it takes names no domain matches.
type linkDNS struct {
	Index  int      `json:"ifindex"`
	Name   string   `json:"interface"`
	Source string   `json:"source"`
	Server []string `json:"servers,omitempty"`
	Search []string `json:"search_domains,omitempty"`
	Route  []string `json:"routing_domains,omitempty"`
	// DefaultRoute is the explicit setting (DEFAULT_ROUTE= or
	// DNS_DEFAULT_ROUTE=); nil when the link leaves it to resolved.
	DefaultRoute *bool `json:"default_route,omitempty"`
}

// resolvedDirs are where the per-link state is kept: resolved's own
// files for links configured over its D-Bus API (NetworkManager, VPN
// clients, resolvectl; src/resolve/resolved-link.c, link_save_user) and
// networkd's for the links it manages (src/network/networkd-state-file.c,
// link_save). Tests point them at their own directories.
type resolvedDirs struct{ Resolved, Networkd string }

var defaultResolvedDirs = resolvedDirs{Resolved: "/run/systemd/resolve/netif", Networkd: "/run/systemd/netif/links"}

// envFile reads the KEY=value lines both state files are made of.
func envFile(data []byte) map[string]string {
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		if k, v, ok := strings.Cut(line, "="); ok {
			out[k] = strings.TrimSpace(v)
		}
	}
	return out
}

func yesNo(v string) *bool {
	b, err := strconv.ParseBool(strings.NewReplacer("yes", "true", "no", "false").Replace(v))
	if err != nil {
		return nil
	}
	return &b
}

// parseResolvedLink reads resolved's own state file: SERVERS= (each as
// dns_server_string_full writes it: an address, with ":port",
// "%ifindex" or "#server-name" where set), DOMAINS= ("~" marks a
// routing-only domain), DEFAULT_ROUTE=.
func parseResolvedLink(data []byte) linkDNS {
	kv := envFile(data)
	var l linkDNS
	for _, s := range strings.Fields(kv["SERVERS"]) {
		if a := serverAddr(s); a != "" {
			l.Server = append(l.Server, a)
		}
	}
	for _, d := range strings.Fields(kv["DOMAINS"]) {
		if r, ok := strings.CutPrefix(d, "~"); ok {
			l.Route = append(l.Route, normDomain(r))
		} else {
			l.Search = append(l.Search, normDomain(d))
		}
	}
	l.DefaultRoute = yesNo(kv["DEFAULT_ROUTE"])
	return l
}

// parseNetworkdLink reads networkd's link state file: DNS=, DOMAINS=
// (search), ROUTE_DOMAINS= (routing only, written without "~"),
// DNS_DEFAULT_ROUTE=. ok is false for a link networkd does not manage.
func parseNetworkdLink(data []byte) (linkDNS, bool) {
	kv := envFile(data)
	if st := kv["ADMIN_STATE"]; st == "" || st == "unmanaged" || st == "linger" {
		return linkDNS{}, false
	}
	var l linkDNS
	for _, s := range strings.Fields(kv["DNS"]) {
		if a := serverAddr(s); a != "" {
			l.Server = append(l.Server, a)
		}
	}
	for _, d := range strings.Fields(kv["DOMAINS"]) {
		l.Search = append(l.Search, normDomain(d))
	}
	for _, d := range strings.Fields(kv["ROUTE_DOMAINS"]) {
		l.Route = append(l.Route, normDomain(d))
	}
	l.DefaultRoute = yesNo(kv["DNS_DEFAULT_ROUTE"])
	return l, true
}

// serverAddr keeps the address of a server string ("10.8.0.1",
// "10.8.0.1:5353#dns.corp", "[fe80::1%3]:53", "fe80::1%3").
func serverAddr(s string) string {
	s, _, _ = strings.Cut(s, "#")
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().String()
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return a.String()
	}
	return ""
}

func normDomain(d string) string {
	d = strings.ToLower(strings.TrimSuffix(d, "."))
	if d == "" {
		return "."
	}
	return d
}

// readResolvedLinks reads the per-link state of every link that has one.
// A link whose resolved file exists was configured over D-Bus and that
// file is what resolved uses; otherwise networkd's, when it manages the
// link. ok is false when neither directory exists (no systemd-resolved
// or networkd state on this machine).
func readResolvedLinks(d resolvedDirs, ifName func(int) string) ([]linkDNS, bool, error) {
	byIndex := map[int]linkDNS{}
	seen := false
	for _, dir := range []string{d.Networkd, d.Resolved} {
		ents, err := os.ReadDir(dir)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, true, err
		}
		seen = true
		for _, e := range ents {
			idx, err := strconv.Atoi(e.Name())
			if err != nil || e.IsDir() {
				continue
			}
			path := filepath.Join(dir, e.Name())
			data, err := os.ReadFile(path)
			if err != nil {
				return nil, true, err
			}
			var l linkDNS
			if dir == d.Networkd {
				var ok bool
				if l, ok = parseNetworkdLink(data); !ok {
					continue
				}
			} else {
				l = parseResolvedLink(data)
			}
			l.Index, l.Source, l.Name = idx, path, ifName(idx)
			byIndex[idx] = l // resolved's own file, read last, wins
		}
	}
	out := make([]linkDNS, 0, len(byIndex))
	for _, l := range byIndex {
		if l.Name != "" { // a state file left by a link that is gone
			out = append(out, l)
		}
	}
	slices.SortFunc(out, func(a, b linkDNS) int { return a.Index - b.Index })
	return out, seen, nil
}

func interfaceName(idx int) string {
	ifc, err := net.InterfaceByIndex(idx)
	if err != nil {
		return ""
	}
	return ifc.Name
}

// defaultRoute is resolved's rule for a link without an explicit
// setting: it takes names no domain matches unless it has routing-only
// domains (other than "~.", which asks for everything).
func (l linkDNS) defaultRoute() bool {
	if l.DefaultRoute != nil {
		return *l.DefaultRoute
	}
	for _, r := range l.Route {
		if r != "." {
			return false
		}
	}
	return true
}

// matchLen is how many labels of name the link's longest matching domain
// (search or routing) covers; -1 for none, 0 for "~." (matches all).
func (l linkDNS) matchLen(name string) int {
	best := -1
	name = normDomain(name)
	for _, d := range slices.Concat(l.Search, l.Route) {
		switch {
		case d == ".":
			best = max(best, 0)
		case name == d || strings.HasSuffix(name, "."+d):
			best = max(best, strings.Count(d, ".")+1)
		}
	}
	return best
}

// resolvedRoute is the links systemd-resolved sends a query for name to
// (systemd-resolved.service(8), "Protocols and routing"): among the links
// with DNS servers, those whose domains match the name longest; when no
// domain matches, every link that is a default route.
func resolvedRoute(links []linkDNS, name string) []linkDNS {
	best := -1
	for _, l := range links {
		if len(l.Server) > 0 {
			best = max(best, l.matchLen(name))
		}
	}
	var out []linkDNS
	for _, l := range links {
		if len(l.Server) == 0 {
			continue
		}
		if (best >= 0 && l.matchLen(name) == best) || (best < 0 && l.defaultRoute()) {
			out = append(out, l)
		}
	}
	return out
}
