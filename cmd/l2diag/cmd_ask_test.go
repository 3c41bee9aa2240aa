package main

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/report/render"
)

// TestAskRun answers the plain form through stdin and runs the symptom's
// profile on the test factory's checks: the verdict is theirs and the
// report carries the answers.
func TestAskRun(t *testing.T) {
	forTerminalAndPipe(t, func(t *testing.T, tf *testFactory) {
		t.Chdir(t.TempDir()) // the bundle goes to the working directory
		// Something else; no subject; since this morning; only this user;
		// cable; nothing changed; no ticket.
		tf.In.WriteString("7\n\nthis morning\n1\n1\n\n\n")
		err := askRun(context.Background(), &AskOptions{IO: tf.IO, Plain: true, factory: tf.Factory,
			Global: GlobalOptions{format: render.FormatJSON}})
		var ee *ExitError
		if !errors.As(err, &ee) || ee.Code != ExitFail {
			t.Fatalf("error = %v, want exit %d\nstdout:\n%s\nstderr:\n%s", err, ExitFail, tf.Out.String(), tf.ErrOut.String())
		}
		out := tf.Out.String()
		rep, err := report.Decode([]byte(out[strings.Index(out, "{"):]))
		if err != nil {
			t.Fatalf("no JSON report after the questions: %v\n%s", err, out)
		}
		if len(rep.Results) != 3 || rep.Profile != "other" {
			t.Errorf("profile %q with %d results, want other with the 3 test checks", rep.Profile, len(rep.Results))
		}
		if in := rep.Intake; in == nil || in.Symptom != "other" || in.Since != "this morning" || in.Scope != "one-user" || in.Connection != "wired" {
			t.Errorf("intake = %+v", rep.Intake)
		}
		if !strings.Contains(tf.ErrOut.String(), `l2diag: running the "other" checks`) {
			t.Errorf("stderr:\n%s", tf.ErrOut.String())
		}
	})
	t.Run("full-screen form without a terminal", func(t *testing.T) {
		tf := newTestFactory(t, false)
		err := askRun(context.Background(), &AskOptions{IO: tf.IO, factory: tf.Factory})
		var ue *UsageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), "ask needs a terminal") {
			t.Errorf("error = %v, want the usage error", err)
		}
	})
}
