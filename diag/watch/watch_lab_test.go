//go:build linux

package watch_test

import (
	"archive/zip"
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/l2diag/l2diag/diag/internal/lab"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// record is any line of `watch --output json`.
type record struct {
	Type       string     `json:"type"`
	Time       time.Time  `json:"time"`
	Target     string     `json:"target"`
	Kind       string     `json:"kind"`
	Start      time.Time  `json:"start"`
	End        *time.Time `json:"end"`
	DurationMS *int64     `json:"duration_ms"`
	Detail     string     `json:"detail"`
	Status     string     `json:"status"`
	Summary    string     `json:"summary"`
	N          int        `json:"n"`
	Hops       []string   `json:"hops"`
	Reached    bool       `json:"reached"`
}

// watchLab is a client behind a router that is its gateway and DNS
// server (dnsmasq), with a server beyond the router:
//
//	client 10.78.0.2 ── 10.78.0.1 router (dnsmasq; also 10.78.0.3) 10.78.1.1 ── 10.78.1.2 server
type watchLab struct {
	c, r, s *lab.NS
}

func newWatchLab(t *testing.T) *watchLab {
	l := lab.New(t)
	lab.RequireTool(t, "dnsmasq")
	w := &watchLab{c: l.Namespace("c"), r: l.Namespace("r"), s: l.Namespace("s")}
	l.Link(w.c, "10.78.0.2/24", w.r, "10.78.0.1/24")
	l.Link(w.r, "10.78.1.1/24", w.s, "10.78.1.2/24")
	w.r.MustRun("ip", "addr", "add", "10.78.0.3/24", "dev", firstLink(t, w.r, "10.78.0.1"))
	w.r.Forward()
	w.c.Route("default", "via", "10.78.0.1")
	w.s.Route("default", "via", "10.78.1.1")
	lab.Dnsmasq(t, w.r, netip.MustParseAddrPort("10.78.0.1:53"), "--no-resolv", "--local=/lab.test/", "--host-record=app.lab.test,10.78.1.2")
	w.c.SetResolvConf("nameserver 10.78.0.1\n")
	return w
}

// firstLink is the router interface holding addr.
func firstLink(t *testing.T, ns *lab.NS, addr string) string {
	out := ns.MustRun("ip", "-o", "addr", "show", "to", addr)
	f := strings.Fields(out)
	if len(f) < 2 {
		t.Fatalf("no interface with %s: %q", addr, out)
	}
	return f[1]
}

// startWatch runs the binary's watch in the client namespace and streams
// its JSON lines; started is closed when the watch has begun probing.
func startWatch(t *testing.T, ns *lab.NS, args ...string) (cmd *exec.Cmd, recs <-chan record, started <-chan struct{}) {
	t.Helper()
	bin := lab.Binary(t)
	profile := filepath.Join(t.TempDir(), "watch.yaml")
	if err := os.WriteFile(profile, []byte(`name: watch-lab
net:
  tcp: {targets: []}
  http: {connectivity: []}
  trace: {enabled: true, timeout: 1s}
  mtu: {enabled: false}
host:
  clock: {ntp_servers: []}
watch:
  snapshot: [dns]
  timeout: 800ms
  system: 1s
`), 0o644); err != nil {
		t.Fatal(err)
	}
	full := append([]string{"netns", "exec", ns.Name, bin, "watch", "--profile", profile, "-o", "json"}, args...)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	cmd = exec.CommandContext(ctx, "ip", full...)
	cmd.Dir = t.TempDir()
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ch := make(chan record, 1000)
	st := make(chan struct{})
	go func() {
		defer close(ch)
		sc := bufio.NewScanner(out)
		once := false
		sch := lineSchema(t)
		for sc.Scan() {
			if inst, err := jsonschema.UnmarshalJSON(strings.NewReader(sc.Text())); err != nil || sch.Validate(inst) != nil {
				t.Errorf("line does not validate against docs/watch-schema.json: %v %v\n%s", err, sch.Validate(inst), sc.Text())
			}
			var r record
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				t.Errorf("not a JSON line: %q", sc.Text())
				continue
			}
			if !once {
				once = true
				close(st)
			}
			ch <- r
		}
	}()
	return cmd, ch, st
}

