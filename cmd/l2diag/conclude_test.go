package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/diag/triage"
	"github.com/l2diag/l2diag/report/render"

	netcheck "github.com/l2diag/l2diag/diag/net"
	"github.com/l2diag/l2diag/report"
)

func TestExplainConclusionCodes(t *testing.T) {
	tests := []struct {
		name     string
		code     string
		wantExit int
		want     []string
	}{
		{"conclusion", "cause.gateway-down", 0, []string{"cause.gateway-down (conclusion, fail; layer: gateway; owner: network)", "Who should fix it: the network team.", "Usual causes:", "What to do:", "Why triage draws it:"}},
		{"finding still explained", "net.tcp-filtered", 0, []string{"net.tcp-filtered (fail)", "What to do:"}},
		{"unknown conclusion", "cause.nope", ExitUsage, []string{`"cause.nope"`, "cause.dns-down"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, "explain", tt.code)
			if r.code != tt.wantExit {
				t.Fatalf("exit %d, want %d\nstdout:%s\nstderr:%s", r.code, tt.wantExit, r.stdout, r.stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.stdout+r.stderr, w) {
					t.Errorf("output lacks %q:\n%s%s", w, r.stdout, r.stderr)
				}
			}
		})
	}
}

// A report with a dead gateway gets its conclusion through the hook; the
// conclusion validates against the schema and leads the human reports.
func TestConclusionsInReport(t *testing.T) {
	res := report.Result{Check: "net-ping", Category: "net", Target: "10.0.0.1", Summary: "The gateway 10.0.0.1 did not answer."}
	res.SetDetail("roles", []string{"gateway"})
	res.AddFinding(netcheck.FindingGatewayDown.Finding("The gateway 10.0.0.1 did not answer.", nil))
	other := report.Result{Check: "net-tcp", Category: "net", Target: "10.9.9.9:443", Summary: "No answer."}
	other.AddFinding(netcheck.FindingTCPFiltered.Finding("No answer.", nil))
	rep := &report.Report{Tool: report.Tool{Name: "l2diag", Version: "test"}, Host: report.Host{Hostname: "h", OS: "linux", Arch: "amd64"},
		Results: []report.Result{res, other}}
	rep.Finish()
	rep.Conclusions = triage.Conclude(rep)
	if len(rep.Conclusions) != 1 || rep.Conclusions[0].Code != "cause.gateway-down" {
		t.Fatalf("conclusions = %+v, want one cause.gateway-down", rep.Conclusions)
	}
	data, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	validateReport(t, data)
	for _, format := range []render.Format{render.FormatText, render.FormatMarkdown} {
		var b bytes.Buffer
		if err := render.Render(&b, rep, format, render.Options{}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		head := strings.Index(out, rep.Conclusions[0].Headline)
		if head < 0 || head > strings.Index(out, "10.9.9.9:443") {
			t.Errorf("%s: the conclusion must lead the report:\n%s", format, out)
		}
	}
}

// explain works offline for 1st level: it lists codes without an argument,
// searches with a word, and honours --output json.
func TestExplainListsSearchesAndJSON(t *testing.T) {
	r := runCLI(t, "explain")
	if r.code != 0 || !strings.Contains(r.stdout, "Likely causes") || !strings.Contains(r.stdout, "cause.gateway-down") ||
		!strings.Contains(r.stdout, "net.tcp-filtered") || strings.Contains(r.stdout, "docs/") {
		t.Errorf("explain without a code: exit %d\n%s", r.code, r.stdout)
	}
	r = runCLI(t, "explain", "certificate")
	if r.code != 0 || !strings.Contains(r.stdout, `codes match "certificate"`) || !strings.Contains(r.stdout, "cause.cert-expired") {
		t.Errorf("explain certificate: exit %d\n%s", r.code, r.stdout)
	}
	r = runCLI(t, "explain", "--output", "json", "cause.gateway-down")
	var e codeEntry
	if err := json.Unmarshal([]byte(r.stdout), &e); err != nil || e.Code != "cause.gateway-down" || e.OwnerLabel != "the network team" || e.WhatToDo == "" {
		t.Errorf("explain -o json: %v %+v\n%s", err, e, r.stdout)
	}
	r = runCLI(t, "explain", "--output", "json", "dns")
	var list []codeEntry
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil || len(list) < 10 {
		t.Errorf("explain -o json dns: %v, %d entries", err, len(list))
	}
	r = runCLI(t, "run", "-output", "markdown")
	if r.code != ExitUsage || !strings.Contains(r.stderr, "did you mean --output?") {
		t.Errorf("a single-dash long flag: exit %d, %s", r.code, r.stderr)
	}
}
