package netcheck_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/diag/internal/lab"
	"github.com/l2diag/l2diag/report"
)

func TestProxyInLab(t *testing.T) {
	lab.RequireTool(t, "tinyproxy")
	l := lab.New(t)
	c, s := l.Namespace("c"), l.Namespace("s")
	l.Link(c, "10.36.0.1/24", s, "10.36.0.2/24")
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "hello") })
	serve(t, s, "10.36.0.2:8080", mux, nil)
	lab.Tinyproxy(t, s, "10.36.0.2", 8888, false)
	lab.Tinyproxy(t, s, "10.36.0.2", 8889, true)

	tests := []struct {
		name      string
		proxy     string
		wantProxy []string
		wantHTTP  []string
		status    report.Status
	}{
		{"proxy answers", "http://10.36.0.2:8888", []string{"net.proxy-configured"}, []string{"net.http-ok"}, report.StatusOK},
		{"proxy wants credentials", "http://10.36.0.2:8889", []string{"net.proxy-configured"}, []string{"net.http-proxy-auth"}, report.StatusFail},
		{"proxy not reachable", "http://10.36.0.2:8899", []string{"net.proxy-unreachable"}, []string{"net.http-connect-failed"}, report.StatusFail},
		{"no proxy", "", nil, []string{"net.http-ok"}, report.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, k := range []string{"HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"} {
				t.Setenv(k, "")
			}
			if tt.proxy != "" {
				t.Setenv("HTTP_PROXY", tt.proxy)
				t.Setenv("HTTPS_PROXY", tt.proxy)
			}
			rep := runNet(t, c, "", labProfile, "--http", "http://10.36.0.2:8080/ok")
			p := result(t, rep, "net-proxy", "")
			if got := codes(p); !slices.Equal(got, tt.wantProxy) {
				t.Errorf("proxy codes = %v, want %v (%s)", got, tt.wantProxy, p.Summary)
			}
			h := result(t, rep, "net-http", "http://10.36.0.2:8080/ok")
			if got := codes(h); !slices.Equal(got, tt.wantHTTP) {
				t.Errorf("http codes = %v, want %v (%s)", got, tt.wantHTTP, h.Summary)
			}
			if h.Status != tt.status {
				t.Errorf("http status = %s, want %s", h.Status, tt.status)
			}
			wantUsed := tt.proxy
			if wantUsed == "" {
				wantUsed = "none"
			}
			if h.Details["proxy"] != wantUsed {
				t.Errorf("http proxy used = %v, want %s", h.Details["proxy"], wantUsed)
			}
		})
	}
	t.Run("not a proxy URL", func(t *testing.T) {
		t.Setenv("HTTPS_PROXY", "ftp://user:pw@files.example.com")
		rep := runNet(t, c, "", labProfile)
		p := result(t, rep, "net-proxy", "")
		if got := codes(p); !slices.Equal(got, []string{"net.proxy-invalid"}) || p.Status != report.StatusWarn {
			t.Errorf("codes %v status %s, want net.proxy-invalid, warn", got, p.Status)
		}
		if strings.Contains(fmt.Sprint(p.Details, p.Findings), "pw@") {
			t.Errorf("password shown: %v %v", p.Details, p.Findings)
		}
	})
	t.Run("password never shown", func(t *testing.T) {
		t.Setenv("HTTPS_PROXY", "http://labuser:s3cret-pw@10.36.0.2:8889")
		r := c.L2diag("run", "--only", "net", "-o", "json", "--profile", writeProfile(t, labProfile))
		if strings.Contains(r.Stdout+r.Stderr, "s3cret-pw") {
			t.Errorf("the proxy password appears in the output:\n%s", r.Stdout)
		}
	})
}
