package watch

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// timelineFixture is a 60 s watch of a gateway and a server with one
// outage of both (10 s) and a lost probe of the server alone.
func timelineFixture() (*Result, string) {
	start := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	targets := []*Target{{ID: 0, Name: "gateway 10.0.0.1", Probe: ProbePing, Method: "icmp", Role: RoleGateway},
		{ID: 1, Name: "ping <srv>", Probe: ProbePing, Method: "icmp", Role: RoleTarget}}
	var csv strings.Builder
	csv.WriteString("# l2diag watch samples v1\n")
	for s := range 60 {
		for id := range 2 {
			rtt := int64(400 + 100*id)
			if s >= 20 && s < 30 || id == 1 && s == 45 {
				rtt = -1
			}
			csv.WriteString(itoa(id) + "," + itoa(s*1000) + "," + strings.TrimSpace(itoa(int(rtt))) + "\n")
		}
	}
	end := start.Add(30 * time.Second)
	d := int64(10000)
	ev := []*Event{{ID: 1, Target: "gateway 10.0.0.1", Kind: KindOutage, Start: start.Add(20 * time.Second), End: &end, DurationMS: &d, Detail: "no answer"},
		{ID: 2, Target: "ping <srv>", Kind: KindOutage, Start: start.Add(20 * time.Second), End: &end, DurationMS: &d, Detail: "no answer"}}
	res := &Result{Start: start, Duration: time.Minute, Targets: targets, Events: ev,
		Stats: []TargetStats{{Samples: 60, Lost: 10, Outages: 1}, {Samples: 60, Lost: 11, Outages: 1}}}
	res.Summary = Summarize(res)
	return res, csv.String()
}

func TestTimelineInChromium(t *testing.T) {
	bin := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		t.Skip("chromium not installed (.ci/run installs Debian's chromium)")
	}
	res, csv := timelineFixture()
	var page bytes.Buffer
	if err := RenderTimeline(&page, res, strings.NewReader(csv)); err != nil {
		t.Fatal(err)
	}
	html := page.String()
	if strings.Contains(html, "<srv>") {
		t.Errorf("a target name reaches the page unescaped")
	}
	path := filepath.Join(t.TempDir(), "timeline.html")
	if err := os.WriteFile(path, page.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir="+t.TempDir(), "--dump-dom", "file://"+path)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	dom := string(out)
	// The parsed page keeps both charts, the outage band over 20 s to 30 s
	// of a 60 s axis (x = 333.3 to 500 of 1000), the lost probes marked,
	// and the summary placing the fault at the gateway.
	for _, want := range []string{`class="ev outage" x="333.3`, `class="lost"`, "the gateway stopped answering too", "ping &lt;srv&gt;", "60 probes, 10 lost", "1 of 1 probes lost"} {
		if !strings.Contains(dom, want) && !strings.Contains(dom, strings.ReplaceAll(want, `"`, "&quot;")) {
			t.Errorf("rendered page lacks %q", want)
		}
	}
	if strings.Count(dom, "<svg") != 4 {
		t.Errorf("%d svg elements, want 2 charts with their time axes", strings.Count(dom, "<svg"))
	}
}
