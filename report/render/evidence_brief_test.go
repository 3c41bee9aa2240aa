package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/report/internal/sample"
)

// Every human format shows the evidence a hint refers to, one line.
func TestRenderShowsEvidenceBrief(t *testing.T) {
	rep := sample.Report()
	r := report.Result{Check: "net-http", Category: "net", Target: "https://old.lab/", Summary: "expired"}
	r.AddFinding(report.Finding{Code: "net.tls-expired", Status: report.StatusFail, Message: "expired", Hint: "the expiry date is in the evidence",
		Evidence: map[string]any{"issuer": "CN=Lab CA", "not_after": "2024-01-01T00:00:00Z"}})
	rep.Results = append(rep.Results, r)
	rep.Conclusions = []report.Conclusion{{Code: "cause.cert-expired", Status: report.StatusFail, Headline: "The certificate of old.lab has expired.", Detail: "issuer CN=Lab CA; expires 2024-01-01T00:00:00Z"}}
	rep.Finish()
	for name, render := range map[string]func(*bytes.Buffer) error{
		"text":     func(b *bytes.Buffer) error { return Text(b, rep, Options{}) },
		"markdown": func(b *bytes.Buffer) error { return Markdown(b, rep, Options{}) },
		"html":     func(b *bytes.Buffer) error { return HTML(b, rep, Options{}) },
	} {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := render(&b); err != nil {
				t.Fatal(err)
			}
			if n := strings.Count(b.String(), "expires 2024-01-01T00:00:00Z"); n < 2 {
				t.Errorf("the expiry shows %d times, want under the conclusion and the finding:\n%s", n, b.String())
			}
		})
	}
}
