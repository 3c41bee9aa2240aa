package fake

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Jira is a fake Jira site (Cloud or Data Center).
type Jira struct {
	t      testing.TB
	Server *httptest.Server
	// Cloud answers serverInfo with deploymentType Cloud; else Server.
	Cloud bool
	// User and Token are the accepted credentials: Basic when User is set,
	// Bearer (a Data Center personal access token) otherwise.
	User, Token string
	UploadLimit int64
	// Validate checks every request against the OpenAPI description.
	Validate *Validator
	// Fault, when set, may answer a request itself (return true). op is
	// one of serverinfo, myself, issue, meta, attach, comment, comments
	// (the listing), create, search (JQL), edit (labels).
	Fault func(w http.ResponseWriter, r *http.Request, op string) bool
	// DropAttachResponses: store the upload, then close the connection
	// without an answer, this many times.
	DropAttachResponses int
	// DropCommentResponses: store the comment, then close the connection
	// without an answer, this many times.
	DropCommentResponses int
	// CommentPage caps a comment listing page (Jira answers fewer than
	// maxResults when it likes); 0 means 100.
	CommentPage int
	// ResetUploadsAfter: cut the connection (RST) after reading this many
	// body bytes of an upload, ResetUploads times.
	ResetUploads      int
	ResetUploadsAfter int64
	// Discard skips hashing uploads (the benchmark measures the client).
	Discard bool
	// LoginPage lists ops that a proxy or SSO gateway answers with a 200
	// text/html login page instead of passing the request on (nothing is
	// stored).
	LoginPage map[string]bool
	// ShortUploads: store only half of an upload's bytes and answer with
	// that size, this many times (a proxy that cut the body, a full disk).
	ShortUploads int
	// NotAgent: the account is no agent of the service desk, so Jira
	// stores its comments public whatever the request asked (and says so
	// in jsdPublic).
	NotAgent bool
	// DeniedReason, when set, makes Jira Data Center refuse every request
	// with 403 and X-Authentication-Denied-Reason (CAPTCHA_CHALLENGE after
	// failed logins), whatever the credentials.
	DeniedReason string
	// LabelsNotOnScreen: the labels field is not on the edit screen, so
	// setting labels answers 400 (the comment is unaffected).
	LabelsNotOnScreen bool
	// NoEditPermission: the account may comment but not edit (403).
	NoEditPermission bool
	// NoSearchScope: a scoped API token without read:jira-work; every
	// search answers 401 "scope does not match".
	NoSearchScope bool
	// SearchDelay holds each search this long (a slow JQL index) unless
	// the client gives up first.
	SearchDelay time.Duration

	mu       sync.Mutex
	issues   map[string]*Issue
	requests []string
	nextID   int
}

// Issue is a stored issue.
type Issue struct {
	ID, Key     string
	Attachments []StoredFile
	// Comments are the stored bodies (ADF on v3, wiki text on v2), oldest
	// first, and CommentIDs their ids.
	Comments   []json.RawMessage
	CommentIDs []string
	// Summary, Labels and the resolution are what a search sees. Done
	// says the status category is Done; Hidden issues are left out of the
	// account's searches (no Browse permission), as Jira does, silently.
	Summary        string
	Labels         []string
	Done           bool
	Resolution     string
	ResolutionDate time.Time
	Hidden         bool
	// ServiceDesk marks an issue of a Jira Service Management project: a
	// comment through the platform API is public (mailed to the customer)
	// unless it carries the property sd.public.comment {internal: true}.
	ServiceDesk bool
	// CommentPublic says, per comment, whether the customer sees it.
	CommentPublic []bool
}

// StoredFile is an attachment the fake received.
type StoredFile struct {
	ID          string
	Name        string
	Size        int64
	SHA256      string
	ContentType string
}

// NewJira starts a TLS fake with one issue, SUP-123, and a 10 MiB limit
// (the Data Center default).
func NewJira(t testing.TB, cloud bool, opts ...Option) *Jira {
	return newJira(t, cloud, true, opts...)
}

