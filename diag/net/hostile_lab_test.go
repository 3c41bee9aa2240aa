package netcheck_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/l2diag/l2diag/diag/internal/lab"
	"github.com/l2diag/l2diag/report"
)

// rawServer answers every connection on addr in ns with answer, after
// reading the request line, and closes it.
func rawServer(t *testing.T, ns *lab.NS, addr string, answer func(c net.Conn)) {
	t.Helper()
	l := ns.Listen("tcp", addr)
	t.Cleanup(func() { _ = l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_ = c.SetDeadline(time.Now().Add(10 * time.Second))
				_, _ = bufio.NewReader(c).ReadString('\n')
				answer(c)
			}()
		}
	}()
}

// TestHostileHTTPPeersInLab: hostile or broken servers get findings of
// their own, and nothing they send reaches the terminal raw: a redirect
// loop is net.http-redirect-loop (it used to be ok: the last 302 was
// judged), an endless header or another protocol on the port is
// net.http-malformed-answer (it used to be connect-failed), and a
// certificate issuer carrying terminal escapes prints as escapes.
func TestHostileHTTPPeersInLab(t *testing.T) {
	l := lab.New(t)
	c, s := l.Namespace("c"), l.Namespace("s")
	l.Link(c, "10.47.0.1/24", s, "10.47.0.2/24")
	c.SetHosts("127.0.0.1 localhost\n10.47.0.2 evil.lab\n")

	hostile := "Evil\x1b]0;pwned\x07\x1b[2J\u009b31m\u202eAC noitcepsnI"
	rogue := lab.NewCA(t, hostile)
	leaf := rogue.Leaf(t, []string{"evil.lab"}, time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour))
	mux := http.NewServeMux()
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/a", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/b", http.StatusFound) })
	mux.HandleFunc("/b", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/a", http.StatusMovedPermanently) })
	mux.HandleFunc("/chain/", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscanf(strings.TrimPrefix(r.URL.Path, "/chain/"), "%d", &n)
		http.Redirect(w, r, fmt.Sprintf("/chain/%d", n+1), http.StatusFound)
	})
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "hello") })
	serve(t, s, "10.47.0.2:8080", mux, nil)
	serve(t, s, "10.47.0.2:8443", mux, &leaf)
	rawServer(t, s, "10.47.0.2:8081", func(c net.Conn) {
		// An endless header: 8 MiB of it, more than any client should read.
		_, _ = c.Write([]byte("HTTP/1.1 200 OK\r\nX-Big: "))
		chunk := []byte(strings.Repeat("a", 64<<10))
		for range 128 {
			if _, err := c.Write(chunk); err != nil {
				return
			}
		}
	})
	rawServer(t, s, "10.47.0.2:8082", func(c net.Conn) { _, _ = c.Write([]byte("SSH-2.0-OpenSSH_9.6\r\n")) })
	rawServer(t, s, "10.47.0.2:8083", func(c net.Conn) { _, _ = c.Write([]byte("\x00\x01\x02garbage\xff\xfe\r\n\r\n")) })
	// A reason phrase that clears the screen, sets the title and flips the
	// text direction: the status line is the peer's to write.
	rawServer(t, s, "10.47.0.2:8084", func(c net.Conn) {
		_, _ = c.Write([]byte("HTTP/1.1 200 OK\x1b]0;pwned\x07\x1b[2J\u009b31m\u202eKO\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"))
	})

	prof := `name: lab
net:
  tcp:
    targets: []
  http:
    timeout: 5s
    max_redirects: 5
    connectivity: []
`
	urls := []string{"http://evil.lab:8080/loop", "http://evil.lab:8080/a", "http://evil.lab:8080/chain/0",
		"http://evil.lab:8081/", "http://evil.lab:8082/", "http://evil.lab:8083/", "https://evil.lab:8443/ok", "http://evil.lab:8080/ok"}
	var args []string
	for _, u := range urls {
		args = append(args, "--http", u)
	}
	rep := runNet(t, c, "", prof, args...)
	tests := []struct {
		url    string
		want   []string
		status report.Status
	}{
		{"http://evil.lab:8080/loop", []string{"net.http-redirect-loop"}, report.StatusFail},
		{"http://evil.lab:8080/a", []string{"net.http-redirect-loop"}, report.StatusFail},
		{"http://evil.lab:8080/chain/0", []string{"net.http-too-many-redirects"}, report.StatusWarn},
		{"http://evil.lab:8081/", []string{"net.http-malformed-answer"}, report.StatusFail},
		{"http://evil.lab:8082/", []string{"net.http-malformed-answer"}, report.StatusFail},
		{"http://evil.lab:8083/", []string{"net.http-malformed-answer"}, report.StatusFail},
		{"https://evil.lab:8443/ok", []string{"net.tls-unknown-authority"}, report.StatusFail},
		{"http://evil.lab:8080/ok", []string{"net.http-ok"}, report.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			r := result(t, rep, "net-http", tt.url)
			t.Logf("%s: %s", r.Status, r.Summary)
			if got := codes(r); !slices.Equal(got, tt.want) {
				t.Errorf("codes = %v, want %v (%s)", got, tt.want, r.Summary)
			}
			if r.Status != tt.status {
				t.Errorf("status = %s, want %s", r.Status, tt.status)
			}
		})
	}

	// The same run as a technician reads it: text and Markdown on stdout.
	for _, format := range []string{"text", "markdown"} {
		t.Run("no raw escapes in "+format, func(t *testing.T) {
			res := c.L2diag("run", "--only", "net", "-o", format, "-v", "--profile", writeProfile(t, prof), "--no-bundle",
				"--http", "https://evil.lab:8443/ok", "--http", "http://evil.lab:8084/")
			out := res.Stdout + res.Stderr
			if !strings.Contains(out, "Evil") || !strings.Contains(out, "evil.lab:8084") {
				t.Fatalf("the issuer or the status line is not shown:\n%s", out)
			}
			for _, bad := range []string{"\x1b", "\x07", "\u009b", "\u202e"} {
				if strings.Contains(out, bad) {
					t.Errorf("output carries %q raw:\n%q", bad, out)
				}
			}
			if want := `\x1b[2J`; !strings.Contains(strings.ReplaceAll(res.Stdout, `\[`, "["), want) {
				t.Errorf("the controls are not shown as escapes (%s):\n%s", want, res.Stdout)
			}
		})
	}
}
