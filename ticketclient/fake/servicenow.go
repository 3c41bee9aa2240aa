package fake

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// ServiceNow is a fake instance with the Table and Attachment APIs.
type ServiceNow struct {
	t      testing.TB
	Server *httptest.Server
	// User/Password for Basic, or Token for Bearer (when set).
	User, Password, Token string
	// Fault may answer a request itself; op is lookup, attach, list,
	// note, journal (the sys_journal_field listing), create, props.
	Fault func(w http.ResponseWriter, r *http.Request, op string) bool
	// DropAttachResponses: store, then cut the connection.
	DropAttachResponses int
	// DropNoteResponses: store the work note (or comment), then cut the
	// connection without an answer, this many times.
	DropNoteResponses int
	// NoJournalAccess: the account may not read sys_journal_field (the
	// rule for integration accounts): 403 on every query of it.
	NoJournalAccess bool
	// NoRead lists tables the account may not read (403), e.g. incident
	// for an account that only works requested items, or task.
	NoRead map[string]bool
	// SilentDrop lists fields a PATCH ignores while answering 200: a field
	// the account may not write (ACL) or that the table lacks. ServiceNow
	// does not say so; only the stored record shows it.
	SilentDrop map[string]bool
	// OAuth: when ClientID is set, /oauth_token.do issues tokens
	// (client_credentials, password and refresh_token grants) and only
	// issued tokens are accepted. Each access token is good for TokenUses
	// API requests (0: unlimited), then answers 401 as an expired one.
	ClientID, ClientSecret string
	TokenUses              int
	// CustomFields are columns this instance added to every task table
	// (u_l2diag_causes, say): searchable and writable like the others.
	CustomFields []string
	// SearchDelay holds each search query (a query that is not a lookup
	// by number) this long, unless the client gives up first.
	SearchDelay time.Duration

	tokens  map[string]int // access token → uses left (-1 unlimited)
	refresh map[string]bool
	grants  []string

	mu      sync.Mutex
	records map[string]*Record // by number
	nextID  int
}

// Record is a stored record.
type Record struct {
	Table, SysID, Number string
	Attachments          []StoredFile
	WorkNotes, Comments  []string
	// Fields are the other columns a search reads and returns (state,
	// close_notes, resolved_at, known_error, workflow_state, text, ...).
	Fields map[string]string
}

// NewServiceNow starts a TLS fake with INC0010001 and RITM0010002.
func NewServiceNow(t testing.TB, opts ...Option) *ServiceNow {
	s := &ServiceNow{t: t, User: "l2diag.svc", Password: "sn-secret-pass-456", records: map[string]*Record{}}
	s.AddRecord("incident", "INC0010001")
	s.AddRecord("sc_req_item", "RITM0010002")
	s.Server = startTLS(http.HandlerFunc(s.serve), opts)
	t.Cleanup(s.Server.Close)
	return s
}

// AddRecord creates a record.
func (s *ServiceNow) AddRecord(table, number string) *Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	r := &Record{Table: table, Number: number, SysID: fmt.Sprintf("%032x", 0xabc000+s.nextID)}
	s.records[number] = r
	return r
}

// Record returns a copy of the record.
func (s *ServiceNow) Record(number string) Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.records[number]; r != nil {
		cp := *r
		cp.Attachments = append([]StoredFile(nil), r.Attachments...)
		cp.Fields = maps.Clone(r.Fields)
		return cp
	}
	return Record{}
}

func snError(w http.ResponseWriter, code int, msg, detail string) {
	jsonReply(w, code, map[string]any{"error": map[string]string{"message": msg, "detail": detail}, "status": "failure"})
}

func (s *ServiceNow) bySysID(table, id string) *Record {
	for _, r := range s.records {
		if r.Table == table && r.SysID == id {
			return r
		}
	}
	return nil
}

func (s *ServiceNow) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/oauth_token.do" {
		s.oauthToken(w, r)
		return
	}
	if !s.checkAuth(w, r) {
		return
	}
	s.route(w, r)
}

