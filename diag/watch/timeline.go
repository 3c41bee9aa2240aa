package watch

import (
	"bufio"
	"fmt"
	"html/template"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// timelineBuckets is the horizontal resolution of the HTML timeline: a
// 24-hour watch shows 2.4-minute buckets, a 10-minute one 1-second buckets.
const timelineBuckets = 600

type bucket struct {
	n, lost     int
	sum, lo, hi float64 // ms
}

// readBuckets aggregates the samples file (streamed, never held whole)
// into per-target buckets over the watch's monotonic duration.
func readBuckets(r io.Reader, targets int, dur time.Duration) ([][]bucket, error) {
	out := make([][]bucket, targets)
	for i := range out {
		out[i] = make([]bucket, timelineBuckets)
	}
	span := max(dur.Milliseconds(), 1)
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, ",")
		if len(f) != 3 {
			continue
		}
		id, e1 := strconv.Atoi(f[0])
		at, e2 := strconv.ParseInt(f[1], 10, 64)
		rtt, e3 := strconv.ParseInt(f[2], 10, 64)
		if e1 != nil || e2 != nil || e3 != nil || id < 0 || id >= targets || rtt == -2 {
			continue
		}
		i := min(int(at*timelineBuckets/span), timelineBuckets-1)
		b := &out[id][max(i, 0)]
		b.n++
		if rtt < 0 {
			b.lost++
			continue
		}
		v := float64(rtt) / 1000
		if b.n-b.lost == 1 || v < b.lo {
			b.lo = v
		}
		b.hi = math.Max(b.hi, v)
		b.sum += v
	}
	return out, sc.Err()
}