// NewJiraHTTP is NewJira over plain HTTP (for curl comparisons).
func NewJiraHTTP(t testing.TB, cloud bool) *Jira {
	return newJira(t, cloud, false)
}

func newJira(t testing.TB, cloud, tls bool, opts ...Option) *Jira {
	j := &Jira{t: t, Cloud: cloud, User: "agent@example.com", Token: "jira-secret-token-123",
		UploadLimit: 10 << 20, issues: map[string]*Issue{}, nextID: 10000}
	if !cloud {
		j.User = ""
	}
	j.AddIssue("SUP-123")
	if tls {
		j.Server = startTLS(http.HandlerFunc(j.serve), opts)
	} else {
		j.Server = httptest.NewServer(http.HandlerFunc(j.serve))
	}
	t.Cleanup(j.Server.Close)
	return j
}

// AddIssue creates an issue.
func (j *Jira) AddIssue(key string) *Issue {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.nextID++
	is := &Issue{ID: strconv.Itoa(j.nextID), Key: key}
	j.issues[key] = is
	return is
}

// AddServiceDeskIssue creates an issue of a service-desk project.
func (j *Jira) AddServiceDeskIssue(key string) *Issue {
	is := j.AddIssue(key)
	j.mu.Lock()
	is.ServiceDesk = true
	j.mu.Unlock()
	return is
}

// Issue returns a copy of the stored issue.
func (j *Jira) Issue(key string) Issue {
	j.mu.Lock()
	defer j.mu.Unlock()
	if is := j.issues[key]; is != nil {
		return Issue{ID: is.ID, Key: is.Key, Attachments: append([]StoredFile(nil), is.Attachments...), Comments: append([]json.RawMessage(nil), is.Comments...),
			CommentIDs: append([]string(nil), is.CommentIDs...), ServiceDesk: is.ServiceDesk, CommentPublic: append([]bool(nil), is.CommentPublic...),
			Summary: is.Summary, Labels: append([]string(nil), is.Labels...), Done: is.Done, Resolution: is.Resolution, ResolutionDate: is.ResolutionDate, Hidden: is.Hidden}
	}
	return Issue{}
}

// Requests lists "METHOD path" of every request so far.
func (j *Jira) Requests() []string {
	j.mu.Lock()
	defer j.mu.Unlock()
	return append([]string(nil), j.requests...)
}

func (j *Jira) base() string {
	if j.Cloud {
		return "/rest/api/3"
	}
	return "/rest/api/2"
}

