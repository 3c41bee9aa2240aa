// Package jira attaches bundles to Jira Cloud (REST v3, comments in the
// Atlassian Document Format) and Jira Data Center (REST v2, wiki text).
package jira

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/l2diag/l2diag/ticketclient"
)

// Name is the registry name.
const Name = "jira"

// ConfigHint names what configures the system, for the error when none is.
const ConfigHint = "L2DIAG_JIRA_URL with L2DIAG_JIRA_TOKEN"

// Configured reports whether the config names a Jira site.
func Configured(cfg *ticketclient.Config) bool { return section(cfg).URL != "" }

// Claims reports whether key has a Jira issue key's shape.
func Claims(key string) bool {
	_, err := ParseKey(Name, key)
	return err == nil
}

// Client talks to one Jira site.
type Client struct {
	api        *ticketclient.API
	site       *url.URL
	deployment string // cloud or datacenter, "" until resolved
	mu         sync.Mutex
	cfg        Config
}

var _ ticketclient.Client = (*Client)(nil)

// New builds a client from the config: URL (https unless allowed), user +
// token for Basic (Cloud) or token alone for Bearer (Data Center PAT).
func New(o *ticketclient.Options) (ticketclient.Client, error) {
	cfg := *section(o.Config)
	if cfg.URL == "" {
		return nil, ticketclient.Errorf(ticketclient.KindConfig, Name, "config",
			"set L2DIAG_JIRA_URL (e.g. https://example.atlassian.net) or jira.url in "+configName(o),
			"no Jira URL configured")
	}
	site, err := ticketclient.ParseBaseURL(Name, "L2DIAG_JIRA_URL", cfg.URL, o.AllowHTTP || o.Config.AllowHTTP)
	if err != nil {
		return nil, err
	}
	// A URL copied from the browser or the API docs: keep the site only.
	if i := strings.Index(site.Path, "/rest/api/"); i >= 0 {
		site.Path = site.Path[:i]
	}
	if i := strings.Index(site.Path, "/browse/"); i >= 0 {
		site.Path = site.Path[:i]
	}
	c := &Client{site: site, cfg: cfg}
	switch strings.ToLower(cfg.Deployment) {
	case "cloud":
		c.deployment = "cloud"
	case "datacenter", "data-center", "server", "dc":
		c.deployment = "datacenter"
	case "", "auto":
		if strings.HasSuffix(site.Hostname(), ".atlassian.net") || site.Hostname() == "api.atlassian.com" {
			c.deployment = "cloud"
		}
	default:
		return nil, ticketclient.Errorf(ticketclient.KindConfig, Name, "config", "use cloud, datacenter or auto",
			"jira.deployment %q is not known", cfg.Deployment)
	}
	if cfg.Token == "" && o.Prompt != nil {
		label := "Jira API token"
		if cfg.User == "" {
			label = "Jira personal access token"
		}
		tok, err := o.Prompt(fmt.Sprintf("%s for %s", label, site.Host))
		if err != nil {
			return nil, err
		}
		cfg.Token = tok
	}
	if cfg.Token == "" {
		return nil, ticketclient.Errorf(ticketclient.KindConfig, Name, "config",
			"set L2DIAG_JIRA_TOKEN (with L2DIAG_JIRA_USER=your e-mail for Jira Cloud; alone for a Data Center personal access token), or jira.token_file in "+configName(o),
			"no Jira token configured")
	}
	auth := ticketclient.Auth{Scheme: "Bearer", Secret: cfg.Token}
	authHint := "the personal access token in L2DIAG_JIRA_TOKEN was refused: create a new one (profile > Personal Access Tokens)"
	if cfg.User != "" {
		auth = ticketclient.Auth{Scheme: "Basic", User: cfg.User, Secret: cfg.Token}
		authHint = "L2DIAG_JIRA_USER (the account's e-mail) and L2DIAG_JIRA_TOKEN (an API token, not the password) were refused: check both"
	} else if c.deployment == "cloud" {
		return nil, ticketclient.Errorf(ticketclient.KindConfig, Name, "config",
			"set L2DIAG_JIRA_USER to the account's e-mail: Jira Cloud wants Basic auth with e-mail and API token",
			"Jira Cloud needs a user with the token")
	}
	c.api = &ticketclient.API{
		System:   Name,
		Base:     site,
		HTTP:     o.HTTP,
		Auth:     auth,
		Timeout:  o.Timeout(),
		Backoff:  o.Backoff,
		AuthHint: authHint,
		Sleep:    o.Sleep,
		// A page that is not Jira's JSON usually means a wrong base URL.
		AnswerHint: "check that L2DIAG_JIRA_URL is the Jira base URL",
	}
	return c, nil
}

