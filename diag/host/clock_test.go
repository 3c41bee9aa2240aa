package hostcheck

import (
	"context"
	"encoding/binary"
	"math"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/report"
)

// fakeNTP is an SNTP server on loopback whose clock is shifted.
type fakeNTP struct {
	shift   time.Duration
	leap    byte
	stratum byte
	refID   string
	// silent servers read requests and never answer.
	silent bool
	// spoof sends a reply with a wrong origin timestamp first.
	spoof bool
}

// start listens on ip (a 127.0.0.x address) and returns HOST:PORT.
func (f fakeNTP) start(t *testing.T, ip string) string {
	t.Helper()
	pc, err := net.ListenPacket("udp4", ip+":0")
	if err != nil {
		t.Skipf("cannot listen on %s: %v", ip, err)
	}
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 512)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if f.silent || n < ntpPacketLen {
				continue
			}
			recv := time.Now().Add(f.shift)
			reply := make([]byte, ntpPacketLen)
			reply[0] = f.leap<<6 | 4<<3 | ntpModeServer
			reply[1] = f.stratum
			copy(reply[12:16], f.refID)
			copy(reply[24:32], buf[40:48]) // origin = the client's transmit time
			binary.BigEndian.PutUint64(reply[32:], toNTP(recv))
			if f.spoof {
				bad := append([]byte(nil), reply...)
				binary.BigEndian.PutUint64(bad[24:], 12345)
				binary.BigEndian.PutUint64(bad[40:], toNTP(recv.Add(time.Hour)))
				_, _ = pc.WriteTo(bad, from)
			}
			binary.BigEndian.PutUint64(reply[40:], toNTP(time.Now().Add(f.shift)))
			_, _ = pc.WriteTo(reply, from)
		}
	}()
	return pc.LocalAddr().String()
}

// closedPort returns a loopback UDP address nothing listens on.
func closedPort(t *testing.T, ip string) string {
	t.Helper()
	pc, err := net.ListenPacket("udp4", ip+":0")
	if err != nil {
		t.Skipf("cannot listen on %s: %v", ip, err)
	}
	addr := pc.LocalAddr().String()
	pc.Close()
	return addr
}

func synced(context.Context, *diag.Env) syncState {
	return syncState{Known: true, Synced: true, Source: "test"}
}
func unsynced(context.Context, *diag.Env) syncState {
	return syncState{Known: true, Synced: false, Source: "test"}
}

func clockCfg(servers ...string) profile.HostClock {
	c := profile.Default().Host.Clock
	c.NTPServers = servers
	return c
}

func TestClockAgainstLoopbackSNTP(t *testing.T) {
	good := fakeNTP{stratum: 2, refID: "\x0a\x00\x00\x01"}
	tests := []struct {
		name       string
		servers    func(t *testing.T) []string
		queryTO    time.Duration
		osSync     func(context.Context, *diag.Env) syncState
		wantStatus report.Status
		wantCodes  []string
		// wantOffset is checked (±tolerance) when non-nil.
		wantOffset *time.Duration
		wantInMsg  string
	}{
		{"in sync", func(t *testing.T) []string { return []string{good.start(t, "127.0.0.2")} }, 0, synced,
			report.StatusOK, nil, ptr(0), ""},
		{"3 s behind warns", func(t *testing.T) []string {
			return []string{fakeNTP{shift: 3 * time.Second, stratum: 2}.start(t, "127.0.0.2")}
		}, 0, synced, report.StatusWarn, []string{"host.clock-skew"}, ptr(3 * time.Second), "behind"},
		{"10 min ahead fails", func(t *testing.T) []string {
			return []string{fakeNTP{shift: -10 * time.Minute, stratum: 1, refID: "GPS"}.start(t, "127.0.0.2")}
		}, 0, synced, report.StatusFail, []string{"host.clock-skew-severe"}, ptr(-10 * time.Minute), "ahead of"},
		{"stray reply with wrong origin is ignored", func(t *testing.T) []string {
			return []string{fakeNTP{shift: 2 * time.Second, stratum: 2, spoof: true}.start(t, "127.0.0.2")}
		}, 0, synced, report.StatusWarn, []string{"host.clock-skew"}, ptr(2 * time.Second), ""},
		{"server not synchronised itself", func(t *testing.T) []string {
			return []string{fakeNTP{leap: 3, stratum: 2}.start(t, "127.0.0.2")}
		}, 0, synced, report.StatusWarn, []string{"host.ntp-server-unsynchronized"}, nil, "leap indicator 3"},
		{"kiss of death", func(t *testing.T) []string {
			return []string{fakeNTP{stratum: 0, refID: "RATE"}.start(t, "127.0.0.2")}
		}, 0, synced, report.StatusWarn, []string{"host.ntp-server-unsynchronized"}, nil, "RATE"},
		{"one of two unreachable", func(t *testing.T) []string {
			return []string{good.start(t, "127.0.0.2"), closedPort(t, "127.0.0.3")}
		}, 0, synced, report.StatusWarn, []string{"host.ntp-server-unreachable"}, ptr(0), "127.0.0.3"},
		{"none reachable", func(t *testing.T) []string { return []string{closedPort(t, "127.0.0.3")} }, 0, unsynced,
			report.StatusWarn, []string{"host.clock-unsynchronized", "host.ntp-unreachable"}, nil, "port unreachable"},
		{"none reachable but the OS keeps time: no alarm", func(t *testing.T) []string { return []string{closedPort(t, "127.0.0.3")} }, 0, synced,
			report.StatusOK, nil, nil, "the OS syncs to its own time source"},
		{"silent server times out at query_timeout", func(t *testing.T) []string {
			return []string{fakeNTP{silent: true}.start(t, "127.0.0.4")}
		}, 300 * time.Millisecond, unsynced, report.StatusWarn, []string{"host.clock-unsynchronized", "host.ntp-unreachable"}, nil, "no answer within"},
		{"OS says unsynchronised", func(t *testing.T) []string { return []string{good.start(t, "127.0.0.2")} }, 0, unsynced,
			report.StatusWarn, []string{"host.clock-unsynchronized"}, ptr(0), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := clockCfg(tt.servers(t)...)
			if tt.queryTO > 0 {
				cfg.QueryTimeout = profile.Duration(tt.queryTO)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			res := clockCheck{cfg: cfg, osSync: tt.osSync}.run(ctx, &diag.Env{Evidence: &diag.Evidence{}})
			res.Normalize()
			if res.Status != tt.wantStatus {
				t.Errorf("status = %s, want %s\n%s", res.Status, tt.wantStatus, dump(t, res))
			}
			if got := strings.Join(codes(res), " "); got != strings.Join(tt.wantCodes, " ") {
				t.Errorf("findings = %q, want %q\n%s", got, tt.wantCodes, dump(t, res))
			}
			if tt.wantOffset != nil {
				got, ok := res.Metrics["offset_seconds"]
				// Loopback round trips are well below this; the bound is
				// for a loaded CI machine.
				const tolerance = 0.1
				if !ok || math.Abs(got-tt.wantOffset.Seconds()) > tolerance {
					t.Errorf("offset_seconds = %v (present %v), want %v ± %v", got, ok, tt.wantOffset.Seconds(), tolerance)
				}
			} else if _, ok := res.Metrics["offset_seconds"]; ok {
				t.Errorf("offset_seconds set without a usable server: %v", res.Metrics)
			}
			if tt.wantInMsg != "" && !strings.Contains(dump(t, res), tt.wantInMsg) {
				t.Errorf("result does not mention %q:\n%s", tt.wantInMsg, dump(t, res))
			}
		})
	}
}

