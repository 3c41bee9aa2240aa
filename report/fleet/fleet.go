// Package fleet correlates the bundles of many machines that took part in
// one incident: which causes they share, what the affected machines have in
// common that the healthy ones do not, which machine fails alone, and a
// machine × target reachability matrix. It reads bundles only (offline) and
// never stops because one of them is bad.
package fleet

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/report/bundle"
)

// SchemaVersion is the version of the fleet report's JSON contract
// (docs/fleet-schema.json). Additive changes keep it.
const SchemaVersion = 1

// Host state in a fleet report.
const (
	// HostOK: the bundle is intact and its run found no problem.
	HostOK = "ok"
	// HostAffected: the bundle is intact and its run has a conclusion or a
	// failing result.
	HostAffected = "affected"
	// HostTampered: the bundle opens but fails verification; its content is
	// still read (marked) but never counts towards a commonality.
	HostTampered = "tampered"
	// HostUnreadable: not a bundle, cut short, or unreadable.
	HostUnreadable = "unreadable"
)

// Attribute names: what a machine is configured with, compared across hosts.
const (
	AttrDNSServer    = "dns_server"
	AttrGateway      = "gateway"
	AttrSubnet       = "subnet"
	AttrProxy        = "proxy"
	AttrSearchDomain = "search_domain"
	AttrDomain       = "domain"
	AttrOS           = "os"
	AttrOSVersion    = "os_version"
	AttrProfile      = "profile"
	AttrToolVersion  = "l2diag_version"
)

// attrOrder is the order attributes are shown and break ties in.
var attrOrder = []string{AttrDNSServer, AttrGateway, AttrSubnet, AttrProxy, AttrSearchDomain,
	AttrDomain, AttrOSVersion, AttrOS, AttrProfile, AttrToolVersion}

// Host is what the fleet report keeps of one bundle: small, so a thousand
// of them fit in a few megabytes.
type Host struct {
	Name   string `json:"name"`
	Bundle string `json:"bundle"`
	State  string `json:"state"`
	// Problem says why a bundle is unreadable or tampered.
	Problem    string              `json:"problem,omitempty"`
	StartedAt  *time.Time          `json:"started_at,omitempty"`
	Status     report.Status       `json:"status,omitempty"`
	Redacted   bool                `json:"redacted,omitempty"`
	Causes     []HostCause         `json:"causes"`
	Attributes map[string][]string `json:"attributes"`
	// Targets maps "check target" to the result's status.
	Targets map[string]report.Status `json:"targets"`
}

// HostCause is one conclusion of one host's run.
type HostCause struct {
	Code     string        `json:"code"`
	Status   report.Status `json:"status"`
	Headline string        `json:"headline"`
	Owner    string        `json:"owner"`
}

// usable reports whether the host's content takes part in correlation.
func (h *Host) usable() bool { return h.State == HostOK || h.State == HostAffected }

// Gather expands args (bundle files and folders holding *.zip) into the
// list of bundle paths, sorted, each once. A folder is read one level deep
// and in its subfolders (one per host, as the Ansible role fetches them).
func Gather(args []string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, fmt.Errorf("fleet: %w", err)
		}
		if !st.IsDir() {
			add(a)
			continue
		}
		err = filepath.WalkDir(a, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && p != a && strings.Count(strings.TrimPrefix(p, a), string(filepath.Separator)) > 2 {
				return filepath.SkipDir
			}
			if !d.IsDir() && strings.EqualFold(filepath.Ext(p), ".zip") {
				add(p)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("fleet: read %s: %w", a, err)
		}
	}
	sort.Strings(out)
	return out, nil
}

// Load reads every bundle, verifying each, with a few in parallel. Memory is
// bounded by the small Host records: each bundle is closed before the next
// is opened by the same worker.
func Load(paths []string) []Host {
	hosts := make([]Host, len(paths))
	workers := min(runtime.GOMAXPROCS(0)*2, 8, max(len(paths), 1))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				hosts[i] = loadOne(paths[i])
			}
		})
	}
	for i := range paths {
		next <- i
	}
	close(next)
	wg.Wait()
	uniqueNames(hosts)
	return hosts
}

// uniqueNames makes host names unique (two bundles of one machine, or
// redacted names that collide) by suffixing the bundle's base name.
func uniqueNames(hosts []Host) {
	count := map[string]int{}
	for _, h := range hosts {
		count[h.Name]++
	}
	for i := range hosts {
		if count[hosts[i].Name] > 1 {
			hosts[i].Name += " (" + filepath.Base(hosts[i].Bundle) + ")"
		}
	}
}

