package report

import (
	"html/template"
	"io"
)

var htmlTmpl = template.Must(template.New("r").Parse(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>l2diag {{.Host.Hostname}}</title></head><body><h1>{{.Status}}</h1></body></html>`))

// RenderHTML writes the self-contained HTML report.
func RenderHTML(w io.Writer, rep *Report, opt RenderOptions) error {
	return htmlTmpl.Execute(w, rep)
}
