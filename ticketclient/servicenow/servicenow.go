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
	"regexp"
	"strconv"
	"strings"

	"github.com/l2diag/l2diag/ticketclient"
)

// Name is the registry name.
const Name = "servicenow"

// ConfigHint names what configures the system, for the error when none is.
const ConfigHint = "L2DIAG_SERVICENOW_URL with L2DIAG_SERVICENOW_USER and _PASSWORD (or an OAuth client)"

// Configured reports whether the config names an instance.
func Configured(cfg *ticketclient.Config) bool { return section(cfg).URL != "" }

// Client talks to one instance.
type Client struct {
	api    *ticketclient.API
	site   *url.URL
	tables map[string]string
	field  string // work_notes or comments: the default of a note without a visibility
	// table, when set (--table), is the only table a number is looked up in.
	table string
	// who is the account (Basic or password grant), "" for a client-credentials token.
	who string
	// causeField is servicenow.cause_field: a record field that also
	// carries the cause labels ("" for the note marker only).
	causeField string
}

var _ ticketclient.Client = (*Client)(nil)

// Flags are the per-call choices ServiceNow offers on the command line
// (registry.System.Flags); Options.Settings holds their values by name.
var Flags = []ticketclient.Flag{
	{Name: "table", Usage: "ServiceNow: look the number up in this `TABLE` only (e.g. u_facilities), not by its prefix or on task"},
	{Name: "comment-field", Usage: "ServiceNow: write the note into this `FIELD`: work_notes (internal) or comments (the caller sees it)"},
}

// New builds a client: Basic with user + password, Bearer with a static
// token, or OAuth tokens from /oauth_token.do with a client id and secret
// (renewed as they expire).
func New(o *ticketclient.Options) (ticketclient.Client, error) {
	cfg := *section(o.Config)
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
	key := "servicenow.comment_field"
	if v := o.Settings["comment-field"]; v != "" {
		field, key = v, "--comment-field"
	}
	switch field {
	case "":
		field = "work_notes"
	case "work_notes", "comments":
	default:
		return nil, ticketclient.Errorf(ticketclient.KindConfig, Name, "config", "use work_notes (internal) or comments (visible to the caller)",
			"%s %q is not known", key, field)
	}
	table := o.Settings["table"]
	if table != "" && !tableRE.MatchString(table) {
		return nil, ticketclient.Errorf(ticketclient.KindConfig, Name, "--table", "use a table name such as incident, sc_req_item or u_facilities",
			"%q is not a table name", table)
	}
	tables := map[string]string{}
	for k, v := range cfg.Tables {
		tables[strings.ToUpper(k)] = v
	}
	c := &Client{site: site, tables: tables, field: field, table: table, api: &ticketclient.API{
		System: Name, AnswerHint: "check that L2DIAG_SERVICENOW_URL is the instance URL", Base: site, HTTP: o.HTTP, Timeout: o.Timeout(), Backoff: o.Backoff, Sleep: o.Sleep,
	}}
	if cfg.CauseField != "" && !tableRE.MatchString(cfg.CauseField) {
		return nil, ticketclient.Errorf(ticketclient.KindConfig, Name, "config", "use a field name such as u_l2diag_causes",
			"servicenow.cause_field %q is not a field name", cfg.CauseField)
	}
	c.causeField = cfg.CauseField
	if err := c.setAuth(o, cfg); err != nil {
		return nil, err
	}
	return c, nil
}

// tableRE is a ServiceNow table name (lower case, digits, underscores).
var tableRE = regexp.MustCompile(`^[a-z][a-z0-9_]{1,79}$`)

