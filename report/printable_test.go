package report

import (
	"bytes"
	"strings"
	"testing"
)

func TestPrintable(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain text, ✓ é 中 — ok", "plain text, ✓ é 中 — ok"},
		{"two\nlines\tand a tab", "two\nlines\tand a tab"},
		{"clear \x1b[2J screen", `clear \x1b[2J screen`},
		{"title \x1b]0;pwned\x07", `title \x1b]0;pwned\x07`},
		{"over\rwrite", `over\x0dwrite`},
		{"back\bspace and \x7f", `back\x08space and \x7f`},
		{"8-bit CSI \u009b31m", `8-bit CSI \u009b31m`},
		{"bidi \u202eevil\u202c \u2066x\u2069", `bidi \u202eevil\u202c \u2066x\u2069`},
		{"raw byte \x9b31m", `raw byte \x9b31m`},
	} {
		if got := Printable(tc.in); got != tc.want {
			t.Errorf("Printable(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := PrintableLine("a\nb\tc\u2028d\x1b"); got != `a b c d\x1b` {
		t.Errorf("PrintableLine = %q", got)
	}
}

// TestHumanRenderersArePrintable: every string of a report from a hostile
// peer or bundle (summary, finding, hint, evidence, details and their keys,
// conclusion, host) reaches text, Markdown, HTML and diff only as escapes,
// and the report itself is left untouched.
func TestHumanRenderersArePrintable(t *testing.T) {
	evil := "\x1b]0;pwned\x07\x1b[2J\u009b\u202e"
	rep := sampleReport()
	rep.Host.Hostname = "ws" + evil
	rep.Results[0].Summary = "answered 200 OK" + evil
	rep.Results[0].Status = StatusFail
	rep.Results[0].Findings = append(rep.Results[0].Findings, Finding{Code: "net.x", Status: StatusFail, Message: "m" + evil, Hint: "h" + evil,
		Evidence: map[string]any{"issuer" + evil: []any{"CN=" + evil}}})
	rep.Results[0].SetDetail("proxy", "p"+evil)
	rep.Conclusions = append(rep.Conclusions, Conclusion{Code: "cause.x", Status: StatusFail, Headline: "c" + evil, NextStep: "n" + evil})
	rep.Finish()
	before := rep.Results[0].Summary
	other := sampleReport()
	renders := map[string]func(*bytes.Buffer) error{
		"text":     func(b *bytes.Buffer) error { return RenderText(b, rep, RenderOptions{Verbose: true}) },
		"markdown": func(b *bytes.Buffer) error { return RenderMarkdown(b, rep, RenderOptions{Verbose: true}) },
		"html":     func(b *bytes.Buffer) error { return RenderHTML(b, rep, RenderOptions{Verbose: true}) },
		"diff": func(b *bytes.Buffer) error {
			return RenderDiffText(b, DiffReports(other, rep, nil, nil, DiffOptions{}))
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
