//go:build linux

package wintier

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/l2diag/l2diag/diag/internal/lab"
)

// TestFullRun: a run of every category on a healthy lab network. The
// report validates against docs/report-schema.json, every check ran
// (none errored, panicked or ran out of time: wine supplies or is known
// to lack each API, and a lack is a skip with its reason), the network
// and DNS checks find nothing wrong, and the exit code is the status's.
// The host's own state (disk, CPU) is the test machine's, so host results
// are not judged here.
func TestFullRun(t *testing.T) {
	tr := newTier(t)
	tr.serveHTTP(t, intraIP+":80", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "intranet") })
	rep, res := tr.run(t, lab.WineExe(t, true), "--tcp", dnsGood+":53", "--http", "http://intranet.corp.example/",
		"--dns-name", "intranet.corp.example", "--ping", serverIP)

	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(res.Stdout))
	if err == nil {
		err = schema(t, "report-schema.json").Validate(inst)
	}
	if err != nil {
		t.Errorf("the report does not validate against docs/report-schema.json: %v", err)
	}
	if want := map[string]int{"ok": 0, "skipped": 0, "warn": 1, "fail": 2, "error": 3}[string(rep.Status)]; res.ExitCode != want {
		t.Errorf("exit %d for status %s, want %d", res.ExitCode, rep.Status, want)
	}
	var cats []string
	for _, r := range rep.Results {
		cat, _, _ := strings.Cut(r.Check, "-")
		if !slices.Contains(cats, cat) {
			cats = append(cats, cat)
		}
		// check.timeout, check.panic and the budget's cut are errors too.
		if r.Status == "error" {
			t.Errorf("%s %s: %s %v %s", r.Check, r.Target, r.Status, codes(r), r.Error)
		}
		if (cat == "net" || cat == "dns") && r.Status != "ok" {
			t.Errorf("%s %s on a healthy network: %s %s %v", r.Check, r.Target, r.Status, r.Summary, codes(r))
		}
	}
	for _, c := range []string{"net", "dns", "host", "perm", "org"} {
		if !slices.Contains(cats, c) {
			t.Errorf("no %s check in the full run: %v", c, cats)
		}
	}
	for _, c := range rep.Conclusions {
		if strings.Contains(c.Code, "dns") || strings.Contains(c.Code, "network") || strings.Contains(c.Code, "gateway") {
			t.Errorf("conclusion %s (%s) on a healthy network", c.Code, c.Headline)
		}
	}
}
