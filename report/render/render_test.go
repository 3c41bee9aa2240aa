package render

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/report/internal/sample"
)

var update = flag.Bool("update", false, "rewrite the renderers' golden files in testdata/golden")

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report -run %s -update)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./report -run %s -update to accept):\n--- got\n%s", path, t.Name(), got)
	}
}

func TestRenderersGolden(t *testing.T) {
	empty := &report.Report{Tool: report.Tool{Name: "l2diag", Version: "1.2.3"}, Host: report.Host{Hostname: "h", OS: "linux", Arch: "arm64"}}
	empty.Finish()
	interrupted := sample.Report()
	interrupted.Interrupted = true
	interrupted.Results[3].Status = report.StatusError
	interrupted.Results[3].Error = "dns: query ad.corp.example.com at 10.20.0.53: i/o timeout"
	interrupted.Results[0].Summary = "label with <html> & `ticks` | pipes *stars*"
	interrupted.Finish()
	reports := map[string]*report.Report{"sample": sample.Report(), "empty": empty, "odd": interrupted}
	for name, rep := range reports {
		for _, tc := range []struct {
			suffix string
			f      Format
			opt    Options
		}{
			{"txt", FormatText, Options{}},
			{"color.txt", FormatText, Options{Color: true}},
			{"verbose.txt", FormatText, Options{Verbose: true}},
			{"md", FormatMarkdown, Options{}},
			{"json", FormatJSON, Options{}},
			{"html", "html", Options{}},
		} {
			t.Run(name+"."+tc.suffix, func(t *testing.T) {
				var b bytes.Buffer
				var err error
				if tc.f == "html" {
					err = HTML(&b, rep, tc.opt)
				} else {
					err = Render(&b, rep, tc.f, tc.opt)
				}
				if err != nil {
					t.Fatal(err)
				}
				golden(t, name+"."+tc.suffix, b.Bytes())
			})
		}
	}
}

func TestHTMLSelfContainedAndEscaped(t *testing.T) {
	rep := sample.Report()
	rep.Results[0].Summary = `<script>alert(1)</script>`
	var b bytes.Buffer
	if err := HTML(&b, rep, Options{}); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	for _, bad := range []string{"<script", "src=", "href=\"http", "@import", "url("} {
		if strings.Contains(html, bad) {
			t.Errorf("report.html contains %q: not self-contained or not escaped", bad)
		}
	}
	for _, want := range []string{`id="overview"`, `id="likely-cause"`, `id="problems"`, `id="cat-net"`, `id="chart-rtt"`, `id="chart-http-phases"`, `id="chart-usage"`, "&lt;script&gt;"} {
		if !strings.Contains(html, want) {
			t.Errorf("report.html lacks %s", want)
		}
	}
}

func TestChartsFromMetrics(t *testing.T) {
	v := NewView(sample.Report(), Options{})
	got := map[string]int{}
	for _, g := range v.Groups {
		for _, c := range g.Charts {
			got[g.Category+"/"+c.ID] = len(c.Rows)
		}
	}
	want := map[string]int{"net/rtt": 2, "net/http-phases": 1, "host/usage": 1}
	if len(got) != len(want) {
		t.Errorf("charts = %v, want %v", got, want)
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("chart %s has %d rows, want %d", k, got[k], n)
		}
	}
}