func configName(o *ticketclient.Options) string {
	if o.Config != nil && o.Config.File != "" {
		return o.Config.File
	}
	return "the config file"
}

// Name is the registry name.
func (c *Client) Name() string { return Name }

// Endpoint is the site URL.
func (c *Client) Endpoint() string { return c.site.String() }

// NormalizeKey validates an issue key.
func (c *Client) NormalizeKey(key string) (string, error) {
	return ParseKey(Name, key)
}

// resolve picks the API version: configured, guessed from the host, or
// asked from serverInfo (one cheap GET) once.
func (c *Client) resolve(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.deployment != "" {
		return c.deployment, nil
	}
	resp, err := c.api.Do(ctx, &ticketclient.Request{Op: "server info", Method: http.MethodGet,
		Path: "/rest/api/2/serverInfo", Idempotent: true})
	if err != nil {
		return "", err
	}
	var info struct {
		DeploymentType string `json:"deploymentType"`
	}
	if err := json.Unmarshal(resp.Body, &info); err != nil {
		return "", ticketclient.Errorf(ticketclient.KindUnavailable, Name, "server info",
			"check that L2DIAG_JIRA_URL is the Jira base URL", "the answer is not Jira's serverInfo: %v", err)
	}
	c.deployment = "datacenter"
	if strings.EqualFold(info.DeploymentType, "Cloud") {
		c.deployment = "cloud"
	}
	return c.deployment, nil
}

// base is /rest/api/3 on Cloud, /rest/api/2 on Data Center.
func (c *Client) base(ctx context.Context) (string, error) {
	d, err := c.resolve(ctx)
	if err != nil {
		return "", err
	}
	if d == "cloud" {
		return "/rest/api/3", nil
	}
	return "/rest/api/2", nil
}

// get is API.GetJSON below the deployment's REST base.
func (c *Client) get(ctx context.Context, op, path string, q url.Values, into any) error {
	base, err := c.base(ctx)
	if err != nil {
		return err
	}
	return c.api.GetJSON(ctx, op, base+path, q, into)
}

// Whoami names the account the credentials belong to.
func (c *Client) Whoami(ctx context.Context) (string, error) {
	var me struct {
		DisplayName  string `json:"displayName"`
		EmailAddress string `json:"emailAddress"`
		Name         string `json:"name"`
	}
	if err := c.get(ctx, "who am I", "/myself", nil, &me); err != nil {
		return "", err
	}
	who := me.DisplayName
	if me.EmailAddress != "" {
		who += " <" + me.EmailAddress + ">"
	} else if me.Name != "" {
		who += " (" + me.Name + ")"
	}
	return who, nil
}

type issueDoc struct {
	ID     string `json:"id"`
	Key    string `json:"key"`
	Fields struct {
		Summary string `json:"summary"`
		Status  struct {
			Name string `json:"name"`
		} `json:"status"`
		Attachment []struct {
			ID       string `json:"id"`
			Filename string `json:"filename"`
			Size     int64  `json:"size"`
		} `json:"attachment"`
	} `json:"fields"`
}

// Lookup fetches the issue. The returned key may differ (moved issue).
func (c *Client) Lookup(ctx context.Context, key string) (*ticketclient.Ticket, error) {
	var doc issueDoc
	err := c.get(ctx, "look up "+key, "/issue/"+url.PathEscape(key), url.Values{"fields": {"summary,status"}}, &doc)
	if err != nil {
		if k, ok := ticketclient.KindOf(err); ok && k == ticketclient.KindNotFound {
			return nil, ticketclient.Errorf(k, Name, "look up "+key,
				"check the key; 404 also means the account may not see the issue",
				"issue %s does not exist or is not visible to this account", key)
		}
		return nil, err
	}
	if doc.Key == "" {
		return nil, ticketclient.Errorf(ticketclient.KindUnavailable, Name, "look up "+key, "", "the answer names no issue key")
	}
	return &ticketclient.Ticket{Key: doc.Key, ID: doc.ID, Summary: doc.Fields.Summary, State: doc.Fields.Status.Name,
		URL: c.site.String() + "/browse/" + doc.Key}, nil
}

