package jira_test

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/l2diag/l2diag/ticketclient"
	"github.com/l2diag/l2diag/ticketclient/fake"
	"github.com/l2diag/l2diag/ticketclient/jira"
)

// newClient builds a client for the fake, trusting its certificate through
// a CA file as a corporate instance would.
func newClient(t *testing.T, f *fake.Jira) ticketclient.Client {
	t.Helper()
	return newClientWith(t, f, nil)
}

// newClientWith is newClient with a chance to change the options.
func newClientWith(t *testing.T, f *fake.Jira, mutate func(*ticketclient.Options)) ticketclient.Client {
	t.Helper()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	cert := f.Server.Certificate()
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	_ = x509.NewCertPool
	hc, err := ticketclient.NewHTTPClient(ticketclient.TransportOptions{CAFile: ca, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	cfg := &ticketclient.Config{TimeoutDur: 5 * time.Second}
	jc := &jira.Config{URL: f.Server.URL, User: f.User, Token: f.Token}
	if f.Cloud {
		jc.Deployment = "cloud"
	}
	cfg.SetSection(jira.Name, jc)
	o := &ticketclient.Options{Config: cfg, HTTP: hc,
		Backoff: ticketclient.Backoff{Base: time.Millisecond, Cap: 5 * time.Millisecond}}
	if mutate != nil {
		mutate(o)
	}
	c, err := jira.New(o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func validator(t *testing.T) *fake.Validator {
	t.Helper()
	v, err := fake.LoadValidator()
	if err != nil {
		t.Skipf("OpenAPI/ADF specs not available, contract validation impossible: %v", err)
	}
	return v
}

func writeFile(t *testing.T, name string, size int) *ticketclient.File {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	data := []byte(strings.Repeat("l2diag bundle ", size/14+1))[:size]
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := ticketclient.OpenFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestDeliver(t *testing.T) {
	v := validator(t)
	for _, tc := range []struct {
		name  string
		cloud bool
		file  string
	}{
		{"cloud v3 adf", true, "l2diag-pc042-20250101T100000Z.zip"},
		{"data center v2 wiki", false, "l2diag-pc042-20250101T100000Z.zip"},
		{"non-ascii name", true, "Störung-Büro-Ü.zip"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := fake.NewJira(t, tc.cloud)
			f.Validate = v
			c := newClient(t, f)
			file := writeFile(t, tc.file, 100_000)
			note := &ticketclient.Note{Title: "l2diag dev on pc042: FAIL", Status: "fail", Summary: "1 problem",
				Problems:   []ticketclient.Problem{{Status: "fail", Label: "tcp-connect intranet:443", Message: "refused", Hint: "check the *firewall* {rule}"}},
				BundleName: file.Name, BundleSHA256: "ab12", BundleSize: file.Size}
			d := &ticketclient.Deliverer{Client: c}
			tk, err := d.Deliver(context.Background(), &ticketclient.Delivery{Key: "SUP-123", Files: []*ticketclient.File{file}, Note: note})
			if err != nil {
				t.Fatalf("Deliver: %v", err)
			}
			if tk.Key != "SUP-123" {
				t.Errorf("key = %q", tk.Key)
			}
			is := f.Issue("SUP-123")
			if len(is.Attachments) != 1 {
				t.Fatalf("attachments = %d, want 1", len(is.Attachments))
			}
			got := is.Attachments[0]
			sum, _ := file.SHA256()
			if got.Name != tc.file || got.Size != file.Size || got.SHA256 != sum || got.ContentType != "application/zip" {
				t.Errorf("stored %+v, want name %q size %d sha %s", got, tc.file, file.Size, sum)
			}
			if len(is.Comments) != 1 {
				t.Fatalf("comments = %d, want 1", len(is.Comments))
			}
			if c := string(is.Comments[0]); !strings.Contains(c, "tcp-connect") {
				t.Errorf("comment misses the problem: %s", c)
			}
		})
	}
}

// TestComments: the listing pages through every comment (the server
// answers fewer than asked), newest first, and reads the marker from a v3
// ADF body and from a v2 wiki body alike.
func TestComments(t *testing.T) {
	v := validator(t)
	for _, cloud := range []bool{true, false} {
		name := map[bool]string{true: "cloud", false: "data center"}[cloud]
		t.Run(name, func(t *testing.T) {
			f := fake.NewJira(t, cloud)
			f.Validate = v
			f.CommentPage = 2
			c := newClient(t, f)
			ctx := context.Background()
			tk, err := c.Lookup(ctx, "SUP-123")
			if err != nil {
				t.Fatal(err)
			}
			var notes []*ticketclient.Note
			for i := 0; i < 5; i++ {
				n := &ticketclient.Note{Text: strings.Repeat("note ", i+1)}
				if err := c.Comment(ctx, tk, n); err != nil {
					t.Fatal(err)
				}
				notes = append(notes, n)
			}
			got, err := c.Comments(ctx, tk, "")
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(notes) {
				t.Fatalf("listed %d comments, want %d", len(got), len(notes))
			}
			for i, n := range notes {
				// Newest first.
				if cm := got[len(got)-1-i]; !strings.Contains(cm.Text, n.Marker()) {
					t.Errorf("comment %s lacks the marker %s: %q", cm.ID, n.Marker(), cm.Text)
				}
			}
		})
	}
}

// Known fixes, solved tickets and the hand-off keep the comment valid ADF,
// and the wiki form shows them escaped.
func TestNoteWithKnownFixesRenders(t *testing.T) {
	n := &ticketclient.Note{Title: "l2diag 1.0 on pc1: FAIL", Status: "fail",
		Problems: []ticketclient.Problem{{Status: "fail", Label: "likely cause", Message: "Port 8443 is filtered.",
			Known: []string{"KB-NET-010 — Branch firewall [8443] (/kb/KB-NET-010.md)"}, Solved: []string{"SD-1 (issue): blocked — rule added"}}},
		Handoff: []string{"Take it: network — Port 8443 is filtered. (cause.port-filtered)", "Ruled out: DNS (every check passed)"}}
	raw, _ := json.Marshal(jira.ADF(n))
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if err := validator(t).ADF(doc); err != nil {
		t.Errorf("ADF: %v", err)
	}
	wiki := jira.Wiki(n)
	for _, want := range []string{`** *Known fix:* KB-NET-010 — Branch firewall \[8443\]`, "** _Solved before:_ SD-1", "h4. Hand-off\n* Take it: network"} {
		if !strings.Contains(wiki, want) {
			t.Errorf("wiki lacks %q:\n%s", want, wiki)
		}
	}
}
