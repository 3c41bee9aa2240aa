package triage

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strings"

	"github.com/l2diag/l2diag/report"
)

// Obs is one observation a rule reasons over: a finding in its result, or
// (Code empty) a whole result without a finding, such as a ping that
// answered.
type Obs struct {
	Check    string
	Category string
	Target   string
	// Host is the host or address the target names ("" for paths and
	// checks without a target), lower-case, without port or brackets.
	Host    string
	Code    string
	Status  report.Status
	Finding *report.Finding
	Result  *report.Result

	i int // index in View.obs
}

// Ref is the "code (check target)" string a conclusion cites. A result
// without a finding is cited by its status ("ok (net-ping 10.0.0.1)").
// Not "check target: code": that reads as key: value to secret scrubbers
// (perm-keys: ... looks like a key's value).
func (o Obs) Ref() string {
	code := o.Code
	if code == "" {
		code = string(o.Status)
	}
	return code + " (" + o.label() + ")"
}

// label is "check target", the name of the observation's result.
func (o Obs) label() string {
	if o.Target == "" {
		return o.Check
	}
	return o.Check + " " + o.Target
}

// Ev returns an evidence value of the finding as a string ("" if absent).
func (o Obs) Ev(key string) string {
	if o.Finding == nil {
		return ""
	}
	v, ok := o.Finding.Evidence[key]
	if !ok || v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

// EvHost returns the host named by an evidence value (server, address, ...).
func (o Obs) EvHost(keys ...string) string {
	for _, k := range keys {
		if h := hostOf(o.Ev(k)); h != "" {
			return h
		}
	}
	return ""
}

// Metric returns a metric of the observation's result.
func (o Obs) Metric(name string) (float64, bool) {
	v, ok := o.Result.Metrics[name]
	return v, ok
}

// HasRole reports whether the result's details.roles lists role (the ping
// check marks gateways and DNS servers this way).
func (o Obs) HasRole(role string) bool {
	switch rs := o.Result.Details["roles"].(type) {
	case []string:
		return slices.Contains(rs, role)
	case []any:
		for _, r := range rs {
			if s, ok := r.(string); ok && s == role {
				return true
			}
		}
	}
	return false
}

// Problem reports whether the observation is a warning or failure.
func (o Obs) Problem() bool { return o.Status.Problem() }

// Background reports whether the observation comes from one of the
// built-in background probes (report.Result.Background), not from a target
// the user or the profile named.
func (o Obs) Background() bool { return o.Result.Background }

// View is the report as rules see it: every finding, indexed once by code,
// host and result, and which of them the selected conclusions explain.
// Rules look things up through the indexes, so triage stays linear in the
// number of results (issue 17, item 12).
type View struct {
	results   []report.Result
	obs       []Obs
	explained []bool
	byCode    map[string][]int
	// byHost holds each observation under its host and under the address
	// its evidence names (a check by name and a ping by address are about
	// the same machine).
	byHost  map[string][]int
	byLabel map[string][]int
	ran     map[string]bool
	// read, when set (by a test), records every code a rule looks up, so
	// a rule's Uses can be checked against what it really reads.
	read map[string]bool
}

// NewView indexes the results of a report.
func NewView(results []report.Result) *View {
	v := &View{results: results, byCode: map[string][]int{}, byHost: map[string][]int{}, byLabel: map[string][]int{}, ran: map[string]bool{}}
	add := func(o Obs) {
		o.i = len(v.obs)
		v.obs = append(v.obs, o)
		if o.Code != "" {
			v.byCode[o.Code] = append(v.byCode[o.Code], o.i)
		}
		if o.Host != "" {
			v.byHost[o.Host] = append(v.byHost[o.Host], o.i)
		}
		if a := o.EvHost("address"); a != "" && a != o.Host {
			v.byHost[a] = append(v.byHost[a], o.i)
		}
		v.byLabel[o.label()] = append(v.byLabel[o.label()], o.i)
	}
	for ri := range v.results {
		r := &v.results[ri]
		if r.Status != report.StatusSkipped {
			v.ran[r.Check] = true
		}
		host := ""
		if r.Category == "net" || r.Category == "dns" {
			host = hostOf(r.Target)
		}
		base := Obs{Check: r.Check, Category: r.Category, Target: r.Target, Host: host, Result: r}
		if len(r.Findings) == 0 {
			o := base
			o.Status = r.Status
			if o.Status == "" {
				o.Status = report.StatusOK
			}
			add(o)
			continue
		}
		for fi := range r.Findings {
			o := base
			o.Finding = &r.Findings[fi]
			o.Code = o.Finding.Code
			o.Status = o.Finding.Status
			add(o)
		}
	}
	v.explained = make([]bool, len(v.obs))
	return v
}

// Explained reports whether a selected conclusion covers o. While rules
// propose candidates nothing is explained yet: each rule sees every
// finding, and the selection (select.go) decides which causes stand.
func (v *View) Explained(o Obs) bool { return v.explained[o.i] }

// fullyExplained returns the labels ("check target") of the results among
// obs whose every problem finding is explained by now.
func (v *View) fullyExplained(obs []Obs) []string {
	var out []string
	for _, o := range obs {
		label := o.label()
		if slices.Contains(out, label) {
			continue
		}
		all := true
		for _, i := range v.byLabel[label] {
			if p := v.obs[i]; p.Problem() && !v.explained[i] {
				all = false
				break
			}
		}
		if all {
			out = append(out, label)
		}
	}
	return out
}

// pick returns the observations at the indexes, in report order.
func (v *View) pick(idx []int) []Obs {
	slices.Sort(idx)
	idx = slices.Compact(idx)
	out := make([]Obs, 0, len(idx))
	for _, i := range idx {
		out = append(out, v.obs[i])
	}
	return out
}

// Find returns the findings of these codes that no selected conclusion
// explains.
func (v *View) Find(codes ...string) []Obs {
	v.record(codes)
	var idx []int
	for _, c := range codes {
		for _, i := range v.byCode[c] {
			if !v.explained[i] {
				idx = append(idx, i)
			}
		}
	}
	return v.pick(idx)
}

// All returns every finding of these codes, explained or not: for
// corroboration, never as the reason to draw a conclusion.
func (v *View) All(codes ...string) []Obs {
	v.record(codes)
	var idx []int
	for _, c := range codes {
		idx = append(idx, v.byCode[c]...)
	}
	return v.pick(idx)
}

func (v *View) record(codes []string) {
	if v.read != nil {
		for _, c := range codes {
			v.read[c] = true
		}
	}
}

// OnHosts returns every observation about one of hosts: by its target's
// host or the address its evidence names.
func (v *View) OnHosts(hosts ...string) []Obs {
	var idx []int
	for _, h := range hosts {
		idx = append(idx, v.byHost[h]...)
	}
	return v.pick(idx)
}

// Where returns every observation (findings and bare results) for which
// keep is true, explained or not.
func (v *View) Where(keep func(Obs) bool) []Obs {
	var out []Obs
	for _, o := range v.obs {
		if keep(o) {
			out = append(out, o)
		}
	}
	return out
}

// Problems returns the warnings and failures no conclusion explains yet.
func (v *View) Problems() []Obs {
	return v.Where(func(o Obs) bool { return o.Problem() && !v.explained[o.i] })
}

// Ran reports whether any result of the check ran (whatever its status).
func (v *View) Ran(check string) bool { return v.ran[check] }

// hostOf extracts the host from a target or evidence value: a URL, a
// HOST:PORT, [V6]:PORT, an address or a name. Paths give "".
func hostOf(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s, " \\") {
		return ""
	}
	if strings.Contains(s, "://") {
		u, err := url.Parse(s)
		if err != nil {
			return ""
		}
		return strings.ToLower(u.Hostname())
	}
	if strings.Contains(s, "/") || strings.Contains(s, "=") {
		return ""
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap().String()
	}
	if a, err := netip.ParseAddr(strings.Trim(s, "[]")); err == nil {
		return a.Unmap().String()
	}
	if h, _, err := net.SplitHostPort(s); err == nil {
		return strings.ToLower(h)
	}
	return strings.ToLower(strings.TrimSuffix(s, "."))
}

// isIP reports whether host is a literal address.
func isIP(host string) bool {
	_, err := netip.ParseAddr(host)
	return err == nil
}

// hosts returns the distinct hosts of observations, in order.
func hosts(obs []Obs) []string {
	var out []string
	for _, o := range obs {
		if o.Host != "" && !slices.Contains(out, o.Host) {
			out = append(out, o.Host)
		}
	}
	return out
}

// targets returns the distinct targets (or hosts) of observations, for
// headlines.
func targets(obs []Obs) []string {
	var out []string
	for _, o := range obs {
		t := o.Target
		if t == "" {
			t = o.Host
		}
		if t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// list joins names for a headline: "a", "a and b", "a, b and 3 more".
func list(names []string) string {
	switch n := len(names); {
	case n == 0:
		return ""
	case n == 1:
		return names[0]
	case n == 2:
		return names[0] + " and " + names[1]
	case n <= 4:
		return strings.Join(names[:n-1], ", ") + " and " + names[n-1]
	default:
		return fmt.Sprintf("%s and %d more", strings.Join(names[:3], ", "), n-3)
	}
}
