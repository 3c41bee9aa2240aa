package fleet

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/l2diag/l2diag/report"
)

// Report is the fleet report: the correlation of one incident's bundles.
type Report struct {
	SchemaVersion int       `json:"schema_version"`
	Incident      string    `json:"incident,omitempty"`
	GeneratedAt   time.Time `json:"generated_at"`
	Counts        Counts    `json:"counts"`
	// Causes are the conclusions found across hosts, the most widespread
	// first.
	Causes   []Cause   `json:"causes"`
	Outliers []Outlier `json:"outliers"`
	// Targets are the matrix's columns ("check target"), the most failed
	// first; each host's Targets holds its row.
	Targets []string `json:"targets"`
	Hosts   []Host   `json:"hosts"`
}

// Counts say how many bundles were read and in which state.
type Counts struct {
	Bundles    int `json:"bundles"`
	OK         int `json:"ok"`
	Affected   int `json:"affected"`
	Tampered   int `json:"tampered"`
	Unreadable int `json:"unreadable"`
}

// Cause is one conclusion code across the fleet.
type Cause struct {
	Code   string        `json:"code"`
	Status report.Status `json:"status"`
	// Headline is the most frequent headline; Variants counts the others.
	Headline string   `json:"headline"`
	Variants int      `json:"variants"`
	Owner    string   `json:"owner"`
	Hosts    []string `json:"hosts"`
	// Of is the number of hosts whose bundle could be used.
	Of int `json:"of"`
	// EveryHost is true when no usable host lacks the cause, so nothing
	// healthy is there to compare with: Shared then lists what all have.
	EveryHost bool          `json:"every_host"`
	Shared    []Commonality `json:"shared"`
}

// Commonality is one attribute value the affected hosts share, with how
// well it separates them from the other hosts.
type Commonality struct {
	Attribute     string `json:"attribute"`
	Value         string `json:"value"`
	Affected      int    `json:"affected"`
	AffectedTotal int    `json:"affected_total"`
	Others        int    `json:"others"`
	OthersTotal   int    `json:"others_total"`
	// Score is the share of affected hosts with the value minus the share
	// of the other hosts with it: 1 separates perfectly, 0 not at all.
	Score float64 `json:"score"`
}

// Outlier kinds.
const (
	// OutlierOwnCause: a host has a cause no other host has.
	OutlierOwnCause = "own-cause"
	// OutlierTarget: a host fails a target most of its peers reach.
	OutlierTarget = "target"
)

// Outlier is a host that fails where its peers pass.
type Outlier struct {
	Host   string `json:"host"`
	Kind   string `json:"kind"`
	Code   string `json:"code,omitempty"`
	Target string `json:"target,omitempty"`
	Detail string `json:"detail"`
}

// Thresholds of the correlation. A commonality must be held by at least
// minCoverage of the affected hosts and separate them by at least minScore:
// a value every host has (healthy ones too) scores 0 and is never shown.
// A target outlier needs peers to compare with and most of them passing.
const (
	minCoverage      = 0.5
	minScore         = 0.5
	minPeersOutlier  = 2
	peersPassOutlier = 0.75
	maxShared        = 5
)

// Correlate builds the fleet report from loaded hosts.
func Correlate(hosts []Host, incident string, now time.Time) *Report {
	rep := &Report{SchemaVersion: SchemaVersion, Incident: incident, GeneratedAt: now.UTC(),
		Causes: []Cause{}, Outliers: []Outlier{}, Targets: []string{}, Hosts: hosts}
	rep.Counts.Bundles = len(hosts)
	var usable []*Host
	for i := range hosts {
		h := &hosts[i]
		switch h.State {
		case HostOK:
			rep.Counts.OK++
		case HostAffected:
			rep.Counts.Affected++
		case HostTampered:
			rep.Counts.Tampered++
		default:
			rep.Counts.Unreadable++
		}
		if h.usable() {
			usable = append(usable, h)
		}
	}
	rep.Causes = causes(usable)
	rep.Outliers = append(append(rep.Outliers, ownCauses(rep.Causes, usable)...), targetOutliers(usable)...)
	rep.Targets = matrixColumns(usable)
	return rep
}

// causes groups the hosts' conclusions by code.
func causes(usable []*Host) []Cause {
	type group struct {
		Cause
		members   map[*Host]bool
		headlines map[string]int
	}
	groups := map[string]*group{}
	for _, h := range usable {
		for _, c := range h.Causes {
			g := groups[c.Code]
			if g == nil {
				g = &group{Cause: Cause{Code: c.Code, Status: c.Status, Owner: c.Owner},
					members: map[*Host]bool{}, headlines: map[string]int{}}
				groups[c.Code] = g
			}
			g.Status = g.Status.Worse(c.Status)
			g.headlines[c.Headline]++
			if !g.members[h] {
				g.members[h] = true
				g.Hosts = append(g.Hosts, h.Name)
			}
		}
	}
	out := make([]Cause, 0, len(groups))
	for _, g := range groups {
		g.Headline, g.Variants = mostFrequent(g.headlines)
		g.Of = len(usable)
		g.EveryHost = len(g.members) == len(usable)
		sort.Strings(g.Hosts)
		var affected, others []*Host
		for _, h := range usable {
			if g.members[h] {
				affected = append(affected, h)
			} else {
				others = append(others, h)
			}
		}
		g.Shared = separate(g.Code, affected, others)
		out = append(out, g.Cause)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if len(a.Hosts) != len(b.Hosts) {
			return len(a.Hosts) > len(b.Hosts)
		}
		if a.Status.Severity() != b.Status.Severity() {
			return a.Status.Severity() > b.Status.Severity()
		}
		return a.Code < b.Code
	})
	return out
}