// Limits asks attachment/meta for the upload limit.
func (c *Client) Limits(ctx context.Context) (ticketclient.Limits, error) {
	var meta struct {
		Enabled     bool  `json:"enabled"`
		UploadLimit int64 `json:"uploadLimit"`
	}
	if err := c.get(ctx, "attachment settings", "/attachment/meta", nil, &meta); err != nil {
		return ticketclient.Limits{}, err
	}
	return ticketclient.Limits{Enabled: meta.Enabled, MaxBytes: meta.UploadLimit, Source: "attachment/meta"}, nil
}

// Attachments lists the issue's attachments.
func (c *Client) Attachments(ctx context.Context, t *ticketclient.Ticket) ([]ticketclient.Attachment, error) {
	var doc issueDoc
	if err := c.get(ctx, "list attachments", "/issue/"+url.PathEscape(t.Key), url.Values{"fields": {"attachment"}}, &doc); err != nil {
		return nil, err
	}
	var out []ticketclient.Attachment
	for _, a := range doc.Fields.Attachment {
		out = append(out, ticketclient.Attachment{ID: a.ID, Name: a.Filename, Size: a.Size})
	}
	return out, nil
}

// attachRequest is the upload, shared with Plan.
func (c *Client) attachRequest(base, key string, f *ticketclient.File) (*ticketclient.Request, error) {
	mp, err := ticketclient.NewMultipart("file", f)
	if err != nil {
		return nil, err
	}
	return &ticketclient.Request{
		Op:     "attach " + f.Name,
		Method: http.MethodPost,
		Path:   base + "/issue/" + url.PathEscape(key) + "/attachments",
		Header: http.Header{
			// Without it Jira answers 403 "XSRF check failed".
			"X-Atlassian-Token": {"no-check"},
			"Content-Type":      {mp.ContentType},
		},
		Open:          mp.Open,
		ContentLength: mp.ContentLength,
		Timeout:       ticketclient.UploadTimeout(c.api.Timeout, mp.ContentLength),
	}, nil
}

// Attach uploads one file as multipart part "file", streamed from disk.
func (c *Client) Attach(ctx context.Context, t *ticketclient.Ticket, f *ticketclient.File) (*ticketclient.Attachment, error) {
	base, err := c.base(ctx)
	if err != nil {
		return nil, err
	}
	req, err := c.attachRequest(base, t.Key, f)
	if err != nil {
		return nil, err
	}
	resp, err := c.api.Do(ctx, req)
	if err != nil {
		return nil, err
	}
	var got []struct {
		ID       json.RawMessage `json:"id"`
		Filename string          `json:"filename"`
		Size     int64           `json:"size"`
	}
	if err := json.Unmarshal(resp.Body, &got); err != nil || len(got) == 0 {
		return nil, &ticketclient.Error{Kind: ticketclient.KindUnavailable, System: Name, Op: req.Op, MaybeSent: true, Retryable: true,
			Err: fmt.Errorf("the answer lists no attachment")}
	}
	a := got[0]
	if unquoteID(a.ID) == "" {
		return nil, &ticketclient.Error{Kind: ticketclient.KindUnavailable, System: Name, Op: req.Op, MaybeSent: true, Retryable: true,
			Err: fmt.Errorf("the answer names no attachment id")}
	}
	if a.Size != f.Size {
		// Size 0 is Jira's sign of a failed upload; any other difference
		// is a body cut or changed on the way. The attachment is kept
		// under its size, so the duplicate check never takes it for ours.
		return nil, &ticketclient.Error{Kind: ticketclient.KindUnavailable, System: Name, Op: req.Op, Retryable: true,
			Err: fmt.Errorf("the server stored %s with %d of %d bytes: the upload failed", a.Filename, a.Size, f.Size)}
	}
	return &ticketclient.Attachment{ID: unquoteID(a.ID), Name: a.Filename, Size: a.Size}, nil
}

func unquoteID(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return strings.Trim(string(raw), `"`)
}

// public reports whether n goes to the customer too: only when asked
// for. A platform-API comment on a Jira Service Management request is
// public (mailed to the reporter) unless marked internal.
func public(n *ticketclient.Note) bool {
	return n.Visibility == ticketclient.VisibilityPublic
}

