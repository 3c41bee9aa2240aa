package fleet

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/report/bundle"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// writeBundle writes a real bundle (bundle.Write) for a synthetic
// host: its DNS server and gateway in raw/facts.json, its subnet in the
// net-interfaces details, and the given conclusions.
func writeBundle(t testing.TB, dir, name, dns, gw, cidr string, causes ...string) string {
	t.Helper()
	rep := &report.Report{Tool: report.Tool{Name: "l2diag", Version: "test"}, Profile: "default",
		Host:      report.Host{Hostname: name + ".corp.test", OS: "linux", Arch: "amd64"},
		StartedAt: time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)}
	ifs := report.Result{Check: "net-interfaces", Category: "net", Status: report.StatusOK}
	ifs.SetDetail("interfaces", []any{
		map[string]any{"name": "lo", "up": true, "loopback": true, "ipv4": []any{"127.0.0.1/8"}},
		map[string]any{"name": "eth0", "up": true, "loopback": false, "ipv4": []any{cidr}, "ipv6": []any{"fe80::1/64"}},
	})
	sys := report.Result{Check: "host-system", Category: "host", Status: report.StatusOK}
	sys.SetDetail("platform", "debian")
	sys.SetDetail("platform_version", "12.11")
	dnsRes := report.Result{Check: "dns-server", Category: "dns", Target: dns, Status: report.StatusOK}
	for _, c := range causes {
		dnsRes.Status = report.StatusFail
		rep.Conclusions = append(rep.Conclusions, report.Conclusion{Code: c, Status: report.StatusFail,
			Headline: "No DNS server answers (" + dns + ")", Confidence: "high", Escalation: "dns"})
	}
	rep.Results = []report.Result{ifs, sys, dnsRes}
	rep.Finish()
	p := filepath.Join(dir, name+".zip")
	in := &bundle.Input{Report: rep, EndedAt: rep.StartedAt.Add(time.Second),
		Facts: map[string]any{"dns_servers": []string{dns + ":53"}, "gateways": []string{gw}, "proxy": ""}}
	if _, err := bundle.Write(p, in, bundle.Options{}); err != nil {
		t.Fatalf("write bundle: %v", err)
	}
	return p
}

// tamper rewrites a bundle with report.json changed but the manifest kept.
func tamper(t *testing.T, src, dst string) {
	t.Helper()
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name == bundle.BundleReportJSON {
			data = bytes.Replace(data, []byte(`"profile": "default"`), []byte(`"profile": "forged"`), 1)
		}
		w, _ := zw.Create(f.Name)
		_, _ = w.Write(data)
	}
	_ = zw.Close()
	if err := os.WriteFile(dst, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestLoadRealBundles(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"a1", "a2", "a3"} {
		writeBundle(t, filepath.Join(dir), n, "10.10.1.53", "10.10.1.1", "10.10.1.20/24", "cause.dns-down")
	}
	for _, n := range []string{"b1", "b2"} {
		writeBundle(t, dir, n, "10.20.1.53", "10.20.1.1", "10.20.1.20/24")
	}
	good := writeBundle(t, t.TempDir(), "b3", "10.20.1.53", "10.20.1.1", "10.20.1.21/24")
	tamper(t, good, filepath.Join(dir, "b3.zip"))
	if err := os.WriteFile(filepath.Join(dir, "junk.zip"), []byte("PK not really"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A subfolder per host, as the Ansible role fetches them.
	sub := filepath.Join(dir, "c1")
	if err := os.Mkdir(sub, 0o700); err != nil {
		t.Fatal(err)
	}
	writeBundle(t, sub, "c1", "10.20.1.53", "10.20.1.1", "10.20.1.22/24")

	paths, err := Gather([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 8 {
		t.Fatalf("gathered %d bundles, want 8: %v", len(paths), paths)
	}
	rep := Correlate(Load(paths), "INC0012345", time.Unix(0, 0))
	if rep.Counts != (Counts{Bundles: 8, OK: 3, Affected: 3, Tampered: 1, Unreadable: 1}) {
		t.Errorf("counts = %+v", rep.Counts)
	}
	c := findCause(t, rep, "cause.dns-down")
	if got := strings.Join(c.Hosts, ","); got != "a1.corp.test,a2.corp.test,a3.corp.test" || c.Of != 6 {
		t.Errorf("cause hosts = %s of %d", got, c.Of)
	}
	if len(c.Shared) == 0 || c.Shared[0].Attribute != AttrDNSServer || c.Shared[0].Value != "10.10.1.53" || c.Shared[0].Others != 0 {
		t.Errorf("shared = %+v, want DNS server 10.10.1.53 first, no other host", c.Shared)
	}
	for _, sh := range c.Shared {
		if sh.Attribute == AttrOS || sh.Attribute == AttrDomain || sh.Attribute == AttrOSVersion {
			t.Errorf("%s is shared by healthy hosts too, listed anyway: %+v", sh.Attribute, sh)
		}
		if sh.Attribute == AttrSubnet && sh.Value != "10.10.1.0/24" {
			t.Errorf("subnet = %s, want the masked network", sh.Value)
		}
	}
	var text bytes.Buffer
	if err := RenderText(&text, rep); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"3 of 6 hosts", "DNS server 10.10.1.53 (3 of 3 affected, 0 of 3 others)", "tampered", "unreadable"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text report lacks %q:\n%s", want, text.String())
		}
	}
	validateSchema(t, rep)
}

func validateSchema(t *testing.T, rep *Report) {
	t.Helper()
	var buf bytes.Buffer
	if err := RenderJSON(&buf, rep); err != nil {
		t.Fatal(err)
	}
	_, file, _, _ := runtime.Caller(0)
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	sch, err := c.Compile(filepath.Join(filepath.Dir(file), "..", "..", "docs", "fleet-schema.json"))
	if err != nil {
		t.Fatalf("compile schema: %v", err)
	}
	inst, err := jsonschema.UnmarshalJSON(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("fleet report does not validate: %v", err)
	}
}

func TestHostileTextNeverReachesTheTerminal(t *testing.T) {
	h := host("evil\x1b]0;pwned\x07", seg("d", "g", "s"), "cause.dns-down")
	h.Causes[0].Headline = "bad\x1b[2Jthing\r"
	rep := Correlate([]Host{h}, "INC\x1b[31m", time.Unix(0, 0))
	for name, render := range map[string]func(io.Writer, *Report) error{
		"text": RenderText, "markdown": RenderMarkdown, "html": RenderHTML,
	} {
		var buf bytes.Buffer
		if err := render(&buf, rep); err != nil {
			t.Fatal(err)
		}
		if strings.ContainsAny(buf.String(), "\x1b\x07\r") {
			t.Errorf("%s output carries control characters: %q", name, buf.String())
		}
	}
}

// BenchmarkFleet1000 correlates 1,000 real bundles (docs/performance.md).
func BenchmarkFleet1000(b *testing.B) {
	dir := b.TempDir()
	for i := range 1000 {
		seg := "10.10.1"
		var causes []string
		if i%4 == 0 {
			seg, causes = "10.10.2", []string{"cause.dns-down"}
		}
		writeBundle(b, dir, fmt.Sprintf("h%04d", i), seg+".53", seg+".1", seg+".20/24", causes...)
	}
	paths, err := Gather([]string{dir})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		rep := Correlate(Load(paths), "", time.Now())
		if rep.Counts.Affected != 250 {
			b.Fatalf("affected = %d", rep.Counts.Affected)
		}
	}
}
