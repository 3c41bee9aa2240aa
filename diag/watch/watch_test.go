package watch

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// stubProber answers as fn says for its n-th call.
type stubProber struct {
	n  atomic.Int64
	fn func(n int64) bool
}

func (p *stubProber) probe(ctx context.Context) (bool, time.Duration, string, bool) {
	if p.fn(p.n.Add(1)) {
		return true, time.Millisecond, "", false
	}
	<-ctx.Done()
	return false, 0, "timeout", false
}

// jumpClock is the real monotonic clock with a wall clock that jumps
// forward by jump once the watch has run for after.
type jumpClock struct {
	start       time.Time
	after, jump time.Duration
}

func (c jumpClock) Now() (time.Time, time.Duration) {
	mono := time.Since(c.start)
	wall := c.start.Round(0).Add(mono)
	if mono > c.after {
		wall = wall.Add(c.jump)
	}
	return wall, mono
}

func runStub(t *testing.T, d time.Duration, clock Clock, fns ...func(int64) bool) (*Result, []any) {
	t.Helper()
	var targets []*Target
	for i, fn := range fns {
		role := RoleTarget
		if i == 0 {
			role = RoleGateway
		}
		targets = append(targets, &Target{ID: i, Name: []string{"gw", "a", "b"}[i], Probe: ProbePing, Role: role,
			Addr: []string{"10.0.0.1", "192.0.2.1", "192.0.2.2"}[i], Interval: 20 * time.Millisecond, prober: &stubProber{fn: fn}})
	}
	var mu sync.Mutex
	var recs []any
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	res := Run(ctx, Config{Targets: targets, Detect: testCfg, Timeout: 15 * time.Millisecond, Clock: clock,
		SystemEvery: 30 * time.Millisecond, ReadSystem: func() SystemState { return SystemState{} },
		Emit: func(r any) { mu.Lock(); recs = append(recs, r); mu.Unlock() }})
	return res, recs
}

func TestClockJumpIsAGapNotAnOutage(t *testing.T) {
	clock := jumpClock{start: time.Now(), after: 300 * time.Millisecond, jump: time.Hour}
	ok := func(int64) bool { return true }
	res, _ := runStub(t, 700*time.Millisecond, clock, ok, ok)
	var gaps, outages int
	for _, e := range res.Events {
		switch e.Kind {
		case KindGap:
			gaps++
			if !strings.Contains(e.Detail, "wall clock moved 1h0m0s") {
				t.Errorf("gap detail = %q", e.Detail)
			}
		case KindOutage:
			outages++
		}
	}
	if gaps != 1 || outages != 0 {
		t.Errorf("gaps %d, outages %d; want 1 gap and no outage: %+v", gaps, outages, res.Events)
	}
	if res.Summary.Status != "ok" {
		t.Errorf("status %s: a clock step alone is no fault", res.Summary.Status)
	}
}

func TestRunPlacesOutages(t *testing.T) {
	down := func(from, to int64) func(int64) bool { return func(n int64) bool { return n < from || n > to } }
	ok := func(int64) bool { return true }
	tests := []struct {
		name  string
		fns   []func(int64) bool
		locus string
	}{
		{"gateway and target together: local", []func(int64) bool{down(10, 20), down(10, 20), ok}, LocusLocal},
		{"both targets beyond a healthy gateway: beyond", []func(int64) bool{ok, down(10, 20), down(10, 20)}, LocusBeyond},
		{"one target of two: that target", []func(int64) bool{ok, down(10, 20), ok}, LocusTarget},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, recs := runStub(t, 900*time.Millisecond, nil, tc.fns...)
			if len(res.Summary.Incidents) != 1 || res.Summary.Incidents[0].Locus != tc.locus {
				t.Fatalf("incidents = %+v, want one %s", res.Summary.Incidents, tc.locus)
			}
			if res.Summary.Status != "fail" {
				t.Errorf("status = %s", res.Summary.Status)
			}
			if _, ok := recs[len(recs)-1].(EndRecord); !ok {
				t.Errorf("the last record is %T, want the end", recs[len(recs)-1])
			}
		})
	}
}

func TestDiffSystem(t *testing.T) {
	a := SystemState{Links: map[string]Link{"eth0": {Up: true, Addrs: []string{"10.0.0.5/24"}}, "wg0": {Up: true, VPN: true}},
		Gateways: []string{"10.0.0.1"}, DNSServers: []string{"10.0.0.53:53"}, WiFi: map[string]float64{"wlan0": -60}}
	b := SystemState{Links: map[string]Link{"eth0": {Up: true, Addrs: []string{"10.0.0.6/24"}}},
		Gateways: []string{"10.0.0.254"}, DNSServers: []string{"10.0.0.53:53"}, WiFi: map[string]float64{"wlan0": -82}}
	var kinds []string
	for _, c := range diffSystem(a, b) {
		kinds = append(kinds, c.kind)
	}
	if got := strings.Join(kinds, " "); got != "address-change vpn-down gateway-change wifi-signal" {
		t.Errorf("changes = %q", got)
	}
	// A table that could not be read is no change.
	b.GatewaysErr, b.Gateways = "no route table", nil
	for _, c := range diffSystem(a, b) {
		if c.kind == KindGatewayChange {
			t.Errorf("an unreadable route table reported as a change: %+v", c)
		}
	}
}

func TestParseWireless(t *testing.T) {
	// /proc/net/wireless as a Linux laptop with iwlwifi shows it.
	data := []byte(`Inter-| sta-|   Quality        |   Discarded packets               | Missed | WE
 face | tus | link level noise |  nwid  crypt   frag  retry   misc | beacon | 22
wlp2s0: 0000   54.  -56.  -256        0      0      0      0     12        0
`)
	got := parseWireless(data)
	if got["wlp2s0"] != -56 || len(got) != 1 {
		t.Errorf("parseWireless = %v", got)
	}
}
