package servicenow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/ticketclient"
)

var (
	_ ticketclient.Searcher    = (*Client)(nil)
	_ ticketclient.CauseMarker = (*Client)(nil)
)

// solvedSource is one place solved cases live on an instance: resolved or
// closed incidents whose notes carry the cause label, published knowledge
// articles and known-error problems that mention the code.
type solvedSource struct {
	table, kind string
	// query is the encoded query for a cause; ok re-checks a returned row
	// (ServiceNow silently ignores a query part it does not understand, so
	// an unfiltered answer must not pass for a match).
	query  func(c *Client, cause string) string
	fields string
	ok     func(row map[string]string) bool
	// resolution and when pick the row's fix text and date.
	resolution func(row map[string]string) string
	when       string
}

// Incident states 6 (Resolved) and 7 (Closed) are ServiceNow's defaults.
var solvedSources = []solvedSource{
	{
		table: "incident", kind: "incident",
		query: func(c *Client, cause string) string {
			label := ticketclient.CauseLabel(cause)
			q := "stateIN6,7^work_notesLIKE" + label + "^ORcommentsLIKE" + label + "^ORclose_notesLIKE" + cause
			if c.causeField != "" {
				q += "^OR" + c.causeField + "LIKE" + label
			}
			return q + "^ORDERBYDESCresolved_at"
		},
		fields:     "number,short_description,state,close_code,close_notes,resolved_at",
		ok:         func(r map[string]string) bool { return r["state"] == "6" || r["state"] == "7" },
		resolution: func(r map[string]string) string { return joinNonEmpty(": ", r["close_code"], r["close_notes"]) },
		when:       "resolved_at",
	},
	{
		table: "problem", kind: "problem",
		query: func(_ *Client, cause string) string {
			return "known_error=true^workaroundLIKE" + cause + "^ORcause_notesLIKE" + cause + "^ORshort_descriptionLIKE" + cause + "^ORDERBYDESCsys_updated_on"
		},
		fields:     "number,short_description,known_error,workaround,sys_updated_on",
		ok:         func(r map[string]string) bool { return r["known_error"] == "true" },
		resolution: func(r map[string]string) string { return joinNonEmpty("", "Workaround: "+r["workaround"]) },
		when:       "sys_updated_on",
	},
	{
		table: "kb_knowledge", kind: "kb_knowledge",
		query: func(_ *Client, cause string) string {
			return "workflow_state=published^textLIKE" + cause + "^ORshort_descriptionLIKE" + cause + "^ORDERBYDESCsys_updated_on"
		},
		fields:     "number,short_description,workflow_state,sys_updated_on",
		ok:         func(r map[string]string) bool { return r["workflow_state"] == "published" },
		resolution: func(map[string]string) string { return "knowledge article" },
		when:       "sys_updated_on",
	},
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.Join(strings.Fields(p), " "); p != "" && p != "Workaround:" {
			out = append(out, p)
		}
	}
	s := strings.Join(out, sep)
	if r := []rune(s); len(r) > 200 {
		s = string(r[:199]) + "…"
	}
	return s
}

// SearchSolved searches resolved/closed incidents, known-error problems and
// published knowledge articles for the cause at once, read-only, and
// returns the most recent first. A table the account may not read is
// skipped and named in the error; what the others found is returned.
func (c *Client) SearchSolved(ctx context.Context, cause string, limit int) ([]report.SolvedTicket, error) {
	var (
		mu   sync.Mutex
		all  []report.SolvedTicket
		errs []error
		wg   sync.WaitGroup
	)
	for _, src := range solvedSources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := c.searchSource(ctx, src, cause, limit)
			mu.Lock()
			defer mu.Unlock()
			all = append(all, got...)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", src.table, err))
			}
		}()
	}
	wg.Wait()
	slices.SortStableFunc(all, func(a, b report.SolvedTicket) int {
		if c := b.ResolvedAt.Compare(a.ResolvedAt); c != 0 {
			return c
		}
		return strings.Compare(a.Key, b.Key)
	})
	if len(all) > limit {
		all = all[:limit]
	}
	return all, errors.Join(errs...)
}

func (c *Client) searchSource(ctx context.Context, src solvedSource, cause string, limit int) ([]report.SolvedTicket, error) {
	var doc struct {
		Result []map[string]string `json:"result"`
	}
	q := url.Values{"sysparm_query": {src.query(c, cause)}, "sysparm_fields": {src.fields}, "sysparm_limit": {strconv.Itoa(limit)},
		"sysparm_exclude_reference_link": {"true"}}
	if err := c.api.GetJSON(ctx, "search "+src.table, "/api/now/table/"+src.table, q, &doc); err != nil {
		return nil, err
	}
	var out []report.SolvedTicket
	for _, row := range doc.Result {
		if !src.ok(row) || row["number"] == "" {
			continue
		}
		t := report.SolvedTicket{System: Name, Kind: src.kind, Key: row["number"], Title: row["short_description"], Resolution: src.resolution(row),
			URL: c.site.String() + "/" + src.table + ".do?sysparm_query=number=" + url.QueryEscape(row["number"])}
		if ts, err := time.Parse("2006-01-02 15:04:05", row[src.when]); err == nil {
			t.ResolvedAt = ts.UTC()
		}
		out = append(out, t)
	}
	return out, nil
}

// MarkCauses writes the cause labels into servicenow.cause_field when one
// is configured (the note's "l2diag causes:" line carries them anyway),
// keeping what the field held. ServiceNow answers 200 also when it dropped
// a field the account may not write, so the answer is checked.
func (c *Client) MarkCauses(ctx context.Context, t *ticketclient.Ticket, causes []string) error {
	if c.causeField == "" || len(causes) == 0 {
		return nil
	}
	path := "/api/now/table/" + url.PathEscape(t.Table) + "/" + url.PathEscape(t.ID)
	fields := url.Values{"sysparm_fields": {c.causeField}, "sysparm_exclude_reference_link": {"true"}}
	var doc struct {
		Result map[string]string `json:"result"`
	}
	if err := c.api.GetJSON(ctx, "read "+c.causeField+" of "+t.Key, path, fields, &doc); err != nil {
		return err
	}
	have := strings.Fields(doc.Result[c.causeField])
	for _, code := range causes {
		if l := ticketclient.CauseLabel(code); !slices.Contains(have, l) {
			have = append(have, l)
		}
	}
	want := strings.Join(have, " ")
	op := "label " + t.Key
	resp, err := c.api.Do(ctx, &ticketclient.Request{Op: op, Method: http.MethodPatch, Path: path, Query: fields,
		JSON: map[string]string{c.causeField: want}, Idempotent: true})
	if err != nil {
		return err
	}
	doc.Result = nil
	if err := json.Unmarshal(resp.Body, &doc); err != nil || doc.Result[c.causeField] != want {
		return ticketclient.Errorf(ticketclient.KindAuth, Name, op,
			"the account may not write "+c.causeField+" on "+t.Table+" (ACL), or the table has no such field: ask the admin, or unset servicenow.cause_field",
			"the server answered %d but did not store %s", resp.Status, c.causeField)
	}
	return nil
}
