package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/ticketclient"
	"github.com/l2diag/l2diag/ticketclient/registry"
)

// dirTickets points tf's environment at the dir ticket system in a fresh
// folder (no config file, the outbox beside it) and returns the folder.
func (tf *testFactory) dirTickets(t *testing.T) string {
	t.Helper()
	base := t.TempDir()
	cfg := filepath.Join(base, "tickets.yaml")
	if err := os.WriteFile(cfg, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(base, "tickets")
	tf.Vars["L2DIAG_TICKET_CONFIG"] = cfg
	tf.Vars["L2DIAG_TICKET_SYSTEM"] = "dir"
	tf.Vars["L2DIAG_TICKET_DIR"] = root
	tf.Vars["L2DIAG_OUTBOX"] = filepath.Join(base, "outbox")
	return root
}

// conn is connection flags as a ticket command's constructor leaves them:
// no flag given, the factory's ticket systems.
func (tf *testFactory) conn() ticketConnFlags {
	return ticketConnFlags{systems: tf.TicketSystems}
}

// readNotes returns the notes the dir system wrote for key ("" when none).
func readNotes(t *testing.T, root, key string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, key, "notes.txt"))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	return string(data)
}

func TestCommentRun(t *testing.T) {
	const secret = "s3cr3t-from-the-env-9f2"
	tests := []struct {
		name      string
		opts      CommentOptions
		wantNotes []string // in notes.txt; nil: nothing was written
		wantOut   string   // stdout, exactly
		wantErr   string   // a usage error's message, exactly
	}{
		{name: "text", opts: CommentOptions{Key: "sup-123", Text: "re-ran after the VPN fix: all ok"},
			wantNotes: []string{"re-ran after the VPN fix: all ok"}},
		{name: "a secret of the environment is masked", opts: CommentOptions{Key: "SUP-123", Text: "token is " + secret},
			wantNotes: []string{"token is "}},
		{name: "from a bundle", opts: CommentOptions{Key: "SUP-123", FromBundle: "BUNDLE"},
			wantNotes: []string{"l2diag-lab.zip"}},
		{name: "dry run", opts: CommentOptions{Key: "SUP-123", Text: "hello", Conn: ticketConnFlags{DryRun: true}},
			wantOut: "dry run: dir at ROOT, ticket SUP-123; nothing is sent\n\nAPPEND ROOT/SUP-123/notes.txt\n  hello\n  \n  \n  Ref: l2diag:0a0b02f373fa\n"},
		{name: "neither text nor bundle", opts: CommentOptions{Key: "SUP-123"},
			wantErr: "ticket comment: give exactly one of --from-bundle FILE or --text TEXT"},
		{name: "both text and bundle", opts: CommentOptions{Key: "SUP-123", Text: "x", FromBundle: "BUNDLE"},
			wantErr: "ticket comment: give exactly one of --from-bundle FILE or --text TEXT"},
		{name: "internal and public", opts: CommentOptions{Key: "SUP-123", Text: "x", Note: noteFlags{Internal: true, Public: true}},
			wantErr: "--internal and --public contradict each other: give one"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forTerminalAndPipe(t, func(t *testing.T, tf *testFactory) {
				root := tf.dirTickets(t)
				tf.Vars["MY_API_TOKEN"] = secret
				opts := tt.opts
				opts.IO, opts.Env, opts.Conn.systems = tf.IO, tf.Env, tf.TicketSystems
				if opts.FromBundle != "" {
					opts.FromBundle = writeTestBundle(t, t.TempDir(), "l2diag-lab.zip", nil)
				}
				err := commentRun(context.Background(), &opts)
				notes := readNotes(t, root, "SUP-123")
				if tt.wantErr != "" {
					var ue *UsageError
					if !errors.As(err, &ue) || err.Error() != tt.wantErr {
						t.Fatalf("error = %v, want the usage error %q", err, tt.wantErr)
					}
					if notes != "" || tf.Out.Len() != 0 {
						t.Errorf("a usage error wrote: notes %q, stdout %q", notes, tf.Out.String())
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if want := strings.ReplaceAll(tt.wantOut, "ROOT", root); tf.Out.String() != want {
					t.Errorf("stdout = %q, want %q", tf.Out.String(), want)
				}
				if strings.Contains(notes+tf.ErrOut.String(), secret) {
					t.Errorf("the secret left the machine:\n%s\n%s", notes, tf.ErrOut.String())
				}
				if tt.wantNotes == nil {
					if notes != "" {
						t.Errorf("a dry run wrote notes:\n%s", notes)
					}
					return
				}
				for _, w := range tt.wantNotes {
					if !strings.Contains(notes, w) {
						t.Errorf("notes.txt lacks %q:\n%s", w, notes)
					}
				}
				if want := "l2diag: posted on SUP-123 (" + filepath.Join(root, "SUP-123") + ") as "; !strings.HasPrefix(tf.ErrOut.String(), want) {
					t.Errorf("stderr = %q, want it to start with %q", tf.ErrOut.String(), want)
				}
			})
		})
	}
}

func TestCreateRun(t *testing.T) {
	key := regexp.MustCompile(`^L2D-[0-9]+$`)
	tests := []struct {
		name    string
		opts    CreateOptions
		attach  bool
		want    []string // in the new ticket's notes.txt
		wantErr string
	}{
		{name: "summary only", opts: CreateOptions{Summary: "Printer share unreachable"}, want: []string{"Printer share unreachable"}},
		{name: "with a bundle", opts: CreateOptions{Summary: "VPN drops"}, attach: true, want: []string{"VPN drops", "l2diag-lab.zip"}},
		{name: "no summary", opts: CreateOptions{Summary: "  "}, wantErr: "ticket create: --summary is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forTerminalAndPipe(t, func(t *testing.T, tf *testFactory) {
				root := tf.dirTickets(t)
				opts := tt.opts
				opts.IO, opts.Env, opts.Conn.systems = tf.IO, tf.Env, tf.TicketSystems
				if tt.attach {
					opts.Attach = writeTestBundle(t, t.TempDir(), "l2diag-lab.zip", nil)
				}
				err := createRun(context.Background(), &opts)
				if tt.wantErr != "" {
					var ue *UsageError
					if !errors.As(err, &ue) || err.Error() != tt.wantErr {
						t.Fatalf("error = %v, want the usage error %q", err, tt.wantErr)
					}
					if _, err := os.Stat(root); !errors.Is(err, os.ErrNotExist) || tf.Out.Len() != 0 {
						t.Errorf("a usage error created something: %v, stdout %q", err, tf.Out.String())
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				// stdout is the key alone, for KEY=$(l2diag ticket create ...).
				k := strings.TrimSuffix(tf.Out.String(), "\n")
				if !key.MatchString(k) {
					t.Fatalf("stdout = %q, want the new key alone", tf.Out.String())
				}
				notes := readNotes(t, root, k)
				for _, w := range tt.want {
					if !strings.Contains(notes, w) {
						t.Errorf("notes.txt lacks %q:\n%s", w, notes)
					}
				}
				_, err = os.Stat(filepath.Join(root, k, "l2diag-lab.zip"))
				if tt.attach != (err == nil) {
					t.Errorf("bundle attached: %v, want %v", err == nil, tt.attach)
				}
				if tt.attach && !strings.Contains(tf.ErrOut.String(), "l2diag: created "+k) {
					t.Errorf("stderr does not say what was created: %q", tf.ErrOut.String())
				}
			})
		})
	}
}

