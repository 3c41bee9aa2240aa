package kb

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/l2diag/l2diag/report"
)

func loadTestdata(t *testing.T) *Base {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), LoadTimeout)
	defer cancel()
	return Load(ctx, []string{"testdata/kb"})
}

// wrongAnswer is a run whose DNS server answers a name wrongly.
func wrongAnswer(osName, server string) *report.Report {
	rep := &report.Report{
		Host: report.Host{Hostname: "ws042", OS: osName, Arch: "amd64"},
		Results: []report.Result{{
			Check: "dns-resolve", Category: "dns", Target: "intranet.example.com", Status: report.StatusFail,
			Findings: []report.Finding{{Code: "dns.unexpected-answer", Status: report.StatusFail,
				Evidence: map[string]any{"server": server, "answers": []any{"10.99.0.5"}, "matching_servers": float64(0)}}},
		}, {
			Check: "dns-config", Category: "dns", Status: report.StatusOK,
		}, {
			Check: "host-disks", Category: "host", Status: report.StatusOK,
		}},
		Conclusions: []report.Conclusion{{
			Code: "cause.dns-wrong-answer", Status: report.StatusFail, Headline: "intranet.example.com resolves wrongly",
			Escalation: "resolve-here", Evidence: []string{"dns.unexpected-answer (dns-resolve intranet.example.com)"},
		}},
	}
	rep.Finish()
	return rep
}

func ids(fs []report.KnownFix) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.ID
	}
	return out
}

func TestLoadKeepsGoodEntriesAndReportsBadOnes(t *testing.T) {
	b := loadTestdata(t)
	var got []string
	for _, e := range b.Entries {
		got = append(got, e.ID)
	}
	want := []string{"KB-DNS-001", "KB-DNS-002", "KB-DNS-003", "KB-DNS-007", "KB-NET-010", "KB-NET-DRAFT"}
	if !slices.Equal(got, want) {
		t.Errorf("entries: got %v, want %v", got, want)
	}
	wantProblems := map[string]string{
		"KB-DNS-DUP.md":  "id KB-DNS-001 is already used by " + filepath.Join("testdata", "kb", "dns", "KB-DNS-001.md"),
		"broken-yaml.md": "did not find expected",
		"unknown-key.md": `line 5: unknown key "cause"`,
	}
	if len(b.Problems) != len(wantProblems) {
		t.Errorf("problems: got %d (%v), want %d", len(b.Problems), b.Problems, len(wantProblems))
	}
	for _, p := range b.Problems {
		file := filepath.Base(p.Source)
		want, ok := wantProblems[file]
		if !ok {
			t.Errorf("unexpected problem %s", p)
			continue
		}
		if !strings.Contains(p.String(), want) {
			t.Errorf("problem of %s: got %q, want it to contain %q", file, p, want)
		}
	}
}

func TestApplyRanksBySpecificity(t *testing.T) {
	b := loadTestdata(t)
	tests := []struct {
		name, os, server string
		want             []string
		wantScore        int
	}{
		// Cause+finding+evidence+os beats the generic entries; the two
		// generic ones with the same conditions follow by ID.
		{"windows on the VPN's server", "windows", "10.8.0.1:53", []string{"KB-DNS-007", "KB-DNS-001", "KB-DNS-003"}, 10},
		{"windows elsewhere", "windows", "192.168.1.1:53", []string{"KB-DNS-001", "KB-DNS-003"}, 4},
		{"linux", "linux", "10.8.0.1:53", []string{"KB-DNS-002", "KB-DNS-001", "KB-DNS-003"}, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := wrongAnswer(tt.os, tt.server)
			b.Apply(rep)
			got := rep.Conclusions[0].KnownFixes
			if !slices.Equal(ids(got), tt.want) {
				t.Fatalf("got %v, want %v", ids(got), tt.want)
			}
			if got[0].Score != tt.wantScore {
				t.Errorf("score of %s: got %d, want %d", got[0].ID, got[0].Score, tt.wantScore)
			}
		})
	}
}

