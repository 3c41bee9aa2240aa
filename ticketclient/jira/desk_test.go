package jira_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/ticketclient"
	"github.com/l2diag/l2diag/ticketclient/fake"
)

// TestServiceDeskVisibility: on a Jira Service Management request a
// platform-API comment is mailed to the customer unless it carries
// sd.public.comment {internal: true}. The note is internal unless the
// caller asks for public, and Audience says which one it was.
func TestServiceDeskVisibility(t *testing.T) {
	v := validator(t)
	for _, tc := range []struct {
		name       string
		cloud      bool
		visibility string
		wantPublic bool
		audience   string
	}{
		{"cloud default is internal", true, "", false, "internal"},
		{"data center default is internal", false, "", false, "internal"},
		{"cloud --internal", true, ticketclient.VisibilityInternal, false, "internal"},
		{"cloud --public", true, ticketclient.VisibilityPublic, true, "public"},
		{"data center --public", false, ticketclient.VisibilityPublic, true, "public"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := fake.NewJira(t, tc.cloud)
			f.Validate = v
			f.AddServiceDeskIssue("HELP-7")
			c := newClient(t, f)
			n := &ticketclient.Note{Text: "pc042 cannot reach \\\\fs01\\share", Visibility: tc.visibility}
			if _, err := (&ticketclient.Deliverer{Client: c}).Deliver(context.Background(), &ticketclient.Delivery{Key: "HELP-7", Note: n}); err != nil {
				t.Fatalf("Deliver: %v", err)
			}
			is := f.Issue("HELP-7")
			if len(is.CommentPublic) != 1 {
				t.Fatalf("comments = %d, want 1", len(is.CommentPublic))
			}
			if got := is.CommentPublic[0]; got != tc.wantPublic {
				t.Errorf("customer sees the comment = %v, want %v", got, tc.wantPublic)
			}
			if got := c.Audience(n); !strings.Contains(got, tc.audience) {
				t.Errorf("Audience = %q, want it to say %q", got, tc.audience)
			}
		})
	}
}

// TestWritesVerified: a 200 that is not the API's answer (an SSO or proxy
// HTML page) and an upload stored with fewer bytes than sent are
// failures, not deliveries.
func TestWritesVerified(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(f *fake.Jira)
		files bool
		want  string
	}{
		{"comment answered by an HTML login page", func(f *fake.Jira) { f.LoginPage = map[string]bool{"comment": true, "comments": true} }, false, "text/html"},
		{"upload answered by an HTML login page", func(f *fake.Jira) { f.LoginPage = map[string]bool{"attach": true} }, true, "text/html"},
		{"upload stored short", func(f *fake.Jira) { f.ShortUploads = 10 }, true, "stored"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := fake.NewJira(t, true)
			tc.setup(f)
			c := newClient(t, f)
			dl := &ticketclient.Delivery{Key: "SUP-123"}
			if tc.files {
				dl.Files = []*ticketclient.File{writeFile(t, "b.zip", 5000)}
			} else {
				dl.Note = &ticketclient.Note{Text: "hello"}
			}
			_, err := (&ticketclient.Deliverer{Client: c, Backoff: ticketclient.Backoff{Attempts: 2, Base: 1, Cap: 1}}).Deliver(context.Background(), dl)
			if err == nil {
				t.Fatalf("Deliver succeeded; want an error naming %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
			if dl.Commented || len(dl.Attached) > 0 {
				t.Errorf("delivery counts as done: commented %v, attached %v", dl.Commented, dl.Attached)
			}
		})
	}
}

// TestCaptchaDenied: Jira DC refusing a login until a CAPTCHA is solved
// says so (X-Authentication-Denied-Reason) instead of "no permission".
func TestCaptchaDenied(t *testing.T) {
	f := fake.NewJira(t, false)
	f.DeniedReason = "CAPTCHA_CHALLENGE"
	c := newClient(t, f)
	_, err := c.Whoami(context.Background())
	var te *ticketclient.Error
	if !errors.As(err, &te) {
		t.Fatalf("err = %v, want a ticket error", err)
	}
	if te.Kind != ticketclient.KindAuth || !strings.Contains(te.Error(), "CAPTCHA") || !strings.Contains(te.Hint, "browser") {
		t.Errorf("got kind %v, %q, hint %q; want auth naming the CAPTCHA and the browser login", te.Kind, te.Error(), te.Hint)
	}
}

// TestLoginRedirect: a redirect to an SSO login page is a refused login;
// the hint must not send the token to the identity provider by telling
// the user to point the URL there.
func TestLoginRedirect(t *testing.T) {
	for _, tc := range []struct {
		name, location string
		wantKind       ticketclient.Kind
		wantHint       string
	}{
		{"sso login", "https://login.microsoftonline.com/tenant/saml2?SAMLRequest=x", ticketclient.KindAuth, "Keep the URL at"},
		{"jira login page", "/login.jsp?os_destination=%2Frest%2Fapi%2F2%2Fmyself", ticketclient.KindAuth, "Keep the URL at"},
		{"moved instance", "https://jira.new.example/rest/api/2/myself", ticketclient.KindUnavailable, "set it to the address"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := fake.NewJira(t, false)
			f.Fault = func(w http.ResponseWriter, r *http.Request, op string) bool {
				w.Header().Set("Location", tc.location)
				w.WriteHeader(http.StatusFound)
				return true
			}
			c := newClient(t, f)
			_, err := c.Whoami(context.Background())
			var te *ticketclient.Error
			if !errors.As(err, &te) {
				t.Fatalf("err = %v", err)
			}
			if te.Kind != tc.wantKind || !strings.Contains(te.Hint, tc.wantHint) {
				t.Errorf("kind %v hint %q; want %v with %q", te.Kind, te.Hint, tc.wantKind, tc.wantHint)
			}
			if tc.wantKind == ticketclient.KindAuth && strings.Contains(te.Hint, "microsoftonline") {
				t.Errorf("the hint points at the identity provider: %q", te.Hint)
			}
		})
	}
}

// TestInternalNotHonoured: when Jira answers that it stored an internal
// note as public (jsdPublic: true), the delivery fails saying so instead
// of reporting an internal note.
func TestInternalNotHonoured(t *testing.T) {
	f := fake.NewJira(t, true)
	f.AddServiceDeskIssue("HELP-7")
	f.NotAgent = true
	c := newClient(t, f)
	err := c.Comment(context.Background(), &ticketclient.Ticket{Key: "HELP-7"}, &ticketclient.Note{Text: "x"})
	if err == nil || !strings.Contains(err.Error(), "jsdPublic") {
		t.Fatalf("err = %v, want one saying the comment is public", err)
	}
}
