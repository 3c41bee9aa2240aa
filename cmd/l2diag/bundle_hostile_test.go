package main

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/report/bundle"
)

// TestHostileBundleNamesArePrintable: a bundle from someone else can name
// its files, host and commands with terminal escapes; show --list, verify,
// show, diff and the error line print them as escapes, on a terminal and
// through a pipe.
func TestHostileBundleNamesArePrintable(t *testing.T) {
	evil := "\x1b]0;pwned\x07\x1b[2J\u009b\u202e"
	dir := t.TempDir()
	good := writeTestBundle(t, dir, "good.zip", func(r *report.Report, f map[string]any) {
		r.Host.Hostname = "ws" + evil
		r.Results[0].Summary = "connected" + evil
		f["proxy"] = "http://proxy" + evil
	})
	// The same bundle with a file added under a hostile name.
	data, err := os.ReadFile(good)
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
	w, _ := zw.Create("raw/" + evil + ".txt")
	io.WriteString(w, "x")
	zw.Close()
	extra := filepath.Join(dir, "extra.zip")
	if err := os.WriteFile(extra, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	plain := writeTestBundle(t, dir, "plain.zip", nil)
	for _, args := range [][]string{
		{"bundle", "show", good},
		{"bundle", "show", good, "--list"},
		{"bundle", "verify", extra},
		{"bundle", "diff", plain, good},
		{"bundle", "show", good, "--file", "../" + evil},
	} {
		t.Run(strings.Join(args[:2], " ")+" "+strings.Join(args[3:], " "), func(t *testing.T) {
			got := runCLI(t, args...)
			out := got.stdout + got.stderr
			if got.code == ExitUsage && !strings.Contains(args[len(args)-1], evil) {
				t.Fatalf("exit %d: %s", got.code, got.stderr)
			}
			for _, bad := range []string{"\x1b", "\x07", "\u009b", "\u202e"} {
				if strings.Contains(out, bad) {
					t.Errorf("output carries %q raw:\n%q", bad, out)
				}
			}
			if !strings.Contains(out, `\x1b[2J`) {
				t.Errorf("the escape is not shown:\n%s", out)
			}
		})
	}
}

// TestShowFileOnTerminal: --file prints a bundle's file byte for byte
// through a pipe, and with its controls as escapes on a terminal.
func TestShowFileOnTerminal(t *testing.T) {
	evil := "\x1b]0;pwned\x07\x1b[2J"
	rep := &report.Report{Tool: report.Tool{Name: "l2diag", Version: "test"}, Host: report.Host{Hostname: "lab"}}
	rep.Finish()
	path := filepath.Join(t.TempDir(), "b.zip")
	in := &bundle.Input{Report: rep, Artifacts: []report.Artifact{{Name: "app.log", Data: []byte("line " + evil + "\n")}}}
	if _, err := bundle.Write(path, in, bundle.Options{}); err != nil {
		t.Fatal(err)
	}
	for _, tty := range []bool{false, true} {
		var out, errOut bytes.Buffer
		ios := &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, StdoutTTY: tty}
		if code := Main([]string{"bundle", "show", path, "--file", "raw/app.log", "--no-color"}, ios); code != 0 {
			t.Fatalf("tty %v: exit %d: %s", tty, code, errOut.String())
		}
		raw := strings.Contains(out.String(), "\x1b")
		if raw == tty {
			t.Errorf("tty %v: raw escape in output = %v:\n%q", tty, raw, out.String())
		}
	}
}