func collect(recs <-chan record) []record {
	var all []record
	for r := range recs {
		all = append(all, r)
	}
	return all
}

// near reports whether got is within tol of want.
func near(got, want time.Time, tol time.Duration) bool {
	d := got.Sub(want)
	return d > -tol && d < tol
}

// TestWatchLab injects faults at known times with nft and checks the
// events: kind, target, start and end within one probe interval (plus
// the time nft takes), and where the summary places the fault.
func TestWatchLab(t *testing.T) {
	w := newWatchLab(t)
	tickets := t.TempDir()
	t.Setenv("L2DIAG_TICKET_DIR", tickets)
	cmd, recs, started := startWatch(t, w.c, "--for", "40s", "--ping", "10.78.1.2", "--dns-name", "app.lab.test",
		"--ticket", "SUP-1", "--ticket-system", "dir", "--attach-on-fault")
	select {
	case <-started:
	case <-time.After(40 * time.Second):
		t.Fatal("the watch did not start")
	}
	time.Sleep(5 * time.Second) // a baseline
	// 1. Everything from the client dropped at the router for 8 s: the
	// gateway and the server beyond it go out together (local).
	w.r.Nft("table inet local {\n chain i { type filter hook input priority 0; ip saddr 10.78.0.2 drop; }\n chain f { type filter hook forward priority 0; ip saddr 10.78.0.2 drop; }\n}\n")
	localStart := time.Now()
	time.Sleep(8 * time.Second)
	w.r.MustRun("nft", "delete", "table", "inet", "local")
	localEnd := time.Now()
	time.Sleep(4 * time.Second)
	// 2. The server alone stops answering for 6 s: beyond the gateway.
	w.s.Nft("table inet beyond {\n chain i { type filter hook input priority 0; icmp type echo-request drop; }\n}\n")
	beyondStart := time.Now()
	time.Sleep(6 * time.Second)
	w.s.MustRun("nft", "delete", "table", "inet", "beyond")
	beyondEnd := time.Now()
	time.Sleep(3 * time.Second)
	// 3. The default route moves to another address of the router.
	w.c.MustRun("ip", "route", "replace", "default", "via", "10.78.0.3")
	routeAt := time.Now()

	all := collect(recs)
	if err := cmd.Wait(); err != nil {
		var ee *exec.ExitError
		if !(errorsAs(err, &ee) && ee.ExitCode() == 2) {
			t.Fatalf("watch: %v (want exit 2: outages were seen)", err)
		}
	} else {
		t.Fatal("watch exited 0 although outages were injected")
	}
	find := func(target, kind string, after time.Time) *record {
		for i := range all {
			r := &all[i]
			if r.Type == "event-end" && r.Kind == kind && strings.Contains(r.Target, target) && r.Start.After(after.Add(-3*time.Second)) {
				return r
			}
		}
		return nil
	}
	// One interval (1 s) plus the outage rule's wait and nft's own delay.
	const tol = 2500 * time.Millisecond
	for _, c := range []struct {
		target     string
		start, end time.Time
	}{{"gateway 10.78.0.1", localStart, localEnd}, {"ping 10.78.1.2", localStart, localEnd}, {"ping 10.78.1.2", beyondStart, beyondEnd}} {
		e := find(c.target, "outage", c.start)
		if e == nil {
			t.Errorf("no outage of %s after %s in:\n%s", c.target, c.start.Format("15:04:05"), dump(all))
			continue
		}
		if !near(e.Start, c.start, tol) || e.End == nil || !near(*e.End, c.end, tol) {
			t.Errorf("outage of %s %s–%v, injected %s–%s", c.target, e.Start.Format("15:04:05.0"), e.End, c.start.Format("15:04:05.0"), c.end.Format("15:04:05.0"))
		}
	}
	for _, r := range all {
		if r.Type == "event-start" && r.Kind == "outage" && strings.Contains(r.Target, "gateway") && r.Start.After(beyondStart.Add(-time.Second)) && r.Start.Before(beyondEnd) {
			t.Errorf("the gateway is reported out while only the server was: %+v", r)
		}
		if r.Type == "event-start" && strings.HasPrefix(r.Target, "DNS") && r.Start.Before(localStart.Add(-time.Second)) {
			t.Errorf("a healthy DNS server reported out before any fault: %+v", r)
		}
	}
	// --attach-on-fault: the first fault's snapshot went to the ticket
	// before the end, the full bundle at the end.
	var zips []string
	_ = filepath.WalkDir(tickets, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".zip") {
			zips = append(zips, filepath.Base(p))
		}
		return nil
	})
	if len(zips) != 2 || !strings.Contains(strings.Join(zips, " "), "-fault.zip") {
		t.Errorf("ticket attachments = %v, want the fault's snapshot and the final bundle", zips)
	}
	// The path to the server was traced at the start, through the router.
	traced := false
	for _, r := range all {
		if r.Type == "path" && r.Target == "ping 10.78.1.2" && r.Reached && len(r.Hops) == 2 && r.Hops[0] == "10.78.0.1" && r.Hops[1] == "10.78.1.2" {
			traced = true
		}
	}
	if !traced {
		t.Errorf("no path record 10.78.0.1 > 10.78.1.2 for the server:\n%s", dump(all))
	}
	var route, end *record
	for i := range all {
		switch {
		case all[i].Type == "event-start" && all[i].Kind == "gateway-change":
			route = &all[i]
		case all[i].Type == "end":
			end = &all[i]
		}
	}
	if route == nil || !near(route.Start, routeAt, 2*time.Second) || !strings.Contains(route.Detail, "10.78.0.3") {
		t.Errorf("route change at %s: event %+v", routeAt.Format("15:04:05"), route)
	}
	if end == nil || end.Status != "fail" || !strings.Contains(end.Summary, "2 outages") ||
		!strings.Contains(end.Summary, "places differ") || !strings.Contains(end.Summary, "local") || !strings.Contains(end.Summary, "beyond") {
		t.Errorf("summary = %+v, want 2 outages, one local and one beyond the gateway", end)
	}
}

