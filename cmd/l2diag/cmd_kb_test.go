package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/report"
)

// testKB is the knowledge base of the kb package's tests: matching,
// non-matching, conflicting, draft and malformed entries.
// runCLI changes directory, so the path is absolute.
var testKB = func() string {
	p, err := filepath.Abs(filepath.Join("..", "..", "kb", "testdata", "kb"))
	if err != nil {
		panic(err)
	}
	return p
}()

// wrongAnswerBundle writes the bundle of a case where a VPN's DNS server
// (10.8.0.1) answers an intranet name wrongly on Windows.
func wrongAnswerBundle(t *testing.T, dir string) string {
	t.Helper()
	return writeTestBundle(t, dir, "case.zip", func(rep *report.Report, _ map[string]any) {
		rep.Host.OS = "windows"
		rep.Results = append(rep.Results, report.Result{Check: "dns-resolve", Category: "dns", Target: "intranet.example.com", Status: report.StatusFail,
			Summary: "wrong answer", Findings: []report.Finding{{Code: "dns.unexpected-answer", Status: report.StatusFail, Message: "10.8.0.1 answers wrongly",
				Hint: "flush", Evidence: map[string]any{"server": "10.8.0.1:53", "server_source": "system"}}}})
		rep.Conclusions = []report.Conclusion{{Code: "cause.dns-wrong-answer", Status: report.StatusFail, Headline: "intranet.example.com resolves to the wrong address",
			Confidence: "high", NextStep: "Fix the DNS server the VPN left behind.", Escalation: "dns",
			Evidence: []string{"dns.unexpected-answer (dns-resolve intranet.example.com)"}}}
	})
}

func TestBundleShowMatchesKnownFixes(t *testing.T) {
	t.Setenv("L2DIAG_KB", testKB)
	path := wrongAnswerBundle(t, t.TempDir())

	r := runCLI(t, "bundle", "show", path)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	fix := "known fix: KB-DNS-007 — VPN client leaves its DNS server behind after disconnect"
	i := strings.Index(r.stdout, fix)
	if i < 0 || i < strings.Index(r.stdout, "intranet.example.com resolves to the wrong address") || i > strings.Index(r.stdout, "\nNetwork\n") {
		t.Errorf("the best known fix is not right under the conclusion:\n%s", r.stdout)
	}
	if !strings.Contains(r.stdout, "Hand-off\n  Take it: dns — intranet.example.com resolves") {
		t.Errorf("no hand-off for a dns-owned cause:\n%s", r.stdout)
	}
	// The malformed entries are reported, the others still match.
	for _, w := range []string{"kb: skipped", "broken-yaml.md", "l2diag kb check"} {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
		}
	}

	r = runCLI(t, "bundle", "show", path, "-v")
	for _, w := range []string{
		"kb: KB-DNS-007 matches (score 10) cause.dns-wrong-answer",
		"kb: KB-DNS-002 does not match cause.dns-wrong-answer: ✓ cause: want cause.dns-wrong-answer, got cause.dns-wrong-answer; ✗ os: want linux, got windows",
	} {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("-v does not explain %q:\n%s", w, r.stderr)
		}
	}

	r = runCLI(t, "bundle", "show", path, "-o", "json")
	validateReport(t, []byte(r.stdout))
	rep, err := report.Decode([]byte(r.stdout))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, f := range rep.Conclusions[0].KnownFixes {
		ids = append(ids, f.ID)
	}
	if got := strings.Join(ids, ","); got != "KB-DNS-007,KB-DNS-001,KB-DNS-003" {
		t.Errorf("known_fixes = %s", got)
	}
	if rep.Handoff == nil || rep.Handoff.Owners[0].Owner != "dns" || len(rep.Handoff.KnownFixes) != 3 {
		t.Errorf("handoff = %+v", rep.Handoff)
	}

	for _, format := range []string{"markdown"} {
		r = runCLI(t, "bundle", "show", path, "-o", format)
		if !strings.Contains(r.stdout, "**Known fix:** KB-DNS-007") || !strings.Contains(r.stdout, "### Hand-off") {
			t.Errorf("%s lacks the known fix or the hand-off:\n%s", format, r.stdout)
		}
	}
}

