package render

import (
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/l2diag/l2diag/report"
)

// HTML writes report.html: one self-contained page (no scripts, no
// external assets, nothing fetched) that opens from a ticket attachment or
// a file:// URL, prints on paper and reads on a phone. Status overview
// first, then the likely cause and the problems, then every category with
// its pictures (inline SVG) and results.
func HTML(w io.Writer, rep *report.Report, opt Options) error {
	return htmlTmpl.Execute(w, NewView(rep, opt))
}

var htmlTmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"word":     statusWord,
	"evidence": func(refs []string) string { return report.EvidenceLine(refs, 5) },
	"owner":    report.OwnerLabel,
	"mark":     func(s report.Status) string { return s.Mark() },
	"brief":    report.EvidenceBrief,
	"chart":    chartSVG,
}).Parse(htmlSource))

// Chart geometry, in SVG user units (the SVG scales to the page width).
const (
	chartWidth  = 720
	chartLabelW = 230
	chartNoteW  = 150
	chartRowH   = 22
	chartBarH   = 14
)

// chartSVG draws c as horizontal bars with labels left and notes right.
func chartSVG(c Chart) template.HTML {
	var b strings.Builder
	barW := float64(chartWidth - chartLabelW - chartNoteW)
	top := 4
	if len(c.Legend) > 0 {
		top = 26
	}
	h := top + len(c.Rows)*chartRowH + 4
	fmt.Fprintf(&b, `<svg id="chart-%s" class="chart" role="img" viewBox="0 0 %d %d" xmlns="http://www.w3.org/2000/svg">`, c.ID, chartWidth, h+14)
	fmt.Fprintf(&b, `<title>%s</title>`, template.HTMLEscapeString(c.Title))
	if len(c.Legend) > 0 {
		x := chartLabelW
		for _, name := range c.Legend {
			class := ""
			for _, p := range httpPhases {
				if strings.TrimSuffix(p, "_ms") == name {
					class = fmt.Sprintf("s-p%d", indexOf(httpPhases, p))
				}
			}
			fmt.Fprintf(&b, `<rect x="%d" y="6" width="12" height="12" class="%s"/><text x="%d" y="16" class="legend">%s</text>`, x, class, x+16, template.HTMLEscapeString(name))
			x += 24 + 8*len(name)
		}
	}
	for i, r := range c.Rows {
		y := top + i*chartRowH
		label := shortLabel(r.Label, 34)
		fmt.Fprintf(&b, `<g class="row st-%s"><text x="%d" y="%d" class="label" text-anchor="end"><title>%s</title>%s</text>`,
			r.Status, chartLabelW-6, y+15, template.HTMLEscapeString(r.Label), template.HTMLEscapeString(label))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.0f" height="%d" class="track"/>`, chartLabelW, y+4, barW, chartBarH)
		x := float64(chartLabelW)
		for _, s := range r.Segments {
			wd := s.Value / c.Max * barW
			if wd < 1 && s.Value > 0 {
				wd = 1
			}
			wd = min(wd, float64(chartLabelW)+barW-x)
			fmt.Fprintf(&b, `<rect x="%.1f" y="%d" width="%.1f" height="%d" class="%s"><title>%s: %s</title></rect>`,
				x, y+4, wd, chartBarH, s.Class, template.HTMLEscapeString(s.Name), template.HTMLEscapeString(report.FormatMetric("x_"+c.Unit2(), s.Value)))
			x += wd
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" class="note">%s</text></g>`, chartWidth-chartNoteW+6, y+15, template.HTMLEscapeString(r.Note))
	}
	if c.Threshold > 0 && c.Threshold <= c.Max {
		x := float64(chartLabelW) + c.Threshold/c.Max*barW
		fmt.Fprintf(&b, `<line class="threshold" x1="%.1f" y1="%d" x2="%.1f" y2="%d"><title>%s</title></line>`,
			x, top, x, h-2, template.HTMLEscapeString(c.ThresholdLabel))
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" class="scale">0–%s</text>`, chartLabelW, h+10, template.HTMLEscapeString(report.FormatMetric("x_"+c.Unit2(), c.Max)))
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// Unit2 is the metric-name suffix of the chart's unit, for formatMetric.
func (c Chart) Unit2() string {
	if c.Unit == "%" {
		return "pct"
	}
	return c.Unit
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

const htmlSource = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{{.Tool}}">
<title>l2diag {{word .Status}}: {{.Host.Hostname}}</title>
<style>
:root{--ok:#1a7f37;--skipped:#6e7781;--warn:#9a6700;--error:#8250df;--fail:#cf222e;--line:#d0d7de;--muted:#57606a}
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;margin:0 auto;max-width:980px;padding:12px}
h1{font-size:1.4em;margin:.2em 0}h2{font-size:1.2em;margin:1.4em 0 .4em;border-bottom:1px solid var(--line);padding-bottom:.2em}
code{font:0.9em ui-monospace,Menlo,Consolas,monospace}
.badge{display:inline-block;padding:.1em .55em;border-radius:1em;color:#fff;font-weight:600;font-size:.85em;white-space:nowrap}
.b-ok{background:var(--ok)}.b-skipped{background:var(--skipped)}.b-warn{background:var(--warn)}.b-error{background:var(--error)}.b-fail{background:var(--fail)}
#overview{border:2px solid var(--line);border-radius:8px;padding:10px 14px}
#overview.st-fail{border-color:var(--fail)}#overview.st-warn{border-color:var(--warn)}#overview.st-error{border-color:var(--error)}#overview.st-ok{border-color:var(--ok)}
.meta{color:var(--muted);margin:.2em 0}
.counts .badge{margin-right:.3em}
ul.findings{margin:.2em 0 .6em 1.2em;padding:0}
.hint{color:var(--muted)}
.cause{border-left:4px solid var(--fail);padding:.3em .8em;margin:.5em 0;background:#fff8f8}
.known-fix{margin-top:.2em}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:4px 6px;border-bottom:1px solid var(--line)}
th{font-size:.85em;color:var(--muted)}
td.num{text-align:right;white-space:nowrap}
td.check{white-space:nowrap}td.target{overflow-wrap:anywhere;max-width:22em}
tr.sub td{border-bottom:1px solid var(--line);padding-top:0;font-size:.92em}
.metrics{color:var(--muted);font-size:.9em}
figure{margin:.6em 0 1em;overflow-x:auto}figcaption{font-weight:600;font-size:.95em}
svg.chart{width:100%;min-width:560px;height:auto;max-width:900px;display:block;margin:.3em 0}
svg .label,svg .note,svg .legend{font:12px system-ui,sans-serif;fill:#1f2328}
svg .track{fill:#eaeef2}svg .threshold{stroke:var(--warn);stroke-width:1.5;stroke-dasharray:4 3}svg .scale{font:11px system-ui,sans-serif;fill:var(--muted)}
svg .s-failed{fill:#f0b4b4}svg .st-fail .note,svg .st-error .note{fill:var(--fail);font-weight:600}
svg .s-rtt{fill:#0969da}svg .s-ok{fill:var(--ok)}svg .s-warn{fill:#d4a72c}svg .s-fail{fill:var(--fail)}
svg .s-p0{fill:#8250df}svg .s-p1{fill:#0969da}svg .s-p2{fill:#1a7f37}svg .s-p3{fill:#d4a72c}svg .s-p4{fill:#bc4c00}
footer{color:var(--muted);font-size:.85em;margin-top:2em}
@media (max-width:600px){body{font-size:14px;padding:6px}td.time,th.time{display:none}}
@media print{body{max-width:none;padding:0;font-size:11pt}.badge{border:1px solid #000;color:#000;background:none!important}
 section,tr,svg{break-inside:avoid}h2{break-after:avoid}a{color:inherit;text-decoration:none}}
</style>
</head>
<body>
<header id="overview" class="st-{{.Status}}">
<h1><span class="badge b-{{.Status}}" id="run-status">{{word .Status}}</span> {{.Host.Hostname}}</h1>
<p class="meta">{{.Host.OS}}/{{.Host.Arch}} · started {{.Started}} · {{.Duration}}{{if .Profile}} · profile {{.Profile}}{{end}} · {{.Tool}}{{if .Interrupted}} · <strong>interrupted</strong>{{end}}</p>
<p class="counts">{{range .Counts}}<span class="badge b-{{.Status}}">{{.N}} {{.Status}}</span>{{end}}</p>
{{if .Intake}}<ul class="intake" id="intake">{{range .Intake}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{if .TellUser}}<p class="tell" id="tell-user"><strong>What to tell the user:</strong> {{.TellUser}}</p>
{{end}}<p class="summary">{{.SummaryLine}}</p>
</header>
{{if .Conclusions}}<section id="likely-cause">
<h2>Likely cause</h2>
{{range .Conclusions}}<div class="cause"><span class="badge b-{{.Status}}">{{word .Status}}</span> <strong>{{.Headline}}</strong>
{{if .NextStep}}<div>Next step: {{.NextStep}}</div>{{end}}{{if .Escalation}}<div class="hint">Who should fix it: {{owner .Escalation}} · confidence {{.Confidence}} · <code>{{.Code}}</code></div>{{end}}{{if .Evidence}}<div class="hint">Evidence: {{evidence .Evidence}}</div>{{end}}{{if .Detail}}<div class="hint seen">Seen: {{.Detail}}</div>{{end}}{{range .KnownFixes}}<div class="known-fix">Known fix: <strong>{{.ID}}</strong> — {{.Title}} (<code>{{.Where}}</code>)</div>{{end}}{{range .SolvedTickets}}<div class="solved">Solved before: {{.Line}}</div>{{end}}</div>
{{end}}</section>{{end}}
{{if or .Problems .Consequences}}<section id="problems">
<h2>Problems</h2>
<ul>{{if .Consequences}}<li class="consequences">Explained by the likely cause above (details below): {{range $i, $l := .Consequences}}{{if $i}}, {{end}}<code>{{$l}}</code>{{end}}</li>
{{end}}{{range .Problems}}<li><span class="badge b-{{.Status}}">{{word .Status}}</span> <code>{{.Label}}</code>: {{.Summary}}
{{if or .Findings .Error}}<ul class="findings">{{range .Findings}}<li><code>{{.Code}}</code> {{.Message}}{{if .Hint}} <span class="hint">Hint: {{.Hint}}</span>{{end}}{{with brief .}} <span class="hint seen">Seen: {{.}}</span>{{end}}</li>{{end}}{{if .Error}}<li>Error: {{.Error}}</li>{{end}}</ul>{{end}}</li>
{{end}}</ul>
</section>{{end}}
{{range .Groups}}<section class="category" id="cat-{{.Category}}">
<h2><span class="badge b-{{.Status}}">{{word .Status}}</span> {{.Title}}</h2>
{{range .Charts}}<figure><figcaption>{{.Title}}</figcaption>{{chart .}}</figure>{{end}}
<div class="table-wrap"><table>
<thead><tr><th>Status</th><th>Check</th><th>Target</th><th>Summary</th><th class="time">Time</th></tr></thead>
<tbody>{{range .Results}}<tr class="result st-{{.Status}}"><td><span class="badge b-{{.Status}}">{{word .Status}}</span></td><td class="check"><code>{{.Check}}</code></td><td class="target">{{.Target}}</td><td>{{.Summary}}</td><td class="num time">{{.Duration}}</td></tr>
{{if or .Findings .Error .Metrics}}<tr class="sub"><td></td><td colspan="4">{{if .Findings}}<ul class="findings">{{range .Findings}}<li><span class="badge b-{{.Status}}">{{mark .Status}}</span> <code>{{.Code}}</code> {{.Message}}{{if .Hint}} <span class="hint">Hint: {{.Hint}}</span>{{end}}{{with brief .}} <span class="hint seen">Seen: {{.}}</span>{{end}}</li>{{end}}</ul>{{end}}{{if .Error}}<div>Error: {{.Error}}</div>{{end}}{{if .Metrics}}<div class="metrics">{{range $i, $m := .Metrics}}{{if $i}} · {{end}}{{$m.Name}} {{$m.Value}}{{end}}</div>{{end}}</td></tr>{{end}}
{{end}}</tbody></table></div>
</section>
{{end}}{{with .Handoff}}<section id="handoff">
<h2>Hand-off</h2>
<ul>{{range .Lines}}<li>{{.}}</li>{{end}}</ul>
</section>{{end}}
<footer>Written by {{.Tool}}. This page is self-contained: it loads nothing and runs no scripts.</footer>
</body>
</html>
`
