package ticketclient_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/l2diag/l2diag/ticketclient"
)

// TestGetJSON: a decodable answer fills the value; an answer in JSON's
// clothes that does not decode is KindUnavailable with the API's hint.
func TestGetJSON(t *testing.T) {
	for _, tt := range []struct {
		name, body string
		wantErr    bool
	}{
		{"decodes", `{"name":"desk"}`, false},
		{"not the documented shape", `{"name":`, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var gotMethod, gotQuery string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				gotMethod, gotQuery = r.Method, r.URL.RawQuery
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			base, _ := url.Parse(srv.URL)
			api := &ticketclient.API{System: "desk", Base: base, HTTP: srv.Client(), AnswerHint: "check the URL",
				Backoff: ticketclient.Backoff{Attempts: 1}}
			var got struct{ Name string }
			err := api.GetJSON(context.Background(), "look up", "/thing", url.Values{"q": {"1"}}, &got)
			if gotMethod != http.MethodGet || gotQuery != "q=1" {
				t.Errorf("request = %s ?%s, want GET ?q=1", gotMethod, gotQuery)
			}
			if !tt.wantErr {
				if err != nil || got.Name != "desk" {
					t.Fatalf("got %+v, %v; want desk, nil", got, err)
				}
				return
			}
			k, ok := ticketclient.KindOf(err)
			var te *ticketclient.Error
			if !ok || k != ticketclient.KindUnavailable || !errors.As(err, &te) || te.Hint != "check the URL" || te.System != "desk" {
				t.Fatalf("err = %#v, want KindUnavailable from desk with the API's hint", err)
			}
		})
	}
}
