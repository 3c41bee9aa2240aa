package main

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/report/render"
)

// TestRedactedRunHidesURLUsersAndDottedDomains: a check that reports the
// proxy as the environment spells it (an account in the URL, the
// organisation's domain with a leading dot in no_proxy, as curl and Go
// write it) leaves neither the account nor the domain in stdout (every
// format), stderr or any file of the bundle. Both once went out as they
// were: the domain rule took ".corp-qa17.test" for a label of a longer
// name, and the user of scheme://user:pass@ was masked only in its
// password.
func TestRedactedRunHidesURLUsersAndDottedDomains(t *testing.T) {
	const acct, dom = "qa17-proxy-acct", "corp-qa17.test"
	// org-domain's domain is how a real run learns the organisation's
	// domain besides the search list.
	res := report.Result{Status: report.StatusOK,
		Summary: "proxy http://" + acct + ":pw@proxy." + dom + ":3128 bypassed for *." + dom,
		Details: map[string]any{"domain": dom, "no_proxy": "localhost,." + dom}}
	for _, format := range []render.Format{render.FormatText, render.FormatJSON, render.FormatMarkdown} {
		t.Run(string(format), func(t *testing.T) {
			outputs := runOneCheck(t, newTestFactory(t, false), "org-domain", res, format, true)
			if !strings.Contains(outputs[stdoutAndStderr], "3128 bypassed") {
				t.Fatalf("the test is void: the proxy URL is not in the output:\n%s", outputs[stdoutAndStderr])
			}
			noLeaks(t, "", outputs, acct, dom)
		})
	}
}

// TestProxyPasswordIsAKnownSecret: the password of a proxy URL in the
// environment is masked wherever it shows up, also away from its URL (a
// check quoting a config file, the decoded form of an escaped password),
// with and without --redact. Before, only the scheme://user:password@
// shape was masked.
func TestProxyPasswordIsAKnownSecret(t *testing.T) {
	const pw, escaped = "Pr0xy!Pass-qa17", "Pr0xy%21Pass-qa17"
	res := report.Result{Status: report.StatusOK, Summary: "apt.conf: password " + pw + "; escaped " + escaped}
	for _, redacting := range []bool{false, true} {
		tf := newTestFactory(t, false)
		tf.Vars["https_proxy"] = "http://acct:" + escaped + "@proxy.test:3128"
		outputs := runOneCheck(t, tf, "host-leaky", res, render.FormatJSON, redacting)
		if !strings.Contains(outputs[stdoutAndStderr], "apt.conf: password") {
			t.Fatalf("the test is void: the summary is not in the output:\n%s", outputs[stdoutAndStderr])
		}
		noLeaks(t, fmt.Sprintf("redact=%v: ", redacting), outputs, pw, escaped)
	}
}

// noLeaks fails t for each output that carries one of leaks, in any case.
func noLeaks(t *testing.T, prefix string, outputs map[string]string, leaks ...string) {
	t.Helper()
	for where, s := range outputs {
		for _, leak := range leaks {
			if strings.Contains(strings.ToLower(s), strings.ToLower(leak)) {
				t.Errorf("%s%s carries %q:\n%s", prefix, where, leak, s)
			}
		}
	}
}

// stdoutAndStderr is runOneCheck's key of what the run printed.
const stdoutAndStderr = "stdout and stderr"

// runOneCheck runs a single check id that returns res, with a bundle
// (redacted or not), and returns what left the process: stdout and
// stderr, and every file of the bundle by name.
func runOneCheck(t *testing.T, tf *testFactory, id string, res report.Result, format render.Format, redacting bool) map[string]string {
	t.Helper()
	cat := diag.CategoryHost
	if strings.HasPrefix(id, "org-") {
		cat = diag.CategoryOrg
	}
	tf.Specs = func() []diag.Spec {
		return []diag.Spec{{ID: id, Category: cat, Finds: "what it leaks",
			Plan: diag.Once(func(context.Context, *diag.Env) report.Result { return res })}}
	}
	bundlePath := filepath.Join(t.TempDir(), "b.zip")
	opts := &runOptions{Bundle: bundleOptions{Path: bundlePath, Redact: redacting}}
	opts.from(tf.Factory)
	if err := opts.validate(); err != nil {
		t.Fatal(err)
	}
	if err := runRun(context.Background(), tf.IO, &GlobalOptions{format: format}, opts); err != nil {
		var ee *ExitError
		if !errors.As(err, &ee) {
			t.Fatal(err)
		}
	}
	outputs := map[string]string{stdoutAndStderr: tf.Out.String() + tf.ErrOut.String()}
	for name, data := range bundleFiles(t, bundlePath) {
		outputs[name] = string(data)
	}
	return outputs
}

// bundleFiles reads every file of the zip at path, by name.
func bundleFiles(t *testing.T, path string) map[string][]byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name] = data
	}
	return files
}