func TestKBCheck(t *testing.T) {
	clean := t.TempDir()
	writeEntry(t, clean, "KB-1.md", "---\nid: KB-1\ntitle: Gateway down\nmatch:\n  causes: [cause.gateway-down]\n---\nCall the network team.\n")
	warnOnly := t.TempDir()
	writeEntry(t, warnOnly, "KB-1.md", "---\nid: KB-1\ntitle: a\nmatch: {causes: [cause.gateway-down]}\n---\nfix\n")
	writeEntry(t, warnOnly, "KB-2.md", "---\nid: KB-2\ntitle: b\nmatch: {causes: [cause.gateway-down]}\n---\nfix\n")
	unknown := t.TempDir()
	writeEntry(t, unknown, "KB-1.md", "---\nid: KB-1\ntitle: a\nmatch: {causes: [cause.gateway-gone], findings: [net.nope]}\n---\nfix\n")

	tests := []struct {
		name     string
		args     []string
		wantExit int
		want     []string
	}{
		{"clean", []string{clean}, 0, []string{"1 entries usable, 0 errors, 0 warnings"}},
		{"errors", []string{testKB}, ExitFail, []string{"error: ", "KB-DNS-DUP.md: id KB-DNS-001 is already used", `unknown key "cause"`, "warning: ", "3 errors"}},
		{"unknown codes", []string{unknown}, ExitFail, []string{"cause.gateway-gone is not a cause l2diag draws", "net.nope is not a finding code"}},
		{"warnings pass", []string{warnOnly}, 0, []string{"matches exactly the same cases as KB-1"}},
		{"warnings fail with --strict", []string{"--strict", warnOnly}, ExitFail, []string{"0 errors, 1 warnings"}},
		{"missing folder", []string{filepath.Join(clean, "nope")}, ExitUsage, []string{"nope"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, append([]string{"kb", "check"}, tt.args...)...)
			if r.code != tt.wantExit {
				t.Fatalf("exit %d, want %d\n%s%s", r.code, tt.wantExit, r.stdout, r.stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.stdout+r.stderr, w) {
					t.Errorf("output lacks %q:\n%s%s", w, r.stdout, r.stderr)
				}
			}
		})
	}

	r := runCLI(t, "kb", "check", testKB, "-o", "json")
	var out struct {
		Entries, Errors, Warnings int
		Problems                  []struct{ Source, Message, Severity string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("kb check -o json: %v\n%s", err, r.stdout)
	}
	if r.code != ExitFail || out.Entries != 6 || out.Errors != 3 || len(out.Problems) != out.Errors+out.Warnings {
		t.Errorf("exit %d, %+v", r.code, out)
	}
}