func jsonReply(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func jiraError(w http.ResponseWriter, code int, msg string) {
	jsonReply(w, code, map[string]any{"errorMessages": []string{msg}, "errors": map[string]string{}})
}

func (j *Jira) serve(w http.ResponseWriter, r *http.Request) {
	j.mu.Lock()
	j.requests = append(j.requests, r.Method+" "+r.URL.Path)
	j.mu.Unlock()

	if j.DeniedReason != "" {
		// Jira DC after too many failed logins: the account must solve a
		// CAPTCHA in the browser; the API refuses even good credentials.
		w.Header().Set("X-Authentication-Denied-Reason", j.DeniedReason+"; login-url=https://"+r.Host+"/login.jsp")
		jiraError(w, http.StatusForbidden, "Forbidden")
		return
	}
	if !j.checkAuth(w, r) {
		return
	}
	op, key := j.route(r)
	if op == "" {
		j.t.Errorf("fake jira: unexpected request %s %s", r.Method, r.URL.String())
		jiraError(w, http.StatusNotFound, "no such resource")
		return
	}
	var body []byte
	if r.Header.Get("Content-Type") == "application/json" || strings.HasPrefix(r.Header.Get("Content-Type"), "application/json;") {
		body, _ = io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	if j.Validate != nil && !(op == "serverinfo" && !j.Cloud) {
		if err := j.Validate.Request(r, body); err != nil {
			j.t.Errorf("fake jira: request violates the OpenAPI description: %v", err)
			jiraError(w, http.StatusBadRequest, err.Error())
			return
		}
	}
	if j.Fault != nil && j.Fault(w, r, op) {
		return
	}
	if j.LoginPage[op] {
		LoginPage(w)
		return
	}
	switch op {
	case "search-gone":
		jiraError(w, http.StatusGone, "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API.")
	case "serverinfo":
		dt := "Server"
		if j.Cloud {
			dt = "Cloud"
		}
		jsonReply(w, 200, map[string]any{"baseUrl": "https://" + r.Host, "version": "9.12.0", "deploymentType": dt})
	case "myself":
		jsonReply(w, 200, map[string]any{"displayName": "Agent Smith", "emailAddress": j.User, "name": "agent"})
	case "meta":
		jsonReply(w, 200, map[string]any{"enabled": true, "uploadLimit": j.UploadLimit})
	case "issue":
		j.getIssue(w, r, key)
	case "attach":
		j.attach(w, r, key)
	case "comment":
		j.comment(w, key, body)
	case "comments":
		j.listComments(w, r, key)
	case "create":
		j.create(w, body)
	case "search":
		j.search(w, r)
	case "edit":
		j.edit(w, key, body)
	}
}

// route maps a request to an op; wrong methods and API versions are
// contract deviations.
func (j *Jira) route(r *http.Request) (op, key string) {
	p := r.URL.Path
	if p == "/rest/api/2/serverInfo" || p == "/rest/api/3/serverInfo" {
		return "serverinfo", ""
	}
	if !strings.HasPrefix(p, j.base()+"/") {
		j.t.Errorf("fake jira: %s uses the wrong API version (want %s)", p, j.base())
		return "", ""
	}
	rest := strings.TrimPrefix(p, j.base())
	parts := strings.Split(strings.Trim(rest, "/"), "/")
	switch {
	case rest == "/myself" && r.Method == http.MethodGet:
		return "myself", ""
	case rest == "/attachment/meta" && r.Method == http.MethodGet:
		return "meta", ""
	case rest == "/issue" && r.Method == http.MethodPost:
		return "create", ""
	case len(parts) == 2 && parts[0] == "issue" && r.Method == http.MethodGet:
		return "issue", parts[1]
	case len(parts) == 3 && parts[0] == "issue" && parts[2] == "attachments" && r.Method == http.MethodPost:
		return "attach", parts[1]
	case len(parts) == 3 && parts[0] == "issue" && parts[2] == "comment" && r.Method == http.MethodPost:
		return "comment", parts[1]
	case len(parts) == 3 && parts[0] == "issue" && parts[2] == "comment" && r.Method == http.MethodGet:
		return "comments", parts[1]
	case len(parts) == 2 && parts[0] == "issue" && r.Method == http.MethodPut:
		return "edit", parts[1]
	case r.Method == http.MethodGet && (j.Cloud && rest == "/search/jql" || !j.Cloud && rest == "/search"):
		return "search", ""
	case r.Method == http.MethodGet && j.Cloud && rest == "/search":
		// Removed on Cloud in 2025: 410 Gone.
		return "search-gone", ""
	}
	return "", ""
}

func (j *Jira) checkAuth(w http.ResponseWriter, r *http.Request) bool {
	h := r.Header.Get("Authorization")
	scheme, cred, _ := strings.Cut(h, " ")
	want := "Bearer"
	if j.User != "" {
		want = "Basic"
	}
	if scheme != want {
		j.t.Errorf("fake jira: Authorization scheme %q, want %s", scheme, want)
		w.Header().Set("WWW-Authenticate", want+` realm="protected-area"`)
		jiraError(w, http.StatusUnauthorized, "You are not authenticated. Authentication required to perform this operation.")
		return false
	}
	ok := false
	if want == "Bearer" {
		ok = cred == j.Token
	} else if raw, err := base64.StdEncoding.DecodeString(cred); err == nil {
		ok = string(raw) == j.User+":"+j.Token
	}
	if !ok {
		jiraError(w, http.StatusUnauthorized, "Client must be authenticated to access this resource.")
		return false
	}
	return true
}

func (j *Jira) getIssue(w http.ResponseWriter, r *http.Request, key string) {
	j.mu.Lock()
	is := j.issues[key]
	var atts []map[string]any
	if is != nil {
		for _, a := range is.Attachments {
			atts = append(atts, map[string]any{"id": a.ID, "filename": a.Filename(), "size": a.Size, "mimeType": a.ContentType})
		}
	}
	j.mu.Unlock()
	if is == nil {
		jiraError(w, http.StatusNotFound, "Issue does not exist or you do not have permission to see it.")
		return
	}
	fields := map[string]any{"summary": "VPN drops every hour", "status": map[string]any{"name": "Open"}}
	if strings.Contains(r.URL.Query().Get("fields"), "attachment") {
		if atts == nil {
			atts = []map[string]any{}
		}
		fields["attachment"] = atts
	}
	jsonReply(w, 200, map[string]any{"id": is.ID, "key": is.Key, "self": "https://" + r.Host + j.base() + "/issue/" + is.ID, "fields": fields})
}

// Filename is the stored name.
func (s StoredFile) Filename() string { return s.Name }

func (j *Jira) attach(w http.ResponseWriter, r *http.Request, key string) {
	if r.Header.Get("X-Atlassian-Token") != "no-check" {
		j.t.Errorf("fake jira: attach without X-Atlassian-Token: no-check")
		w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, "XSRF check failed")
		return
	}
	if r.ContentLength < 0 || len(r.TransferEncoding) > 0 {
		j.t.Errorf("fake jira: attach without Content-Length (chunked: %v)", r.TransferEncoding)
		jiraError(w, http.StatusLengthRequired, "Length Required")
		return
	}
	j.mu.Lock()
	is := j.issues[key]
	reset := j.ResetUploads > 0
	if reset {
		j.ResetUploads--
	}
	j.mu.Unlock()
	if reset {
		_, _ = io.CopyN(io.Discard, r.Body, j.ResetUploadsAfter)
		resetConn(w)
		return
	}
	if is == nil {
		jiraError(w, http.StatusNotFound, "Issue does not exist or you do not have permission to see it.")
		return
	}
	if j.UploadLimit > 0 && r.ContentLength > j.UploadLimit+64<<10 {
		jiraError(w, http.StatusRequestEntityTooLarge, "The file is too large to attach.")
		return
	}
	mr, err := r.MultipartReader()
	if err != nil {
		j.t.Errorf("fake jira: attach body is not multipart/form-data: %v", err)
		jiraError(w, http.StatusBadRequest, "not multipart")
		return
	}
	var stored []StoredFile
	for {
		part, err := mr.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			jiraError(w, http.StatusBadRequest, "broken multipart body: "+err.Error())
			return
		}
		if part.FormName() != "file" {
			j.t.Errorf("fake jira: multipart part named %q, want \"file\"", part.FormName())
			jiraError(w, http.StatusBadRequest, "no file part")
			return
		}
		if cd := part.Header.Get("Content-Disposition"); strings.Contains(cd, "filename*") {
			j.t.Errorf("fake jira: RFC 2231 filename* in %q (Jira Server answers 500)", cd)
			jiraError(w, http.StatusInternalServerError, "filename*")
			return
		}
		var h io.Writer = io.Discard
		sum := sha256.New()
		if !j.Discard {
			h = sum
		}
		n, err := io.Copy(h, part)
		if err != nil {
			return
		}
		j.mu.Lock()
		short := j.ShortUploads > 0
		if short {
			j.ShortUploads--
		}
		j.mu.Unlock()
		if short {
			n /= 2
		}
		sf := StoredFile{Name: part.FileName(), Size: n, ContentType: part.Header.Get("Content-Type")}
		if !j.Discard {
			sf.SHA256 = hex.EncodeToString(sum.Sum(nil))
		}
		stored = append(stored, sf)
	}
	if len(stored) == 0 {
		j.t.Errorf("fake jira: attach request without a file part")
		jiraError(w, http.StatusBadRequest, "no file")
		return
	}
	j.mu.Lock()
	var out []map[string]any
	for _, sf := range stored {
		j.nextID++
		sf.ID = strconv.Itoa(j.nextID)
		is.Attachments = append(is.Attachments, sf)
		out = append(out, map[string]any{"id": sf.ID, "filename": sf.Name, "size": sf.Size, "mimeType": sf.ContentType,
			"self": "https://" + r.Host + j.base() + "/attachment/" + sf.ID, "created": "2025-01-01T10:00:00.000+0000"})
	}
	drop := j.DropAttachResponses > 0
	if drop {
		j.DropAttachResponses--
	}
	j.mu.Unlock()
	if drop {
		resetConn(w)
		return
	}
	jsonReply(w, 200, out)
}