// RenderTimeline writes the self-contained HTML timeline: per target the
// round trip over time (absolute scale in ms, min–max band and mean),
// lost probes in red, and the events shaded, like PingPlotter's graph.
func RenderTimeline(w io.Writer, res *Result, samples io.Reader) error {
	buckets, err := readBuckets(samples, len(res.Targets), res.Duration)
	if err != nil {
		return err
	}
	const width, height = 1000.0, 110.0
	type chart struct {
		Name, Method, Stats string
		Band, Mean          template.HTML
		Losses, Events      []rect
		Scale               string
		Labels              []label
	}
	var charts []chart
	bw := width / timelineBuckets
	span := max(res.Duration, time.Millisecond)
	for i, t := range res.Targets {
		bs := buckets[i]
		top := 1.0
		for _, b := range bs {
			top = math.Max(top, b.hi)
		}
		top = niceCeil(top)
		y := func(v float64) float64 { return height - v/top*height }
		var band, mean, seg strings.Builder
		flush := func() {
			if seg.Len() > 0 {
				fmt.Fprintf(&mean, `<polyline points="%s"/>`, seg.String())
				seg.Reset()
			}
		}
		var losses []rect
		for j, b := range bs {
			x := float64(j) * bw
			if ok := b.n - b.lost; ok > 0 {
				fmt.Fprintf(&band, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f"/>`, x, y(b.hi), bw+0.2, math.Max(y(b.lo)-y(b.hi), 0.8))
				fmt.Fprintf(&seg, "%.1f,%.1f ", x+bw/2, y(b.sum/float64(ok)))
			} else if b.n > 0 {
				flush() // no line across a stretch without answers
			}
			if b.lost > 0 {
				frac := float64(b.lost) / float64(b.n)
				losses = append(losses, rect{X: x, W: bw + 0.2, H: math.Max(frac*height, 3), Y: height - math.Max(frac*height, 3),
					Title: fmt.Sprintf("%d of %d probes lost", b.lost, b.n)})
			}
		}
		flush()
		var evs []rect
		for _, e := range res.Events {
			if e.Target != t.Name || e.End == nil {
				continue
			}
			x0 := float64(e.Start.Sub(res.Start)) / float64(span) * width
			x1 := float64(e.End.Sub(res.Start)) / float64(span) * width
			evs = append(evs, rect{X: math.Max(x0, 0), W: math.Max(x1-x0, 2), H: height, Class: e.Kind,
				Title: e.Kind + " " + e.Start.Local().Format("15:04:05") + "–" + e.End.Local().Format("15:04:05") + ": " + e.Detail})
		}
		st := res.Stats[i]
		stats := fmt.Sprintf("%d probes, %d lost (%s)", st.Samples-st.Local, st.Lost, pct(float64(st.Lost)/float64(max(st.Samples-st.Local, 1))))
		if ok := st.Samples - st.Lost - st.Local; ok > 0 {
			stats += ", mean " + ms(st.RTTSum/time.Duration(ok)) + ", max " + ms(st.RTTMax)
		}
		if st.Outages > 0 {
			stats += fmt.Sprintf(", %s, longest %s", plural(st.Outages, "outage", "outages"), st.Longest.Round(time.Second))
		}
		charts = append(charts, chart{Name: t.Name, Method: t.Method, Stats: stats,
			Band: template.HTML(band.String()), Mean: template.HTML(mean.String()),
			Losses: losses, Events: evs, Scale: fmt.Sprintf("%g ms", top),
			Labels: timeLabels(res.Start, span, width)})
	}
	var sysEvents []*Event
	for _, e := range res.Events {
		if e.Target == "" {
			sysEvents = append(sysEvents, e)
		}
	}
	return timelineTmpl.Execute(w, map[string]any{
		"Start": res.Start.Local().Format("2006-01-02 15:04:05 MST"), "Duration": res.Duration.Round(time.Second).String(),
		"Summary": res.Summary.Text, "Status": res.Summary.Status, "Charts": charts, "Events": res.Events, "System": sysEvents,
		"W": width, "H": height, "Paths": pathRows(res),
	})
}

type rect struct {
	X, Y, W, H float64
	Class      string
	Title      string
}

type label struct {
	X    float64
	Text string
}

func timeLabels(start time.Time, span time.Duration, width float64) []label {
	var out []label
	for i := 0; i <= 5; i++ {
		at := start.Add(span * time.Duration(i) / 5)
		out = append(out, label{X: width * float64(i) / 5, Text: at.Local().Format("15:04:05")})
	}
	return out
}

// niceCeil rounds a scale's top up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

var timelineTmpl = template.Must(template.New("timeline").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>l2diag watch timeline</title>
<style>
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.2rem;color:#1d1d1f;max-width:72rem}
h1{font-size:1.3rem;margin:0}.lead{font-size:1.05rem;font-weight:600;padding:.6rem .9rem;margin:.8rem 0;border-left:4px solid #2e7d32;background:#eef7ee}
.lead.fail{border-color:#c0392b;background:#fdecea}.lead.warn{border-color:#d9822b;background:#fff4e5}
.chart{margin:1rem 0}.chart h2{font-size:.95rem;margin:0}.muted{color:#666;font-size:.85rem}
svg{width:100%;height:auto;background:#fafafa;border:1px solid #ddd}
.band{fill:#90caf9}.mean{fill:none;stroke:#1565c0;stroke-width:1}.lost{fill:#d32f2f}
.ev{fill-opacity:.18}.ev.outage{fill:#d32f2f}.ev.loss{fill:#f57c00}.ev.latency{fill:#fbc02d}
.axis{font-size:10px;fill:#555}table{border-collapse:collapse;font-size:.85rem}td,th{border:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}
</style></head><body>
<h1>l2diag watch</h1><div class="muted">from {{.Start}}, {{.Duration}}</div>
<div class="lead {{.Status}}">{{.Summary}}</div>
{{range .Charts}}<div class="chart"><h2>{{.Name}}</h2><div class="muted">{{.Method}} · {{.Stats}}</div>
<svg viewBox="0 -12 {{$.W}} {{$.H}}" preserveAspectRatio="none" role="img" aria-label="round trip of {{.Name}} over time">
{{range .Events}}<rect class="ev {{.Class}}" x="{{.X}}" y="0" width="{{.W}}" height="{{.H}}"><title>{{.Title}}</title></rect>{{end}}
<g class="band">{{.Band}}</g><g class="mean">{{.Mean}}</g>
{{range .Losses}}<rect class="lost" x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}"><title>{{.Title}}</title></rect>{{end}}
<text class="axis" x="2" y="-2">{{.Scale}}</text>
</svg>
<svg viewBox="0 0 {{$.W}} 14"><g class="axis">{{range .Labels}}<text x="{{.X}}" y="11">{{.Text}}</text>{{end}}</g></svg></div>
{{end}}
{{if .Paths}}<h2>Paths</h2><table><tr><th>time</th><th>target</th><th>hops</th></tr>
{{range .Paths}}<tr><td>{{.Time}}</td><td>{{.Target}}</td><td>{{.Hops}}{{if .Changed}} <strong>(changed)</strong>{{end}}</td></tr>{{end}}</table>{{end}}
<h2>Events</h2>{{if .Events}}<table><tr><th>start</th><th>end</th><th>what</th><th>target</th><th>detail</th></tr>
{{range .Events}}<tr><td>{{.Start.Local.Format "15:04:05"}}</td><td>{{if .End}}{{.End.Local.Format "15:04:05"}}{{end}}</td><td>{{.Kind}}</td><td>{{.Target}}</td><td>{{.Detail}}{{if .EndDetail}}; {{.EndDetail}}{{end}}</td></tr>{{end}}
</table>{{else}}<p>None.</p>{{end}}
</body></html>
`))

type pathRow struct {
	Time, Target, Hops string
	Changed            bool
}

// pathRows lists the traced paths in time order for the timeline page.
func pathRows(res *Result) []pathRow {
	var out []pathRow
	for _, t := range res.Targets {
		for _, p := range res.Paths[t.Name] {
			h := p.Path.String()
			if p.Err != "" {
				h = "not traced: " + p.Err
			}
			out = append(out, pathRow{Time: p.Time.Local().Format("15:04:05"), Target: t.Name, Hops: h, Changed: p.Changed})
		}
	}
	return out
}
