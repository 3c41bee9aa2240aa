package render

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/l2diag/l2diag/report"
)

// View is the one model the text, Markdown and HTML renderers share: what
// a report shows, in the order it shows it, decided once.
type View struct {
	Tool        string
	Host        report.Host
	Profile     string
	Started     string
	Duration    string
	Status      report.Status
	SummaryLine string
	// TellUser is what to tell the user, one sentence ("" in reports
	// written before it existed).
	TellUser string
	// Intake are what the user reported, as "label: value" lines.
	Intake      []string
	Interrupted bool
	// Counts are the results per status, worst first, zero counts left out.
	Counts      []StatusCount
	Conclusions []report.Conclusion
	// Problems are the warn, error and fail results, worst first, but for
	// those a conclusion accounts for: they are Consequences (labels).
	Problems     []ResultView
	Consequences []string
	Groups       []GroupView
	// LabelWidth aligns the text renderer's labels (at most 40).
	LabelWidth int
	// Handoff is the note for the team the case goes to, nil when it
	// stays here.
	Handoff *report.Handoff
}

// StatusCount is how many results have a status.
type StatusCount struct {
	Status report.Status
	N      int
}

// GroupView is one category: its results and its pictures.
type GroupView struct {
	Category string
	Title    string
	Status   report.Status
	Results  []ResultView
	Charts   []Chart
}

// ResultView is one result as people read it.
type ResultView struct {
	Check, Target, Label string
	Status               report.Status
	// Summary includes "(degraded)" when the check ran degraded.
	Summary  string
	Degraded bool
	Duration string
	DurMS    int64
	// Findings are those shown: problems only, every one when verbose.
	Findings []report.Finding
	// Error is the check's error, shown when the result is an error.
	Error   string
	Metrics []MetricView
}

// MetricView is a metric formatted for reading.
type MetricView struct{ Name, Value string }

// NewView builds the view of rep. Its strings are Printable: what a
// hostile peer put into a result cannot drive the terminal or the reader.
func NewView(rep *report.Report, opt Options) *View {
	rep = report.PrintableCopy(rep)
	v := &View{
		Tool:        strings.TrimSpace(rep.Tool.Name + " " + rep.Tool.Version),
		Host:        rep.Host,
		Profile:     rep.Profile,
		Started:     rep.StartedAt.UTC().Format("2006-01-02 15:04:05Z"),
		Duration:    report.FormatDuration(time.Duration(rep.DurationMS) * time.Millisecond),
		Status:      rep.HeadlineStatus(),
		SummaryLine: rep.SummaryLine(),
		TellUser:    rep.TellUser,
		Intake:      rep.Intake.Lines(),
		Interrupted: rep.Interrupted,
		Conclusions: rep.Conclusions,
		Handoff:     rep.Handoff,
	}
	if v.Handoff == nil {
		// A report written before hand-offs existed still gets one.
		v.Handoff = report.BuildHandoff(rep)
	}
	for i := len(report.Statuses) - 1; i >= 0; i-- {
		if n := rep.Summary[report.Statuses[i]]; n > 0 {
			v.Counts = append(v.Counts, StatusCount{report.Statuses[i], n})
		}
	}
	explained := map[string]bool{}
	for _, c := range rep.Conclusions {
		for _, l := range c.Explains {
			explained[l] = true
		}
	}
	for _, r := range rep.ProblemResults() {
		if explained[r.Label()] {
			v.Consequences = append(v.Consequences, r.Label())
			continue
		}
		v.Problems = append(v.Problems, newResultView(r, Options{}))
	}
	for _, g := range rep.Grouped() {
		gv := GroupView{Category: g.Category, Title: report.CategoryTitle(g.Category), Status: report.StatusOK}
		anyOK := false
		for _, r := range g.Results {
			gv.Results = append(gv.Results, newResultView(r, opt))
			gv.Status = gv.Status.Worse(r.Status)
			anyOK = anyOK || r.Status == report.StatusOK
		}
		gv.Status = gv.Status.Headline(anyOK)
		gv.Charts = chartsFor(g.Results)
		v.Groups = append(v.Groups, gv)
	}
	for _, r := range rep.Results {
		if l := len([]rune(r.Label())); l > v.LabelWidth {
			v.LabelWidth = l
		}
	}
	v.LabelWidth = min(v.LabelWidth, 40)
	return v
}

func newResultView(r report.Result, opt Options) ResultView {
	rv := ResultView{
		Check: r.Check, Target: r.Target, Label: r.Label(), Status: r.Status,
		Summary: r.Summary, Degraded: r.Degraded, DurMS: r.DurationMS,
		Duration: report.FormatDuration(time.Duration(r.DurationMS) * time.Millisecond),
	}
	if r.Degraded {
		rv.Summary += " (degraded)"
	}
	for _, f := range r.Findings {
		if f.Status.Problem() || opt.Verbose {
			rv.Findings = append(rv.Findings, f)
		}
	}
	if r.Error != "" && r.Status == report.StatusError {
		rv.Error = r.Error
	}
	names := make([]string, 0, len(r.Metrics))
	for k := range r.Metrics {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		rv.Metrics = append(rv.Metrics, MetricView{k, report.FormatMetric(k, r.Metrics[k])})
	}
	return rv
}

