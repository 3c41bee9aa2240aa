// Package servicenow attaches bundles to ServiceNow records: number →
// table → sys_id, raw-body upload to the Attachment API, and the summary as
// a work note.
package servicenow

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/l2diag/l2diag/ticketclient"
)

// Name is the registry name.
const Name = "servicenow"

// Client talks to one instance.
type Client struct {
	api    *ticketclient.API
	site   *url.URL
	tables map[string]string
	field  string // work_notes or comments
}

var _ ticketclient.Client = (*Client)(nil)

// New builds a client: Basic with user + password, Bearer with a token.
func New(o *ticketclient.Options) (ticketclient.Client, error) {
	cfg := o.Config.ServiceNow
	if cfg.URL == "" {
		return nil, ticketclient.Errorf(ticketclient.KindConfig, Name, "config",
			"set L2DIAG_SERVICENOW_URL (e.g. https://example.service-now.com) or servicenow.url in the config file",
			"no ServiceNow URL configured")
	}
	site, err := ticketclient.ParseBaseURL(Name, "L2DIAG_SERVICENOW_URL", cfg.URL, o.AllowHTTP || o.Config.AllowHTTP)
	if err != nil {
		return nil, err
	}
	if i := strings.Index(site.Path, "/api/now"); i >= 0 {
		site.Path = site.Path[:i]
	}
	field := cfg.CommentField
	switch field {
	case "":
		field = "work_notes"
	case "work_notes", "comments":
	default:
		return nil, ticketclient.Errorf(ticketclient.KindConfig, Name, "config", "use work_notes (internal) or comments (visible to the caller)",
			"servicenow.comment_field %q is not known", field)
	}
	tables := map[string]string{}
	for k, v := range cfg.Tables {
		tables[strings.ToUpper(k)] = v
	}
	var auth ticketclient.Auth
	hint := ""
	switch {
	case cfg.Token != "":
		auth = ticketclient.Auth{Scheme: "Bearer", Secret: cfg.Token}
		hint = "the OAuth token in L2DIAG_SERVICENOW_TOKEN was refused or expired: get a new one"
	case cfg.User != "":
		pw := cfg.Password
		if pw == "" && o.Prompt != nil {
			if pw, err = o.Prompt(fmt.Sprintf("ServiceNow password for %s at %s", cfg.User, site.Host)); err != nil {
				return nil, err
			}
		}
		if pw == "" {
			return nil, ticketclient.Errorf(ticketclient.KindConfig, Name, "config",
				"set L2DIAG_SERVICENOW_PASSWORD (or servicenow.password_file), or L2DIAG_SERVICENOW_TOKEN for OAuth",
				"no ServiceNow password for user %s", cfg.User)
		}
		auth = ticketclient.Auth{Scheme: "Basic", User: cfg.User, Secret: pw}
		hint = "L2DIAG_SERVICENOW_USER and L2DIAG_SERVICENOW_PASSWORD were refused: check both (and that the account is not locked)"
	default:
		return nil, ticketclient.Errorf(ticketclient.KindConfig, Name, "config",
			"set L2DIAG_SERVICENOW_USER and L2DIAG_SERVICENOW_PASSWORD, or L2DIAG_SERVICENOW_TOKEN",
			"no ServiceNow credentials configured")
	}
	return &Client{site: site, tables: tables, field: field, api: &ticketclient.API{
		System: Name, Base: site, HTTP: o.HTTP, Auth: auth, Timeout: o.Timeout(), Backoff: o.Backoff, AuthHint: hint, Sleep: o.Sleep,
	}}, nil
}

// Name is the registry name.
func (c *Client) Name() string { return Name }

// Endpoint is the instance URL.
func (c *Client) Endpoint() string { return c.site.String() }

// NormalizeKey validates a number such as INC0010001.
func (c *Client) NormalizeKey(key string) (string, error) {
	n, _, err := ticketclient.ParseServiceNowNumber(Name, key, c.tables)
	return n, err
}

