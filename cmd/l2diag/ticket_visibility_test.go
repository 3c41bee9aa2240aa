package main

import (
	"strings"
	"testing"

	"github.com/l2diag/l2diag/ticketclient/fake"
)

// TestNoteVisibility: on a service-desk request the note is internal
// unless --public is given, the output says which one was posted, and an
// outbox entry keeps the choice for its flush.
func TestNoteVisibility(t *testing.T) {
	for _, tc := range []struct {
		name       string
		flags      []string
		queue      bool
		wantPublic bool
		wantSay    string
	}{
		{name: "default internal", wantSay: "internal comment"},
		{name: "--internal", flags: []string{"--internal"}, wantSay: "internal comment"},
		{name: "--public", flags: []string{"--public"}, wantPublic: true, wantSay: "public comment"},
		{name: "--public through the outbox", flags: []string{"--public"}, queue: true, wantPublic: true, wantSay: "public comment"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := newTicketEnv(t)
			f := fake.NewJira(t, true)
			f.AddServiceDeskIssue("HELP-7")
			env.jira(t, f)
			if tc.queue {
				f.LoginPage = map[string]bool{"comment": true}
			}
			args := append([]string{"ticket", "comment", "HELP-7", "--text", `C:\Users\ana cannot open \\fs01\share`, "--ca-file", env.ca}, tc.flags...)
			r := cli(t, []string{f.Token}, args...)
			if tc.queue {
				if r.code != 69 || len(env.queued(t)) != 1 {
					t.Fatalf("exit %d, %d queued; want 69 and 1 (HTML answer)\n%s", r.code, len(env.queued(t)), r.stderr)
				}
				f.LoginPage = nil
				r = cli(t, []string{f.Token}, "ticket", "outbox", "flush", "--ca-file", env.ca)
			}
			if r.code != 0 {
				t.Fatalf("exit %d\n%s", r.code, r.stderr)
			}
			if !strings.Contains(r.stderr, tc.wantSay) {
				t.Errorf("stderr does not say %q:\n%s", tc.wantSay, r.stderr)
			}
			is := f.Issue("HELP-7")
			if len(is.CommentPublic) != 1 || is.CommentPublic[0] != tc.wantPublic {
				t.Errorf("customer sees = %v, want one comment with %v", is.CommentPublic, tc.wantPublic)
			}
		})
	}
}

// TestDirWhenChosen: with nothing configured, dir still works when
// chosen explicitly, and says where the note went.
func TestDirWhenChosen(t *testing.T) {
	env := newTicketEnv(t)
	r := cli(t, nil, "ticket", "comment", "SUP-123", "--text", "x", "--ticket-system", "dir")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "notes.txt in "+env.home) {
		t.Errorf("stderr does not say where the note went:\n%s", r.stderr)
	}
}