func TestApplyDeterministic(t *testing.T) {
	b := loadTestdata(t)
	first := wrongAnswer("windows", "10.8.0.1:53")
	b.Apply(first)
	for range 20 {
		rep := wrongAnswer("windows", "10.8.0.1:53")
		b.Apply(rep)
		if !slices.Equal(ids(rep.Conclusions[0].KnownFixes), ids(first.Conclusions[0].KnownFixes)) {
			t.Fatalf("got %v, then %v", ids(first.Conclusions[0].KnownFixes), ids(rep.Conclusions[0].KnownFixes))
		}
	}
}

func TestApplyNoMatchAndNoHandoffHere(t *testing.T) {
	b := loadTestdata(t)
	rep := wrongAnswer("windows", "10.8.0.1:53")
	rep.Conclusions[0].Code = "cause.disk-full"
	b.Apply(rep)
	if n := len(rep.Conclusions[0].KnownFixes); n != 0 {
		t.Errorf("got %d known fixes for a cause no entry names", n)
	}
	if rep.Handoff != nil {
		t.Errorf("resolve-here conclusion got a hand-off: %+v", rep.Handoff)
	}
}

func TestExplainSaysWhy(t *testing.T) {
	b := loadTestdata(t)
	rep := wrongAnswer("linux", "192.168.1.1:53")
	verdicts := b.Apply(rep)
	byID := map[string]Verdict{}
	for _, v := range verdicts {
		byID[v.Entry.ID] = v
	}
	tests := []struct {
		id      string
		matched bool
		want    []string
	}{
		{"KB-DNS-007", false, []string{"✓ cause: want cause.dns-wrong-answer", "✗ evidence server: want 10.8.*, got 192.168.1.1:53", "✗ os: want windows, got linux"}},
		{"KB-DNS-002", true, []string{"matches (score 5)", "✓ os: want linux, got linux"}},
		{"KB-NET-010", false, []string{"✗ cause: want cause.port-filtered, got cause.dns-wrong-answer"}},
		{"KB-NET-DRAFT", false, []string{"✗ status: want published, got draft"}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			v, ok := byID[tt.id]
			if !ok {
				t.Fatalf("no verdict for %s", tt.id)
			}
			if v.Matched != tt.matched {
				t.Errorf("matched: got %v, want %v", v.Matched, tt.matched)
			}
			line := v.Explain()
			for _, w := range tt.want {
				if !strings.Contains(line, w) {
					t.Errorf("explain: got %q, want it to contain %q", line, w)
				}
			}
		})
	}
}

func TestHandoffWhenOwnerIsElsewhere(t *testing.T) {
	b := loadTestdata(t)
	rep := wrongAnswer("windows", "10.8.0.1:53")
	rep.Conclusions[0].Code, rep.Conclusions[0].Escalation = "cause.port-filtered", "network"
	b.Apply(rep)
	h := rep.Handoff
	if h == nil {
		t.Fatal("no hand-off for a network-owned conclusion")
	}
	if len(h.Owners) != 1 || h.Owners[0].Owner != "network" || h.Owners[0].Cause != "cause.port-filtered" {
		t.Errorf("owners: got %+v", h.Owners)
	}
	if !slices.Equal(h.RuledOut, []string{"Host"}) {
		t.Errorf("ruled out: got %v, want [Host]", h.RuledOut)
	}
	if len(h.KnownFixes) != 1 || !strings.HasPrefix(h.KnownFixes[0], "KB-NET-010 — Branch firewall drops port 8443") {
		t.Errorf("known fixes: got %v", h.KnownFixes)
	}
	lines := strings.Join(h.Lines(), "\n")
	for _, w := range []string{"Take it: network", "Checked: DNS: 2 checks, 1 with problems; Host: 1 check", "Ruled out: Host", "Evidence: the l2diag bundle"} {
		if !strings.Contains(lines, w) {
			t.Errorf("lines: got\n%s\nwant them to contain %q", lines, w)
		}
	}
}

