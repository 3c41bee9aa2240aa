package main

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/report/bundle"
)

// writeTestBundle writes a bundle of a synthetic report into dir.
func writeTestBundle(t *testing.T, dir, name string, mutate func(*report.Report, map[string]any)) string {
	t.Helper()
	rep := &report.Report{
		Tool:      report.Tool{Name: "l2diag", Version: "test"},
		Host:      report.Host{Hostname: "lab", OS: "linux", Arch: "amd64"},
		StartedAt: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
		Results: []report.Result{
			{Check: "net-tcp", Category: "net", Target: "db:5432", Status: report.StatusOK, Summary: "connected"},
			{Check: "dns-config", Category: "dns", Status: report.StatusOK, Summary: "1 server"},
		},
	}
	facts := map[string]any{"dns_servers": []string{"10.0.0.53:53"}}
	if mutate != nil {
		mutate(rep, facts)
	}
	rep.Finish()
	path := filepath.Join(dir, name)
	if _, err := bundle.Write(path, &bundle.Input{Report: rep, Facts: facts, Log: []byte("log\n")}, bundle.Options{}); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestBundleCommands(t *testing.T) {
	dir := t.TempDir()
	a := writeTestBundle(t, dir, "a.zip", nil)
	b := writeTestBundle(t, dir, "b.zip", func(r *report.Report, f map[string]any) {
		r.Results[0].Status, r.Results[0].Summary = report.StatusFail, "connection refused"
		f["dns_servers"] = []string{"10.0.0.54:53"}
	})
	flipped := filepath.Join(dir, "flipped.zip")
	{
		zr, err := zip.OpenReader(a)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, f := range zr.File {
			rc, _ := f.Open()
			data, _ := io.ReadAll(rc)
			rc.Close()
			if f.Name == "l2diag.log" {
				data[0] ^= 1
			}
			w, _ := zw.Create(f.Name)
			w.Write(data)
		}
		zw.Close()
		zr.Close()
		os.WriteFile(flipped, buf.Bytes(), 0o600)
	}
	// A second report.json after the real one: the old reader showed the
	// first, unzip and most viewers the last.
	forged := filepath.Join(dir, "forged.zip")
	{
		data, err := os.ReadFile(a)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, f := range zr.File {
			if err := zw.Copy(f); err != nil {
				t.Fatal(err)
			}
		}
		w, _ := zw.Create("report.json")
		io.WriteString(w, `{"schema_version":1,"status":"ok","results":[]}`)
		zw.Close()
		os.WriteFile(forged, buf.Bytes(), 0o600)
	}
	garbage := filepath.Join(dir, "garbage.zip")
	os.WriteFile(garbage, []byte("PK\x03\x04 not really"), 0o600)

	tests := []struct {
		name     string
		args     []string
		code     int
		stdout   []string
		stderr   []string
		noStdout []string
	}{
		{"verify ok", []string{"bundle", "verify", a}, ExitOK, []string{"ok:", "match the manifest", "sha256"}, nil, nil},
		{"verify flipped", []string{"bundle", "verify", flipped}, ExitFail, []string{"FAIL: l2diag.log: SHA-256 differs"}, []string{"do not match"}, nil},
		{"verify forged", []string{"bundle", "verify", forged}, ExitFail, []string{"FAIL: report.json: is in the zip more than once"}, []string{"structure was changed"}, nil},
		{"show forged", []string{"bundle", "show", forged}, ExitUsage, nil, []string{"tampered with", "report.json"}, nil},
		{"verify garbage", []string{"bundle", "verify", garbage}, ExitUsage, nil, []string{"not an l2diag bundle", "not a readable zip"}, nil},
		{"verify missing", []string{"bundle", "verify", filepath.Join(dir, "nope.zip")}, ExitUsage, nil, []string{"does not exist"}, nil},
		{"show text", []string{"bundle", "show", b}, ExitOK, []string{"net-tcp db:5432", "connection refused"}, nil, nil},
		{"show json", []string{"bundle", "show", b, "-o", "json"}, ExitOK, []string{`"schema_version": 1`}, nil, nil},
		{"show list", []string{"bundle", "show", a, "--list"}, ExitOK, []string{"report.json", "raw/facts.json", "manifest"[:0]}, nil, nil},
		{"show file", []string{"bundle", "show", a, "--file", "raw/facts.json"}, ExitOK, []string{"10.0.0.53:53"}, nil, nil},
		{"show no such file", []string{"bundle", "show", a, "--file", "raw/x"}, ExitUsage, nil, []string{"bundle has no raw/x"}, nil},
		{"diff", []string{"bundle", "diff", a, b}, ExitOK, []string{"net-tcp db:5432: ok → fail", "dns_servers", "10.0.0.54:53"}, nil, nil},
		{"diff json", []string{"bundle", "diff", a, b, "-o", "json"}, ExitOK, []string{`"status_changes"`, `"to": "fail"`}, nil, nil},
		{"diff same", []string{"bundle", "diff", a, a}, ExitOK, []string{"No differences."}, nil, nil},
		{"diff bad threshold", []string{"bundle", "diff", a, b, "--threshold", "0"}, ExitUsage, nil, []string{"--threshold"}, nil},
		{"diff garbage", []string{"bundle", "diff", a, garbage}, ExitUsage, nil, []string{"garbage.zip"}, nil},
		{"show missing arg", []string{"bundle", "show"}, ExitUsage, nil, []string{"accepts 1 arg"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := runCLI(t, tc.args...)
			if got.code != tc.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", got.code, tc.code, got.stdout, got.stderr)
			}
			for _, s := range tc.stdout {
				if !strings.Contains(got.stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, got.stdout)
				}
			}
			for _, s := range tc.stderr {
				if !strings.Contains(got.stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, got.stderr)
				}
			}
			if strings.Contains(got.stderr, "panic") {
				t.Errorf("panic:\n%s", got.stderr)
			}
		})
	}
}