func TestAttachCheckAndOutboxRuns(t *testing.T) {
	forTerminalAndPipe(t, func(t *testing.T, tf *testFactory) {
		ctx := context.Background()
		root := tf.dirTickets(t)
		file := bundleFile(t, "l2diag-pc042.zip", 1234)

		if err := ticketAttachRun(ctx, &AttachOptions{IO: tf.IO, Env: tf.Env, Key: "sup-5", Paths: []string{file}, Conn: tf.conn()}); err != nil {
			t.Fatal(err)
		}
		if want := "SUP-5\tl2diag-pc042.zip\t1234\tl2diag-pc042.zip\n"; tf.Out.String() != want {
			t.Errorf("attach stdout = %q, want %q", tf.Out.String(), want)
		}
		if st, err := os.Stat(filepath.Join(root, "SUP-5", "l2diag-pc042.zip")); err != nil || st.Size() != 1234 {
			t.Errorf("not attached: %v", err)
		}

		tf.Out.Reset()
		if err := ticketCheckRun(ctx, &TicketCheckOptions{IO: tf.IO, Env: tf.Env, Key: "SUP-5", Conn: tf.conn()}); err != nil {
			t.Fatal(err)
		}
		for _, w := range []string{"system       dir\n", "endpoint     " + root + "\n", "config       " + tf.Vars["L2DIAG_TICKET_CONFIG"] + "\n",
			"outbox       " + tf.Vars["L2DIAG_OUTBOX"] + "\n", "ticket       ok: SUP-5"} {
			if !strings.Contains(tf.Out.String(), w) {
				t.Errorf("ticket check lacks %q:\n%s", w, tf.Out.String())
			}
		}

		// A delivery queued earlier waits in the factory's outbox.
		f, err := ticketclient.OpenFile(file)
		if err != nil {
			t.Fatal(err)
		}
		ob := &ticketclient.Outbox{Dir: tf.Vars["L2DIAG_OUTBOX"]}
		if _, err := ob.Add(&ticketclient.Delivery{System: "dir", Key: "SUP-7", Files: []*ticketclient.File{f}}, errors.New("share offline")); err != nil {
			t.Fatal(err)
		}
		tf.Out.Reset()
		if err := outboxListRun(&OutboxListOptions{IO: tf.IO, Env: tf.Env, Systems: tf.TicketSystems}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(tf.Out.String(), "  dir SUP-7  l2diag-pc042.zip (1.2 KiB)  attempts 1\n    last error: share offline\n") {
			t.Errorf("outbox list:\n%s", tf.Out.String())
		}
		tf.ErrOut.Reset()
		if err := outboxFlushRun(ctx, &OutboxFlushOptions{IO: tf.IO, Env: tf.Env, Conn: tf.conn()}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(tf.ErrOut.String(), "l2diag: delivered 1 of 1\n") {
			t.Errorf("flush stderr:\n%s", tf.ErrOut.String())
		}
		if _, err := os.Stat(filepath.Join(root, "SUP-7", "l2diag-pc042.zip")); err != nil {
			t.Errorf("not delivered: %v", err)
		}
		if left, _ := ob.List(); len(left) != 0 {
			t.Errorf("%d entries left in the outbox", len(left))
		}
	})
}

// TestTicketSystemsComeFromTheFactory: a factory without ServiceNow offers
// only Jira and dir, in the flags and in the choice.
func TestTicketSystemsComeFromTheFactory(t *testing.T) {
	tf := newTestFactory(t, false)
	tf.dirTickets(t)
	var set registry.Set
	for _, s := range tf.TicketSystems {
		if s.Name != "servicenow" {
			set = append(set, s)
		}
	}
	tf.TicketSystems = set
	cmd := newTicketCommentCmd(tf.Factory, nil)
	if u := cmd.Flags().Lookup("ticket-system").Usage; !strings.HasPrefix(u, "ticket `SYSTEM`: dir, jira (") {
		t.Errorf("--ticket-system offers: %q", u)
	}
	if cmd.Flags().Lookup("table") != nil {
		t.Error("ServiceNow's --table without ServiceNow")
	}
	conn := tf.conn()
	conn.System = "servicenow"
	err := commentRun(context.Background(), &CommentOptions{IO: tf.IO, Env: tf.Env, Key: "INC0010001", Text: "x", Conn: conn})
	if err == nil || !strings.Contains(err.Error(), `unknown ticket system "servicenow"`) || hintFor(err) != "use one of dir, jira" || exitCode(err) != ExitUsage {
		t.Errorf("error = %v (hint %q, exit %d), want an unknown system, dir and jira offered, exit 64", err, hintFor(err), exitCode(err))
	}
	// dir still delivers, to a key of the systems left.
	if err := commentRun(context.Background(), &CommentOptions{IO: tf.IO, Env: tf.Env, Key: "SUP-1", Text: "x", Conn: tf.conn()}); err != nil {
		t.Fatal(err)
	}
}
