package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/l2diag/l2diag/ticketclient"
	"github.com/l2diag/l2diag/ticketclient/fake"
)

// commentTarget is one ticket system under the duplicate-comment tests.
type commentTarget struct {
	system string
	key    string
	secret string
	// loseNext makes the server store the next note and drop its answer;
	// nil where a lost answer cannot happen (dir).
	loseNext func()
	// listDown makes listing the comments fail (503, Retry-After beyond
	// what the CLI waits for) while it holds true.
	listDown *atomic.Bool
	// notes are the stored comments' texts, oldest first.
	notes func() []string
}

func jiraTarget(t *testing.T, env *ticketEnv, cloud bool) commentTarget {
	f := fake.NewJira(t, cloud)
	f.Validate = validatorOrNil(t)
	f.CommentPage = 2 // make the client page through the listing
	env.jira(t, f)
	down := &atomic.Bool{}
	f.Fault = listFault(down, "comments")
	return commentTarget{system: "jira", key: "SUP-123", secret: f.Token, listDown: down,
		loseNext: func() { f.DropCommentResponses = 1 },
		notes: func() []string {
			var out []string
			for _, raw := range f.Issue("SUP-123").Comments {
				out = append(out, string(raw))
			}
			return out
		}}
}

func serviceNowTarget(t *testing.T, env *ticketEnv) commentTarget {
	f := fake.NewServiceNow(t)
	t.Setenv("L2DIAG_SERVICENOW_URL", f.Server.URL)
	t.Setenv("L2DIAG_SERVICENOW_USER", f.User)
	t.Setenv("L2DIAG_SERVICENOW_PASSWORD", f.Password)
	env.ca = writeCA(t, f.Server.Certificate().Raw)
	down := &atomic.Bool{}
	f.Fault = listFault(down, "record")
	return commentTarget{system: "servicenow", key: "INC0010001", secret: f.Password, listDown: down,
		loseNext: func() { f.DropNoteResponses = 1 },
		notes:    func() []string { return f.Record("INC0010001").WorkNotes }}
}

func dirTarget(t *testing.T, env *ticketEnv) commentTarget {
	share := filepath.Join(t.TempDir(), "share")
	t.Setenv("L2DIAG_TICKET_DIR", share)
	return commentTarget{system: "dir", key: "SUP-123", notes: func() []string {
		data, err := os.ReadFile(filepath.Join(share, "SUP-123", "notes.txt"))
		if err != nil {
			return nil
		}
		return strings.Split(string(data), "=== ")[1:]
	}}
}

func listFault(down *atomic.Bool, op string) func(http.ResponseWriter, *http.Request, string) bool {
	return func(w http.ResponseWriter, r *http.Request, got string) bool {
		if got != op || !down.Load() {
			return false
		}
		w.Header().Set("Retry-After", "600")
		w.WriteHeader(http.StatusServiceUnavailable)
		return true
	}
}

