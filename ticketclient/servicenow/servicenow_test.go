package servicenow_test

import (
	"context"
	"encoding/pem"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/l2diag/l2diag/ticketclient"
	"github.com/l2diag/l2diag/ticketclient/fake"
	"github.com/l2diag/l2diag/ticketclient/servicenow"
)

func newClient(t *testing.T, f *fake.ServiceNow, field string) ticketclient.Client {
	t.Helper()
	return newClientWith(t, f, func(o *ticketclient.Options) { snConfig(o).CommentField = field })
}

// newClientWith builds a client for the fake after mutate changed the
// options (config, per-call settings).
func newClientWith(t *testing.T, f *fake.ServiceNow, mutate func(*ticketclient.Options)) ticketclient.Client {
	t.Helper()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: f.Server.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	hc, err := ticketclient.NewHTTPClient(ticketclient.TransportOptions{CAFile: ca, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	cfg := &ticketclient.Config{}
	cfg.SetSection(servicenow.Name, &servicenow.Config{URL: f.Server.URL, User: f.User, Password: f.Password, Token: f.Token})
	o := &ticketclient.Options{Config: cfg, HTTP: hc, Backoff: ticketclient.Backoff{Base: time.Millisecond, Cap: 2 * time.Millisecond}}
	if mutate != nil {
		mutate(o)
	}
	c, err := servicenow.New(o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// snConfig is the options' servicenow: section.
func snConfig(o *ticketclient.Options) *servicenow.Config {
	return o.Config.Section(servicenow.Name).(*servicenow.Config)
}

func file(t *testing.T, name string, size int) *ticketclient.File {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(strings.Repeat("z", size)), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := ticketclient.OpenFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestDeliver(t *testing.T) {
	tests := []struct {
		name      string
		number    string
		field     string
		token     bool
		drop      int
		wantNotes int
		wantComm  int
	}{
		{name: "incident work note, basic", number: "INC0010001", wantNotes: 1},
		{name: "requested item, comment field, bearer", number: "RITM0010002", field: "comments", token: true, wantComm: 1},
		{name: "answer lost after storing: no duplicate", number: "INC0010001", drop: 1, wantNotes: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := fake.NewServiceNow(t)
			if tc.token {
				f.Token = "sn-oauth-token"
			}
			f.DropAttachResponses = tc.drop
			c := newClient(t, f, tc.field)
			b := file(t, "l2diag-pc042.zip", 50_000)
			d := &ticketclient.Deliverer{Client: c, Backoff: ticketclient.Backoff{Base: time.Millisecond, Cap: 2 * time.Millisecond}}
			note := &ticketclient.Note{Title: "l2diag on pc042: WARN", Status: "warn", BundleName: b.Name, BundleSHA256: "ff"}
			if _, err := d.Deliver(context.Background(), &ticketclient.Delivery{Key: strings.ToLower(tc.number), Files: []*ticketclient.File{b}, Note: note}); err != nil {
				t.Fatalf("Deliver: %v", err)
			}
			rec := f.Record(tc.number)
			if len(rec.Attachments) != 1 || rec.Attachments[0].Size != b.Size || rec.Attachments[0].ContentType != "application/zip" {
				t.Fatalf("attachments = %+v", rec.Attachments)
			}
			if len(rec.WorkNotes) != tc.wantNotes || len(rec.Comments) != tc.wantComm {
				t.Errorf("work notes %d, comments %d; want %d, %d", len(rec.WorkNotes), len(rec.Comments), tc.wantNotes, tc.wantComm)
			}
		})
	}
}

// TestLookupChecksNumber: ServiceNow ignores an invalid query and returns
// some record; the client must notice the number does not match.
func TestLookupChecksNumber(t *testing.T) {
	f := fake.NewServiceNow(t)
	f.Fault = func(w http.ResponseWriter, r *http.Request, op string) bool {
		if op != "lookup" {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"result":[{"sys_id":"0123456789abcdef0123456789abcdef","number":"INC0000001"}]}`))
		return true
	}
	c := newClient(t, f, "")
	_, err := c.Lookup(context.Background(), "INC0010001")
	if k, _ := ticketclient.KindOf(err); k != ticketclient.KindNotFound {
		t.Fatalf("err = %v, want not found", err)
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		want   ticketclient.Kind
		msg    string
	}{
		{"acl", 403, `{"error":{"message":"Operation Failed","detail":"ACL Exception Insert Failed due to security constraints"},"status":"failure"}`, ticketclient.KindAuth, "ACL Exception"},
		{"mime", 400, `{"error":{"message":"File type not permitted or mime type does not match the file content","detail":null},"status":"failure"}`, ticketclient.KindUnavailable, "mime type"},
		{"rate", 429, `{"error":{"message":"Rate limit exceeded"},"status":"failure"}`, ticketclient.KindRateLimited, "Rate limit"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := fake.NewServiceNow(t)
			f.Fault = func(w http.ResponseWriter, r *http.Request, op string) bool {
				if op != "attach" {
					return false
				}
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Retry-After", "0")
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
				return true
			}
			c := newClient(t, f, "")
			tk, err := c.Lookup(context.Background(), "INC0010001")
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Attach(context.Background(), tk, file(t, "a.zip", 10))
			if k, _ := ticketclient.KindOf(err); k != tc.want || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("err = %v (kind %v), want kind %v with %q", err, k, tc.want, tc.msg)
			}
		})
	}
}