// commentBody is ADF on Cloud, wiki text on Data Center. An internal note
// carries the entity property sd.public.comment {internal: true}, which
// Jira Service Management honours on Cloud and Data Center and other
// projects store without effect, and the configured role restriction.
func (c *Client) commentBody(deployment string, n *ticketclient.Note) map[string]any {
	body := map[string]any{}
	if deployment == "cloud" {
		body["body"] = ADF(n)
	} else {
		body["body"] = Wiki(n)
	}
	if !public(n) {
		body["properties"] = []map[string]any{{"key": "sd.public.comment", "value": map[string]any{"internal": true}}}
		if c.cfg.CommentRole != "" {
			body["visibility"] = map[string]any{"type": "role", "value": c.cfg.CommentRole}
		}
	}
	return body
}

// Audience says who reads the note.
func (c *Client) Audience(n *ticketclient.Note) string {
	if public(n) {
		return "public comment (the customer of a service-desk request sees it and may be mailed it)"
	}
	if c.cfg.CommentRole != "" {
		return fmt.Sprintf("internal comment (service-desk agents only; restricted to the role %q)", c.cfg.CommentRole)
	}
	return "internal comment (service-desk agents only, not the customer; everyone who may browse a plain Jira project)"
}

// Comment posts the note and checks the answer: the created comment's id,
// and on a service-desk request that jsdPublic matches what was asked.
func (c *Client) Comment(ctx context.Context, t *ticketclient.Ticket, n *ticketclient.Note) error {
	d, err := c.resolve(ctx)
	if err != nil {
		return err
	}
	base, _ := c.base(ctx)
	op := "comment on " + t.Key
	resp, err := c.api.Do(ctx, &ticketclient.Request{Op: op, Method: http.MethodPost,
		Path: base + "/issue/" + url.PathEscape(t.Key) + "/comment", JSON: c.commentBody(d, n)})
	if err != nil {
		return err
	}
	var got struct {
		ID        json.RawMessage `json:"id"`
		JSDPublic *bool           `json:"jsdPublic"`
	}
	if err := json.Unmarshal(resp.Body, &got); err != nil || unquoteID(got.ID) == "" {
		return &ticketclient.Error{Kind: ticketclient.KindUnavailable, System: Name, Op: op, MaybeSent: true, Retryable: true, Status: resp.Status,
			Err: fmt.Errorf("the answer (%d) names no created comment", resp.Status)}
	}
	if got.JSDPublic != nil && *got.JSDPublic != public(n) {
		// Stored, but not as asked: say so rather than count it done.
		return &ticketclient.Error{Kind: ticketclient.KindAuth, System: Name, Op: op, Status: resp.Status,
			Err:  fmt.Errorf("comment %s was stored with jsdPublic=%v, not as the %s note asked for", unquoteID(got.ID), *got.JSDPublic, map[bool]string{true: "public", false: "internal"}[public(n)]),
			Hint: "the account may not be a service-desk agent of this project (only agents write internal comments): ask the project admin, and check the comment on the ticket"}
	}
	return nil
}

// commentPage is how many comments one listing request asks for (Jira's
// default; the server may return fewer), and maxCommentPages bounds the
// listing: newest first, the note looked for is on the first page.
const (
	commentPage     = 100
	maxCommentPages = 50
)

// Comments lists the issue's comments, newest first, as plain text: wiki
// text on Data Center, the text nodes of the ADF body on Cloud.
func (c *Client) Comments(ctx context.Context, t *ticketclient.Ticket, marker string) ([]ticketclient.Comment, error) {
	var out []ticketclient.Comment
	start := 0
	for page := 0; page < maxCommentPages; page++ {
		var doc struct {
			Comments []struct {
				ID   json.RawMessage `json:"id"`
				Body json.RawMessage `json:"body"`
			} `json:"comments"`
			Total int `json:"total"`
		}
		q := url.Values{"startAt": {strconv.Itoa(start)}, "maxResults": {strconv.Itoa(commentPage)}, "orderBy": {"-created"}}
		if err := c.get(ctx, "list comments on "+t.Key, "/issue/"+url.PathEscape(t.Key)+"/comment", q, &doc); err != nil {
			return nil, err
		}
		for _, cm := range doc.Comments {
			out = append(out, ticketclient.Comment{ID: unquoteID(cm.ID), Text: bodyText(cm.Body)})
		}
		start += len(doc.Comments)
		if len(doc.Comments) == 0 || start >= doc.Total {
			break
		}
	}
	return out, nil
}

