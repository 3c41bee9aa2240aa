package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/report"
	ticketregistry "github.com/l2diag/l2diag/ticketclient/registry"
)

// testFactory is a Factory over buffers, a map environment, fixed specs
// and a fixed clock: a command's run function sees nothing of this machine.
type testFactory struct {
	*Factory
	In          *bytes.Buffer
	Out, ErrOut *bytes.Buffer
	// Vars is the environment Getenv and Environ read; tests may change it.
	Vars map[string]string
}

// testNow is the fixed clock of newTestFactory.
var testNow = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// testSpecs are the checks of newTestFactory, one per category used, with
// fixed results: ok, a warning and a failure.
func testSpecs() []diag.Spec {
	result := func(r report.Result) diag.RunFunc {
		return func(context.Context, *diag.Env) report.Result { return r }
	}
	return []diag.Spec{
		{ID: "net-alpha", Category: diag.CategoryNet, Finds: "whether alpha answers",
			Plan: diag.Once(result(report.Result{Status: report.StatusOK, Summary: "alpha answers"}))},
		{ID: "dns-beta", Category: diag.CategoryDNS, Finds: "whether beta resolves",
			Plan: diag.Once(result(report.Result{Status: report.StatusWarn, Summary: "beta resolves slowly",
				Findings: []report.Finding{{Code: "dns.beta-slow", Status: report.StatusWarn, Message: "beta took 900 ms", Hint: "ask the DNS team about beta"}}}))},
		{ID: "host-gamma-long-id", Category: diag.CategoryHost, Finds: "gamma's state",
			Plan: diag.Once(result(report.Result{Status: report.StatusFail, Summary: "gamma is broken",
				Findings: []report.Finding{{Code: "host.gamma-broken", Status: report.StatusFail, Message: "gamma is broken", Hint: "restart gamma"}}}))},
	}
}

// newTestFactory plays a terminal on every stream when tty is true, a pipe
// otherwise.
func newTestFactory(t *testing.T, tty bool) *testFactory {
	t.Helper()
	tf := &testFactory{In: &bytes.Buffer{}, Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}, Vars: map[string]string{}}
	tf.Factory = &Factory{
		IO: &IOStreams{In: tf.In, Out: tf.Out, ErrOut: tf.ErrOut,
			StdoutTTY: tty, StderrTTY: tty, StdinTTY: tty},
		Args: []string{"l2diag", "test"},
		Env: Env{
			Getenv: func(k string) string { return tf.Vars[k] },
			Environ: func() []string {
				var out []string
				for k, v := range tf.Vars {
					out = append(out, k+"="+v)
				}
				sort.Strings(out)
				return out
			},
		},
		Specs:         testSpecs,
		TicketSystems: ticketregistry.Systems(),
		Now:           func() time.Time { return testNow },
	}
	return tf
}

// forTerminalAndPipe runs fn once as on a terminal and once as through a
// pipe.
func forTerminalAndPipe(t *testing.T, fn func(t *testing.T, tf *testFactory)) {
	for _, tty := range []bool{true, false} {
		name := "pipe"
		if tty {
			name = "terminal"
		}
		t.Run(name, func(t *testing.T) { fn(t, newTestFactory(t, tty)) })
	}
}

// processReads are what a command must take from its Factory instead of
// reading the process directly.
var processReads = regexp.MustCompile(`term\.IsTerminal|os\.Getenv|os\.LookupEnv|os\.Environ|os\.Args|os\.Std(in|out|err)\b|registry\.Specs\(\)`)

// processReadsLeft are the reads outside main.go and factory.go that have
// not moved to the Factory yet, "file: read" to their count. It is empty
// and may only stay so: a new read fails the test.
var processReadsLeft = map[string]int{}

// TestCommandsReadTheProcessThroughTheFactory keeps os.Args, the
// environment, the process's streams, terminal detection and the check
// registry out of the commands' bodies, so tests can run them without this
// machine.
func TestCommandsReadTheProcessThroughTheFactory(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, f := range files {
		if f == "main.go" || f == "factory.go" || strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range processReads.FindAllString(string(data), -1) {
			got[f+": "+m]++
		}
	}
	for k, n := range got {
		if want := processReadsLeft[k]; n > want {
			t.Errorf("%s: %d reads, %d allowed: take it from the Factory (factory.go)", k, n, want)
		}
	}
	for k, want := range processReadsLeft {
		if n := got[k]; n < want {
			t.Errorf("%s: %d reads left of the %d allowed: shrink processReadsLeft", k, n, want)
		}
	}
}
