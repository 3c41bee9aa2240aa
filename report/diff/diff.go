// Package diff compares two runs: status, finding and metric changes and
// the configuration facts that moved, leaving out what always jitters.
package diff

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/l2diag/l2diag/report"
)

// Options tune what counts as a change.
type Options struct {
	// RelThreshold is the relative change a metric must exceed (0.5 = 50%);
	// DefaultRelThreshold when zero.
	RelThreshold float64
}

// DefaultRelThreshold is the relative move of a metric `bundle diff`
// reports: jitter of a few percent is noise, a doubling is news.
const DefaultRelThreshold = 0.5

// Absolute floors below which a metric move is noise whatever its
// relative size (1 ms → 3 ms is +200% and means nothing).
const (
	diffFloorMS  = 20
	diffFloorPct = 5
)

// Diff is what changed between two runs, A (before) and B (after).
type Diff struct {
	A                Side            `json:"a"`
	B                Side            `json:"b"`
	StatusChanges    []StatusChange  `json:"status_changes"`
	NewResults       []StatusChange  `json:"new_results"`
	VanishedResults  []StatusChange  `json:"vanished_results"`
	NewFindings      []FindingChange `json:"new_findings"`
	VanishedFindings []FindingChange `json:"vanished_findings"`
	Metrics          []MetricChange  `json:"metrics"`
	Config           []ConfigChange  `json:"config"`
}

// Side identifies one of the compared runs.
type Side struct {
	Path      string        `json:"path,omitempty"`
	Host      string        `json:"host"`
	StartedAt time.Time     `json:"started_at"`
	Status    report.Status `json:"status"`
}

// StatusChange is a result whose status differs (or that exists on one side).
type StatusChange struct {
	Result string        `json:"result"`
	From   report.Status `json:"from,omitempty"`
	To     report.Status `json:"to,omitempty"`
	// Summary is B's summary (A's for a vanished result).
	Summary string `json:"summary"`
}

// FindingChange is a finding present on one side only.
type FindingChange struct {
	Result  string        `json:"result"`
	Code    string        `json:"code"`
	Status  report.Status `json:"status"`
	Message string        `json:"message"`
}

// MetricChange is a metric that moved beyond the threshold.
type MetricChange struct {
	Result string  `json:"result"`
	Metric string  `json:"metric"`
	From   float64 `json:"from"`
	To     float64 `json:"to"`
}

// ConfigChange is configuration that changed: a discovered fact (DNS
// servers, gateways, proxy, ...) or a configuration detail of a result
// (routes, certificate issuer, ...).
type ConfigChange struct {
	Key  string `json:"key"`
	From string `json:"from"`
	To   string `json:"to"`
}

// Empty reports whether nothing changed.
func (d *Diff) Empty() bool {
	return len(d.StatusChanges)+len(d.NewResults)+len(d.VanishedResults)+len(d.NewFindings)+
		len(d.VanishedFindings)+len(d.Metrics)+len(d.Config) == 0
}

// configDetailWords mark the detail keys that describe configuration.
var configDetailWords = []string{"dns_server", "nameserver", "resolver", "search", "route", "gateway", "proxy", "issuer", "servers"}