func mostFrequent(m map[string]int) (string, int) {
	best, n := "", -1
	for s, c := range m {
		if c > n || (c == n && s < best) {
			best, n = s, c
		}
	}
	return best, max(len(m)-1, 0)
}

// separate ranks the attribute values of the affected hosts by how well
// they set them apart from the others. With no others (every host is
// affected) nothing can be separated: only values all affected hosts share
// are listed, scored by coverage alone.
func separate(code string, affected, others []*Host) []Commonality {
	if len(affected) == 0 {
		return []Commonality{}
	}
	type key struct{ attr, value string }
	count := func(hs []*Host) map[key]int {
		m := map[key]int{}
		for _, h := range hs {
			for attr, vs := range h.Attributes {
				for _, v := range vs {
					m[key{attr, v}]++
				}
			}
		}
		return m
	}
	ca, co := count(affected), count(others)
	A, O := float64(len(affected)), float64(len(others))
	var out []Commonality
	for k, a := range ca {
		cov := float64(a) / A
		c := Commonality{Attribute: k.attr, Value: k.value, Affected: a, AffectedTotal: len(affected),
			Others: co[k], OthersTotal: len(others)}
		if len(others) == 0 {
			if a != len(affected) {
				continue
			}
			c.Score = 1
		} else {
			c.Score = round2(cov - float64(co[k])/O)
			if cov < minCoverage || c.Score < minScore {
				continue
			}
		}
		out = append(out, c)
	}
	pref := affinity(code)
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		if a.Affected != b.Affected {
			return a.Affected > b.Affected
		}
		if pa, pb := pref(a.Attribute), pref(b.Attribute); pa != pb {
			return pa < pb
		}
		if oa, ob := attrRank(a.Attribute), attrRank(b.Attribute); oa != ob {
			return oa < ob
		}
		return a.Value < b.Value
	})
	if len(out) > maxShared {
		out = out[:maxShared]
	}
	if out == nil {
		out = []Commonality{}
	}
	return out
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

// affinity breaks ties between equally separating attributes by the layer
// of the cause: a DNS cause is best explained by the DNS server the hosts
// share, a proxy cause by the proxy, a path cause by gateway and subnet.
func affinity(code string) func(attr string) int {
	var first []string
	switch {
	case strings.Contains(code, "dns"):
		first = []string{AttrDNSServer, AttrSearchDomain}
	case strings.Contains(code, "proxy"):
		first = []string{AttrProxy}
	case strings.HasPrefix(code, "cause.") && hostLayer(code):
		first = []string{AttrOSVersion, AttrOS}
	default:
		first = []string{AttrGateway, AttrSubnet}
	}
	return func(attr string) int {
		for i, a := range first {
			if a == attr {
				return i
			}
		}
		return len(first)
	}
}

func hostLayer(code string) bool {
	for _, w := range []string{"disk", "cpu", "memory", "clock", "service", "reboot", "perm", "swap"} {
		if strings.Contains(code, w) {
			return true
		}
	}
	return false
}

func attrRank(a string) int {
	for i, x := range attrOrder {
		if x == a {
			return i
		}
	}
	return len(attrOrder)
}

// ownCauses names hosts with a cause no other host has, when there are
// peers to compare with.
func ownCauses(cs []Cause, usable []*Host) []Outlier {
	if len(usable) < 3 {
		return nil
	}
	var out []Outlier
	for _, c := range cs {
		if len(c.Hosts) == 1 {
			out = append(out, Outlier{Host: c.Hosts[0], Kind: OutlierOwnCause, Code: c.Code,
				Detail: c.Headline})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Host < out[j].Host })
	return out
}

// targetOutliers names a host that fails a target (error results say
// nothing about the network and are left out) while most peers that
// probed it pass.
func targetOutliers(usable []*Host) []Outlier {
	type tally struct{ ok, total int }
	tallies := map[string]*tally{}
	for _, h := range usable {
		for t, st := range h.Targets {
			if !strings.Contains(t, " ") || st == report.StatusSkipped || st == report.StatusError {
				continue
			}
			x := tallies[t]
			if x == nil {
				x = &tally{}
				tallies[t] = x
			}
			x.total++
			if st == report.StatusOK {
				x.ok++
			}
		}
	}
	var out []Outlier
	for _, h := range usable {
		for t, st := range h.Targets {
			x := tallies[t]
			if x == nil || st != report.StatusFail {
				continue
			}
			peers := x.total - 1
			if peers < minPeersOutlier || float64(x.ok) < peersPassOutlier*float64(peers) {
				continue
			}
			out = append(out, Outlier{Host: h.Name, Kind: OutlierTarget, Target: t,
				Detail: plural(x.ok, "other host reaches", "other hosts reach") + " it"})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Host != out[j].Host {
			return out[i].Host < out[j].Host
		}
		return out[i].Target < out[j].Target
	})
	return out
}

// matrixColumns are the per-target checks seen on the hosts, those failed
// on most hosts first.
func matrixColumns(usable []*Host) []string {
	fails, seen := map[string]int{}, map[string]bool{}
	for _, h := range usable {
		for t, st := range h.Targets {
			if !strings.Contains(t, " ") {
				continue
			}
			seen[t] = true
			if st == report.StatusFail || st == report.StatusError {
				fails[t]++
			}
		}
	}
	out := make([]string, 0, len(seen))
	for t := range seen {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool {
		if fails[out[i]] != fails[out[j]] {
			return fails[out[i]] > fails[out[j]]
		}
		return out[i] < out[j]
	})
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
