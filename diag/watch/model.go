package watch

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// Probe kinds.
const (
	ProbePing = "ping"
	ProbeTCP  = "tcp"
	ProbeDNS  = "dns"
	ProbeHTTP = "http"
)

// Roles say where a target sits, for the summary's reasoning.
const (
	// RoleGateway is a default gateway: the first hop, the local network.
	RoleGateway = "gateway"
	// RoleDNS is a DNS server the machine uses.
	RoleDNS = "dns-server"
	// RoleTarget is a target of the profile or the command line.
	RoleTarget = "target"
)

// Target is one thing watched.
type Target struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
	// Probe is the probe kind; Method how it is sent ("icmp",
	// "icmp-helper" on Windows, "tcp fallback :443", "udp", "https").
	Probe    string        `json:"probe"`
	Method   string        `json:"method,omitempty"`
	Role     string        `json:"role"`
	Addr     string        `json:"addr"`
	Interval time.Duration `json:"-"`
	// Degraded is set when the probe runs with a fallback (no ICMP
	// permission: timed TCP connects).
	Degraded bool `json:"degraded,omitempty"`

	prober prober
}

// Event is an outage, degradation or change, as JSON lines and the bundle
// carry it.
type Event struct {
	ID int `json:"id"`
	// Target is the target's name; empty for a change of the machine.
	Target string     `json:"target,omitempty"`
	Role   string     `json:"role,omitempty"`
	Kind   string     `json:"kind"`
	Start  time.Time  `json:"start"`
	End    *time.Time `json:"end,omitempty"`
	// DurationMS is measured on the monotonic clock: a clock step does
	// not change it.
	DurationMS *int64 `json:"duration_ms,omitempty"`
	Detail     string `json:"detail"`
	// EndDetail says how it ended.
	EndDetail string `json:"end_detail,omitempty"`
	// Roam is set on a wifi-roam event: the access points and signals.
	Roam *Roam `json:"roam,omitempty"`
	// SSIDs are the Wi-Fi network names a Wi-Fi event's detail names, for
	// the outgoing filter to learn before the event is shown (a network
	// joined during the watch is not known to it at the start).
	SSIDs []string `json:"-"`

	startMono time.Duration
}

// System change kinds.
const (
	KindLinkDown      = "link-down"
	KindAddressChange = "address-change"
	KindGatewayChange = "gateway-change"
	KindDNSChange     = "dns-server-change"
	KindVPNUp         = "vpn-up"
	KindVPNDown       = "vpn-down"
	KindWiFiSignal    = "wifi-signal"
	KindGap           = "gap"
	KindPathChange    = "path-change"
)

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func itoa(n int) string { return strconv.Itoa(n) }

func pct(f float64) string { return strconv.FormatFloat(math.Round(f*1000)/10, 'f', -1, 64) + "%" }

// ms prints a duration in milliseconds with sensible precision.
func ms(d time.Duration) string {
	v := float64(d) / float64(time.Millisecond)
	switch {
	case v < 10:
		return fmt.Sprintf("%.2f ms", v)
	case v < 100:
		return fmt.Sprintf("%.1f ms", v)
	}
	return fmt.Sprintf("%.0f ms", v)
}
