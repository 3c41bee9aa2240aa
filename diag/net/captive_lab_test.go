package netcheck_test

import (
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/diag/internal/lab"
	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/report"
)

// TestCaptivePortalInLab puts a laptop behind a hotel-style captive
// portal: a DNS server (dnsmasq) that answers every name with the
// portal's address, and an HTTP server there that redirects every request
// to its login page. The connectivity URLs are the default profile's own
// (their names resolve only through the lab's dnsmasq: nothing leaves the
// namespaces). The control is the same network with a responder that
// answers each URL as the real endpoint does (204, or its known body);
// a second portal serves its page in place of every URL, without a
// redirect.
func TestCaptivePortalInLab(t *testing.T) {
	l := lab.New(t)
	c, gw := l.Namespace("guest"), l.Namespace("hotel")
	_, gwIf := l.Link(c, "10.36.0.100/24", gw, "10.36.0.2/24")
	gw.MustRun("ip", "addr", "add", "10.36.0.3/24", "dev", gwIf)
	gw.MustRun("ip", "addr", "add", "10.36.0.4/24", "dev", gwIf)
	c.Route("default", "via", "10.36.0.2")

	conn := profile.Default().Net.HTTP.Connectivity
	if len(conn) == 0 {
		t.Fatal("the default profile names no connectivity URL")
	}
	portal := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/login" {
			fmt.Fprint(w, "<html><body><form action=/login method=post>Welcome to Hotel Wi-Fi: room number and name</form></body></html>")
			return
		}
		http.Redirect(w, r, "http://portal.hotel.example/login?orig="+url.QueryEscape(r.Host+r.URL.Path), http.StatusFound)
	})
	// A portal that serves its login page in place of every URL (200, no
	// redirect): only the missing 204 or known body gives it away.
	inPlace := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<html><body>Guest network: accept the terms to continue</body></html>")
	})
	healthy := http.NewServeMux()
	for _, cc := range conn {
		u, err := url.Parse(cc.URL)
		if err != nil {
			t.Fatal(err)
		}
		healthy.HandleFunc(u.Path, func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(cc.Status)
			fmt.Fprint(w, cc.Body)
		})
	}
	serve(t, gw, "10.36.0.2:80", portal, nil)
	serve(t, gw, "10.36.0.3:80", healthy, nil)
	serve(t, gw, "10.36.0.4:80", inPlace, nil)
	ap := netip.MustParseAddrPort
	lab.Dnsmasq(t, gw, ap("10.36.0.2:53"), "--address=/#/10.36.0.2")
	lab.Dnsmasq(t, gw, ap("10.36.0.3:53"), "--address=/#/10.36.0.3")
	lab.Dnsmasq(t, gw, ap("10.36.0.4:53"), "--address=/#/10.36.0.4")

	var prof strings.Builder
	prof.WriteString("name: captive-lab\nnet:\n  ping:\n    targets: []\n  tcp:\n    targets: []\n  http:\n    timeout: 3s\n    connectivity:\n")
	for _, cc := range conn {
		fmt.Fprintf(&prof, "      - url: %s\n        status: %d\n", cc.URL, cc.Status)
		if cc.Body != "" {
			fmt.Fprintf(&prof, "        body: %q\n", cc.Body)
		}
	}
	tests := []struct {
		name       string
		dns        string
		code       string
		status     report.Status
		conclusion bool
	}{
		{"behind a redirecting portal", "10.36.0.2", "net.captive-portal", report.StatusFail, true},
		{"behind a portal answering in place", "10.36.0.4", "net.captive-portal", report.StatusFail, true},
		{"the internet untouched", "10.36.0.3", "net.http-ok", report.StatusOK, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c.SetResolvConf("nameserver " + tt.dns + "\n")
			rep := runNet(t, c, "", prof.String())
			for _, cc := range conn {
				r := result(t, rep, "net-http", cc.URL)
				t.Logf("%s: %s: %s", cc.URL, r.Status, r.Summary)
				if !hasCode(r, tt.code) || r.Status != tt.status {
					t.Errorf("%s: %s %v, want %s with %s", cc.URL, r.Status, codes(r), tt.status, tt.code)
				}
			}
			var cc []string
			for _, x := range rep.Conclusions {
				cc = append(cc, x.Code)
			}
			if got := slices.Contains(cc, "cause.captive-portal"); got != tt.conclusion {
				t.Errorf("conclusions %v: cause.captive-portal %v, want %v", cc, got, tt.conclusion)
			}
		})
	}
}
