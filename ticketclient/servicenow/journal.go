package servicenow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/l2diag/l2diag/ticketclient"
)

func asError(err error, te **ticketclient.Error) bool { return errors.As(err, te) }

// fieldFor is the journal field a note goes into: comments when it is
// public, work_notes when internal, else the configured field.
func (c *Client) fieldFor(n *ticketclient.Note) string {
	switch n.Visibility {
	case ticketclient.VisibilityPublic:
		return "comments"
	case ticketclient.VisibilityInternal:
		return "work_notes"
	}
	return c.field
}

// Audience says who reads the note.
func (c *Client) Audience(n *ticketclient.Note) string {
	if c.fieldFor(n) == "comments" {
		return "comments (additional comments: the caller sees them and may be mailed them)"
	}
	return "work_notes (work note: fulfillers only, not the caller)"
}

// verifyQuery makes the PATCH answer with the field's journal, so the
// answer itself shows whether the note was stored.
func verifyQuery(field string) url.Values {
	return url.Values{"sysparm_display_value": {"true"}, "sysparm_exclude_reference_link": {"true"}, "sysparm_fields": {"sys_id," + field}}
}

// Comment writes the note as a work note or a comment, and checks the
// record's answer: ServiceNow answers 200 also when it dropped the field
// (no write access, or a table without it), so the note counts as stored
// only when the returned journal holds its marker.
func (c *Client) Comment(ctx context.Context, t *ticketclient.Ticket, n *ticketclient.Note) error {
	field := c.fieldFor(n)
	op := "note on " + t.Key
	resp, err := c.api.Do(ctx, &ticketclient.Request{Op: op, Method: http.MethodPatch,
		Path:  "/api/now/table/" + url.PathEscape(t.Table) + "/" + url.PathEscape(t.ID),
		Query: verifyQuery(field),
		JSON:  map[string]string{field: n.PlainText()}})
	if err != nil {
		return err
	}
	var doc struct {
		Result map[string]any `json:"result"`
	}
	if err := json.Unmarshal(resp.Body, &doc); err != nil || doc.Result == nil {
		return &ticketclient.Error{Kind: ticketclient.KindUnavailable, System: Name, Op: op, MaybeSent: true, Retryable: true, Status: resp.Status,
			Err: fmt.Errorf("the answer (%d) is not the updated record", resp.Status)}
	}
	if journal, _ := doc.Result[field].(string); !strings.Contains(journal, n.Marker()) {
		return &ticketclient.Error{Kind: ticketclient.KindAuth, System: Name, Op: op, Status: resp.Status,
			Err:  fmt.Errorf("the server answered %d but did not store the note: %s on %s does not hold it", resp.Status, field, t.Table),
			Hint: fmt.Sprintf("the account may not write %s on %s (ACL), or the table has no such field: ask the admin, or choose the other field (--comment-field, --public/--internal)", field, t.Table)}
	}
	return nil
}

// Comments reads the record's own journal of the note's field
// (sysparm_display_value=true shows every entry), which an account that may
// write the field can read, unlike sys_journal_field. marker is not needed:
// the one "comment" returned is the whole journal.
func (c *Client) Comments(ctx context.Context, t *ticketclient.Ticket, marker string) ([]ticketclient.Comment, error) {
	// Both fields: a note may have been queued with the other visibility.
	var doc struct {
		Result map[string]any `json:"result"`
	}
	q := url.Values{"sysparm_display_value": {"true"}, "sysparm_exclude_reference_link": {"true"}, "sysparm_fields": {"work_notes,comments"}}
	if err := c.api.GetJSON(ctx, "read the journal of "+t.Key, "/api/now/table/"+url.PathEscape(t.Table)+"/"+url.PathEscape(t.ID), q, &doc); err != nil {
		return nil, err
	}
	var out []ticketclient.Comment
	for _, field := range []string{"work_notes", "comments"} {
		if j, _ := doc.Result[field].(string); j != "" {
			out = append(out, ticketclient.Comment{ID: field + " journal", Text: j})
		}
	}
	return out, nil
}