func configDetail(key string) bool {
	k := strings.ToLower(key)
	for _, w := range configDetailWords {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}

// Raw compares two reports and their facts as a bundle holds them,
// each fact's JSON undecoded.
func Raw(a, b *report.Report, factsA, factsB map[string]json.RawMessage, opt Options) *Diff {
	facts := rawFactChanges(factsA, factsB)
	d := diffReports(a, b, opt)
	d.Config = append(facts, d.Config...)
	return d
}

// Reports compares two reports and their facts (either may be nil).
func Reports(a, b *report.Report, factsA, factsB map[string]any, opt Options) *Diff {
	d := diffReports(a, b, opt)
	var facts []ConfigChange
	for _, k := range unionKeys(factsA, factsB) {
		facts = append(facts, configChanges(k, factsA[k], factsB[k])...)
	}
	d.Config = append(facts, d.Config...)
	return d
}

func diffReports(a, b *report.Report, opt Options) *Diff {
	rel := opt.RelThreshold
	if rel <= 0 {
		rel = DefaultRelThreshold
	}
	d := &Diff{
		A:                Side{Host: a.Host.Hostname, StartedAt: a.StartedAt, Status: a.Status},
		B:                Side{Host: b.Host.Hostname, StartedAt: b.StartedAt, Status: b.Status},
		StatusChanges:    []StatusChange{},
		NewResults:       []StatusChange{},
		VanishedResults:  []StatusChange{},
		NewFindings:      []FindingChange{},
		VanishedFindings: []FindingChange{},
		Metrics:          []MetricChange{},
		Config:           []ConfigChange{},
	}
	ia := indexResults(a)
	ib := indexResults(b)
	for _, rb := range b.Results {
		label := rb.Label()
		ra, ok := ia[label]
		if !ok {
			d.NewResults = append(d.NewResults, StatusChange{Result: label, To: rb.Status, Summary: rb.Summary})
			for _, f := range rb.Findings {
				if f.Status.Problem() {
					d.NewFindings = append(d.NewFindings, FindingChange{label, f.Code, f.Status, f.Message})
				}
			}
			continue
		}
		if ra.Status != rb.Status {
			d.StatusChanges = append(d.StatusChanges, StatusChange{Result: label, From: ra.Status, To: rb.Status, Summary: rb.Summary})
		}
		fa, fb := findingCodes(ra), findingCodes(rb)
		for _, f := range rb.Findings {
			if _, ok := fa[f.Code]; !ok {
				d.NewFindings = append(d.NewFindings, FindingChange{label, f.Code, f.Status, f.Message})
			}
		}
		for _, f := range ra.Findings {
			if _, ok := fb[f.Code]; !ok {
				d.VanishedFindings = append(d.VanishedFindings, FindingChange{label, f.Code, f.Status, f.Message})
			}
		}
		for _, name := range sortedKeys(rb.Metrics) {
			to := rb.Metrics[name]
			from, ok := ra.Metrics[name]
			if ok && metricMoved(name, from, to, rel) {
				d.Metrics = append(d.Metrics, MetricChange{label, name, from, to})
			}
		}
		for _, k := range unionKeys(ra.Details, rb.Details) {
			if !configDetail(k) {
				continue
			}
			d.Config = append(d.Config, configChanges(label+": "+k, ra.Details[k], rb.Details[k])...)
		}
	}
	for _, ra := range a.Results {
		if _, ok := ib[ra.Label()]; !ok {
			d.VanishedResults = append(d.VanishedResults, StatusChange{Result: ra.Label(), From: ra.Status, Summary: ra.Summary})
		}
	}
	return d
}

func indexResults(rep *report.Report) map[string]report.Result {
	m := make(map[string]report.Result, len(rep.Results))
	for _, r := range rep.Results {
		m[r.Label()] = r
	}
	return m
}

func findingCodes(r report.Result) map[string]bool {
	m := map[string]bool{}
	for _, f := range r.Findings {
		m[f.Code] = true
	}
	return m
}

// unionKeys returns the keys of a and b, sorted.
func unionKeys[V any](a, b map[string]V) []string {
	keys := make(map[string]bool, len(a)+len(b))
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	return sortedKeys(keys)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// metricMoved reports whether a metric moved more than rel of its old
// value and more than the floor of its unit.
func metricMoved(name string, from, to, rel float64) bool {
	delta := math.Abs(to - from)
	switch unit := metricUnit(name); {
	case unit == "ms" && delta < diffFloorMS:
		return false
	case unit == "pct":
		return delta >= diffFloorPct
	}
	if from == 0 {
		return to != 0
	}
	return delta > rel*math.Abs(from)
}

// metricUnit finds the unit among a metric's snake_case words, wherever it
// stands: rtt_ms, rtt_ms_max and loss_pct_avg are all measured in theirs.
func metricUnit(name string) string {
	for _, w := range strings.Split(name, "_") {
		switch w {
		case "ms":
			return "ms"
		case "pct", "percent":
			return "pct"
		}
	}
	return ""
}

// jsonText prints a value compactly for the config comparison; absent is "".
func jsonText(v any) string {
	if v == nil {
		return ""
	}
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(data)
}

// diffTextPerKey is how many changes of one fact or detail the text shows;
// a query log with a thousand changed answers is a pointer to the JSON.
const diffTextPerKey = 12

// RenderText writes the diff for a terminal or a ticket comment. Every
// string from the bundles is Printable.
func RenderText(w io.Writer, d *Diff) error {
	d = report.PrintableCopy(d)
	var b strings.Builder
	fmt.Fprintf(&b, "A: %s %s %s (%s)\nB: %s %s %s (%s)\n", d.A.Path, d.A.Host, d.A.StartedAt.UTC().Format("2006-01-02 15:04:05Z"), d.A.Status,
		d.B.Path, d.B.Host, d.B.StartedAt.UTC().Format("2006-01-02 15:04:05Z"), d.B.Status)
	if d.Empty() {
		b.WriteString("\nNo differences.\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	section := func(title string, n int) bool {
		if n == 0 {
			return false
		}
		fmt.Fprintf(&b, "\n%s\n", title)
		return true
	}
	if section("Status changes", len(d.StatusChanges)) {
		for _, c := range d.StatusChanges {
			fmt.Fprintf(&b, "  %s: %s → %s  %s\n", c.Result, c.From, c.To, c.Summary)
		}
	}
	if section("New results (only in B)", len(d.NewResults)) {
		for _, c := range d.NewResults {
			fmt.Fprintf(&b, "  + %s: %s  %s\n", c.Result, c.To, c.Summary)
		}
	}
	if section("Vanished results (only in A)", len(d.VanishedResults)) {
		for _, c := range d.VanishedResults {
			fmt.Fprintf(&b, "  - %s: %s  %s\n", c.Result, c.From, c.Summary)
		}
	}
	if section("New findings", len(d.NewFindings)) {
		for _, f := range d.NewFindings {
			fmt.Fprintf(&b, "  + %s %s [%s]: %s\n", f.Result, f.Code, f.Status, f.Message)
		}
	}
	if section("Vanished findings", len(d.VanishedFindings)) {
		for _, f := range d.VanishedFindings {
			fmt.Fprintf(&b, "  - %s %s [%s]: %s\n", f.Result, f.Code, f.Status, f.Message)
		}
	}
	if section("Metrics that moved", len(d.Metrics)) {
		for _, m := range d.Metrics {
			fmt.Fprintf(&b, "  %s %s: %s → %s\n", m.Result, m.Metric, report.FormatMetric(m.Metric, m.From), report.FormatMetric(m.Metric, m.To))
		}
	}
	if section("Configuration changes", len(d.Config)) {
		shown := map[string]int{}
		for i, c := range d.Config {
			top := topKey(c.Key)
			if shown[top]++; shown[top] > diffTextPerKey {
				if i+1 == len(d.Config) || topKey(d.Config[i+1].Key) != top {
					fmt.Fprintf(&b, "  … and %d more changes in %s (-o json lists them all)\n", shown[top]-diffTextPerKey, top)
				}
				continue
			}
			from, to := c.From, c.To
			if from == "" {
				from = "(none)"
			}
			if to == "" {
				to = "(none)"
			}
			fmt.Fprintf(&b, "  %s: %s → %s\n", c.Key, from, to)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
