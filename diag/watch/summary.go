package watch

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"time"
)

// Where an incident's fault sits, judged from which targets failed together.
const (
	LocusLink    = "link"    // an interface or VPN of this machine went down
	LocusLocal   = "local"   // the gateway failed too: the local network or Wi-Fi
	LocusBeyond  = "beyond"  // the gateway answered, targets beyond it did not
	LocusDNS     = "dns"     // only DNS servers failed
	LocusTarget  = "target"  // one target alone failed while others answered
	LocusUnknown = "unknown" // no gateway was watched to tell
)

// Incident is a stretch of time in which one or more targets were out
// (or lossy) together.
type Incident struct {
	Start, End time.Time
	Duration   time.Duration
	Kind       string   // outage or loss (the worst in it)
	Targets    []string // names of the targets affected
	Locus      string
	Why        string
}

// Summary is the watch's verdict over time.
type Summary struct {
	Status    string // ok, warn or fail
	Text      string
	Outages   int
	Incidents []Incident
	// RoamStorms says, per Wi-Fi interface, a run of roams dense enough to
	// be flapping between access points (roamStormCount in roamStormWindow).
	RoamStorms []string
}

// Summarize reasons over the events: it groups target events that overlap
// into incidents and places each by which targets failed together.
func Summarize(r *Result) Summary {
	roles := map[string]string{}
	gwHosts := map[string]bool{}
	for _, t := range r.Targets {
		roles[t.Name] = t.Role
		if t.Role == RoleGateway {
			gwHosts[t.Addr] = true
		}
	}
	// beyond counts the targets past the gateway (a DNS server on the
	// gateway itself is not): with several, one failing alone is that
	// target's fault; with one, the path beyond the gateway is as likely.
	beyond := 0
	for _, t := range r.Targets {
		if t.Role != RoleGateway && !gwHosts[hostOf(t.Addr)] {
			beyond++
		}
	}
	gateways := len(gwHosts)
	type span struct {
		ev         *Event
		start, end time.Time
	}
	var spans []span
	var links []span
	changes := 0
	for _, e := range r.Events {
		end := e.Start
		if e.End != nil {
			end = *e.End
		}
		switch e.Kind {
		case KindOutage, KindLoss:
			spans = append(spans, span{e, e.Start, end})
		case KindLinkDown, KindVPNDown:
			links = append(links, span{e, e.Start, end})
			changes++
		case KindLatency, KindAddressChange, KindGatewayChange, KindDNSChange, KindWiFiSignal, KindWiFiRoam, KindWiFiNetwork:
			changes++
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start.Before(spans[j].start) })
	// Events within 2 s of each other belong together: probes of
	// different targets are not sent at the same instant.
	const slack = 2 * time.Second
	var incs []Incident
	var members [][]span
	for _, s := range spans {
		if n := len(incs); n > 0 && !s.start.After(incs[n-1].End.Add(slack)) {
			if s.end.After(incs[n-1].End) {
				incs[n-1].End = s.end
			}
			members[n-1] = append(members[n-1], s)
			continue
		}
		incs = append(incs, Incident{Start: s.start, End: s.end})
		members = append(members, []span{s})
	}
	sum := Summary{Status: "ok"}
	for i := range incs {
		inc := &incs[i]
		inc.Duration = inc.End.Sub(inc.Start)
		inc.Kind = KindLoss
		seen := map[string]bool{}
		var gw, dnsOnly, down int
		dnsOnly = 1
		for _, m := range members[i] {
			if m.ev.Kind == KindOutage {
				inc.Kind = KindOutage
			}
			if !seen[m.ev.Target] {
				seen[m.ev.Target] = true
				inc.Targets = append(inc.Targets, m.ev.Target)
				down++
				if roles[m.ev.Target] == RoleGateway {
					gw++
				}
				if roles[m.ev.Target] != RoleDNS {
					dnsOnly = 0
				}
			}
		}
		sort.Strings(inc.Targets)
		var link *Event
		for _, l := range links {
			if !l.start.After(inc.End.Add(slack)) && !l.end.Before(inc.Start.Add(-slack)) {
				link = l.ev
			}
		}
		switch {
		case link != nil:
			inc.Locus, inc.Why = LocusLink, link.Detail+" at the same time: this machine's connection"
		case gw > 0:
			inc.Locus, inc.Why = LocusLocal, "the gateway stopped answering too: the local network or Wi-Fi, not the provider"
		case dnsOnly == 1:
			inc.Locus, inc.Why = LocusDNS, "only DNS servers failed while the other targets answered: the DNS servers"
		case gateways == 0:
			inc.Locus, inc.Why = LocusUnknown, "no gateway was watched, so the fault cannot be placed"
		case down == 1 && beyond > 1:
			inc.Locus, inc.Why = LocusTarget, "only "+inc.Targets[0]+" failed while the gateway and the other targets answered: that target or the path to it"
		default:
			inc.Locus, inc.Why = LocusBeyond, "the gateway never stopped answering: the fault is beyond it (the provider or the site's uplink)"
		}
		if inc.Kind == KindOutage {
			sum.Outages++
		}
	}
	sum.Incidents = incs
	switch {
	case sum.Outages > 0:
		sum.Status = "fail"
	case len(incs) > 0 || changes > 0:
		sum.Status = "warn"
	}
	sum.Text = summaryText(incs, changes)
	if sum.RoamStorms = roamStorms(r.Events); len(sum.RoamStorms) > 0 {
		if sum.Status == "ok" {
			sum.Status = "warn"
		}
		sum.Text += " " + strings.Join(sum.RoamStorms, " ")
	}
	return sum
}

func summaryText(incs []Incident, changes int) string {
	if len(incs) == 0 {
		if changes > 0 {
			return fmt.Sprintf("No outage and no loss burst; the machine's network changed %s (see the events).", plural(changes, "time", "times"))
		}
		return "No outage, no loss burst and no latency spike while watching."
	}
	var outages, losses []Incident
	for _, in := range incs {
		if in.Kind == KindOutage {
			outages = append(outages, in)
		} else {
			losses = append(losses, in)
		}
	}
	var parts []string
	describe := func(list []Incident, one, many string) {
		if len(list) == 0 {
			return
		}
		longest := list[0]
		for _, in := range list {
			if in.Duration > longest.Duration {
				longest = in
			}
		}
		s := fmt.Sprintf("%s between %s and %s (longest %s)", plural(len(list), one, many),
			list[0].Start.Local().Format("15:04:05"), list[len(list)-1].End.Local().Format("15:04:05"),
			longest.Duration.Round(time.Second))
		loci := map[string]int{}
		for _, in := range list {
			loci[in.Locus]++
		}
		if len(loci) == 1 {
			if len(list) == 1 {
				s += ": " + list[0].Why
			} else {
				s += ". Each time " + list[0].Why
			}
		} else {
			var ws []string
			for _, in := range list {
				ws = append(ws, in.Start.Local().Format("15:04:05")+" "+in.Locus)
			}
			s += "; places differ: " + strings.Join(ws, ", ")
		}
		parts = append(parts, s+".")
	}
	describe(outages, "outage", "outages")
	describe(losses, "loss burst", "loss bursts")
	return strings.Join(parts, " ")
}

// hostOf strips a port from an address ("10.0.0.1:53" → "10.0.0.1").
func hostOf(addr string) string {
	if ap, err := netip.ParseAddrPort(addr); err == nil {
		return ap.Addr().String()
	}
	return addr
}