func (c *Client) get(ctx context.Context, op, path string, q url.Values, into any) error {
	resp, err := c.api.Do(ctx, &ticketclient.Request{Op: op, Method: http.MethodGet, Path: path, Query: q, Idempotent: true})
	if err != nil {
		return err
	}
	if err := json.Unmarshal(resp.Body, into); err != nil {
		return ticketclient.Errorf(ticketclient.KindUnavailable, Name, op, "check that L2DIAG_SERVICENOW_URL is the instance URL", "unexpected answer: %v", err)
	}
	return nil
}

// Whoami proves the credentials by reading one incident sys_id.
func (c *Client) Whoami(ctx context.Context) (string, error) {
	var doc struct {
		Result []map[string]string `json:"result"`
	}
	if err := c.get(ctx, "check credentials", "/api/now/table/incident", url.Values{"sysparm_limit": {"1"}, "sysparm_fields": {"sys_id"}}, &doc); err != nil {
		return "", err
	}
	if c.api.Auth.User != "" {
		return c.api.Auth.User, nil
	}
	return "OAuth token", nil
}

// Lookup resolves the number to its table and sys_id, and checks the
// answer names the number asked for (an invalid query is silently ignored
// by ServiceNow and would return some other record).
func (c *Client) Lookup(ctx context.Context, key string) (*ticketclient.Ticket, error) {
	num, table, err := ticketclient.ParseServiceNowNumber(Name, key, c.tables)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Result []struct {
			SysID            string `json:"sys_id"`
			Number           string `json:"number"`
			ShortDescription string `json:"short_description"`
		} `json:"result"`
	}
	q := url.Values{"sysparm_query": {"number=" + num}, "sysparm_fields": {"sys_id,number,short_description"}, "sysparm_limit": {"1"}}
	if err := c.get(ctx, "look up "+num, "/api/now/table/"+url.PathEscape(table), q, &doc); err != nil {
		return nil, err
	}
	if len(doc.Result) == 0 || !strings.EqualFold(doc.Result[0].Number, num) || len(doc.Result[0].SysID) != 32 {
		return nil, ticketclient.Errorf(ticketclient.KindNotFound, Name, "look up "+num,
			"check the number, its table ("+table+"; override in servicenow.tables) and that the account may read it",
			"%s not found in table %s", num, table)
	}
	r := doc.Result[0]
	return &ticketclient.Ticket{Key: r.Number, ID: r.SysID, Table: table, Summary: r.ShortDescription,
		URL: c.site.String() + "/nav_to.do?uri=" + url.QueryEscape(table+".do?sys_id="+r.SysID)}, nil
}

// Limits reads com.glide.attachment.max_size (MB) where the account may.
func (c *Client) Limits(ctx context.Context) (ticketclient.Limits, error) {
	var doc struct {
		Result []struct {
			Value string `json:"value"`
		} `json:"result"`
	}
	q := url.Values{"sysparm_query": {"name=com.glide.attachment.max_size"}, "sysparm_fields": {"value"}, "sysparm_limit": {"1"}}
	if err := c.get(ctx, "attachment limit", "/api/now/table/sys_properties", q, &doc); err != nil {
		if k, _ := ticketclient.KindOf(err); k == ticketclient.KindAuth || k == ticketclient.KindNotFound {
			// Reading system properties needs admin rights: not knowing is normal.
			return ticketclient.Limits{Enabled: true, Source: "unknown (sys_properties not readable)"}, nil
		}
		return ticketclient.Limits{}, err
	}
	if len(doc.Result) == 0 || doc.Result[0].Value == "" {
		return ticketclient.Limits{Enabled: true, MaxBytes: 1024 << 20, Source: "default 1024 MB"}, nil
	}
	mb, err := strconv.ParseInt(strings.TrimSpace(doc.Result[0].Value), 10, 64)
	if err != nil || mb <= 0 {
		return ticketclient.Limits{Enabled: true, Source: "unreadable com.glide.attachment.max_size"}, nil
	}
	return ticketclient.Limits{Enabled: true, MaxBytes: mb << 20, Source: "com.glide.attachment.max_size"}, nil
}