func writeEntry(t *testing.T, dir, name, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestKBListShowAndConfig(t *testing.T) {
	t.Setenv("L2DIAG_KB", "")
	if r := runCLI(t, "kb", "list"); r.code != ExitUsage || !strings.Contains(r.stderr, "no knowledge base configured") {
		t.Errorf("no KB: exit %d, %s", r.code, r.stderr)
	}

	// kb.paths in a profile, relative to the profile's folder.
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "kb"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeEntry(t, filepath.Join(dir, "kb"), "KB-9.md", "---\nid: KB-9\ntitle: Disk full\nlink: https://wiki.example.com/KB-9\nmatch: {causes: [cause.disk-full], os: [linux]}\n---\nClean /var/log.\n")
	prof := filepath.Join(dir, "team.yaml")
	if err := os.WriteFile(prof, []byte("name: team\nkb:\n  paths: [kb]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "kb", "list", "--profile", prof)
	if r.code != 0 || !strings.Contains(r.stdout, "KB-9") || !strings.Contains(r.stdout, "cause.disk-full@linux") {
		t.Errorf("list: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, "kb", "show", "kb-9", "--profile", prof)
	if r.code != 0 || !strings.Contains(r.stdout, "KB-9 — Disk full\n") || !strings.Contains(r.stdout, "link: https://wiki.example.com/KB-9") || !strings.Contains(r.stdout, "Clean /var/log.") {
		t.Errorf("show: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runCLI(t, "kb", "show", "KB-404", "--profile", prof); r.code != ExitUsage || !strings.Contains(r.stderr, `no entry "KB-404"`) {
		t.Errorf("unknown ID: exit %d, %s", r.code, r.stderr)
	}
	t.Setenv("L2DIAG_KB", testKB)
	r = runCLI(t, "kb", "list", "-o", "json")
	var list []struct{ ID, Status string }
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil || len(list) != 6 || list[5].Status != "draft" {
		t.Errorf("list -o json: %v %+v", err, list)
	}
}

func TestKBNewDraftsFromBundle(t *testing.T) {
	dir := t.TempDir()
	path := wrongAnswerBundle(t, dir)
	r := runCLI(t, "kb", "new", "--from", path)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, w := range []string{"id: KB-DNS-WRONG-ANSWER", "status: draft", "causes: [cause.dns-wrong-answer]", "findings: [dns.unexpected-answer]", "os: [windows]", `#    server: 10.8.0.1:53`, "TODO(kb)", "Drafted from case.zip"} {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("draft lacks %q:\n%s", w, r.stdout)
		}
	}
	out := t.TempDir()
	if r := runCLI(t, "kb", "new", "--from", path, "--id", "KB-DNS-012", "--out", out); r.code != 0 {
		t.Fatalf("--out: exit %d: %s", r.code, r.stderr)
	}
	// The draft is valid but not matched, and check accepts it.
	if r := runCLI(t, "kb", "check", out); r.code != 0 || !strings.Contains(r.stdout, "1 entries usable, 0 errors") {
		t.Errorf("check of the draft: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runCLI(t, "kb", "new", "--from", path, "--id", "KB-DNS-012", "--out", out); r.code != ExitUsage || !strings.Contains(r.stderr, "exists") {
		t.Errorf("overwrite: exit %d, %s", r.code, r.stderr)
	}
	healthy := writeTestBundle(t, dir, "healthy.zip", nil)
	if r := runCLI(t, "kb", "new", "--from", healthy); r.code != ExitUsage || !strings.Contains(r.stderr, "no conclusion") {
		t.Errorf("healthy bundle: exit %d, %s", r.code, r.stderr)
	}
	if r := runCLI(t, "kb", "new"); r.code != ExitUsage || !strings.Contains(r.stderr, "--from") {
		t.Errorf("no --from: exit %d, %s", r.code, r.stderr)
	}
}

// A run matches its own conclusions: the fix is under the likely cause, the
// JSON records it, and -v says why (through the output filter).
func TestRunShowsKnownFixes(t *testing.T) {
	kbDir := t.TempDir()
	writeEntry(t, kbDir, "KB-PERM-003.md", "---\nid: KB-PERM-003\ntitle: Share moved to the new file server\nmatch:\n  causes: [cause.path-missing]\n  findings: [perm.path-missing]\n---\nMap \\\\fs2\\share instead.\n")
	writeEntry(t, kbDir, "KB-NET-001.md", "---\nid: KB-NET-001\ntitle: Gateway down\nmatch: {causes: [cause.gateway-down]}\n---\nCall the network team.\n")
	writeEntry(t, kbDir, "bad.md", "---\nid: KB-BAD\n---\n")
	t.Setenv("L2DIAG_KB", kbDir)

	r := runCLI(t, missingPathRun(t, "--no-bundle", "-v")...)
	if r.code != ExitFail {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "known fix: KB-PERM-003 — Share moved to the new file server ("+filepath.Join(kbDir, "KB-PERM-003.md")+")") {
		t.Errorf("stdout lacks the known fix:\n%s", r.stdout)
	}
	for _, w := range []string{"kb: skipped " + filepath.Join(kbDir, "bad.md"), "kb: KB-PERM-003 matches (score 7) cause.path-missing",
		"kb: KB-NET-001 does not match cause.path-missing: ✗ cause: want cause.gateway-down"} {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
		}
	}
	r = runCLI(t, missingPathRun(t, "--no-bundle", "-o", "json")...)
	validateReport(t, []byte(r.stdout))
	rep, err := report.Decode([]byte(r.stdout))
	if err != nil {
		t.Fatal(err)
	}
	if f := rep.Conclusions[0].KnownFixes; len(f) != 1 || f[0].ID != "KB-PERM-003" || f[0].Score != 7 {
		t.Errorf("known_fixes = %+v", f)
	}
}

// TestKBRuns: the knowledge base comes from the factory's L2DIAG_KB; data
// on stdout, the skipped files on stderr, on a terminal as in a pipe.
func TestKBRuns(t *testing.T) {
	forTerminalAndPipe(t, func(t *testing.T, tf *testFactory) {
		ctx := context.Background()
		kbo := &kbOptions{Getenv: tf.Getenv}
		err := kbListRun(ctx, &KBListOptions{IO: tf.IO, KB: kbo})
		var ue *UsageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), "kb: no knowledge base configured") {
			t.Fatalf("without L2DIAG_KB: %v, want the usage error", err)
		}
		tf.Vars["L2DIAG_KB"] = testKB
		if err := kbListRun(ctx, &KBListOptions{IO: tf.IO, KB: kbo}); err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, line := range strings.Split(strings.TrimSpace(tf.Out.String()), "\n") {
			ids = append(ids, strings.Fields(line)[0])
		}
		if got, want := strings.Join(ids, ","), "KB-DNS-001,KB-DNS-002,KB-DNS-003,KB-DNS-007,KB-NET-010,KB-NET-DRAFT"; got != want {
			t.Errorf("kb list: %s, want %s", got, want)
		}
		if n := strings.Count(tf.ErrOut.String(), "l2diag: kb: skipped "); n != 3 {
			t.Errorf("stderr names %d skipped files, want 3:\n%s", n, tf.ErrOut.String())
		}

		tf.Out.Reset()
		if err := kbShowRun(ctx, &KBShowOptions{IO: tf.IO, KB: kbo, ID: "KB-NET-010"}); err != nil {
			t.Fatal(err)
		}
		if first, _, _ := strings.Cut(tf.Out.String(), "\n"); first != "KB-NET-010 — Branch firewall drops port 8443" {
			t.Errorf("kb show: %q", first)
		}
		err = kbShowRun(ctx, &KBShowOptions{IO: tf.IO, KB: kbo, ID: "KB-NOPE"})
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), `kb: no entry "KB-NOPE"`) || !strings.Contains(err.Error(), "(3 file(s) could not be read") {
			t.Errorf("kb show of an unknown ID: %v", err)
		}

		tf.Out.Reset()
		err = kbCheckRun(ctx, &KBCheckOptions{IO: tf.IO, KB: kbo})
		var ee *ExitError
		if !errors.As(err, &ee) || ee.Code != ExitFail {
			t.Errorf("kb check: %v, want exit %d", err, ExitFail)
		}
		if !strings.HasSuffix(tf.Out.String(), "\n6 entries usable, 3 errors, 2 warnings\n") {
			t.Errorf("kb check:\n%s", tf.Out.String())
		}
	})
}
