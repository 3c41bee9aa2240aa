//go:build linux

package wintier

import (
	"bufio"
	"encoding/json"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// watchProfile probes quickly so an outage shows within a second.
const watchProfile = labProfile + `watch:
  snapshot: [dns]
  timeout: 500ms
  system: 1s
`

// watchCtrlC runs a JSON watch of the gateway (ICMP: wine's IcmpSendEcho
// works for root) and a dropped address until the dropped one's outage
// has begun, then ends it with Ctrl-C. Every line must validate against
// docs/watch-schema.json; the outage is an event and the end's verdict;
// Ctrl-C is the watch's normal end: exit 2 for the outage, not 130, and
// the bundle with the timeline is written.
func watchCtrlC(t *testing.T, tr *tier, exe string) {
	prof := tr.profile(t, "watch.yaml", watchProfile)
	bundle := filepath.Join(tr.dir, "watch.zip")
	p := startUnderWine(t, tr, `"kind":"outage"`, exe, "watch", "--profile", prof, "-o", "json",
		"--interval", "200ms", "--ping", dropped, "--bundle", bundle)
	res := ctrlC(t, p)
	if res.ExitCode != 2 {
		t.Errorf("watch exit %d after Ctrl-C with an outage, want 2 (Ctrl-C ends a watch normally)\nstderr:\n%s", res.ExitCode, res.Stderr)
	}
	sch := schema(t, "watch-schema.json")
	var outage, end bool
	sc := bufio.NewScanner(strings.NewReader(res.Stdout))
	for sc.Scan() {
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(sc.Text()))
		if err == nil {
			err = sch.Validate(inst)
		}
		if err != nil {
			t.Errorf("line does not validate against docs/watch-schema.json: %v\n%s", err, sc.Text())
		}
		var rec struct {
			Type, Target, Kind string
			Outages            int
		}
		_ = json.Unmarshal(sc.Bytes(), &rec)
		switch {
		case rec.Type == "event-start" && rec.Kind == "outage" && rec.Target == "ping "+dropped:
			outage = true
		case rec.Type == "event-start" && rec.Kind == "outage":
			t.Errorf("an outage of %s, which answers throughout: %s", rec.Target, sc.Text())
		case rec.Type == "end":
			end = rec.Outages >= 1
		}
	}
	if !outage || !end {
		t.Errorf("want the dropped address's outage as an event (got %v) and in the end line (got %v):\n%s", outage, end, res.Stdout)
	}
	files := zipFiles(t, bundle)
	for _, f := range []string{"report.json", "raw/watch/samples.csv", "raw/watch/events.json", "raw/watch/timeline.html"} {
		if _, ok := files[f]; !ok {
			t.Errorf("the watch bundle has no %s", f)
		}
	}
}

// schema compiles one of docs/'s JSON schemas.
func schema(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	sch, err := c.Compile(filepath.Join(filepath.Dir(file), "..", "..", "..", "docs", name))
	if err != nil {
		t.Fatalf("compile docs/%s: %v", name, err)
	}
	return sch
}