// TestWatchInterrupt: Ctrl-C mid-watch ends it normally and always writes
// the bundle, with the timeline.
func TestWatchInterrupt(t *testing.T) {
	w := newWatchLab(t)
	bundle := filepath.Join(t.TempDir(), "w.zip")
	cmd, recs, started := startWatch(t, w.c, "--bundle", bundle)
	select {
	case <-started:
	case <-time.After(40 * time.Second):
		t.Fatal("the watch did not start")
	}
	time.Sleep(3 * time.Second)
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	all := collect(recs)
	err := cmd.Wait()
	if err != nil {
		t.Errorf("watch after Ctrl-C on a healthy network: %v (want exit 0)", err)
	}
	if len(all) == 0 || all[len(all)-1].Type != "end" {
		t.Errorf("the stream does not close with an end record: %s", dump(all))
	}
	zr, err := zip.OpenReader(bundle)
	if err != nil {
		t.Fatalf("no bundle after Ctrl-C: %v", err)
	}
	defer zr.Close()
	names := map[string]bool{}
	for _, f := range zr.File {
		names[f.Name] = true
	}
	for _, want := range []string{"report.json", "raw/watch/samples.csv", "raw/watch/timeline.html", "raw/watch/events.json", "raw/watch/snapshot-1.json"} {
		if !names[want] {
			t.Errorf("bundle lacks %s: %v", want, names)
		}
	}
}

func dump(all []record) string {
	var b strings.Builder
	for _, r := range all {
		if r.Type == "sample-summary" {
			continue
		}
		data, _ := json.Marshal(r)
		b.Write(data)
		b.WriteByte('\n')
	}
	return b.String()
}

func errorsAs(err error, target **exec.ExitError) bool {
	ee, ok := err.(*exec.ExitError)
	if ok {
		*target = ee
	}
	return ok
}