// Attachments lists the record's attachments (hash where the instance has it).
func (c *Client) Attachments(ctx context.Context, t *ticketclient.Ticket) ([]ticketclient.Attachment, error) {
	var doc struct {
		Result []struct {
			SysID     string `json:"sys_id"`
			FileName  string `json:"file_name"`
			SizeBytes string `json:"size_bytes"`
			Hash      string `json:"hash"`
		} `json:"result"`
	}
	q := url.Values{"sysparm_query": {"table_name=" + t.Table + "^table_sys_id=" + t.ID}}
	if err := c.get(ctx, "list attachments", "/api/now/attachment", q, &doc); err != nil {
		return nil, err
	}
	var out []ticketclient.Attachment
	for _, a := range doc.Result {
		n, _ := strconv.ParseInt(a.SizeBytes, 10, 64)
		h := ""
		if len(a.Hash) == 64 {
			h = strings.ToLower(a.Hash)
		}
		out = append(out, ticketclient.Attachment{ID: a.SysID, Name: a.FileName, Size: n, SHA256: h})
	}
	return out, nil
}

func (c *Client) attachRequest(table, sysID string, f *ticketclient.File) *ticketclient.Request {
	return &ticketclient.Request{
		Op:     "attach " + f.Name,
		Method: http.MethodPost,
		Path:   "/api/now/attachment/file",
		Query:  url.Values{"table_name": {table}, "table_sys_id": {sysID}, "file_name": {f.Name}},
		// Mandatory and truthful: MIME validation rejects a mismatch.
		Header:        http.Header{"Content-Type": {f.ContentType}},
		Open:          f.Body,
		ContentLength: f.Size,
		Timeout:       ticketclient.UploadTimeout(c.api.Timeout, f.Size),
	}
}

// Attach uploads the raw file to the Attachment API.
func (c *Client) Attach(ctx context.Context, t *ticketclient.Ticket, f *ticketclient.File) (*ticketclient.Attachment, error) {
	req := c.attachRequest(t.Table, t.ID, f)
	resp, err := c.api.Do(ctx, req)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Result struct {
			SysID     string `json:"sys_id"`
			FileName  string `json:"file_name"`
			SizeBytes string `json:"size_bytes"`
		} `json:"result"`
	}
	if err := json.Unmarshal(resp.Body, &doc); err != nil || doc.Result.SysID == "" {
		return nil, &ticketclient.Error{Kind: ticketclient.KindUnavailable, System: Name, Op: req.Op, Retryable: true, MaybeSent: true,
			Err: fmt.Errorf("the answer names no attachment")}
	}
	n, _ := strconv.ParseInt(doc.Result.SizeBytes, 10, 64)
	if n != f.Size {
		return nil, &ticketclient.Error{Kind: ticketclient.KindUnavailable, System: Name, Op: req.Op,
			Err: fmt.Errorf("the server stored %d of %d bytes", n, f.Size)}
	}
	return &ticketclient.Attachment{ID: doc.Result.SysID, Name: doc.Result.FileName, Size: n}, nil
}

// Comment writes the note as a work note (or a customer-visible comment).
func (c *Client) Comment(ctx context.Context, t *ticketclient.Ticket, n *ticketclient.Note) error {
	_, err := c.api.Do(ctx, &ticketclient.Request{Op: "note on " + t.Key, Method: http.MethodPatch,
		Path: "/api/now/table/" + url.PathEscape(t.Table) + "/" + url.PathEscape(t.ID),
		JSON: map[string]string{c.field: n.PlainText()}})
	return err
}

// journalPage is how many journal entries one listing request asks for;
// maxJournalPages bounds the listing (the marker filter makes one page
// the rule).
const (
	journalPage     = 100
	maxJournalPages = 20
)

