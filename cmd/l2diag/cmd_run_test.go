package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/report/bundle"
	"github.com/l2diag/l2diag/report/render"
)

// TestRunRun runs `l2diag run` on the test factory's checks only (ok, a
// warning, a failure): nothing of this machine is probed, so the outputs
// can be held exactly to what those checks found.
func TestRunRun(t *testing.T) {
	for _, format := range []render.Format{render.FormatText, render.FormatJSON} {
		t.Run(string(format), func(t *testing.T) {
			forTerminalAndPipe(t, func(t *testing.T, tf *testFactory) {
				tty := tf.IO.StdoutTTY
				bundlePath := filepath.Join(t.TempDir(), "b.zip")
				opts := &runOptions{Bundle: bundleOptions{Path: bundlePath}}
				opts.from(tf.Factory)
				if err := opts.validate(); err != nil {
					t.Fatal(err)
				}
				err := runRun(context.Background(), tf.IO, &GlobalOptions{format: format}, opts)
				var ee *ExitError
				if !errors.As(err, &ee) || ee.Code != ExitFail {
					t.Fatalf("error = %v, want exit %d (a check failed)", err, ExitFail)
				}
				out, errOut := tf.Out.String(), tf.ErrOut.String()
				if format == render.FormatJSON {
					validateReport(t, tf.Out.Bytes())
					rep, err := report.Decode(tf.Out.Bytes())
					if err != nil {
						t.Fatal(err)
					}
					var got []string
					for _, r := range rep.Results {
						got = append(got, r.Check+"="+string(r.Status))
					}
					if want := "net-alpha=ok,dns-beta=warn,host-gamma-long-id=fail"; strings.Join(got, ",") != want {
						t.Errorf("results = %s, want %s", strings.Join(got, ","), want)
					}
					if rep.Status != report.StatusFail {
						t.Errorf("status = %s, want fail", rep.Status)
					}
				} else {
					for _, w := range []string{"gamma is broken", "restart gamma", "beta took 900 ms"} {
						if !strings.Contains(out, w) {
							t.Errorf("stdout lacks %q:\n%s", w, out)
						}
					}
					// Colours on a terminal only (NO_COLOR unset here).
					if got := strings.Contains(out, "\x1b["); got != tty {
						t.Errorf("ANSI colours on stdout = %v, want %v:\n%q", got, tty, out)
					}
				}
				if format == render.FormatJSON && strings.Contains(out, "\x1b[") {
					t.Errorf("colours in JSON:\n%q", out)
				}
				if got := strings.Contains(errOut, "checks done"); got != tty {
					t.Errorf("progress on stderr = %v, want %v:\n%q", got, tty, errOut)
				}
				if !strings.Contains(errOut, "l2diag: bundle written to "+bundlePath) {
					t.Errorf("stderr does not name the bundle:\n%s", errOut)
				}
				b, err := bundle.Open(bundlePath)
				if err != nil {
					t.Fatal(err)
				}
				defer b.Close()
				if n := len(b.Report.Results); n != 3 {
					t.Errorf("the bundle holds %d results, want the 3 of the test checks", n)
				}
			})
		})
	}
}

// TestRunFiltersWhatTheFactorySays: the secrets and user names a run hides
// are those of the factory's environment: a check that repeats them leaks
// neither to stdout nor into the bundle (secrets always, the user name with
// --redact).
func TestRunFiltersWhatTheFactorySays(t *testing.T) {
	const secret, user = "tok-5eCr3t-from-the-map", "zorro-test-user"
	forTerminalAndPipe(t, func(t *testing.T, tf *testFactory) {
		tf.Vars["MY_API_TOKEN"] = secret
		tf.Vars["USER"] = user
		res := report.Result{Status: report.StatusOK, Summary: "user " + user + " with token " + secret}
		outputs := runOneCheck(t, tf, "host-leaky", res, render.FormatJSON, true)
		if !strings.Contains(outputs[stdoutAndStderr], "with token ") {
			t.Fatalf("the check's summary is not in the output:\n%s", outputs[stdoutAndStderr])
		}
		noLeaks(t, "", outputs, secret, user)
	})
}

// TestRedactedRunNamesNoOneOnStderr: with --redact, the lines naming the
// bundle and its redaction map on stderr do not carry the user's name (a
// home directory in the path); without it they name the real path.
func TestRedactedRunNamesNoOneOnStderr(t *testing.T) {
	const user = "zorro-test-user"
	for _, redact := range []bool{true, false} {
		tf := newTestFactory(t, false)
		tf.Vars["USER"] = user
		dir := filepath.Join(t.TempDir(), "home", user)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		bundlePath := filepath.Join(dir, "b.zip")
		opts := &runOptions{Bundle: bundleOptions{Path: bundlePath, Redact: redact}}
		opts.from(tf.Factory)
		if err := opts.validate(); err != nil {
			t.Fatal(err)
		}
		if err := runRun(context.Background(), tf.IO, &GlobalOptions{format: render.FormatJSON}, opts); err != nil {
			var ee *ExitError
			if !errors.As(err, &ee) {
				t.Fatal(err)
			}
		}
		stderr := tf.ErrOut.String()
		if !strings.Contains(stderr, "bundle written to") {
			t.Fatalf("redact=%v: no bundle line on stderr:\n%s", redact, stderr)
		}
		if got := strings.Contains(stderr, user); got == redact {
			t.Errorf("redact=%v: stderr names %q: %v\n%s", redact, user, got, stderr)
		}
		if redact && !strings.Contains(stderr, "redaction map written to") {
			t.Errorf("no redaction map line:\n%s", stderr)
		}
	}
}