// checkAuth accepts Basic user:password, the static Token, or a token
// /oauth_token.do issued and that has not expired.
func (s *ServiceNow) checkAuth(w http.ResponseWriter, r *http.Request) bool {
	h := r.Header.Get("Authorization")
	scheme, cred, _ := strings.Cut(h, " ")
	want := "Basic"
	if s.Token != "" || s.ClientID != "" {
		want = "Bearer"
	}
	if scheme != want {
		s.t.Errorf("fake servicenow: Authorization scheme %q, want %s", scheme, want)
		snError(w, http.StatusUnauthorized, "User Not Authenticated", "Required to provide Auth information")
		return false
	}
	ok := false
	switch {
	case want == "Bearer" && s.ClientID != "":
		ok = s.useToken(cred)
	case want == "Bearer":
		ok = cred == s.Token
	default:
		if raw, err := base64.StdEncoding.DecodeString(cred); err == nil {
			ok = string(raw) == s.User+":"+s.Password
		}
	}
	if !ok {
		snError(w, http.StatusUnauthorized, "User Not Authenticated", "Required to provide Auth information")
		return false
	}
	return true
}

// snRoute is one endpoint of the fake: the first route whose method and
// path match serves the request, and op names it for Fault.
type snRoute struct {
	method string
	path   func(p string) bool
	op     string
	serve  func(s *ServiceNow, w http.ResponseWriter, r *http.Request)
}

func exactly(want string) func(string) bool { return func(p string) bool { return p == want } }

// tablePath is any Table API path; tableRecord one record (/api/now/table/<table>/<sys_id>).
func tablePath(p string) bool   { return strings.HasPrefix(p, "/api/now/table/") }
func tableRecord(p string) bool { return tablePath(p) && strings.Count(p, "/") == 5 }

// snRoutes are the endpoints the fake documents, in the order they are tried.
var snRoutes = []snRoute{
	{http.MethodGet, exactly("/api/now/table/sys_properties"), "props", (*ServiceNow).props},
	{http.MethodGet, exactly("/api/now/table/sys_journal_field"), "journal", (*ServiceNow).journal},
	{http.MethodGet, exactly("/api/now/table/sys_user"), "user", (*ServiceNow).user},
	{http.MethodGet, tableRecord, "record", (*ServiceNow).readRecord},
	{http.MethodGet, tablePath, "lookup", (*ServiceNow).lookup},
	{http.MethodGet, exactly("/api/now/attachment"), "list", (*ServiceNow).listAttachments},
	{http.MethodPost, exactly("/api/now/attachment/file"), "attach", (*ServiceNow).attach},
	{http.MethodPatch, tableRecord, "note", (*ServiceNow).note},
	{http.MethodPost, tablePath, "create", (*ServiceNow).create},
}

func (s *ServiceNow) route(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	i := slices.IndexFunc(snRoutes, func(rt snRoute) bool { return rt.method == r.Method && rt.path(p) })
	if i < 0 {
		s.t.Errorf("fake servicenow: unexpected request %s %s", r.Method, r.URL)
		snError(w, http.StatusBadRequest, "Requested URI does not represent any resource", p)
		return
	}
	rt := snRoutes[i]
	if s.Fault != nil && s.Fault(w, r, rt.op) {
		return
	}
	if r.Method == http.MethodGet && tablePath(p) {
		table := strings.Split(strings.TrimPrefix(p, "/api/now/table/"), "/")[0]
		if s.NoRead[table] || (table == "sys_journal_field" && s.NoJournalAccess) {
			snError(w, http.StatusForbidden, "Insufficient rights to query records", "Fields present in the query do not have permission to be read")
			return
		}
	}
	rt.serve(s, w, r)
}

func (s *ServiceNow) props(w http.ResponseWriter, _ *http.Request) {
	jsonReply(w, 200, map[string]any{"result": []map[string]string{{"value": "1024"}}})
}

func (s *ServiceNow) user(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Query().Get("sysparm_query"), "user_name=")
	res := []map[string]string{}
	if name == s.User || name == "" {
		res = append(res, map[string]string{"sys_id": strings.Repeat("5", 32), "user_name": s.User, "name": "l2diag Integration"})
	}
	jsonReply(w, 200, map[string]any{"result": res})
}

