package fake

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// recorder is a testing.TB that records the fake's complaints, so these
// tests prove the fakes fail a test on a contract deviation.
type recorder struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func (r *recorder) complaints() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.errs, "\n")
}

func multipartBody(t *testing.T, field string) (*bytes.Buffer, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	w, err := mw.CreateFormFile(field, "x.zip")
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, "data")
	mw.Close()
	return &b, mw.FormDataContentType()
}

func TestFakesEnforceContract(t *testing.T) {
	tests := []struct {
		name       string
		jira       bool
		validate   bool // against the OpenAPI description
		req        func(t *testing.T, base string) *http.Request
		wantStatus int
		wantBody   string
		wantErr    string
	}{
		{name: "jira attach without XSRF header", jira: true, req: func(t *testing.T, base string) *http.Request {
			b, ct := multipartBody(t, "file")
			r, _ := http.NewRequest("POST", base+"/rest/api/3/issue/SUP-123/attachments", b)
			r.Header.Set("Content-Type", ct)
			r.SetBasicAuth("agent@example.com", "jira-secret-token-123")
			return r
		}, wantStatus: 403, wantBody: "XSRF check failed", wantErr: "X-Atlassian-Token"},
		{name: "jira wrong part name", jira: true, req: func(t *testing.T, base string) *http.Request {
			b, ct := multipartBody(t, "upload")
			r, _ := http.NewRequest("POST", base+"/rest/api/3/issue/SUP-123/attachments", b)
			r.Header.Set("Content-Type", ct)
			r.Header.Set("X-Atlassian-Token", "no-check")
			r.SetBasicAuth("agent@example.com", "jira-secret-token-123")
			return r
		}, wantStatus: 400, wantErr: `"upload"`},
		{name: "jira wrong auth scheme", jira: true, req: func(t *testing.T, base string) *http.Request {
			r, _ := http.NewRequest("GET", base+"/rest/api/3/myself", nil)
			r.Header.Set("Authorization", "Bearer jira-secret-token-123")
			return r
		}, wantStatus: 401, wantErr: "scheme"},
		{name: "jira comment listing with an undocumented orderBy", jira: true, validate: true, req: func(t *testing.T, base string) *http.Request {
			r, _ := http.NewRequest("GET", base+"/rest/api/3/issue/SUP-123/comment?orderBy=newest", nil)
			r.SetBasicAuth("agent@example.com", "jira-secret-token-123")
			return r
		}, wantStatus: 400, wantErr: "OpenAPI"},
		{name: "servicenow journal query part not understood", req: func(t *testing.T, base string) *http.Request {
			r, _ := http.NewRequest("GET", base+"/api/now/table/sys_journal_field?sysparm_query=element_id=x^elementIN=work_notes", nil)
			r.SetBasicAuth("l2diag.svc", "sn-secret-pass-456")
			return r
		}, wantStatus: 200, wantErr: "elementIN"},
		{name: "servicenow upload without Content-Type", req: func(t *testing.T, base string) *http.Request {
			r, _ := http.NewRequest("POST", base+"/api/now/attachment/file?table_name=incident&table_sys_id=x&file_name=a.zip", strings.NewReader("zip"))
			r.SetBasicAuth("l2diag.svc", "sn-secret-pass-456")
			return r
		}, wantStatus: 400, wantErr: "Content-Type"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{TB: t}
			var base string
			var client *http.Client
			if tc.jira {
				f := NewJira(rec, true)
				if tc.validate {
					v, err := LoadValidator()
					if err != nil {
						t.Skipf("OpenAPI description not available: %v", err)
					}
					f.Validate = v
				}
				base, client = f.Server.URL, f.Server.Client()
			} else {
				f := NewServiceNow(rec)
				base, client = f.Server.URL, f.Server.Client()
			}
			resp, err := client.Do(tc.req(t, base))
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.wantStatus || !strings.Contains(string(body), tc.wantBody) {
				t.Errorf("answer %d %q, want %d with %q", resp.StatusCode, body, tc.wantStatus, tc.wantBody)
			}
			if c := rec.complaints(); !strings.Contains(c, tc.wantErr) {
				t.Errorf("fake did not fail the test with %q; complaints: %q", tc.wantErr, c)
			}
		})
	}
}
