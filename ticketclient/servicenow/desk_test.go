package servicenow_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/l2diag/l2diag/ticketclient"
	"github.com/l2diag/l2diag/ticketclient/fake"
)

func deliverer(c ticketclient.Client, said *[]string) *ticketclient.Deliverer {
	return &ticketclient.Deliverer{Client: c, Backoff: ticketclient.Backoff{Attempts: 3, Base: time.Millisecond, Cap: 2 * time.Millisecond},
		Say: func(format string, args ...any) { *said = append(*said, fmt.Sprintf(format, args...)) }}
}

// TestJournalFromRecord: integration accounts usually may not read
// sys_journal_field. The duplicate check reads the record's own journal
// instead, so a lost answer and an outbox flush neither stick nor post
// twice.
func TestJournalFromRecord(t *testing.T) {
	for _, tc := range []struct {
		name   string
		drop   int
		check  bool
		posted bool // the note is on the record before the delivery
	}{
		{name: "answer lost", drop: 1},
		{name: "flush, note not yet there", check: true},
		{name: "flush, note already there", check: true, posted: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := fake.NewServiceNow(t)
			f.NoJournalAccess = true
			f.DropNoteResponses = tc.drop
			c := newClient(t, f, "")
			note := &ticketclient.Note{Text: "re-ran after the VPN fix: all ok"}
			if tc.posted {
				tk, err := c.Lookup(context.Background(), "INC0010001")
				if err != nil {
					t.Fatal(err)
				}
				if err := c.Comment(context.Background(), tk, note); err != nil {
					t.Fatal(err)
				}
			}
			var said []string
			_, err := deliverer(c, &said).Deliver(context.Background(), &ticketclient.Delivery{Key: "INC0010001", Note: note, CheckExisting: tc.check})
			if err != nil {
				t.Fatalf("Deliver: %v (said %q)", err, said)
			}
			if got := f.Record("INC0010001").WorkNotes; len(got) != 1 {
				t.Errorf("work notes = %d, want 1", len(got))
			}
		})
	}
}

// TestNoDuplicateCheckPossible: an account that may read neither the
// journal nor the record's work notes still gets its note delivered (with
// the marker, and saying so) instead of sticking in the outbox forever.
func TestNoDuplicateCheckPossible(t *testing.T) {
	f := fake.NewServiceNow(t)
	f.NoJournalAccess = true
	f.NoRead = map[string]bool{"incident": true}
	c := newClient(t, f, "")
	note := &ticketclient.Note{Text: "flushed from the outbox"}
	var said []string
	_, err := deliverer(c, &said).Deliver(context.Background(), &ticketclient.Delivery{Key: "INC0010001", Note: note, CheckExisting: true})
	if err != nil {
		t.Fatalf("Deliver: %v", err)
	}
	if got := f.Record("INC0010001").WorkNotes; len(got) != 1 || !strings.Contains(got[0], note.Marker()) {
		t.Errorf("work notes = %q, want one carrying %s", got, note.Marker())
	}
	if !slices.ContainsFunc(said, func(s string) bool { return strings.Contains(s, "cannot check") && strings.Contains(s, note.Marker()) }) {
		t.Errorf("the output does not say the duplicate check was impossible: %q", said)
	}
}

// TestSilentFieldDrop: a PATCH answered 200 without storing the note (no
// write access to the field, or a table without it) is not a delivery.
func TestSilentFieldDrop(t *testing.T) {
	f := fake.NewServiceNow(t)
	f.SilentDrop = map[string]bool{"work_notes": true}
	c := newClient(t, f, "")
	dl := &ticketclient.Delivery{Key: "INC0010001", Note: &ticketclient.Note{Text: "hello"}}
	var said []string
	_, err := deliverer(c, &said).Deliver(context.Background(), dl)
	if err == nil || !strings.Contains(err.Error(), "work_notes") {
		t.Fatalf("err = %v, want one naming work_notes", err)
	}
	if dl.Commented {
		t.Error("the note counts as posted")
	}
}

// TestNumbers: numbers are not always 7 digits and prefixes vary per
// instance; the record is found on task and its table taken from
// sys_class_name.
func TestNumbers(t *testing.T) {
	for _, tc := range []struct {
		table, number string
		noRead        []string
	}{
		{"incident", "INC12345678", nil},
		{"incident", "INC0010099", nil},
		{"sn_hr_core_case", "HRC0001234", nil},
		{"u_service_request", "SR00012345", nil},
		{"sc_task", "TASK0012345", nil},
		{"sc_req_item", "RITM0010007", []string{"incident", "task"}},
	} {
		t.Run(tc.number, func(t *testing.T) {
			f := fake.NewServiceNow(t)
			f.AddRecord(tc.table, tc.number)
			f.NoRead = map[string]bool{}
			for _, tb := range tc.noRead {
				f.NoRead[tb] = true
			}
			c := newClient(t, f, "")
			if _, err := c.NormalizeKey(strings.ToLower(tc.number)); err != nil {
				t.Fatalf("NormalizeKey: %v", err)
			}
			tk, err := c.Lookup(context.Background(), tc.number)
			if err != nil {
				t.Fatalf("Lookup: %v", err)
			}
			if tk.Table != tc.table || tk.Key != tc.number {
				t.Errorf("found %s in %s, want %s in %s", tk.Key, tk.Table, tc.number, tc.table)
			}
			if err := c.Comment(context.Background(), tk, &ticketclient.Note{Text: "x"}); err != nil {
				t.Fatalf("Comment: %v", err)
			}
		})
	}
}