// bodyText is a comment body as text: a v2 body is a string, a v3 body an
// ADF document whose text nodes are joined line by line.
func bodyText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var doc any
	if json.Unmarshal(raw, &doc) != nil {
		return ""
	}
	var b strings.Builder
	var walk func(v any)
	walk = func(v any) {
		switch n := v.(type) {
		case map[string]any:
			if t, ok := n["text"].(string); ok && n["type"] == "text" {
				b.WriteString(t + "\n")
			}
			walk(n["content"])
		case []any:
			for _, e := range n {
				walk(e)
			}
		}
	}
	walk(doc)
	return b.String()
}

// Create opens an issue in the configured (or given) project.
func (c *Client) Create(ctx context.Context, req *ticketclient.NewTicket) (*ticketclient.Ticket, error) {
	d, err := c.resolve(ctx)
	if err != nil {
		return nil, err
	}
	base, _ := c.base(ctx)
	project, typ := req.Project, req.Type
	if project == "" {
		project = c.cfg.Project
	}
	if typ == "" {
		typ = c.cfg.IssueType
	}
	if typ == "" {
		typ = "Task"
	}
	if project == "" {
		return nil, ticketclient.Errorf(ticketclient.KindConfig, Name, "create", "pass --project KEY or set jira.project in the config file", "no project given")
	}
	fields := map[string]any{
		"project":   map[string]any{"key": strings.ToUpper(project)},
		"issuetype": map[string]any{"name": typ},
		"summary":   req.Summary,
	}
	if req.Description != nil {
		if d == "cloud" {
			fields["description"] = ADF(req.Description)
		} else {
			fields["description"] = Wiki(req.Description)
		}
	}
	resp, err := c.api.Do(ctx, &ticketclient.Request{Op: "create issue", Method: http.MethodPost, Path: base + "/issue",
		JSON: map[string]any{"fields": fields}})
	if err != nil {
		return nil, err
	}
	var created struct {
		ID  string `json:"id"`
		Key string `json:"key"`
	}
	if err := json.Unmarshal(resp.Body, &created); err != nil || created.Key == "" {
		return nil, ticketclient.Errorf(ticketclient.KindUnavailable, Name, "create issue", "", "the answer names no issue key")
	}
	return &ticketclient.Ticket{Key: created.Key, ID: created.ID, Summary: req.Summary, URL: c.site.String() + "/browse/" + created.Key}, nil
}

// Plan lists the requests of a delivery without sending any.
func (c *Client) Plan(key string, files []*ticketclient.File, n *ticketclient.Note) []ticketclient.PlannedRequest {
	d := c.deployment
	base := "/rest/api/2"
	if d == "cloud" {
		base = "/rest/api/3"
	}
	note := ""
	if d == "" {
		note = " (API version decided by serverInfo at run time; v2 shown)"
		d = "datacenter"
	}
	auth := c.api.Auth.Masked()
	var out []ticketclient.PlannedRequest
	add := func(method, path string, q url.Values, headers []string, size int64, body string) {
		out = append(out, ticketclient.PlannedRequest{Method: method, URL: c.api.URL(&ticketclient.Request{Path: path, Query: q}),
			Headers: append([]string{auth}, headers...), Size: size, Body: body})
	}
	add("GET", base+"/issue/"+url.PathEscape(key), url.Values{"fields": {"summary,status"}}, nil, 0, "look up the issue"+note)
	add("GET", base+"/attachment/meta", nil, nil, 0, "ask the upload limit")
	for _, f := range files {
		req, err := c.attachRequest(base, key, f)
		if err != nil {
			continue
		}
		add("POST", req.Path, nil, []string{"X-Atlassian-Token: no-check", "Content-Type: " + req.Header.Get("Content-Type"),
			"Content-Length: " + strconv.FormatInt(req.ContentLength, 10)}, req.ContentLength,
			fmt.Sprintf("multipart part \"file\": %s (%s, %s)", f.Name, f.ContentType, ticketclient.HumanBytes(f.Size)))
	}
	if n != nil {
		b, _ := json.MarshalIndent(c.commentBody(d, n), "", "  ")
		add("POST", base+"/issue/"+url.PathEscape(key)+"/comment", nil, []string{"Content-Type: application/json"}, int64(len(b)), string(b))
	}
	return out
}