// setAuth picks the scheme: an OAuth client (password grant with a user,
// else client credentials), a static token, or Basic.
func (c *Client) setAuth(o *ticketclient.Options, cfg Config) error {
	prompt := func(label string) (string, error) {
		if o.Prompt == nil {
			return "", nil
		}
		return o.Prompt(label)
	}
	var err error
	pw := cfg.Password
	if cfg.User != "" && pw == "" && cfg.Token == "" {
		if pw, err = prompt(fmt.Sprintf("ServiceNow password for %s at %s", cfg.User, c.site.Host)); err != nil {
			return err
		}
	}
	switch {
	case cfg.ClientID != "":
		secret := cfg.ClientSecret
		if secret == "" {
			if secret, err = prompt(fmt.Sprintf("ServiceNow OAuth client secret of %s at %s", cfg.ClientID, c.site.Host)); err != nil {
				return err
			}
		}
		if secret == "" {
			return ticketclient.Errorf(ticketclient.KindConfig, Name, "config",
				"set L2DIAG_SERVICENOW_CLIENT_SECRET (or servicenow.client_secret_file) to the secret of the OAuth client",
				"no secret for the OAuth client %s", cfg.ClientID)
		}
		if cfg.User != "" && pw == "" {
			return ticketclient.Errorf(ticketclient.KindConfig, Name, "config",
				"set L2DIAG_SERVICENOW_PASSWORD (password grant), or unset L2DIAG_SERVICENOW_USER to use the client-credentials grant",
				"no ServiceNow password for user %s", cfg.User)
		}
		c.api.Tokens = &oauth{api: c.api, clientID: cfg.ClientID, secret: secret, user: cfg.User, password: pw}
		c.api.AuthHint = "the OAuth client (L2DIAG_SERVICENOW_CLIENT_ID / _CLIENT_SECRET) or the user was refused: check them in System OAuth > Application Registry"
		c.who = cfg.User
	case cfg.Token != "":
		c.api.Auth = ticketclient.Auth{Scheme: "Bearer", Secret: cfg.Token}
		c.api.AuthHint = "the OAuth token in L2DIAG_SERVICENOW_TOKEN was refused or expired (they last about 30 minutes): " +
			"configure an OAuth client (servicenow.client_id) so tokens are renewed, or get a new one"
	case cfg.User != "":
		if pw == "" {
			return ticketclient.Errorf(ticketclient.KindConfig, Name, "config",
				"set L2DIAG_SERVICENOW_PASSWORD (or servicenow.password_file), or configure an OAuth client (L2DIAG_SERVICENOW_CLIENT_ID)",
				"no ServiceNow password for user %s", cfg.User)
		}
		c.api.Auth = ticketclient.Auth{Scheme: "Basic", User: cfg.User, Secret: pw}
		c.api.AuthHint = "L2DIAG_SERVICENOW_USER and L2DIAG_SERVICENOW_PASSWORD were refused: check both (and that the account is not locked)"
		c.who = cfg.User
	default:
		return ticketclient.Errorf(ticketclient.KindConfig, Name, "config",
			"set L2DIAG_SERVICENOW_USER and L2DIAG_SERVICENOW_PASSWORD, or an OAuth client (L2DIAG_SERVICENOW_CLIENT_ID and _CLIENT_SECRET)",
			"no ServiceNow credentials configured")
	}
	return nil
}

// Name is the registry name.
func (c *Client) Name() string { return Name }

// Endpoint is the instance URL.
func (c *Client) Endpoint() string { return c.site.String() }

// NormalizeKey validates a number such as INC0010001.
func (c *Client) NormalizeKey(key string) (string, error) {
	n, _, err := ParseNumber(Name, key, c.tables)
	return n, err
}

// Limits reads com.glide.attachment.max_size (MB) where the account may.
func (c *Client) Limits(ctx context.Context) (ticketclient.Limits, error) {
	var doc struct {
		Result []struct {
			Value string `json:"value"`
		} `json:"result"`
	}
	q := url.Values{"sysparm_query": {"name=com.glide.attachment.max_size"}, "sysparm_fields": {"value"}, "sysparm_limit": {"1"}}
	if err := c.api.GetJSON(ctx, "attachment limit", "/api/now/table/sys_properties", q, &doc); err != nil {
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
	if err := c.api.GetJSON(ctx, "list attachments", "/api/now/attachment", q, &doc); err != nil {
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
	num, table, err := ParseNumber(Name, key, c.tables)
	if err != nil {
		num = key
	}
	if c.table != "" {
		table = c.table
	}
	lookIn := table
	if table == "" {
		lookIn, table = "task", "{sys_class_name}"
	}
	auth := c.api.Auth.Masked()
	if c.api.Tokens != nil {
		auth = "Authorization: Bearer *** (OAuth token from /oauth_token.do, renewed as it expires)"
	}
	sys := "{sys_id of " + num + "}"
	var out []ticketclient.PlannedRequest
	out = append(out, ticketclient.PlannedRequest{Method: "GET", Headers: []string{auth},
		URL:  c.api.URL(&ticketclient.Request{Path: "/api/now/table/" + lookIn, Query: lookupQuery(num)}),
		Body: "look up " + num + " in " + lookIn + lookupNote(lookIn, c.table)})
	for _, f := range files {
		r := c.attachRequest(table, sys, f)
		out = append(out, ticketclient.PlannedRequest{Method: "POST", URL: c.api.URL(r), Size: f.Size,
			Headers: []string{auth, "Content-Type: " + f.ContentType, "Content-Length: " + strconv.FormatInt(f.Size, 10)},
			Body:    fmt.Sprintf("raw file %s (%s)", f.Name, ticketclient.HumanBytes(f.Size))})
	}
	if n != nil {
		field := c.fieldFor(n)
		b, _ := json.MarshalIndent(map[string]string{field: n.PlainText()}, "", "  ")
		out = append(out, ticketclient.PlannedRequest{Method: "PATCH", Size: int64(len(b)),
			URL:     c.api.URL(&ticketclient.Request{Path: "/api/now/table/" + table + "/" + sys, Query: verifyQuery(field)}),
			Headers: []string{auth, "Content-Type: application/json"}, Body: string(b) + "\n(" + c.Audience(n) + ")"})
	}
	return out
}
