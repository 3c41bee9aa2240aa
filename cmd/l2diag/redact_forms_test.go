package main

import (
	"archive/zip"
	"context"
	"errors"
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
	for _, format := range []render.Format{render.FormatText, render.FormatJSON, render.FormatMarkdown} {
		t.Run(string(format), func(t *testing.T) {
			tf := newTestFactory(t, false)
			tf.Specs = func() []diag.Spec {
				// org-domain's domain is how a real run learns the
				// organisation's domain besides the search list.
				return []diag.Spec{{ID: "org-domain", Category: diag.CategoryOrg, Finds: "what it leaks",
					Plan: diag.Once(func(context.Context, *diag.Env) report.Result {
						return report.Result{Status: report.StatusOK,
							Summary: "proxy http://" + acct + ":pw@proxy." + dom + ":3128 bypassed for *." + dom,
							Details: map[string]any{"domain": dom, "no_proxy": "localhost,." + dom}}
					})}}
			}
			bundlePath := filepath.Join(t.TempDir(), "b.zip")
			opts := &runOptions{Bundle: bundleOptions{Path: bundlePath, Redact: true}}
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
			out := tf.Out.String() + tf.ErrOut.String()
			if !strings.Contains(out, "3128 bypassed") {
				t.Fatalf("the test is void: the proxy URL is not in the output:\n%s", out)
			}
			outputs := map[string]string{"stdout and stderr": out}
			for name, data := range bundleFiles(t, bundlePath) {
				outputs[name] = string(data)
			}
			for where, s := range outputs {
				for _, leak := range []string{acct, dom} {
					if strings.Contains(strings.ToLower(s), leak) {
						t.Errorf("%s carries %q:\n%s", where, leak, s)
					}
				}
			}
		})
	}
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