// Comments lists the record's journal entries of the configured field
// (work_notes or comments) from sys_journal_field, newest first; with a
// marker, only the entries whose value contains it. ServiceNow ignores an
// invalid query part silently, so each entry is checked to belong to this
// record and field before it counts.
func (c *Client) Comments(ctx context.Context, t *ticketclient.Ticket, marker string) ([]ticketclient.Comment, error) {
	query := "element_id=" + t.ID + "^element=" + c.field
	if marker != "" {
		query += "^valueLIKE" + marker
	}
	query += "^ORDERBYDESCsys_created_on"
	var out []ticketclient.Comment
	for page := 0; page < maxJournalPages; page++ {
		var doc struct {
			Result []struct {
				SysID     string `json:"sys_id"`
				ElementID string `json:"element_id"`
				Element   string `json:"element"`
				Value     string `json:"value"`
			} `json:"result"`
		}
		q := url.Values{"sysparm_query": {query}, "sysparm_fields": {"sys_id,element_id,element,value"},
			"sysparm_limit": {strconv.Itoa(journalPage)}, "sysparm_offset": {strconv.Itoa(page * journalPage)}}
		if err := c.get(ctx, "list "+c.field+" on "+t.Key, "/api/now/table/sys_journal_field", q, &doc); err != nil {
			return nil, err
		}
		for _, e := range doc.Result {
			if e.ElementID == t.ID && e.Element == c.field {
				out = append(out, ticketclient.Comment{ID: e.SysID, Text: e.Value})
			}
		}
		if len(doc.Result) < journalPage {
			break
		}
	}
	return out, nil
}

// Create opens an incident (or the given table's record).
func (c *Client) Create(ctx context.Context, req *ticketclient.NewTicket) (*ticketclient.Ticket, error) {
	table := req.Type
	if table == "" {
		table = "incident"
	}
	body := map[string]string{"short_description": req.Summary}
	if req.Description != nil {
		body["description"] = req.Description.PlainText()
	}
	resp, err := c.api.Do(ctx, &ticketclient.Request{Op: "create " + table, Method: http.MethodPost,
		Path: "/api/now/table/" + url.PathEscape(table), JSON: body})
	if err != nil {
		return nil, err
	}
	var doc struct {
		Result struct {
			Number string `json:"number"`
			SysID  string `json:"sys_id"`
		} `json:"result"`
	}
	if err := json.Unmarshal(resp.Body, &doc); err != nil || doc.Result.Number == "" {
		return nil, ticketclient.Errorf(ticketclient.KindUnavailable, Name, "create", "", "the answer names no number")
	}
	return &ticketclient.Ticket{Key: doc.Result.Number, ID: doc.Result.SysID, Table: table, Summary: req.Summary}, nil
}

// Plan lists the requests of a delivery without sending any.
func (c *Client) Plan(key string, files []*ticketclient.File, n *ticketclient.Note) []ticketclient.PlannedRequest {
	num, table, err := ticketclient.ParseServiceNowNumber(Name, key, c.tables)
	if err != nil {
		num, table = key, "incident"
	}
	auth := c.api.Auth.Masked()
	sys := "{sys_id of " + num + "}"
	var out []ticketclient.PlannedRequest
	out = append(out, ticketclient.PlannedRequest{Method: "GET", Headers: []string{auth},
		URL:  c.api.URL(&ticketclient.Request{Path: "/api/now/table/" + table, Query: url.Values{"sysparm_query": {"number=" + num}, "sysparm_fields": {"sys_id,number,short_description"}, "sysparm_limit": {"1"}}}),
		Body: "look up " + num + " in " + table})
	for _, f := range files {
		r := c.attachRequest(table, sys, f)
		out = append(out, ticketclient.PlannedRequest{Method: "POST", URL: c.api.URL(r), Size: f.Size,
			Headers: []string{auth, "Content-Type: " + f.ContentType, "Content-Length: " + strconv.FormatInt(f.Size, 10)},
			Body:    fmt.Sprintf("raw file %s (%s)", f.Name, ticketclient.HumanBytes(f.Size))})
	}
	if n != nil {
		b, _ := json.MarshalIndent(map[string]string{c.field: n.PlainText()}, "", "  ")
		out = append(out, ticketclient.PlannedRequest{Method: "PATCH", Size: int64(len(b)),
			URL:     c.api.URL(&ticketclient.Request{Path: "/api/now/table/" + table + "/" + sys}),
			Headers: []string{auth, "Content-Type: application/json"}, Body: string(b)})
	}
	return out
}