func (s *ServiceNow) listAttachments(w http.ResponseWriter, r *http.Request) {
	var table, id string
	for _, pt := range strings.Split(r.URL.Query().Get("sysparm_query"), "^") {
		k, v, _ := strings.Cut(pt, "=")
		switch k {
		case "table_name":
			table = v
		case "table_sys_id":
			id = v
		}
	}
	s.mu.Lock()
	rec := s.bySysID(table, id)
	res := []map[string]string{}
	if rec != nil {
		for _, a := range rec.Attachments {
			res = append(res, map[string]string{"sys_id": a.ID, "file_name": a.Name, "size_bytes": strconv.FormatInt(a.Size, 10), "hash": a.SHA256})
		}
	}
	s.mu.Unlock()
	jsonReply(w, 200, map[string]any{"result": res})
}

// note is a PATCH of one record: work notes and comments are appended,
// other fields stored where the table has them.
func (s *ServiceNow) note(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(r.URL.Path, "/")
	var body map[string]string
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		s.t.Errorf("fake servicenow: note body is not JSON: %v", err)
		snError(w, 400, "bad JSON", err.Error())
		return
	}
	s.mu.Lock()
	rec := s.bySysID(parts[4], parts[5])
	if rec != nil {
		if v := body["work_notes"]; v != "" && !s.SilentDrop["work_notes"] {
			rec.WorkNotes = append(rec.WorkNotes, v)
		}
		if v := body["comments"]; v != "" && !s.SilentDrop["comments"] {
			rec.Comments = append(rec.Comments, v)
		}
		for k, v := range body {
			// Other fields are stored when the table has them and the
			// account may write them; ServiceNow ignores the rest
			// without a word.
			if k != "work_notes" && k != "comments" && s.hasColumn(rec.Table, k) && !s.SilentDrop[k] {
				if rec.Fields == nil {
					rec.Fields = map[string]string{}
				}
				rec.Fields[k] = v
			}
		}
	}
	drop := rec != nil && s.DropNoteResponses > 0
	if drop {
		s.DropNoteResponses--
	}
	s.mu.Unlock()
	if rec == nil {
		snError(w, 404, "No Record found", "Record doesn't exist or ACL restricts the record retrieval")
		return
	}
	if drop {
		resetConn(w)
		return
	}
	jsonReply(w, 200, map[string]any{"result": s.recordFields(rec, r.URL.Query())})
}

func (s *ServiceNow) create(w http.ResponseWriter, r *http.Request) {
	var body map[string]string
	_ = json.NewDecoder(r.Body).Decode(&body)
	if body["short_description"] == "" {
		snError(w, 400, "short_description is mandatory", "")
		return
	}
	s.mu.Lock()
	n := fmt.Sprintf("INC%07d", 20000+s.nextID)
	s.mu.Unlock()
	rec := s.AddRecord(strings.TrimPrefix(r.URL.Path, "/api/now/table/"), n)
	jsonReply(w, 201, map[string]any{"result": map[string]string{"number": n, "sys_id": rec.SysID}})
}

func (s *ServiceNow) attach(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		s.t.Errorf("fake servicenow: attachment upload without Content-Type")
		snError(w, http.StatusBadRequest, "Content-Type is missing", "")
		return
	}
	if strings.HasSuffix(strings.ToLower(q.Get("file_name")), ".zip") && ct != "application/zip" {
		s.t.Errorf("fake servicenow: %s sent as %s", q.Get("file_name"), ct)
		snError(w, http.StatusBadRequest, "File type not permitted or mime type does not match the file content", "")
		return
	}
	if r.ContentLength < 0 {
		s.t.Errorf("fake servicenow: upload without Content-Length")
	}
	for _, k := range []string{"table_name", "table_sys_id", "file_name"} {
		if q.Get(k) == "" {
			s.t.Errorf("fake servicenow: upload without %s", k)
			snError(w, 400, "Missing parameter "+k, "")
			return
		}
	}
	s.mu.Lock()
	rec := s.bySysID(q.Get("table_name"), q.Get("table_sys_id"))
	s.mu.Unlock()
	if rec == nil {
		snError(w, 404, "Record doesn't exist or ACL restricts the record retrieval", "")
		return
	}
	sum := sha256.New()
	n, err := io.Copy(sum, r.Body)
	if err != nil {
		return
	}
	s.mu.Lock()
	s.nextID++
	sf := StoredFile{ID: fmt.Sprintf("%032x", 0xfff000+s.nextID), Name: q.Get("file_name"), Size: n, SHA256: hex.EncodeToString(sum.Sum(nil)), ContentType: ct}
	rec.Attachments = append(rec.Attachments, sf)
	drop := s.DropAttachResponses > 0
	if drop {
		s.DropAttachResponses--
	}
	s.mu.Unlock()
	if drop {
		resetConn(w)
		return
	}
	w.Header().Set("Location", "https://"+r.Host+"/api/now/attachment/"+sf.ID)
	jsonReply(w, 201, map[string]any{"result": map[string]string{
		"sys_id": sf.ID, "file_name": sf.Name, "table_name": rec.Table, "table_sys_id": rec.SysID,
		"size_bytes": strconv.FormatInt(n, 10), "content_type": ct, "download_link": "https://" + r.Host + "/api/now/attachment/" + sf.ID + "/file"}})
}

