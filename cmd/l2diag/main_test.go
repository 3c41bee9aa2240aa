package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/report/redact"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

type cliResult struct {
	code           int
	stdout, stderr string
}

// runCLI runs the CLI in-process in a temporary working directory, as
// through a pipe (no terminal).
func runCLI(t *testing.T, args ...string) cliResult {
	t.Helper()
	t.Chdir(t.TempDir())
	var out, errOut bytes.Buffer
	ios := &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
	code := Main(args, ios)
	return cliResult{code: code, stdout: out.String(), stderr: errOut.String()}
}

func TestBadInputIsUsageError(t *testing.T) {
	dir := t.TempDir()
	badProfile := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(badProfile, []byte("name: mine\ntimeout: 30s\nconcurency: 4\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	badValue := filepath.Join(dir, "badvalue.yaml")
	if err := os.WriteFile(badValue, []byte("name: mine\ncheck_timeout: soon\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	badRange := filepath.Join(dir, "badrange.yaml")
	if err := os.WriteFile(badRange, []byte("name: mine\n\nconcurrency: 0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	longTimeout := filepath.Join(dir, "longtimeout.yaml")
	if err := os.WriteFile(longTimeout, []byte("name: mine\ntimeout: 2h\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	hugeDuration := filepath.Join(dir, "huge.yaml")
	if err := os.WriteFile(hugeDuration, []byte("name: mine\ncheck_timeout: 1000000h\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	twoDocs := filepath.Join(dir, "twodocs.yaml")
	if err := os.WriteFile(twoDocs, []byte("name: mine\n---\ntimeout: 5s\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want []string // substrings of stderr: the bad value and the accepted form
	}{
		{"only empty", []string{"run", "--only", ""}, []string{"--only", "at least one category", "net, dns, host, perm, org"}},
		{"only commas", []string{"run", "--only", ",,"}, []string{"--only", "at least one category"}},
		{"timeout beyond an hour", []string{"run", "--timeout", "1000000h"}, []string{`"1000000h"`, "1h"}},
		{"profile timeout beyond an hour", []string{"run", "--profile", longTimeout}, []string{longTimeout + ":2", "timeout", "2h0m0s", "up to 1h"}},
		{"profile duration beyond ten years", []string{"run", "--profile", hugeDuration}, []string{hugeDuration + ":2", "check_timeout", `"1000000h"`, "3650d"}},
		{"profile with a second document", []string{"run", "--profile", twoDocs}, []string{twoDocs + ":2", "second YAML document"}},
		{"tcp without port", []string{"run", "--tcp", "db.example.com"}, []string{`"db.example.com"`, "HOST:PORT"}},
		{"tcp port out of range", []string{"run", "--tcp", "db.example.com:70000"}, []string{`"70000"`, "1 to 65535"}},
		{"url without scheme", []string{"run", "--http", "intranet.example.com/x"}, []string{`"intranet.example.com/x"`, "https://"}},
		{"url ftp scheme", []string{"run", "--http", "ftp://files.example.com/"}, []string{`"ftp"`, "http:// or https://"}},
		{"host with space", []string{"run", "--ping", "bad host"}, []string{`"bad host"`, "host name"}},
		{"host empty label", []string{"run", "--ping", "a..b"}, []string{`"a..b"`}},
		{"host too long", []string{"run", "--ping", strings.Repeat("a.", 127) + "com"}, []string{"too long", "253"}},
		{"bad dns name", []string{"run", "--dns-name", "-bad-.example.com"}, []string{`"-bad-.example.com"`, "hyphen"}},
		{"bad dns name expectation", []string{"run", "--dns-name", "intranet.example.com=10.20.0.300"}, []string{`"10.20.0.300"`, "NAME=IP[,IP...]"}},
		{"dns name expectation without address", []string{"run", "--dns-name", "intranet.example.com="}, []string{`"intranet.example.com="`, "NAME=IP[,IP...]"}},
		{"bad dns server", []string{"run", "--dns-server", "10.0.0.300"}, []string{`"10.0.0.300"`, "IP:PORT"}},
		{"bad path modes", []string{"run", "--path", "rq=/tmp"}, []string{`"rq"`, "r, w, x"}},
		{"unknown category", []string{"run", "--only", "netw"}, []string{`"netw"`, "net, dns, host, perm, org"}},
		{"unknown check id", []string{"run", "--skip", "no-such-check"}, []string{`"no-such-check"`, "l2diag checks"}},
		{"malformed duration", []string{"run", "--timeout", "30"}, []string{`"30"`, "30s"}},
		{"negative duration", []string{"run", "--timeout", "-5s"}, []string{`"-5s"`, "positive"}},
		{"unknown output", []string{"run", "--output", "yaml"}, []string{`"yaml"`, "text, json or markdown"}},
		{"unknown flag", []string{"run", "--frobnicate"}, []string{"--frobnicate"}},
		{"unknown command", []string{"frobnicate"}, []string{`"frobnicate"`}},
		{"extra argument", []string{"run", "now"}, []string{`"now"`}},
		{"profile unknown key", []string{"run", "--profile", badProfile}, []string{badProfile + ":3", "concurency", "unknown key"}},
		{"profile bad value", []string{"run", "--profile", badValue}, []string{badValue + ":2", "check_timeout", `"soon"`, "500ms"}},
		{"profile out of range", []string{"run", "--profile", badRange}, []string{badRange + ":3", "concurrency", "1 to 256"}},
		{"profile missing file", []string{"run", "--profile", filepath.Join(dir, "nope.yaml")}, []string{"nope.yaml", "does not exist"}},
		{"profile unknown name", []string{"run", "--profile", "nosuchprofile"}, []string{`nosuchprofile`, "no such profile"}},
		{"explain unknown code", []string{"explain", "check.nope"}, []string{`"check.nope"`, "check.timeout"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runCLI(t, tt.args...)
			if got.code != ExitUsage {
				t.Errorf("exit = %d, want %d; stderr:\n%s", got.code, ExitUsage, got.stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(got.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, got.stderr)
				}
			}
			if got.stdout != "" {
				t.Errorf("stdout not empty on a usage error:\n%s", got.stdout)
			}
			if n := strings.Count(strings.TrimSpace(got.stderr), "\n"); n > 1 {
				t.Errorf("want one message (plus an optional hint), got %d lines:\n%s", n+1, got.stderr)
			}
			entries, _ := os.ReadDir(".")
			if len(entries) != 0 {
				t.Errorf("a usage error left files behind: %v", entries)
			}
		})
	}
}

func TestExitCodeForStatus(t *testing.T) {
	tests := []struct {
		statuses []report.Status
		want     int
	}{
		{nil, ExitOK},
		{[]report.Status{report.StatusOK, report.StatusSkipped}, ExitOK},
		{[]report.Status{report.StatusOK, report.StatusWarn}, ExitWarn},
		{[]report.Status{report.StatusWarn, report.StatusError}, ExitCheckError},
		{[]report.Status{report.StatusError, report.StatusFail, report.StatusWarn}, ExitFail},
		{[]report.Status{report.StatusFail}, ExitFail},
	}
	for _, tt := range tests {
		rep := &report.Report{}
		for _, s := range tt.statuses {
			rep.Results = append(rep.Results, report.Result{Status: s})
		}
		rep.Finish()
		if got := ExitCodeForStatus(rep.Status); got != tt.want {
			t.Errorf("statuses %v: exit %d, want %d", tt.statuses, got, tt.want)
		}
	}
}

func TestVersion(t *testing.T) {
	got := runCLI(t, "version", "--output", "json")
	if got.code != 0 {
		t.Fatalf("exit %d: %s", got.code, got.stderr)
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(got.stdout), &v); err != nil {
		t.Fatalf("version json: %v\n%s", err, got.stdout)
	}
	if v["name"] != "l2diag" || v["schema_version"] != float64(report.SchemaVersion) {
		t.Errorf("version = %v", v)
	}
}

func TestChecksListsEveryCheck(t *testing.T) {
	got := runCLI(t, "checks", "--output", "json")
	if got.code != 0 {
		t.Fatalf("exit %d: %s", got.code, got.stderr)
	}
	var rows []struct{ ID, Category, Finds string }
	if err := json.Unmarshal([]byte(got.stdout), &rows); err != nil {
		t.Fatalf("checks json: %v\n%s", err, got.stdout)
	}
	for _, r := range rows {
		if r.ID == "" || r.Category == "" || r.Finds == "" {
			t.Errorf("incomplete row %+v", r)
		}
	}
}

// schemaPath is absolute: tests change their working directory.
var schemaPath = func() string {
	p, err := filepath.Abs(filepath.Join("..", "..", "docs", "report-schema.json"))
	if err != nil {
		panic(err)
	}
	return p
}()

// validateReport validates a report.json against docs/report-schema.json.
func validateReport(t *testing.T, data []byte) {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	sch, err := c.Compile(schemaPath)
	if err != nil {
		t.Fatalf("compile schema: %v", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, data)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("report does not validate against the schema: %v\n%s", err, data)
	}
}

func TestSchemaRejectsBrokenReports(t *testing.T) {
	good := `{"schema_version":1,"tool":{"name":"l2diag","version":"dev"},"host":{"hostname":"h","os":"linux","arch":"amd64"},
"started_at":"2026-11-29T10:00:00Z","duration_ms":5,"status":"warn","summary":{"ok":0,"skipped":0,"warn":1,"error":0,"fail":0},
"results":[{"check":"net-ping","category":"net","target":"192.0.2.1","status":"warn","summary":"Loss.","findings":[{"code":"net.ping-loss","status":"warn","message":"3% loss","hint":"look","evidence":{"loss_pct":3}}],"metrics":{"loss_pct":3},"duration_ms":5,"degraded":false}]}`
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	sch, err := c.Compile(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, from, to string
		valid          bool
	}{
		{"good", "", "", true},
		{"bad status", `"status":"warn","summary":{`, `"status":"meh","summary":{`, false},
		{"camelCase metric", `"metrics":{"loss_pct":3}`, `"metrics":{"lossPct":3}`, false},
		{"string metric", `"metrics":{"loss_pct":3}`, `"metrics":{"loss_pct":"3"}`, false},
		{"bad code", `"code":"net.ping-loss"`, `"code":"PingLoss"`, false},
		{"bad time", `"started_at":"2026-11-29T10:00:00Z"`, `"started_at":"yesterday"`, false},
		{"newer schema", `"schema_version":1`, `"schema_version":2`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := strings.Replace(good, tt.from, tt.to, 1)
			inst, err := jsonschema.UnmarshalJSON(strings.NewReader(doc))
			if err != nil {
				t.Fatal(err)
			}
			err = sch.Validate(inst)
			if (err == nil) != tt.valid {
				t.Errorf("valid = %v, want %v (%v)", err == nil, tt.valid, err)
			}
		})
	}
}

func TestRunJSONValidatesAndIsPure(t *testing.T) {
	// host and perm checks only look at this machine; net and dns are
	// exercised in the namespace lab, never against the host's network.
	got := runCLI(t, "run", "--only", "host,perm", "--output", "json", "--timeout", "20s")
	if got.code == ExitUsage || got.code == ExitInterrupted {
		t.Fatalf("exit %d: %s", got.code, got.stderr)
	}
	validateReport(t, []byte(got.stdout))
	rep, err := report.Decode([]byte(got.stdout))
	if err != nil {
		t.Fatal(err)
	}
	if want := ExitCodeForStatus(rep.Status); got.code != want {
		t.Errorf("exit %d, want %d for status %s", got.code, want, rep.Status)
	}
	for _, r := range rep.Results {
		if r.Category != "host" && r.Category != "perm" {
			t.Errorf("--only host,perm reported %s/%s", r.Category, r.Check)
		}
		if r.Status.Problem() && r.Status != report.StatusError {
			for _, f := range r.Findings {
				if f.Status.Problem() && f.Hint == "" {
					t.Errorf("%s: finding %s has no hint", r.Check, f.Code)
				}
			}
		}
	}
}

func TestRenderersShowEveryProblem(t *testing.T) {
	for _, format := range []string{"text", "markdown"} {
		t.Run(format, func(t *testing.T) {
			got := runCLI(t, "run", "--only", "host,perm", "--output", format, "--timeout", "20s")
			if got.code == ExitUsage {
				t.Fatalf("exit %d: %s", got.code, got.stderr)
			}
			if !strings.Contains(got.stdout, "checks") || !strings.Contains(got.stdout, "skipped") {
				t.Errorf("no summary line:\n%s", got.stdout)
			}
			if strings.Contains(got.stdout, "\x1b[") {
				t.Errorf("colors on a pipe:\n%q", got.stdout)
			}
		})
	}
}

func TestProgressOnlyOnATerminal(t *testing.T) {
	for _, tty := range []bool{false, true} {
		t.Run(map[bool]string{false: "pipe", true: "terminal"}[tty], func(t *testing.T) {
			t.Chdir(t.TempDir())
			var out, errOut bytes.Buffer
			ios := &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, StderrTTY: tty, StdoutTTY: false}
			code := Main([]string{"run", "--only", "perm", "--output", "json", "--timeout", "20s"}, ios)
			if code == ExitUsage {
				t.Fatalf("exit %d: %s", code, errOut.String())
			}
			if _, err := report.Decode(out.Bytes()); err != nil {
				t.Fatalf("stdout is not the JSON report: %v\n%s", err, out.String())
			}
			gotProgress := strings.Contains(errOut.String(), "checks done")
			if gotProgress != tty {
				t.Errorf("progress on stderr = %v, want %v:\n%q", gotProgress, tty, errOut.String())
			}
		})
	}
}

// TestTicketSecretFromFileNeverReachesTheBundle seeds the Jira token, read
// from a token file (so no environment variable names it), into a target
// that the report repeats; neither stdout nor the bundle may carry it.
func TestTicketSecretFromFileNeverReachesTheBundle(t *testing.T) {
	const token = "plainlookingvalue42"
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "jira-token")
	if err := os.WriteFile(tokenFile, []byte(token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_CONFIG_HOME", dir) // no ticket config file: the token file alone
	t.Setenv("L2DIAG_JIRA_TOKEN_FILE", tokenFile)
	bundle := filepath.Join(dir, "b.zip")
	got := runCLI(t, "run", "--only", "perm", "--skip", "perm-sudo", "--path", "r="+filepath.Join(dir, token), "--bundle", bundle, "--output", "json")
	if got.code == ExitUsage {
		t.Fatalf("exit %d: %s", got.code, got.stderr)
	}
	if strings.Contains(got.stdout, token) {
		t.Errorf("stdout carries the Jira token")
	}
	if !strings.Contains(got.stdout, filepath.Join(dir, redact.Mask)) {
		t.Fatalf("the test is void: the path target holding the token is not in the report at all:\n%s", got.stdout)
	}
	for name, data := range bundleFiles(t, bundle) {
		if bytes.Contains(data, []byte(token)) {
			t.Errorf("%s carries the Jira token", name)
		}
	}
}