// Chart is a picture of some metrics of several results: horizontal bars,
// one row per result, each bar made of one or more segments.
type Chart struct {
	ID    string
	Title string
	Unit  string
	// Max is the value a full-width bar stands for.
	Max    float64
	Legend []string
	Rows   []ChartRow
	// Threshold, when set, is drawn as a dashed line labelled
	// ThresholdLabel (the value above which a measurement warns).
	Threshold      float64
	ThresholdLabel string
}

// ChartRow is one result's bar.
type ChartRow struct {
	Label    string
	Status   report.Status
	Segments []Segment
	// Note is printed after the bar (the value, the loss).
	Note string
}

// Segment is one part of a bar; Class picks its colour.
type Segment struct {
	Name  string
	Value float64
	Class string
}

// httpPhases are the phase metrics of HTTP checks, in the order they happen.
var httpPhases = []string{"dns_ms", "connect_ms", "tls_ms", "ttfb_ms", "transfer_ms"}

// chartsFor draws whatever the results' metrics allow, by metric name:
// round-trip time and loss per target, HTTP phases, usage percentages.
func chartsFor(results []report.Result) []Chart {
	// Round trips on an absolute scale: at least up to the default warning
	// threshold, so a 0.4 ms gateway draws a sliver, not a full bar.
	rtt := Chart{ID: "rtt", Title: "Round-trip time and loss per target", Unit: "ms", Max: rttWarnMS,
		Threshold: rttWarnMS, ThresholdLabel: "slow above 300 ms"}
	phases := Chart{ID: "http-phases", Title: "HTTP phase timings", Unit: "ms"}
	usage := Chart{ID: "usage", Title: "Usage", Unit: "%", Max: 100}
	seenPhase := map[string]bool{}
	for _, r := range results {
		m := r.Metrics
		if avg, ok := m["rtt_avg_ms"]; ok {
			row := ChartRow{Label: r.Label(), Status: r.Status, Segments: []Segment{{"rtt", avg, "s-rtt"}}, Note: report.FormatMetric("rtt_avg_ms", avg)}
			if loss, ok := m["loss_pct"]; ok {
				row.Note += " · loss " + report.FormatMetric("loss_pct", loss)
				if loss > 0 {
					// Loss colours the bar: a fast path that drops packets is no good path.
					row.Segments[0].Class = "s-warn"
				}
			}
			rtt.Rows = append(rtt.Rows, row)
			rtt.Max = max(rtt.Max, niceCeil(avg))
		} else if loss, ok := m["loss_pct"]; ok {
			rtt.Rows = append(rtt.Rows, ChartRow{Label: r.Label(), Status: r.Status, Note: "✗ no reply · loss " + report.FormatMetric("loss_pct", loss)})
		}
		var segs []Segment
		sum := 0.0
		for i, p := range httpPhases {
			if r.Check != "net-http" {
				break // a TCP connect has a connect time, but no HTTP phases
			}
			if v, ok := m[p]; ok {
				segs = append(segs, Segment{strings.TrimSuffix(p, "_ms"), v, fmt.Sprintf("s-p%d", i)})
				sum += v
				seenPhase[p] = true
			}
		}
		if len(segs) > 0 {
			total := sum
			if t, ok := m["total_ms"]; ok {
				total = max(t, sum)
			}
			note := "total " + report.FormatMetric("total_ms", total)
			if r.Status == report.StatusFail || r.Status == report.StatusError {
				// A failed fetch keeps its phases (how far it got) but must
				// not read like a healthy one.
				note = "✗ failed after " + report.FormatMetric("total_ms", total)
				for i := range segs {
					segs[i].Class = "s-failed"
				}
			}
			phases.Rows = append(phases.Rows, ChartRow{Label: r.Label(), Status: r.Status, Segments: segs, Note: note})
			phases.Max = max(phases.Max, total)
		}
		names := make([]string, 0)
		for k := range m {
			if strings.HasSuffix(k, "used_pct") {
				names = append(names, k)
			}
		}
		sort.Strings(names)
		for _, k := range names {
			label := r.Label()
			if len(names) > 1 || k != "used_pct" {
				label += " " + strings.TrimSuffix(strings.TrimSuffix(k, "used_pct"), "_")
			}
			class := "s-ok"
			switch {
			case m[k] >= 90:
				class = "s-fail"
			case m[k] >= 80:
				class = "s-warn"
			}
			usage.Rows = append(usage.Rows, ChartRow{Label: strings.TrimSpace(label), Status: r.Status, Segments: []Segment{{"used", min(m[k], 100), class}}, Note: report.FormatMetric(k, m[k]) + " used"})
		}
	}
	for _, p := range httpPhases {
		if seenPhase[p] {
			phases.Legend = append(phases.Legend, strings.TrimSuffix(p, "_ms"))
		}
	}
	var out []Chart
	for _, c := range []Chart{rtt, phases, usage} {
		if len(c.Rows) > 0 {
			if c.Max <= 0 {
				c.Max = 1
			}
			out = append(out, c)
		}
	}
	return out
}

// rttWarnMS is the default profile's net.ping.rtt_warn: the round-trip
// chart's scale reaches at least this far and draws it.
const rttWarnMS = 300

// niceCeil rounds a scale's top up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// shortLabel keeps both ends of a long label (a URL's host and its port
// or path matter most): "https://web.corp.t…:8443/login".
func shortLabel(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	head := n * 3 / 5
	return string(r[:head]) + "…" + string(r[len(r)-(n-head-1):])
}
