package render_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/report/diff"
	"github.com/l2diag/l2diag/report/internal/sample"
	"github.com/l2diag/l2diag/report/render"
)

// TestHumanRenderersArePrintable: every string of a report from a hostile
// peer or bundle (summary, finding, hint, evidence, details and their keys,
// conclusion, host) reaches text, Markdown, HTML and diff only as escapes,
// and the report itself is left untouched.
func TestHumanRenderersArePrintable(t *testing.T) {
	evil := "\x1b]0;pwned\x07\x1b[2J\u009b\u202e"
	rep := sample.Report()
	rep.Host.Hostname = "ws" + evil
	rep.Results[0].Summary = "answered 200 OK" + evil
	rep.Results[0].Status = report.StatusFail
	rep.Results[0].Findings = append(rep.Results[0].Findings, report.Finding{Code: "net.x", Status: report.StatusFail, Message: "m" + evil, Hint: "h" + evil,
		Evidence: map[string]any{"issuer" + evil: []any{"CN=" + evil}}})
	rep.Results[0].SetDetail("proxy", "p"+evil)
	rep.Conclusions = append(rep.Conclusions, report.Conclusion{Code: "cause.x", Status: report.StatusFail, Headline: "c" + evil, NextStep: "n" + evil})
	rep.Finish()
	before := rep.Results[0].Summary
	other := sample.Report()
	renders := map[string]func(*bytes.Buffer) error{
		"text":     func(b *bytes.Buffer) error { return render.Text(b, rep, render.Options{Verbose: true}) },
		"markdown": func(b *bytes.Buffer) error { return render.Markdown(b, rep, render.Options{Verbose: true}) },
		"html":     func(b *bytes.Buffer) error { return render.HTML(b, rep, render.Options{Verbose: true}) },
		"diff": func(b *bytes.Buffer) error {
			return diff.RenderText(b, diff.Reports(other, rep, nil, nil, diff.Options{}))
		},
	}
	for name, render := range renders {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := render(&buf); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			for _, bad := range []string{"\x1b", "\x07", "\u009b", "\u202e"} {
				if strings.Contains(out, bad) {
					t.Errorf("%s output carries %q raw", name, bad)
				}
			}
			if !strings.Contains(strings.ReplaceAll(out, `\[`, "["), `x1b[2J`) {
				t.Errorf("%s output does not show the escape:\n%s", name, out)
			}
		})
	}
	if rep.Results[0].Summary != before {
		t.Errorf("rendering changed the report: %q", rep.Results[0].Summary)
	}
}
