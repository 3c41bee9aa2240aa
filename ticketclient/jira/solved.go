package jira

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/ticketclient"
)

var (
	_ ticketclient.Searcher    = (*Client)(nil)
	_ ticketclient.CauseMarker = (*Client)(nil)
)

// MarkCauses adds the cause labels to the issue (PUT issue with an
// update.labels add operation, which keeps the labels already there).
// Jira refuses it with 400 when the labels field is not on the issue's edit
// screen and with 403 without the Edit Issues permission; the caller treats
// either as a warning, the note is posted already.
func (c *Client) MarkCauses(ctx context.Context, t *ticketclient.Ticket, causes []string) error {
	if len(causes) == 0 {
		return nil
	}
	base, err := c.base(ctx)
	if err != nil {
		return err
	}
	var ops []map[string]string
	for _, code := range causes {
		ops = append(ops, map[string]string{"add": ticketclient.CauseLabel(code)})
	}
	_, err = c.api.Do(ctx, &ticketclient.Request{Op: "label " + t.Key, Method: http.MethodPut,
		Path: base + "/issue/" + url.PathEscape(t.Key), Query: url.Values{"notifyUsers": {"false"}},
		JSON: map[string]any{"update": map[string]any{"labels": ops}}, Idempotent: true})
	return err
}

// SolvedJQL is the search for resolved issues carrying a cause's label,
// most recently resolved first.
func SolvedJQL(cause string) string {
	return fmt.Sprintf(`labels = "%s" AND statusCategory = Done ORDER BY resolutiondate DESC`, ticketclient.CauseLabel(cause))
}

// solvedFields are the fields a solved issue is shown with: the resolution
// and the last comment, where the fix is usually written.
const solvedFields = "summary,resolution,resolutiondate,comment"

// maxResolutionText caps the fix quoted from the last comment.
const maxResolutionText = 200

// SearchSolved finds resolved issues labelled with the cause: JQL over
// labels and statusCategory = Done. Cloud answers on /search/jql (the old
// /search is gone there), Data Center on /search. Jira leaves out issues
// the account may not browse without saying so.
func (c *Client) SearchSolved(ctx context.Context, cause string, limit int) ([]report.SolvedTicket, error) {
	d, err := c.resolve(ctx)
	if err != nil {
		return nil, err
	}
	path := "/search"
	if d == "cloud" {
		path = "/search/jql"
	}
	var doc struct {
		Issues []struct {
			Key    string `json:"key"`
			Fields struct {
				Summary    string `json:"summary"`
				Resolution *struct {
					Name string `json:"name"`
				} `json:"resolution"`
				ResolutionDate string `json:"resolutiondate"`
				Comment        struct {
					Comments []struct {
						Body json.RawMessage `json:"body"`
					} `json:"comments"`
				} `json:"comment"`
			} `json:"fields"`
		} `json:"issues"`
	}
	q := url.Values{"jql": {SolvedJQL(cause)}, "fields": {solvedFields}, "maxResults": {strconv.Itoa(limit)}}
	if err := c.get(ctx, "search solved issues", path, q, &doc); err != nil {
		return nil, err
	}
	var out []report.SolvedTicket
	for _, is := range doc.Issues {
		if len(out) == limit {
			break
		}
		t := report.SolvedTicket{System: Name, Kind: "issue", Key: is.Key, Title: is.Fields.Summary, URL: c.site.String() + "/browse/" + is.Key}
		var parts []string
		if is.Fields.Resolution != nil && is.Fields.Resolution.Name != "" {
			parts = append(parts, is.Fields.Resolution.Name)
		}
		if fix := lastHumanComment(is.Fields.Comment.Comments); fix != "" {
			parts = append(parts, fix)
		}
		t.Resolution = strings.Join(parts, ": ")
		if ts, err := time.Parse("2006-01-02T15:04:05.000-0700", is.Fields.ResolutionDate); err == nil {
			t.ResolvedAt = ts.UTC()
		}
		out = append(out, t)
	}
	return out, nil
}

// lastHumanComment is the newest comment that is not an l2diag note, on
// one line and cut to maxResolutionText.
func lastHumanComment(cs []struct {
	Body json.RawMessage `json:"body"`
}) string {
	for i := len(cs) - 1; i >= 0; i-- {
		text := strings.Join(strings.Fields(bodyText(cs[i].Body)), " ")
		if text == "" || strings.HasPrefix(text, "l2diag ") {
			continue
		}
		if r := []rune(text); len(r) > maxResolutionText {
			text = string(r[:maxResolutionText-1]) + "…"
		}
		return text
	}
	return ""
}