func TestRunBundleFlags(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"missing directory", []string{"--bundle", filepath.Join(dir, "no", "such", "b.zip")}, ExitUsage, "does not exist"},
		{"parent is a file", []string{"--bundle", filepath.Join(writeFile(t, dir, "f"), "b.zip")}, ExitUsage, "is not a directory"},
		{"unwritable directory", []string{"--bundle", "/proc/b.zip"}, ExitUsage, "not writable"},
		{"both flags", []string{"--bundle", filepath.Join(dir, "b.zip"), "--no-bundle"}, ExitUsage, "exclude each other"},
		{"redact without bundle", []string{"--no-bundle", "--redact"}, ExitUsage, "--redact needs a bundle"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := runCLI(t, append([]string{"run", "--only", "perm"}, tc.args...)...)
			if got.code != tc.code || !strings.Contains(got.stderr, tc.stderr) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", got.code, got.stderr, tc.code, tc.stderr)
			}
		})
	}
}

func writeFile(t *testing.T, dir, name string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestRunWritesBundle runs the perm checks (they only read this machine's
// files) and checks the default bundle: in the working directory, named
// after host and time, mode 0600, announced on stderr, verifying.
func TestRunWritesBundle(t *testing.T) {
	got := runCLI(t, "run", "--only", "perm", "--timeout", "20s")
	if got.code == ExitUsage {
		t.Fatalf("exit %d: %s", got.code, got.stderr)
	}
	cwd, _ := os.Getwd()
	matches, _ := filepath.Glob(filepath.Join(cwd, "l2diag-*-*Z.zip"))
	if len(matches) != 1 {
		t.Fatalf("bundles in the working directory: %v; stderr:\n%s", matches, got.stderr)
	}
	if !strings.Contains(got.stderr, "bundle written to "+matches[0]) {
		t.Errorf("stderr does not say where the bundle went:\n%s", got.stderr)
	}
	st, _ := os.Stat(matches[0])
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode %o, want 600", st.Mode().Perm())
	}
	b, err := bundle.Open(matches[0])
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if probs := b.Verify(); len(probs) != 0 {
		t.Errorf("verify: %v", probs)
	}
	if strings.Join(b.Manifest.CommandLine, " ") == "" {
		t.Error("manifest has no command line")
	}
	if _, err := b.ReadFile("l2diag.log"); err != nil {
		t.Error(err)
	}
	leftovers, _ := filepath.Glob(filepath.Join(cwd, ".l2diag-*"))
	if len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

// TestBundleFallsBackToDataDir: a working directory nobody can write to
// (procfs refuses even root) sends the bundle to the user's data directory.
func TestBundleFallsBackToDataDir(t *testing.T) {
	data := t.TempDir()
	t.Setenv("XDG_DATA_HOME", data)
	t.Chdir("/proc")
	o := &bundleOptions{getenv: os.Getenv}
	rep := &report.Report{Host: report.Host{Hostname: "ws 042/x"}}
	dst, err := o.destination(rep, time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(data, "l2diag", "l2diag-ws_042_x-20250102T030405Z.zip"); dst != want {
		t.Errorf("destination = %s, want %s", dst, want)
	}
}

func TestEnvironmentSecrets(t *testing.T) {
	got := environmentSecrets([]string{"HOME=/root", "PWD=/srv/work/alpha", "OLDPWD=/srv/work", "JIRA_API_TOKEN=abc123xyz", "DB_PASSWORD=", "KEYBOARD=de", "AWS_SECRET_ACCESS_KEY=k3y"})
	if strings.Join(got, ",") != "abc123xyz,k3y" {
		t.Errorf("environmentSecrets = %v", got)
	}
}

// TestBundleShowRun: the known fixes come from the factory's L2DIAG_KB;
// colours only on a terminal without --no-color. (A file's control
// characters: TestShowFileOnTerminal.)
func TestBundleShowRun(t *testing.T) {
	path := wrongAnswerBundle(t, t.TempDir())
	fix := "known fix: KB-DNS-007"
	forTerminalAndPipe(t, func(t *testing.T, tf *testFactory) {
		tty := tf.IO.StdoutTTY
		show := func(o BundleShowOptions) string {
			t.Helper()
			tf.Out.Reset()
			o.IO, o.Getenv, o.Path = tf.IO, tf.Getenv, path
			if err := bundleShowRun(&o); err != nil {
				t.Fatal(err)
			}
			return tf.Out.String()
		}
		if out := show(BundleShowOptions{}); strings.Contains(out, fix) {
			t.Errorf("a known fix without a knowledge base:\n%s", out)
		}
		tf.Vars["L2DIAG_KB"] = testKB
		out := show(BundleShowOptions{})
		if !strings.Contains(out, fix) {
			t.Errorf("no known fix with L2DIAG_KB set:\n%s", out)
		}
		if got := strings.Contains(out, "\x1b["); got != tty {
			t.Errorf("colours = %v, want %v", got, tty)
		}
		if out := show(BundleShowOptions{Global: GlobalOptions{NoColor: true}}); strings.Contains(out, "\x1b[") {
			t.Errorf("colours despite --no-color:\n%q", out)
		}
	})
}