// TestCheckWithoutIncidentRead: an account that works only requested
// items passes the credentials check.
func TestCheckWithoutIncidentRead(t *testing.T) {
	f := fake.NewServiceNow(t)
	f.NoRead = map[string]bool{"incident": true, "task": true}
	c := newClient(t, f, "")
	who, err := c.Whoami(context.Background())
	if err != nil || !strings.Contains(who, f.User) {
		t.Fatalf("Whoami = %q, %v; want the user", who, err)
	}
}

// TestPerCallChoices: --public posts a customer-visible comment,
// --comment-field and --table override the config for one call.
func TestPerCallChoices(t *testing.T) {
	f := fake.NewServiceNow(t)
	f.AddRecord("u_facilities", "FAC0000042")
	c := newClientWith(t, f, func(o *ticketclient.Options) {
		o.Settings = map[string]string{"table": "u_facilities", "comment-field": "comments"}
	})
	tk, err := c.Lookup(context.Background(), "FAC0000042")
	if err != nil {
		t.Fatal(err)
	}
	n := &ticketclient.Note{Text: "done"}
	if err := c.Comment(context.Background(), tk, n); err != nil {
		t.Fatal(err)
	}
	if got := f.Record("FAC0000042"); len(got.Comments) != 1 || len(got.WorkNotes) != 0 {
		t.Errorf("comments %d, work notes %d; want 1, 0", len(got.Comments), len(got.WorkNotes))
	}
	if a := c.Audience(n); !strings.Contains(a, "comments") {
		t.Errorf("Audience = %q", a)
	}
	pub := &ticketclient.Note{Text: "public", Visibility: ticketclient.VisibilityInternal}
	if err := c.Comment(context.Background(), tk, pub); err != nil {
		t.Fatal(err)
	}
	if got := f.Record("FAC0000042"); len(got.WorkNotes) != 1 {
		t.Errorf("--internal did not write a work note: %+v", got)
	}
}

// TestOAuth: static tokens expire; the client gets tokens from
// /oauth_token.do (client credentials, or the password grant with its
// refresh token) and renews them when the instance says expired.
func TestOAuth(t *testing.T) {
	for _, tc := range []struct {
		name      string
		user      bool
		wantGrant string
	}{
		{"client credentials", false, "client_credentials"},
		{"password grant with refresh", true, "refresh_token"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := fake.NewServiceNow(t)
			f.ClientID, f.ClientSecret, f.TokenUses = "l2diag-client", "oauth-client-secret-789", 2
			c := newClientWith(t, f, func(o *ticketclient.Options) {
				sn := snConfig(o)
				sn.ClientID, sn.ClientSecret = f.ClientID, f.ClientSecret
				if !tc.user {
					sn.User, sn.Password = "", ""
				}
			})
			b := file(t, "l2diag-pc042.zip", 1000)
			var said []string
			_, err := deliverer(c, &said).Deliver(context.Background(), &ticketclient.Delivery{Key: "INC0010001", Files: []*ticketclient.File{b},
				Note: &ticketclient.Note{Text: "with oauth"}, CheckExisting: true})
			if err != nil {
				t.Fatalf("Deliver: %v", err)
			}
			grants := f.Grants()
			if len(grants) < 2 || !slices.Contains(grants, tc.wantGrant) {
				t.Errorf("grants = %q, want a renewal by %s", grants, tc.wantGrant)
			}
			if rec := f.Record("INC0010001"); len(rec.Attachments) != 1 || len(rec.WorkNotes) != 1 {
				t.Errorf("attachments %d, notes %d; want 1 each", len(rec.Attachments), len(rec.WorkNotes))
			}
		})
	}
}

// TestCheckLoginRedirect: a redirect to the login page is a refused
// login, not "logged in without read access".
func TestCheckLoginRedirect(t *testing.T) {
	f := fake.NewServiceNow(t)
	f.Fault = func(w http.ResponseWriter, r *http.Request, op string) bool {
		w.Header().Set("Location", "/login.do")
		w.WriteHeader(http.StatusFound)
		return true
	}
	c := newClient(t, f, "")
	who, err := c.Whoami(context.Background())
	if k, _ := ticketclient.KindOf(err); k != ticketclient.KindAuth {
		t.Fatalf("Whoami = %q, %v; want an authentication error", who, err)
	}
}
