package fake

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// The fakes' searches answer as the vendors do, inconvenient parts included.
func TestFakesSearchLikeTheVendor(t *testing.T) {
	j := NewJira(t, true)
	j.AddSolvedIssue("SUP-1", "done", "Fixed", time.Now(), []string{"l2diag-cause.x"}, "")
	open := j.AddSolvedIssue("SUP-2", "open", "", time.Now(), []string{"l2diag-cause.x"}, "")
	open.Done = false
	sn := NewServiceNow(t)
	sn.AddSolved("incident", "INC0000001", map[string]string{"state": "6"})
	sn.AddSolved("incident", "INC0000002", map[string]string{"state": "2"})

	jql := func(q string) string { return "/rest/api/3/search/jql?fields=summary&jql=" + url.QueryEscape(q) }
	tests := []struct {
		name     string
		jira     bool
		path     string
		wantCode int
		want     string
		notWant  string
	}{
		{"jira: only Done issues", true, jql(`labels = "l2diag-cause.x" AND statusCategory = Done`), 200, `"key":"SUP-1"`, "SUP-2"},
		{"jira: a clause it does not know is a 400", true, jql(`text ~ "cause.x"`), 400, "Error in the JQL Query", ""},
		{"jira cloud: the old search is gone", true, "/rest/api/3/search?jql=x", 410, "/search/jql", ""},
		{"servicenow: a misspelt field is ignored, not refused", false,
			"/api/now/table/incident?sysparm_fields=number&sysparm_query=" + url.QueryEscape("staet=6"), 200, "INC0000002", ""},
		{"servicenow: a known field filters", false,
			"/api/now/table/incident?sysparm_fields=number&sysparm_query=" + url.QueryEscape("stateIN6,7"), 200, "INC0000001", "INC0000002"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, client := sn.Server.URL, sn.Server.Client()
			if tt.jira {
				base, client = j.Server.URL, j.Server.Client()
			}
			r, _ := http.NewRequest("GET", base+tt.path, nil)
			if tt.jira {
				r.SetBasicAuth(j.User, j.Token)
			} else {
				r.SetBasicAuth(sn.User, sn.Password)
			}
			resp, err := client.Do(r)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.wantCode || !strings.Contains(string(b), tt.want) || tt.notWant != "" && strings.Contains(string(b), tt.notWant) {
				t.Errorf("got %d %s, want %d with %q without %q", resp.StatusCode, b, tt.wantCode, tt.want, tt.notWant)
			}
		})
	}
}