func TestGlob(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"10.8.*", "10.8.0.1:53", true},
		{"10.8.*", "10.80.0.1", false},
		{"10.8.?.1*", "10.8.0.1:53", true},
		{"*.corp.example", "DC1.Corp.Example", true},
		{"/srv/*", "/srv/share/x", true},
		{"a+b", "a+b", true},
		{"a+b", "aab", false},
		{"exact", "exactly", false},
	}
	for _, tt := range tests {
		t.Run(tt.pattern+" "+tt.s, func(t *testing.T) {
			if got := Glob(tt.pattern, tt.s); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"no front matter", "# just markdown\n", "f.md: line 1: no front matter"},
		{"not closed", "---\nid: X\n", "not closed"},
		{"empty", "---\n---\nbody\n", "front matter is empty"},
		{"no id", "---\ntitle: t\nmatch: {causes: [cause.dns-down]}\n---\n", "id: missing"},
		{"bad id", "---\nid: a b\ntitle: t\nmatch: {causes: [cause.dns-down]}\n---\n", `id: "a b" is not an ID`},
		{"no title", "---\nid: K\nmatch: {causes: [cause.dns-down]}\n---\n", "title: missing"},
		{"no match", "---\nid: K\ntitle: t\n---\n", "match: needs causes or findings"},
		{"bad cause", "---\nid: K\ntitle: t\nmatch: {causes: [DNS down]}\n---\n", `match.causes: "DNS down" is not a conclusion code`},
		{"cause as finding", "---\nid: K\ntitle: t\nmatch: {findings: [cause.dns-down]}\n---\n", "is not a finding code"},
		{"bad os", "---\nid: K\ntitle: t\nmatch: {causes: [cause.dns-down], os: [beos]}\n---\n", `match.os: "beos"`},
		{"empty pattern", "---\nid: K\ntitle: t\nmatch: {causes: [cause.dns-down], evidence: {server: \"\"}}\n---\n", "empty pattern"},
		{"bad status", "---\nid: K\ntitle: t\nstatus: live\nmatch: {causes: [cause.dns-down]}\n---\n", `status: "live"`},
		{"evidence map as list", "---\nid: K\ntitle: t\nmatch:\n  causes: [cause.dns-down]\n  evidence: {server: {a: b}}\n---\n", "line 6:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.text), "f.md")
			if err == nil {
				t.Fatalf("got no error, want one containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestParseAcceptsWindowsFiles(t *testing.T) {
	text := "\xef\xbb\xbf---\r\nid: KB-1\r\ntitle: t\r\nmatch:\r\n  causes: [cause.dns-down]\r\n  os: [macOS]\r\n  evidence: {server: [\"10.8.*\", \"10.9.*\"]}\r\n---\r\nFix it.\r\n"
	e, err := Parse([]byte(text), "f.md")
	if err != nil {
		t.Fatal(err)
	}
	if e.Body != "Fix it." || !slices.Equal(e.Match.OS, []string{"darwin"}) || len(e.Match.Evidence["server"]) != 2 {
		t.Errorf("got body %q, os %v, evidence %v", e.Body, e.Match.OS, e.Match.Evidence)
	}
}

func TestCheckAgainstCatalog(t *testing.T) {
	b := loadTestdata(t)
	cat := Catalog{
		Causes:   map[string]bool{"cause.dns-wrong-answer": true},
		Findings: map[string][]string{"dns.unexpected-answer": {"server", "answers"}},
	}
	got := b.Check(cat)
	want := []struct {
		file, msg string
		warning   bool
	}{
		{"KB-DNS-DUP.md", "already used", false},
		{"broken-yaml.md", "did not find expected", false},
		{"unknown-key.md", "unknown key", false},
		{"KB-DNS-003.md", "matches exactly the same cases as KB-DNS-001", true},
		{"KB-NET-010.md", "cause.port-filtered is not a cause l2diag draws", false},
		{"KB-NET-DRAFT.md", "cause.dns-wrong-answer", false}, // never: drafts may hold the marker
	}
	for _, w := range want[:5] {
		found := false
		for _, p := range got {
			if strings.HasSuffix(p.Source, w.file) && strings.Contains(p.Msg, w.msg) && p.Warning == w.warning {
				found = true
			}
		}
		if !found {
			t.Errorf("no problem %s: %s (warning %v) in %v", w.file, w.msg, w.warning, got)
		}
	}
	for _, p := range got {
		if strings.HasSuffix(p.Source, "KB-NET-DRAFT.md") || strings.HasSuffix(p.Source, "KB-DNS-007.md") {
			t.Errorf("unexpected problem %s", p)
		}
	}
	if n := Errors(got); n != 4 {
		t.Errorf("errors: got %d, want 4 in %v", n, got)
	}

	// A key the finding does not declare is an error; one that declares
	// nothing yet only warns.
	cat.Findings["dns.unexpected-answer"] = []string{"answers"}
	if !hasProblem(b.Check(cat), "KB-DNS-007.md", "match.evidence.server: no finding", false) {
		t.Error("undeclared key not reported")
	}
	cat.Findings["dns.unexpected-answer"] = nil
	if !hasProblem(b.Check(cat), "KB-DNS-007.md", "cannot be verified", true) {
		t.Error("unverifiable key not warned")
	}
}

func hasProblem(ps []Problem, file, msg string, warning bool) bool {
	for _, p := range ps {
		if strings.HasSuffix(p.Source, file) && strings.Contains(p.Msg, msg) && p.Warning == warning {
			return true
		}
	}
	return false
}

func TestDraftRoundTrip(t *testing.T) {
	rep := wrongAnswer("windows", "10.8.0.1:53")
	rep.StartedAt = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	data, err := Draft(rep, DraftOptions{Source: "case.zip"})
	if err != nil {
		t.Fatal(err)
	}
	e, err := Parse(data, "draft.md")
	if err != nil {
		t.Fatalf("the draft does not parse: %v\n%s", err, data)
	}
	if e.ID != "KB-DNS-WRONG-ANSWER" || e.Status != StatusDraft || !slices.Equal(e.Match.Causes, []string{"cause.dns-wrong-answer"}) ||
		!slices.Equal(e.Match.Findings, []string{"dns.unexpected-answer"}) || !slices.Equal(e.Match.OS, []string{"windows"}) {
		t.Errorf("got %+v", e)
	}
	for _, w := range []string{`#    server: 10.8.0.1:53`, draftMarker, "Drafted from case.zip (2026-11-02, windows/amd64"} {
		if !strings.Contains(string(data), w) {
			t.Errorf("draft lacks %q:\n%s", w, data)
		}
	}
	// Published as is, kb check refuses the placeholder.
	e.Status = ""
	b := &Base{Entries: []*Entry{e}}
	if !hasProblem(b.Check(Catalog{Causes: map[string]bool{"cause.dns-wrong-answer": true}, Findings: map[string][]string{"dns.unexpected-answer": nil}}), "draft.md", "draft placeholder", false) {
		t.Error("a published draft passes kb check")
	}
	if _, err := Draft(rep, DraftOptions{Cause: "cause.disk-full"}); err == nil || !strings.Contains(err.Error(), "it has cause.dns-wrong-answer") {
		t.Errorf("unknown cause: got %v", err)
	}
}

func TestPaths(t *testing.T) {
	abs, _ := filepath.Abs("abs-kb")
	got := Paths([]string{"kb", abs}, "base", "share-kb"+string(filepath.ListSeparator)+abs)
	want := []string{filepath.Join("base", "kb"), abs, "share-kb"}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// watch's verdict cites events, not findings: its entries match on the
// verdict's code and the report's problem findings.
func TestWatchVerdictMatches(t *testing.T) {
	e, err := Parse([]byte("---\nid: KB-WAN-002\ntitle: Branch line drops at night\nmatch:\n  causes: [watch.intermittent]\n  findings: [watch.outage]\n---\nCall the provider.\n"), "w.md")
	if err != nil {
		t.Fatal(err)
	}
	rep := &report.Report{Host: report.Host{OS: "linux"}, Results: []report.Result{
		{Check: "watch-ping", Category: "net", Target: "10.0.0.1", Status: report.StatusFail,
			Findings: []report.Finding{{Code: "watch.outage", Status: report.StatusFail, Evidence: map[string]any{"outages": 2}}}},
	}, Conclusions: []report.Conclusion{{Code: "watch.intermittent", Status: report.StatusFail, Escalation: "network",
		Evidence: []string{"outage gateway 2026-11-29T02:00:00Z"}}}}
	rep.Finish()
	(&Base{Entries: []*Entry{e}}).Apply(rep)
	if f := rep.Conclusions[0].KnownFixes; len(f) != 1 || f[0].Score != weightCause+weightFinding {
		t.Errorf("known fixes = %+v", f)
	}
}