// LoginPage answers 200 with an HTML login page, as an SSO gateway or a
// proxy's block page does in front of an API.
func LoginPage(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html;charset=UTF-8")
	w.WriteHeader(http.StatusOK)
	io.WriteString(w, "<!DOCTYPE html><html><head><title>Log in - Corporate SSO</title></head><body><form action=\"/login\">...</form></body></html>")
}

// resetConn closes the connection with a TCP RST and no answer.
func resetConn(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("fake: cannot hijack")
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	} else if nc, ok := conn.(interface{ NetConn() net.Conn }); ok {
		if tc, ok := nc.NetConn().(*net.TCPConn); ok {
			_ = tc.SetLinger(0)
		}
	}
	conn.Close()
}

func (j *Jira) comment(w http.ResponseWriter, key string, body []byte) {
	var doc struct {
		Body       any `json:"body"`
		Properties []struct {
			Key   string          `json:"key"`
			Value json.RawMessage `json:"value"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(body, &doc); err != nil || doc.Body == nil {
		j.t.Errorf("fake jira: comment body is not {\"body\": ...}: %s", body)
		jiraError(w, http.StatusBadRequest, "Comment body can not be empty!")
		return
	}
	if j.Cloud {
		if j.Validate != nil {
			var anyDoc any
			_ = json.Unmarshal(mustJSON(doc.Body), &anyDoc)
			if err := j.Validate.ADF(anyDoc); err != nil {
				j.t.Errorf("fake jira: v3 comment body is not valid ADF: %v", err)
				jiraError(w, http.StatusBadRequest, "INVALID_INPUT")
				return
			}
		} else if _, ok := doc.Body.(map[string]any); !ok {
			j.t.Errorf("fake jira: v3 comment body must be an ADF object, got %T", doc.Body)
		}
	} else if _, ok := doc.Body.(string); !ok {
		j.t.Errorf("fake jira: v2 comment body must be wiki text (a string), got %T", doc.Body)
		jiraError(w, http.StatusBadRequest, "body must be a string")
		return
	}
	internal := false
	for _, p := range doc.Properties {
		if p.Key != "sd.public.comment" {
			continue
		}
		var v struct {
			Internal any `json:"internal"`
		}
		if err := json.Unmarshal(p.Value, &v); err != nil {
			jiraError(w, http.StatusBadRequest, "sd.public.comment: value must be an object")
			return
		}
		// Jira Service Management accepts the boolean and the string.
		internal = v.Internal == true || v.Internal == "true"
	}
	j.mu.Lock()
	is := j.issues[key]
	public, sd := true, false
	if is != nil {
		sd = is.ServiceDesk
		j.nextID++
		is.Comments = append(is.Comments, json.RawMessage(mustJSON(doc.Body)))
		is.CommentIDs = append(is.CommentIDs, strconv.Itoa(j.nextID))
		public = !(is.ServiceDesk && internal && !j.NotAgent)
		is.CommentPublic = append(is.CommentPublic, public)
	}
	id := j.nextID
	drop := is != nil && j.DropCommentResponses > 0
	if drop {
		j.DropCommentResponses--
	}
	j.mu.Unlock()
	if is == nil {
		jiraError(w, http.StatusNotFound, "Issue does not exist or you do not have permission to see it.")
		return
	}
	if drop {
		resetConn(w)
		return
	}
	ans := map[string]any{"id": strconv.Itoa(id), "body": doc.Body}
	if sd {
		// Jira answers with jsdPublic on service-desk issues.
		ans["jsdPublic"] = public
	}
	jsonReply(w, http.StatusCreated, ans)
}

// listComments answers GET issue/{key}/comment as Jira does: a page of
// comments (startAt, maxResults, total), ordered by orderBy (created
// ascending by default), bodies as stored. The answer is checked against
// the OpenAPI description's PageOfComments.
func (j *Jira) listComments(w http.ResponseWriter, r *http.Request, key string) {
	q := r.URL.Query()
	startAt, maxResults := 0, 100
	if v := q.Get("startAt"); v != "" {
		startAt, _ = strconv.Atoi(v)
	}
	if v := q.Get("maxResults"); v != "" {
		maxResults, _ = strconv.Atoi(v)
	}
	if p := j.CommentPage; p > 0 && maxResults > p {
		maxResults = p
	}
	if v := q.Get("expand"); v != "" && v != "renderedBody" {
		j.t.Errorf("fake jira: comment listing with expand=%q (only renderedBody is documented)", v)
	}
	j.mu.Lock()
	is := j.issues[key]
	type entry struct {
		id   string
		body json.RawMessage
	}
	var all []entry
	if is != nil {
		for i := range is.Comments {
			all = append(all, entry{is.CommentIDs[i], is.Comments[i]})
		}
	}
	j.mu.Unlock()
	if is == nil {
		jiraError(w, http.StatusNotFound, "Issue does not exist or you do not have permission to see it.")
		return
	}
	if q.Get("orderBy") == "-created" {
		for a, b := 0, len(all)-1; a < b; a, b = a+1, b-1 {
			all[a], all[b] = all[b], all[a]
		}
	}
	page := []map[string]any{}
	for i := startAt; i >= 0 && i < len(all) && len(page) < maxResults; i++ {
		page = append(page, map[string]any{
			"id":     all[i].id,
			"self":   "https://" + r.Host + j.base() + "/issue/" + is.ID + "/comment/" + all[i].id,
			"body":   all[i].body,
			"author": map[string]any{"displayName": "Agent Smith", "active": true},
			// Jira sends +0000; the description says date-time (RFC 3339),
			// which the answer is validated against. The client reads neither.
			"created": "2025-01-01T10:00:00.000+00:00",
			"updated": "2025-01-01T10:00:00.000+00:00",
		})
	}
	doc := map[string]any{"startAt": startAt, "maxResults": maxResults, "total": len(all), "comments": page}
	if j.Validate != nil {
		if err := j.Validate.Response(r, http.StatusOK, mustJSON(doc)); err != nil {
			j.t.Errorf("fake jira: comment listing violates the OpenAPI description: %v", err)
		}
	}
	jsonReply(w, http.StatusOK, doc)
}

func (j *Jira) create(w http.ResponseWriter, body []byte) {
	var doc struct {
		Fields struct {
			Project struct {
				Key string `json:"key"`
			} `json:"project"`
			IssueType struct {
				Name string `json:"name"`
			} `json:"issuetype"`
			Summary     string `json:"summary"`
			Description any    `json:"description"`
		} `json:"fields"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		jiraError(w, http.StatusBadRequest, err.Error())
		return
	}
	errs := map[string]string{}
	if doc.Fields.Summary == "" {
		errs["summary"] = "You must specify a summary of the issue."
	}
	if doc.Fields.Project.Key == "" {
		errs["project"] = "project is required"
	}
	if len(errs) > 0 {
		jsonReply(w, http.StatusBadRequest, map[string]any{"errorMessages": []string{}, "errors": errs})
		return
	}
	if j.Cloud && doc.Fields.Description != nil && j.Validate != nil {
		var anyDoc any
		_ = json.Unmarshal(mustJSON(doc.Fields.Description), &anyDoc)
		if err := j.Validate.ADF(anyDoc); err != nil {
			j.t.Errorf("fake jira: description is not valid ADF: %v", err)
		}
	}
	j.mu.Lock()
	n := len(j.issues) + 1
	j.mu.Unlock()
	key := fmt.Sprintf("%s-%d", doc.Fields.Project.Key, 1000+n)
	is := j.AddIssue(key)
	jsonReply(w, http.StatusCreated, map[string]any{"id": is.ID, "key": key, "self": "https://x/rest/api/3/issue/" + is.ID})
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