func loadOne(path string) Host {
	h := Host{Name: strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)), Bundle: path,
		Causes: []HostCause{}, Attributes: map[string][]string{}, Targets: map[string]report.Status{}}
	b, err := bundle.Open(path)
	if err != nil {
		h.State, h.Problem = HostUnreadable, oneLine(err.Error())
		if errors.Is(err, bundle.ErrTampered) {
			h.State = HostTampered
		}
		return h
	}
	defer b.Close()
	h.State = HostOK
	if probs := b.Verify(); len(probs) > 0 {
		h.State = HostTampered
		h.Problem = fmt.Sprintf("fails verification: %s: %s", probs[0].File, probs[0].Problem)
		if len(probs) > 1 {
			h.Problem += fmt.Sprintf(" (and %d more)", len(probs)-1)
		}
	}
	rep := b.Report
	if rep.Host.Hostname != "" {
		h.Name = rep.Host.Hostname
	}
	t := rep.StartedAt
	h.StartedAt, h.Status, h.Redacted = &t, rep.Status, b.Manifest.Redacted
	for _, c := range rep.Conclusions {
		h.Causes = append(h.Causes, HostCause{Code: c.Code, Status: c.Status, Headline: c.Headline, Owner: c.Escalation})
	}
	for _, r := range rep.Results {
		h.Targets[targetKey(r)] = r.Status
	}
	if h.State == HostOK && (len(h.Causes) > 0 || rep.Status == report.StatusFail) {
		h.State = HostAffected
	}
	facts, err := b.Facts()
	if err != nil {
		facts = nil // an unreadable facts file leaves only the report's attributes
	}
	attributes(&h, rep, facts)
	return h
}

func targetKey(r report.Result) string {
	if r.Target == "" {
		return r.Check
	}
	return r.Check + " " + r.Target
}

// attributes extracts what the host is configured with from its report and
// raw/facts.json.
func attributes(h *Host, rep *report.Report, facts map[string]any) {
	set := func(k string, vs ...string) {
		for _, v := range vs {
			v = strings.TrimSpace(v)
			if v != "" && !contains(h.Attributes[k], v) {
				h.Attributes[k] = append(h.Attributes[k], v)
			}
		}
	}
	set(AttrOS, rep.Host.OS)
	set(AttrProfile, rep.Profile)
	set(AttrToolVersion, rep.Tool.Version)
	if i := strings.IndexByte(rep.Host.Hostname, '.'); i > 0 && i < len(rep.Host.Hostname)-1 {
		set(AttrDomain, strings.ToLower(rep.Host.Hostname[i+1:]))
	}
	for _, s := range strList(facts["dns_servers"]) {
		set(AttrDNSServer, strings.TrimSuffix(s, ":53"))
	}
	set(AttrGateway, strList(facts["gateways"])...)
	set(AttrSearchDomain, strList(facts["search_domains"])...)
	if p, ok := facts["proxy"].(string); ok {
		set(AttrProxy, p)
	}
	for _, r := range rep.Results {
		switch r.Check {
		case "host-system":
			plat, _ := r.Details["platform"].(string)
			ver, _ := r.Details["platform_version"].(string)
			set(AttrOSVersion, strings.TrimSpace(plat+" "+ver))
		case "net-interfaces":
			set(AttrSubnet, subnets(r.Details["interfaces"])...)
		}
	}
	for k := range h.Attributes {
		sort.Strings(h.Attributes[k])
	}
}

// subnets turns the up, non-loopback interfaces' addresses into their
// networks (link-local addresses say nothing about where a host sits).
func subnets(v any) []string {
	ifs, _ := v.([]any)
	var out []string
	for _, x := range ifs {
		m, _ := x.(map[string]any)
		if m == nil || m["loopback"] == true || m["up"] == false {
			continue
		}
		for _, fam := range []string{"ipv4", "ipv6"} {
			for _, a := range strList(m[fam]) {
				p, err := netip.ParsePrefix(a)
				if err != nil || p.Addr().IsLinkLocalUnicast() || p.Addr().IsLoopback() {
					continue
				}
				out = append(out, p.Masked().String())
			}
		}
	}
	return out
}

func strList(v any) []string {
	xs, _ := v.([]any)
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func contains(xs []string, v string) bool {
	for _, x := range xs {
		if x == v {
			return true
		}
	}
	return false
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