// With no server answering and a check deadline shorter than one query's
// timeout, the check still returns its own "no NTP server reachable"
// before the deadline rather than being abandoned by the runner.
func TestClockFailsFastWithinDeadline(t *testing.T) {
	cfg := clockCfg(fakeNTP{silent: true}.start(t, "127.0.0.4"), closedPort(t, "127.0.0.3"))
	cfg.QueryTimeout = profile.Duration(5 * time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 600*time.Millisecond)
	defer cancel()
	res := clockCheck{cfg: cfg, osSync: unsynced}.run(ctx, &diag.Env{})
	if ctx.Err() != nil {
		t.Errorf("check returned after its deadline")
	}
	if finding(res, "host.ntp-unreachable") == nil {
		t.Errorf("want host.ntp-unreachable, got\n%s", dump(t, res))
	}
	if !strings.HasPrefix(res.Summary, "No NTP server reachable") {
		t.Errorf("summary = %q", res.Summary)
	}
}

// The registered check reads its servers from the profile.
func TestClockCheckUsesProfileServers(t *testing.T) {
	p := testProfile(t)
	p.Host.Clock.NTPServers = []string{fakeNTP{shift: 7 * time.Minute, stratum: 2}.start(t, "127.0.0.2")}
	res := runCheck(t, context.Background(), IDClock, p, 5*time.Second)
	f := finding(res, "host.clock-skew-severe")
	if f == nil {
		t.Fatalf("want host.clock-skew-severe, got\n%s", dump(t, res))
	}
	if got := res.Metrics["offset_seconds"]; math.Abs(got-420) > 0.1 {
		t.Errorf("offset_seconds = %v, want 420", got)
	}
}

func TestNTPTimestamps(t *testing.T) {
	tests := []struct {
		name    string
		t       time.Time
		wantSec uint32
	}{
		{"unix epoch", time.Unix(0, 0), ntpEpochOffset},
		{"2024", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), 3913056000},
		{"era 1 starts 2036-02-07 06:28:16", time.Date(2036, 2, 7, 6, 28, 16, 0, time.UTC), 0},
		{"after the wrap", time.Date(2040, 1, 1, 0, 0, 0, 500e6, time.UTC), 123010304},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := toNTP(tt.t)
			if got := uint32(ts >> 32); got != tt.wantSec {
				t.Errorf("seconds = %d, want %d", got, tt.wantSec)
			}
			back := fromNTP(ts, tt.t.Add(-time.Hour))
			if d := back.Sub(tt.t).Abs(); d > time.Microsecond {
				t.Errorf("round trip = %s, want %s", back.UTC(), tt.t)
			}
		})
	}
}

func ptr(d time.Duration) *time.Duration { return &d }
