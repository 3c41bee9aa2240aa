package diff

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/report/internal/sample"
)

// TestDiffOfTwoHealthyRuns: two runs of the same healthy machine differ
// only in timings, TTLs and retry counts; the diff says "No differences"
// instead of printing a multi-megabyte query log as one line. A real
// change in the same log is one short line naming the query.
func TestDiffOfTwoHealthyRuns(t *testing.T) {
	a, b := sample.LargeRun(300, 1), sample.LargeRun(300, 2)
	d := Reports(a.Report, b.Report, a.Facts, b.Facts, Options{})
	if !d.Empty() {
		var buf bytes.Buffer
		_ = RenderText(&buf, d)
		t.Fatalf("two healthy runs differ:\n%.2000s", buf.String())
	}

	// One answer changed, one server dropped from a list.
	c := sample.LargeRun(300, 3)
	qs := c.Facts["dns_queries"].(map[string]any)["queries"].([]map[string]any)
	for _, q := range qs {
		if q["name"] == "host0042.corp.example.com" && q["type"] == "A" && q["server"] == "10.0.0.54:53" {
			q["answer"].([]map[string]any)[0]["data"] = "192.0.2.66"
		}
	}
	c.Facts["dns_servers"] = []string{"10.0.0.53:53"}
	d = Reports(a.Report, c.Report, a.Facts, c.Facts, Options{})
	var got []string
	for _, ch := range d.Config {
		got = append(got, ch.Key+": "+ch.From+" > "+ch.To)
	}
	want := []string{
		`dns_queries.queries[10.0.0.54:53 host0042.corp.example.com A udp].answer: [{"data":"10.20.0.43","name":"host0042.corp.example.com.","type":"A"}] > [{"data":"192.0.2.66","name":"host0042.corp.example.com.","type":"A"}]`,
		`dns_servers: ["10.0.0.53:53","10.0.0.54:53"] > ["10.0.0.53:53"]`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("config changes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(d.Metrics) != 0 {
		t.Errorf("metric jitter reported: %+v", d.Metrics)
	}
}

// TestDiffLongValues: a long value that changed is clipped, and the text
// shows a bounded number of changes per fact.
func TestDiffLongValues(t *testing.T) {
	long := strings.Repeat("x", 10000)
	fa := map[string]any{"blob": map[string]any{"v": long}}
	fb := map[string]any{"blob": map[string]any{"v": long + "y"}}
	list := func(n int, prefix string) []any {
		var l []any
		for i := range n {
			l = append(l, map[string]any{"name": prefix + strings.Repeat("n", 20) + string(rune('a'+i%26)) + string(rune('a'+i/26))})
		}
		return l
	}
	fa["many"], fb["many"] = list(100, "a"), list(100, "b")
	rep := sample.Report()
	d := Reports(rep, rep, fa, fb, Options{})
	for _, c := range d.Config {
		if len(c.From) > 400 || len(c.To) > 400 {
			t.Errorf("%s: values of %d and %d bytes, want them clipped", c.Key, len(c.From), len(c.To))
		}
	}
	var buf bytes.Buffer
	if err := RenderText(&buf, d); err != nil {
		t.Fatal(err)
	}
	lines := strings.Count(buf.String(), "\n")
	if lines > 40 || !strings.Contains(buf.String(), "more changes in many") {
		t.Errorf("diff text has %d lines, want a bounded list with a pointer to the JSON:\n%s", lines, buf.String())
	}
	if data, _ := json.Marshal(d); len(data) > 200000 {
		t.Errorf("JSON diff is %d bytes", len(data))
	}
}

func TestMetricUnitAnywhereInName(t *testing.T) {
	for _, tc := range []struct {
		name     string
		from, to float64
		want     bool
	}{
		{"rtt_ms_max", 1.4, 5.1, false},
		{"rtt_ms_max", 40, 120, true},
		{"loss_pct_max", 0, 3, false},
		{"loss_pct_max", 0, 30, true},
	} {
		if got := metricMoved(tc.name, tc.from, tc.to, DefaultRelThreshold); got != tc.want {
			t.Errorf("metricMoved(%s, %v, %v) = %v, want %v", tc.name, tc.from, tc.to, got, tc.want)
		}
	}
}
