package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/report"
)

// TestRenderTextASCII: with ASCII set, the text report has no byte a
// legacy code page would garble, and the marks are words.
func TestRenderTextASCII(t *testing.T) {
	rep := &report.Report{
		Host: report.Host{Hostname: "büro-pc", OS: "windows", Arch: "amd64"},
		Results: []report.Result{
			{Check: "dns-server", Category: "dns", Target: "10.0.0.53", Status: report.StatusOK, Summary: "Answers over UDP (1.0 ms) and TCP (2.0 ms), NOERROR."},
			{Check: "net-tcp", Category: "net", Target: "intranet:443", Status: report.StatusFail, Summary: "Refused…",
				Findings: []report.Finding{{Code: "net.tcp-refused", Status: report.StatusFail, Message: "10.0.0.5:443 refused — nothing listens."}}},
			{Check: "host-clock", Category: "host", Status: report.StatusWarn, Summary: "Offset 2 s.",
				Findings: []report.Finding{{Code: "host.clock-offset", Status: report.StatusWarn, Message: "Offset 2 s ± 1 ms."}}},
		},
	}
	for _, ascii := range []bool{false, true} {
		var b bytes.Buffer
		if err := Text(&b, rep, Options{ASCII: ascii, Verbose: true}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		nonASCII := strings.IndexFunc(out, func(r rune) bool { return r > 0x7e })
		switch {
		case ascii && nonASCII >= 0:
			t.Errorf("ASCII output has %q at %d:\n%s", out[nonASCII:min(nonASCII+8, len(out))], nonASCII, out)
		case ascii && (!strings.Contains(out, "[ok] dns-server") || !strings.Contains(out, "[FAIL] net-tcp") || !strings.Contains(out, "[warn] host-clock")):
			t.Errorf("ASCII output lacks the word marks:\n%s", out)
		case !ascii && !strings.Contains(out, "✓ dns-server"):
			t.Errorf("UTF-8 output lost its marks:\n%s", out)
		}
	}
}
