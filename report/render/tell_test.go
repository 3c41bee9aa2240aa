package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/report/internal/sample"
)

// The sentence for the user leads every human format: before the likely
// cause and before any result.
func TestRenderTellUserLeads(t *testing.T) {
	rep := sample.Report()
	rep.TellUser = "The cause is in the network, not this computer (packet loss); the network team has to fix it."
	rep.Conclusions = []report.Conclusion{{Code: "cause.packet-loss", Status: report.StatusWarn, Headline: "Packet loss beyond the gateway.", Confidence: "medium", NextStep: "x", Escalation: "network", Evidence: []string{"net.ping-loss (net-ping x)"}}}
	renderers := map[string]func(*bytes.Buffer) error{
		"text":     func(b *bytes.Buffer) error { return Text(b, rep, Options{}) },
		"markdown": func(b *bytes.Buffer) error { return Markdown(b, rep, Options{}) },
		"html":     func(b *bytes.Buffer) error { return HTML(b, rep, Options{}) },
	}
	for name, render := range renderers {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := render(&b); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			tell := strings.Index(out, "What to tell the user")
			if tell < 0 || !strings.Contains(out, "the network team has to fix it") {
				t.Fatalf("no sentence for the user in:\n%s", out)
			}
			for _, later := range []string{"Likely cause", rep.Results[0].Target} {
				if i := strings.Index(out, later); i >= 0 && i < tell {
					t.Errorf("%q comes before the sentence for the user", later)
				}
			}
		})
	}
	rep.TellUser = ""
	var b bytes.Buffer
	if err := Render(&b, rep, FormatText, Options{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "What to tell the user") {
		t.Error("an old report without the sentence must not show an empty line for it")
	}
}
