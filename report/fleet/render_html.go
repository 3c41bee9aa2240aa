package fleet

import (
	"html/template"
	"io"

	"github.com/l2diag/l2diag/report"
)

// RenderHTML writes a self-contained HTML page: the lead sentence, causes
// with the hosts and what they share, outliers, bad bundles and the host ×
// target heat map. html/template escapes every value from the bundles.
func RenderHTML(w io.Writer, rep *Report) error {
	type cell struct{ Class, Mark, Title string }
	type row struct {
		Host  string
		Cells []cell
	}
	var rows []row
	for _, h := range rep.Hosts {
		if !h.usable() {
			continue
		}
		r := row{Host: clean(h.Name)}
		for _, t := range rep.Targets {
			st, ok := h.Targets[t]
			c := cell{Class: "none", Mark: "·", Title: clean(h.Name) + " → " + clean(t) + ": not probed"}
			if ok {
				c = cell{Class: string(st), Mark: cellMark(h.Targets, t), Title: clean(h.Name) + " → " + clean(t) + ": " + string(st)}
			}
			r.Cells = append(r.Cells, c)
		}
		rows = append(rows, r)
	}
	targets := make([]string, len(rep.Targets))
	for i, t := range rep.Targets {
		targets[i] = clean(t)
	}
	data := struct {
		R       *Report
		Lead    string
		Counts  string
		Rows    []row
		Targets []string
		Bad     []Host
	}{rep, rep.Lead(), countsLine(rep.Counts), rows, targets, badHosts(rep)}
	return htmlTmpl.Execute(w, data)
}

var htmlTmpl = template.Must(template.New("fleet").Funcs(template.FuncMap{
	"clean":   clean,
	"shared":  sharedLine,
	"outlier": outlierText,
	"list":    func(xs []string) string { return clean(listN(xs, 200)) },
	"nhosts":  func(xs []string) int { return len(xs) },
	"fail":    func(s report.Status) bool { return s == report.StatusFail },
}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>l2diag fleet report{{if .R.Incident}} — {{clean .R.Incident}}{{end}}</title>
<style>
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5rem;color:#1d1d1f;max-width:75rem}
h1{font-size:1.4rem;margin:0 0 .3rem}h2{font-size:1.1rem;margin:1.6rem 0 .5rem}
.lead{font-size:1.1rem;font-weight:600;padding:.7rem 1rem;background:#fff4e5;border-left:4px solid #d9822b;margin:.8rem 0}
.muted{color:#666}.cause{margin:.6rem 0;padding:.5rem .8rem;border:1px solid #ddd;border-radius:6px}
.cause.fail{border-left:4px solid #c0392b}.cause code{font-size:.85rem}
.wrap{overflow-x:auto}table.heat{border-collapse:collapse;font-size:.8rem}
.heat th,.heat td{border:1px solid #ccc;padding:2px 4px;text-align:center}
.heat th.t{writing-mode:vertical-rl;transform:rotate(180deg);max-height:14rem;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;font-weight:normal}
.heat th.h{text-align:left;white-space:nowrap}
td.ok{background:#d4edda}td.warn{background:#fff3cd}td.fail{background:#f5b7b1;font-weight:bold}td.error{background:#e2e3e5}td.none,td.skipped{background:#fff;color:#aaa}
@media print{.wrap{overflow:visible}}
</style></head><body>
<h1>Fleet report{{if .R.Incident}} for {{clean .R.Incident}}{{end}}</h1>
<div class="muted">{{.Counts}} · generated {{.R.GeneratedAt.Format "2006-01-02 15:04 UTC"}}</div>
<div class="lead">{{.Lead}}</div>
{{if .R.Causes}}<h2>Causes across hosts</h2>
{{range .R.Causes}}<div class="cause{{if fail .Status}} fail{{end}}"><strong>{{clean .Headline}}</strong> <code>{{.Code}}</code> — {{nhosts .Hosts}} of {{.Of}} hosts (owner: {{.Owner}})
<div class="muted">hosts: {{list .Hosts}}</div><div>{{shared .}}</div></div>
{{end}}{{end}}
{{if .R.Outliers}}<h2>Outliers</h2><ul>{{range .R.Outliers}}<li><strong>{{clean .Host}}</strong>: {{outlier .}}</li>{{end}}</ul>{{end}}
{{if .Bad}}<h2>Bundles not counted or suspicious</h2><ul>{{range .Bad}}<li><strong>{{clean .Name}}</strong> ({{clean .Bundle}}): {{.State}} — {{clean .Problem}}</li>{{end}}</ul>{{end}}
{{if .Targets}}<h2>Reachability</h2><div class="wrap"><table class="heat"><thead><tr><th class="h">host</th>{{range .Targets}}<th class="t" title="{{.}}">{{.}}</th>{{end}}</tr></thead>
<tbody>{{range .Rows}}<tr><th class="h">{{.Host}}</th>{{range .Cells}}<td class="{{.Class}}" title="{{.Title}}">{{.Mark}}</td>{{end}}</tr>{{end}}</tbody></table></div>{{end}}
</body></html>
`))
