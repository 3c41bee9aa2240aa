package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/report/render"
	"github.com/spf13/cobra"
)

// execute runs cmd with args, as cobra would under the root command.
func execute(t *testing.T, cmd *cobra.Command, args ...string) {
	t.Helper()
	cmd.SetArgs(args)
	if err := cmd.Execute(); err != nil {
		t.Fatalf("%s %v: %v", cmd.Name(), args, err)
	}
}

// TestCommandWiring checks once, through cobra, that each command's
// arguments, flags and factory land in its options; the commands' logic is
// tested on their run functions.
func TestCommandWiring(t *testing.T) {
	tf := newTestFactory(t, false)
	g := &GlobalOptions{format: render.FormatJSON}

	t.Run("explain", func(t *testing.T) {
		var got *ExplainOptions
		execute(t, newExplainCmd(tf.Factory, g, func(o *ExplainOptions) error { got = o; return nil }), "net.tcp-filtered")
		if got == nil || got.Word != "net.tcp-filtered" || got.Format != render.FormatJSON || got.IO != tf.IO || got.Codes == nil {
			t.Errorf("options = %+v", got)
		}
	})
	t.Run("checks", func(t *testing.T) {
		var got *ChecksOptions
		execute(t, newChecksCmd(tf.Factory, g, func(o *ChecksOptions) error { got = o; return nil }))
		if got == nil || got.Format != render.FormatJSON || got.IO != tf.IO || len(got.Specs()) != len(testSpecs()) {
			t.Errorf("options = %+v", got)
		}
	})
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"show"}, profile.DefaultName},
		{[]string{"show", "slow-network"}, "slow-network"},
	} {
		t.Run("profile "+tc.want, func(t *testing.T) {
			var got *ProfileShowOptions
			execute(t, newProfileCmd(tf.Factory, func(o *ProfileShowOptions) error { got = o; return nil }), tc.args...)
			if got == nil || got.Name != tc.want || got.IO != tf.IO || len(got.Specs()) != len(testSpecs()) {
				t.Errorf("options = %+v, want Name %q", got, tc.want)
			}
		})
	}
	t.Run("ticket comment", func(t *testing.T) {
		var got *CommentOptions
		execute(t, newTicketCommentCmd(tf.Factory, func(o *CommentOptions) error { got = o; return nil }),
			"SUP-1", "--text", "hi", "--from-bundle", "b.zip", "--public", "--ticket-system", "dir", "--dry-run", "--ticket-timeout", "5s")
		if got == nil || got.Key != "SUP-1" || got.Text != "hi" || got.FromBundle != "b.zip" || !got.Note.Public || got.Note.Internal ||
			got.Conn.System != "dir" || !got.Conn.DryRun || got.Conn.Timeout != "5s" || got.IO != tf.IO || got.Env.Getenv == nil {
			t.Errorf("options = %+v", got)
		}
	})
	t.Run("ticket create", func(t *testing.T) {
		var got *CreateOptions
		execute(t, newTicketCreateCmd(tf.Factory, func(o *CreateOptions) error { got = o; return nil }),
			"--summary", "VPN drops", "--attach", "b.zip", "--project", "SUP", "--type", "Bug", "--insecure")
		if got == nil || got.Summary != "VPN drops" || got.Attach != "b.zip" || got.Project != "SUP" || got.Type != "Bug" ||
			!got.Conn.Insecure || got.Conn.DryRun || got.IO != tf.IO || got.Env.Getenv == nil {
			t.Errorf("options = %+v", got)
		}
	})
	t.Run("fleet report", func(t *testing.T) {
		var got *FleetReportOptions
		execute(t, newFleetReportCmd(tf.Factory, g, func(o *FleetReportOptions) error { got = o; return nil }),
			"a.zip", "dir", "--incident", "INC1", "--html", "f.html", "--ticket", "SUP-9", "--ticket-dry-run")
		if got == nil || strings.Join(got.Paths, ",") != "a.zip,dir" || got.Incident != "INC1" || got.HTML != "f.html" || got.Ticket != "SUP-9" ||
			!got.Conn.DryRun || got.Format != render.FormatJSON || got.IO != tf.IO || !got.Now().Equal(testNow) || got.Env.Getenv == nil {
			t.Errorf("options = %+v", got)
		}
	})
	t.Run("run", func(t *testing.T) {
		var got *runOptions
		execute(t, newRunCmd(tf.Factory, g, func(o *runOptions) error { got = o; return nil }),
			"--tcp", "db.example.com:5432", "--ping", "gw", "--only", "net,dns", "--skip", "dns-beta", "--timeout", "5s", "--no-bundle")
		if got == nil {
			t.Fatal("runF not called")
		}
		if len(got.targets.TCP) != 1 || got.targets.TCP[0].Host != "db.example.com" || strings.Join(got.targets.Ping, ",") != "gw" ||
			fmt.Sprint(got.only) != "[net dns]" || !got.onlyGiven || strings.Join(got.Skip, ",") != "dns-beta" || got.budget != 5*time.Second ||
			!got.Bundle.No || got.profile == nil || len(got.specs) != len(testSpecs()) || strings.Join(got.argsLine, " ") != "l2diag test" ||
			got.env.Getenv == nil || got.stdinTTY {
			t.Errorf("options = %+v", got)
		}
	})
	t.Run("bundle show", func(t *testing.T) {
		var got *BundleShowOptions
		execute(t, newBundleShowCmd(tf.Factory, g, func(o *BundleShowOptions) error { got = o; return nil }), "b.zip", "--list", "--file", "raw/x")
		if got == nil || got.Path != "b.zip" || !got.List || got.File != "raw/x" || got.Global.format != render.FormatJSON || got.IO != tf.IO || got.Getenv == nil {
			t.Errorf("options = %+v", got)
		}
	})
	t.Run("bundle verify", func(t *testing.T) {
		var got *BundleVerifyOptions
		execute(t, newBundleVerifyCmd(tf.Factory, func(o *BundleVerifyOptions) error { got = o; return nil }), "b.zip")
		if got == nil || got.Path != "b.zip" || got.IO != tf.IO {
			t.Errorf("options = %+v", got)
		}
	})
	t.Run("bundle diff", func(t *testing.T) {
		var got *BundleDiffOptions
		execute(t, newBundleDiffCmd(tf.Factory, g, func(o *BundleDiffOptions) error { got = o; return nil }), "a.zip", "b.zip", "--threshold", "25")
		if got == nil || got.A != "a.zip" || got.B != "b.zip" || got.Threshold != 25 || got.Format != render.FormatJSON || got.IO != tf.IO {
			t.Errorf("options = %+v", got)
		}
	})
	t.Run("kb", func(t *testing.T) {
		// The shared --kb and --profile land in the options every kb
		// subcommand points at.
		kbo := &kbOptions{Getenv: tf.Getenv}
		var list *KBListOptions
		kbCmd := &cobra.Command{Use: "kb"}
		kbCmd.PersistentFlags().StringArrayVar(&kbo.Paths, "kb", nil, "")
		kbCmd.AddCommand(newKBListCmd(tf.Factory, g, kbo, func(o *KBListOptions) error { list = o; return nil }))
		execute(t, kbCmd, "list", "--kb", "a", "--kb", "b")
		if list == nil || list.KB != kbo || strings.Join(kbo.Paths, ",") != "a,b" || list.Format != render.FormatJSON || list.IO != tf.IO {
			t.Errorf("list options = %+v", list)
		}
		var show *KBShowOptions
		execute(t, newKBShowCmd(tf.Factory, g, kbo, func(o *KBShowOptions) error { show = o; return nil }), "KB-1")
		if show == nil || show.ID != "KB-1" || show.KB != kbo {
			t.Errorf("show options = %+v", show)
		}
		var check *KBCheckOptions
		execute(t, newKBCheckCmd(tf.Factory, g, kbo, func(o *KBCheckOptions) error { check = o; return nil }), "--strict", "dir1")
		if check == nil || !check.Strict || strings.Join(kbo.Paths, ",") != "dir1" || check.Format != render.FormatJSON {
			t.Errorf("check options = %+v, paths %v", check, kbo.Paths)
		}
		var draft *KBNewOptions
		execute(t, newKBNewCmd(tf.Factory, func(o *KBNewOptions) error { draft = o; return nil }), "--from", "c.zip", "--id", "KB-9", "--cause", "cause.x", "--out", "d")
		if draft == nil || draft.From != "c.zip" || draft.ID != "KB-9" || draft.Cause != "cause.x" || draft.Out != "d" || draft.IO != tf.IO {
			t.Errorf("new options = %+v", draft)
		}
	})
	t.Run("ticket attach, check and outbox", func(t *testing.T) {
		var attach *AttachOptions
		execute(t, newTicketAttachCmd(tf.Factory, func(o *AttachOptions) error { attach = o; return nil }), "SUP-1", "a.zip", "b.zip", "--ca-file", "ca.pem")
		if attach == nil || attach.Key != "SUP-1" || strings.Join(attach.Paths, ",") != "a.zip,b.zip" || attach.Conn.CAFile != "ca.pem" || attach.IO != tf.IO {
			t.Errorf("attach options = %+v", attach)
		}
		var check *TicketCheckOptions
		execute(t, newTicketCheckCmd(tf.Factory, func(o *TicketCheckOptions) error { check = o; return nil }), "SUP-2", "--dry-run")
		if check == nil || check.Key != "SUP-2" || !check.Conn.DryRun || check.IO != tf.IO {
			t.Errorf("check options = %+v", check)
		}
		var list *OutboxListOptions
		execute(t, newTicketOutboxListCmd(tf.Factory, g, func(o *OutboxListOptions) error { list = o; return nil }))
		if list == nil || list.Format != render.FormatJSON || list.IO != tf.IO || list.Env.Getenv == nil {
			t.Errorf("outbox list options = %+v", list)
		}
		var flush *OutboxFlushOptions
		execute(t, newTicketOutboxFlushCmd(tf.Factory, func(o *OutboxFlushOptions) error { flush = o; return nil }), "--dry-run", "--allow-http")
		if flush == nil || !flush.Conn.DryRun || !flush.Conn.AllowHTTP || flush.IO != tf.IO {
			t.Errorf("outbox flush options = %+v", flush)
		}
	})
	t.Run("ask", func(t *testing.T) {
		var got *AskOptions
		execute(t, newAskCmd(tf.Factory, g, func(o *AskOptions) error { got = o; return nil }), "--plain")
		if got == nil || !got.Plain || got.factory != tf.Factory || got.IO != tf.IO || got.Global.format != render.FormatJSON {
			t.Errorf("options = %+v", got)
		}
	})
	t.Run("watch", func(t *testing.T) {
		var got *watchOptions
		tf.dirTickets(t) // --ticket checks the configuration first
		text := &GlobalOptions{format: render.FormatText}
		execute(t, newWatchCmd(tf.Factory, text, func(o *watchOptions) error { got = o; return nil }),
			"--for", "10m", "--interval", "2s", "--tcp", "erp.example.com:443", "--ticket", "SUP-3", "--attach-on-fault", "--no-bundle=false")
		if got == nil || got.dur != 10*time.Minute || got.interval != 2*time.Second || !got.AttachOnFault || len(got.run.targets.TCP) != 1 ||
			got.run.Ticket.Key != "SUP-3" || len(got.run.specs) != len(testSpecs()) || got.run.env.Getenv == nil {
			t.Errorf("options = %+v", got)
		}
	})
	t.Run("version", func(t *testing.T) {
		var got *VersionOptions
		execute(t, newVersionCmd(tf.Factory, g, func(o *VersionOptions) error { got = o; return nil }))
		if got == nil || got.Format != render.FormatJSON || got.IO != tf.IO {
			t.Errorf("options = %+v", got)
		}
	})
}