// journal answers the Table API on sys_journal_field, where ServiceNow
// keeps each work note and comment as a row (element_id is the record's
// sys_id, element the field, value the text). It understands the query
// parts element_id=, element=, valueLIKE (contains) and ORDERBY(DESC)
// sys_created_on; like ServiceNow it ignores any other part (and fails
// the test, since the client should not send one), honours
// sysparm_fields, sysparm_limit and sysparm_offset, and lists entries
// oldest first unless told otherwise.
func (s *ServiceNow) journal(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var id, element, like string
	desc := false
	for _, pt := range strings.Split(q.Get("sysparm_query"), "^") {
		switch {
		case strings.HasPrefix(pt, "element_id="):
			id = strings.TrimPrefix(pt, "element_id=")
		case strings.HasPrefix(pt, "element="):
			element = strings.TrimPrefix(pt, "element=")
		case strings.HasPrefix(pt, "valueLIKE"):
			like = strings.TrimPrefix(pt, "valueLIKE")
		case pt == "ORDERBYDESCsys_created_on":
			desc = true
		case pt == "ORDERBYsys_created_on", pt == "":
		default:
			s.t.Errorf("fake servicenow: journal query part %q is not understood (ServiceNow would ignore it silently)", pt)
		}
	}
	type entry struct{ sysID, table, elementID, element, value string }
	var all []entry
	s.mu.Lock()
	for _, rec := range s.records {
		if id != "" && rec.SysID != id {
			continue
		}
		for field, values := range map[string][]string{"work_notes": rec.WorkNotes, "comments": rec.Comments} {
			if element != "" && field != element {
				continue
			}
			for i, v := range values {
				all = append(all, entry{fmt.Sprintf("%s%02d%026x", rec.SysID[:4], i, len(field)), rec.Table, rec.SysID, field, v})
			}
		}
	}
	s.mu.Unlock()
	var match []entry
	for _, e := range all {
		if like == "" || strings.Contains(strings.ToLower(e.value), strings.ToLower(like)) {
			match = append(match, e)
		}
	}
	if desc {
		for a, b := 0, len(match)-1; a < b; a, b = a+1, b-1 {
			match[a], match[b] = match[b], match[a]
		}
	}
	offset, _ := strconv.Atoi(q.Get("sysparm_offset"))
	limit := 10000
	if v := q.Get("sysparm_limit"); v != "" {
		limit, _ = strconv.Atoi(v)
	}
	fields := map[string]bool{}
	for _, f := range strings.Split(q.Get("sysparm_fields"), ",") {
		if f != "" {
			fields[f] = true
		}
	}
	res := []map[string]string{}
	for i := offset; i >= 0 && i < len(match) && len(res) < limit; i++ {
		e := match[i]
		row := map[string]string{"sys_id": e.sysID, "element_id": e.elementID, "element": e.element, "value": e.value,
			"name": e.table, "sys_created_on": "2025-01-01 10:00:00", "sys_created_by": s.User}
		if len(fields) > 0 {
			for k := range row {
				if !fields[k] {
					delete(row, k)
				}
			}
		}
		res = append(res, row)
	}
	jsonReply(w, 200, map[string]any{"result": res})
}
