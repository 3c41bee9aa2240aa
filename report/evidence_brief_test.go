package report

import (
	"bytes"
	"strings"
	"testing"
)

func TestEvidenceBrief(t *testing.T) {
	tests := []struct {
		name string
		ev   map[string]any
		want string
	}{
		{"certificate", map[string]any{"issuer": "CN=Corp CA", "sans": []string{"a.lab", "b.lab"}, "not_after": "2024-01-01T00:00:00Z", "subject": "CN=a.lab"},
			"issuer CN=Corp CA; names a.lab, b.lab; expires 2024-01-01T00:00:00Z"},
		{"certificate read from JSON", map[string]any{"sans": []any{"a", "b", "c", "d", "e", "f", "g"}}, "names a, b, c, d, e and 2 more"},
		{"trace: the path, not the last hop twice", map[string]any{"path": "10.0.0.1 > 10.9.0.1", "last_hop": "10.9.0.1", "note": "network unreachable"},
			"path 10.0.0.1 > 10.9.0.1; reports network unreachable"},
		{"trace without a path", map[string]any{"last_hop": "10.9.0.1"}, "last hop 10.9.0.1"},
		{"each server's answer", map[string]any{"answers": map[string]any{"10.0.0.54": "A 10.0.1.10", "10.0.0.53": "A 10.0.1.99"}},
			"answers 10.0.0.53: A 10.0.1.99 | 10.0.0.54: A 10.0.1.10"},
		{"no proxy is nothing to show", map[string]any{"proxy": "none"}, ""},
		{"nothing a hint refers to", map[string]any{"rtt_ms": 3}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := EvidenceBrief(Finding{Evidence: tt.ev}); got != tt.want {
				t.Errorf("EvidenceBrief = %q, want %q", got, tt.want)
			}
		})
	}
	long := EvidenceBrief(Finding{Evidence: map[string]any{"path": strings.Repeat("10.0.0.1 > ", 40)}})
	if n := len([]rune(long)); n > briefRunes {
		t.Errorf("brief of %d runes, want at most %d", n, briefRunes)
	}
}

// Every human format shows the evidence a hint refers to, one line.
func TestRenderShowsEvidenceBrief(t *testing.T) {
	rep := sampleReport()
	r := Result{Check: "net-http", Category: "net", Target: "https://old.lab/", Summary: "expired"}
	r.AddFinding(Finding{Code: "net.tls-expired", Status: StatusFail, Message: "expired", Hint: "the expiry date is in the evidence",
		Evidence: map[string]any{"issuer": "CN=Lab CA", "not_after": "2024-01-01T00:00:00Z"}})
	rep.Results = append(rep.Results, r)
	rep.Conclusions = []Conclusion{{Code: "cause.cert-expired", Status: StatusFail, Headline: "The certificate of old.lab has expired.", Detail: "issuer CN=Lab CA; expires 2024-01-01T00:00:00Z"}}
	rep.Finish()
	for name, render := range map[string]func(*bytes.Buffer) error{
		"text":     func(b *bytes.Buffer) error { return RenderText(b, rep, RenderOptions{}) },
		"markdown": func(b *bytes.Buffer) error { return RenderMarkdown(b, rep, RenderOptions{}) },
		"html":     func(b *bytes.Buffer) error { return RenderHTML(b, rep, RenderOptions{}) },
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