// TestCommentNotDuplicated: a note the server stored although its answer
// was lost is found among the ticket's comments and not posted again, in
// the same run and by a later outbox flush; an outbox entry whose note is
// already on the ticket is delivered without a second comment, and one
// whose note is not there gets it.
func TestCommentNotDuplicated(t *testing.T) {
	systems := []struct {
		name string
		make func(t *testing.T, env *ticketEnv) commentTarget
	}{
		{"jira cloud", func(t *testing.T, env *ticketEnv) commentTarget { return jiraTarget(t, env, true) }},
		{"jira data center", func(t *testing.T, env *ticketEnv) commentTarget { return jiraTarget(t, env, false) }},
		{"servicenow", serviceNowTarget},
		{"dir", dirTarget},
	}
	tests := []struct {
		name string
		// bundle: the note summarizes a bundle (marker: its SHA-256);
		// else it is --text (marker: the Ref line).
		bundle bool
		// lost: the server stores the note and drops the answer.
		lost bool
		// listDown: listing the comments fails until the flush.
		listDown bool
		// queued: the same delivery is also put in the outbox by hand;
		// posted: the note was posted (confirmed) before.
		queued, posted bool
		wantCode       int
		wantQueue      int
		wantStderr     string
		wantFlushErr   string
	}{
		{name: "answer lost, the retry finds the comment", bundle: true, lost: true,
			wantCode: 0, wantStderr: "not posting it again"},
		{name: "answer lost, listing down: queued, the flush finds it", lost: true, listDown: true,
			wantCode: 69, wantQueue: 1, wantStderr: "outbox", wantFlushErr: "not posting it again"},
		{name: "flush of an entry whose note was posted", posted: true, queued: true,
			wantFlushErr: "not posting it again"},
		{name: "flush of an entry whose note was posted (bundle)", bundle: true, posted: true, queued: true,
			wantFlushErr: "not posting it again"},
		{name: "flush of an entry whose note is not there posts it", bundle: true, queued: true},
	}
	for _, sys := range systems {
		for _, tc := range tests {
			t.Run(sys.name+"/"+tc.name, func(t *testing.T) {
				env := newTicketEnv(t)
				tg := sys.make(t, env)
				if tc.lost && tg.loseNext == nil {
					t.Skip("a folder has no answer to lose")
				}
				conn := []string{"--ca-file", env.ca}
				if env.ca == "" {
					conn = nil
				}
				args := []string{"ticket", "comment", tg.key, "--text", "re-ran after the VPN fix: all ok"}
				note := &ticketclient.Note{Text: "re-ran after the VPN fix: all ok"}
				if tc.bundle {
					b := writeTestBundle(t, t.TempDir(), "l2diag-lab-20250102T030405Z.zip", nil)
					args = []string{"ticket", "comment", tg.key, "--from-bundle", b}
					var err error
					if note, err = noteFromBundle(b); err != nil {
						t.Fatal(err)
					}
				}
				if tc.posted || tc.lost {
					if tc.lost {
						tg.loseNext()
					}
					if tc.listDown {
						tg.listDown.Store(true)
					}
					r := cli(t, []string{tg.secret}, append(args, conn...)...)
					if r.code != tc.wantCode {
						t.Fatalf("exit %d, want %d\n%s", r.code, tc.wantCode, r.stderr)
					}
					if !strings.Contains(r.stderr, tc.wantStderr) {
						t.Errorf("stderr lacks %q:\n%s", tc.wantStderr, r.stderr)
					}
					if n := len(tg.notes()); n != 1 {
						t.Fatalf("comments after the run = %d, want 1:\n%s", n, strings.Join(tg.notes(), "\n---\n"))
					}
					if q := env.queued(t); len(q) != tc.wantQueue {
						t.Fatalf("outbox holds %d entries, want %d", len(q), tc.wantQueue)
					}
				}
				if tc.queued {
					if _, err := (&ticketclient.Outbox{Dir: env.outbox}).Add(&ticketclient.Delivery{System: tg.system, Key: tg.key, Note: note}, nil); err != nil {
						t.Fatal(err)
					}
				}
				if tg.listDown != nil {
					tg.listDown.Store(false)
				}
				r := cli(t, []string{tg.secret}, append([]string{"ticket", "outbox", "flush"}, conn...)...)
				if r.code != 0 {
					t.Fatalf("flush: exit %d\n%s", r.code, r.stderr)
				}
				if !strings.Contains(r.stderr, tc.wantFlushErr) {
					t.Errorf("flush stderr lacks %q:\n%s", tc.wantFlushErr, r.stderr)
				}
				notes := tg.notes()
				if len(notes) != 1 {
					t.Fatalf("comments after the flush = %d, want 1:\n%s", len(notes), strings.Join(notes, "\n---\n"))
				}
				if !strings.Contains(notes[0], note.Marker()) {
					t.Errorf("the comment lacks the marker %s:\n%s", note.Marker(), notes[0])
				}
				if q := env.queued(t); len(q) != 0 {
					t.Errorf("outbox still holds %d entries", len(q))
				}
			})
		}
	}
}

// TestNoteMarker: the marker is the bundle's SHA-256 when there is one,
// else a Ref line that survives the outbox's JSON round trip unchanged.
func TestNoteMarker(t *testing.T) {
	tests := []struct {
		name    string
		note    ticketclient.Note
		want    string // prefix of the marker
		wantRef bool
	}{
		{name: "bundle", note: ticketclient.Note{Title: "x", BundleName: "b.zip", BundleSHA256: strings.Repeat("ab", 32)}, want: strings.Repeat("ab", 32)},
		{name: "text", note: ticketclient.Note{Text: "all ok"}, want: "l2diag:", wantRef: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.note.Marker()
			if !strings.HasPrefix(got, tc.want) {
				t.Errorf("marker %q, want prefix %q", got, tc.want)
			}
			data, _ := json.Marshal(&tc.note)
			var back ticketclient.Note
			if err := json.Unmarshal(data, &back); err != nil {
				t.Fatal(err)
			}
			if back.Marker() != got {
				t.Errorf("marker after the outbox round trip %q, want %q", back.Marker(), got)
			}
			if text := tc.note.PlainText(); !strings.Contains(text, got) {
				t.Errorf("the note does not show its marker %q:\n%s", got, text)
			}
			if hasRef := strings.Contains(tc.note.PlainText(), "Ref: "); hasRef != tc.wantRef {
				t.Errorf("Ref line shown = %v, want %v", hasRef, tc.wantRef)
			}
		})
	}
}
