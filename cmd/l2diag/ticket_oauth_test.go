package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/l2diag/l2diag/ticketclient/fake"
)

// TestOAuthOutbox: a delivery through an OAuth client that fails goes to
// the outbox without any secret or token in it, and a later flush (whose
// first token is long gone) gets a fresh token and delivers.
func TestOAuthOutbox(t *testing.T) {
	env := newTicketEnv(t)
	f := fake.NewServiceNow(t)
	f.ClientID, f.ClientSecret, f.TokenUses = "l2diag-client", "oauth-client-secret-789", 3
	t.Setenv("L2DIAG_SERVICENOW_URL", f.Server.URL)
	t.Setenv("L2DIAG_SERVICENOW_CLIENT_ID", f.ClientID)
	t.Setenv("L2DIAG_SERVICENOW_CLIENT_SECRET", f.ClientSecret)
	ca := writeCA(t, f.Server.Certificate().Raw)
	down := &atomic.Bool{}
	down.Store(true)
	f.Fault = func(w http.ResponseWriter, r *http.Request, op string) bool {
		if op != "attach" || !down.Load() {
			return false
		}
		w.Header().Set("Retry-After", "600")
		w.WriteHeader(http.StatusServiceUnavailable)
		return true
	}
	b := bundleFile(t, "l2diag-pc042.zip", 3000)
	r := cli(t, []string{f.ClientSecret}, "ticket", "attach", "INC0010001", b, "--ca-file", ca)
	if r.code != 69 {
		t.Fatalf("exit %d, want 69\n%s", r.code, r.stderr)
	}
	if q := env.queued(t); len(q) != 1 {
		t.Fatalf("%d queued, want 1", len(q))
	}
	err := filepath.WalkDir(env.outbox, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, s := range []string{f.ClientSecret, "sn-access-", "sn-refresh-"} {
			if strings.Contains(string(data), s) {
				t.Errorf("%s holds %q", p, s)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	down.Store(false)
	r = cli(t, []string{f.ClientSecret}, "ticket", "outbox", "flush", "--ca-file", ca)
	if r.code != 0 {
		t.Fatalf("flush: exit %d\n%s", r.code, r.stderr)
	}
	if got := f.Record("INC0010001").Attachments; len(got) != 1 {
		t.Errorf("attachments = %d, want 1", len(got))
	}
	if g := f.Grants(); len(g) < 2 {
		t.Errorf("grants = %q: the flush should have fetched its own token", g)
	}
}
