package orgcheck

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/l2diag/l2diag/diag"
	hostcheck "github.com/l2diag/l2diag/diag/host"
	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/report"
)

// domainSteps is how many org.timeout periods org-domain may wait in turn:
// SRV over UDP then TCP, a DC's A then AAAA, the connects, SNTP, the
// site's LDAP pings (siteSteps, beside the connects and SNTP), and one
// spare for a loaded machine.
const domainSteps = 8

// domainSockets is how many sockets org-domain holds at most: one query per
// DNS server and SRV name at once, then one connect per DC and port.
const domainSockets = 16

// domainCheck is org-domain with its OS reader replaceable in tests.
type domainCheck struct {
	cfg        profile.Org
	membership func(ctx context.Context) (membership, error)
	// tunnels names the VPN tunnel interfaces that are up.
	tunnels func() map[string]bool
}

var domainSpec = diag.Spec{
	ID: IDDomain, Category: diag.CategoryOrg, Phase: diag.PhaseProbe,
	Finds: "domain membership, DC SRV records on every DNS server, DC ports 88/389/445/464, clock offset to a DC",
	// A network check: a few sockets at once (the SRV queries and DC
	// connects); its steps run in turn, each within org.timeout.
	Sockets: func(*profile.Profile) int { return domainSockets },
	Timeout: func(p *profile.Profile) diag.Duration {
		return profile.Duration(domainSteps * p.Org.Timeout.D())
	},
	Findings: []diag.FindingSpec{FindingDCNotFound, FindingDCSRVInconsistent, FindingDCUnreachable, FindingDCPortBlocked, FindingDCOutsideVPN, FindingDCClockSkew, FindingLocalError, FindingDCPingSilent, FindingDCNoClientSite, FindingDCNotInSite},
	Plan:     diag.Once(runDomain),
}

func runDomain(ctx context.Context, env *diag.Env) report.Result {
	c := domainCheck{cfg: env.Profile.Org, membership: osMembership, tunnels: upTunnels}
	return c.run(ctx, env)
}

func (c domainCheck) run(ctx context.Context, env *diag.Env) report.Result {
	m, err := c.membership(ctx)
	if err != nil {
		// Not read is not "not joined" (wine, a stripped Windows): say so.
		return diag.Errored(fmt.Errorf("%w (could not read the domain membership)", err))
	}
	if !m.Joined && c.cfg.Domain != "" {
		m.Domain, m.Realm, m.Source = c.cfg.Domain, strings.ToUpper(c.cfg.Domain), "profile org.domain"
	}
	var res report.Result
	res.SetDetail("joined", m.Joined)
	if m.Source != "" {
		res.SetDetail("source", m.Source)
	}
	if len(m.Seen) > 0 {
		res.SetDetail("seen", m.Seen)
	}
	if len(m.Unreadable) > 0 {
		res.SetDetail("unreadable", m.Unreadable)
	}
	if m.Domain == "" {
		reason := "This machine is not joined to a domain (" + notJoinedWhere(m) + ")."
		if m.Joined {
			reason = "The machine is joined but its DNS domain could not be read: " + strings.Join(m.Unreadable, "; ") + "."
		} else if len(m.Unreadable) > 0 {
			reason = "No domain membership found; could not read " + strings.Join(m.Unreadable, "; ") + "."
		}
		out := diag.Skipped(reason)
		out.Details = res.Details
		return out
	}
	res.SetDetail("domain", m.Domain)
	res.SetDetail("realm", m.Realm)
	if m.Site != "" {
		res.SetDetail("site", m.Site)
	}
	if m.DC != "" {
		res.SetDetail("os_dc", m.DC)
	}
	if env.Quiet {
		res.Summary = "Domain " + m.Domain + " (not probed: category left out)."
		return res
	}

	servers, _ := diag.GetFact(env.Facts, diag.FactDNSServers)
	if len(servers) == 0 {
		res.Summary = fmt.Sprintf("Domain %s; no DNS server configured to look for its DCs.", m.Domain)
		return res
	}
	// Where the OS sends the domain's names to their own servers (NRPT,
	// /etc/resolver), the other servers are never asked for them: judging
	// them would blame a resolver the locator does not use.
	scoped, _ := diag.GetFact(env.Facts, diag.FactScopedDNS)
	if ns, list := scopedFor(m.Domain, scoped); len(list) > 0 {
		servers = list
		res.SetDetail("scoped_namespace", ns)
	}
	answers := c.askAll(ctx, servers, srvNames(m.Domain))
	tunnels := c.tunnels()
	found, local := c.judgeSRV(&res, m.Domain, servers, answers, tunnels)
	if !found {
		res.Summary = fmt.Sprintf("Domain %s: no domain controller found in DNS.", m.Domain)
		if local {
			res.Summary = fmt.Sprintf("Domain %s: DNS not asked (this machine refused the sockets).", m.Domain)
		}
		return res
	}
	dcs := c.resolveDCs(ctx, answers, dcHosts(answers))
	if len(dcs) > c.cfg.MaxDCs {
		dcs = dcs[:c.cfg.MaxDCs]
	}
	site := c.startSite(ctx, m.Domain, answers, dcs)
	reached := c.probeDCs(ctx, &res, dcs, tunnels)
	clock := "clock offset to a DC not measured"
	if reached.IsValid() {
		clock = c.clock(ctx, &res, reached)
	}
	where := judgeSite(&res, site(), reached)
	res.Summary = fmt.Sprintf("Domain %s: %d DC(s) probed, %s%s.", m.Domain, len(dcs), where, clock)
	return res
}

// askAll asks every server every name at once.
func (c domainCheck) askAll(ctx context.Context, servers []netip.AddrPort, names []string) []srvAnswer {
	out := make([]srvAnswer, len(servers)*len(names))
	var wg sync.WaitGroup
	for i, s := range servers {
		for j, n := range names {
			wg.Go(func() { out[i*len(names)+j] = querySRV(ctx, s, n, c.cfg.Timeout.D()) })
		}
	}
	wg.Wait()
	return out
}

// judgeSRV adds the SRV findings and the per-server details. found is
// true when any server returned DCs.
func (c domainCheck) judgeSRV(res *report.Result, domain string, servers []netip.AddrPort, answers []srvAnswer, tunnels map[string]bool) (found, allLocal bool) {
	var with, without, silent []string
	var rows []map[string]any
	localErrs := 0
	for _, s := range servers {
		row := map[string]any{"server": s.String()}
		if ifc := routeIface(s.Addr()); ifc != "" {
			row["interface"] = ifc
			row["via_tunnel"] = tunnels[ifc]
		}
		state := "silent"
		for _, a := range answers {
			if a.Server != s {
				continue
			}
			key := "ldap"
			if strings.HasPrefix(a.Name, "_kerberos.") {
				key = "kerberos"
			}
			switch {
			case a.Found:
				row[key] = len(a.Records)
				state = "found"
			case a.Missing:
				row[key] = a.Rcode
				if state != "found" {
					state = "missing"
				}
			default:
				row[key+"_error"] = a.Err.Error()
				if isLocal(a.Err) {
					localErrs++
				}
			}
		}
		switch state {
		case "found":
			with = append(with, s.String())
		case "missing":
			without = append(without, s.String())
		default:
			silent = append(silent, s.String())
		}
		rows = append(rows, row)
	}
	res.SetDetail("dns_servers", rows)
	ev := map[string]any{"domain": domain, "names": srvNames(domain), "servers_with": with, "servers_without": without, "servers_silent": silent}
	switch {
	case len(with) > 0 && len(without) > 0:
		res.AddFinding(FindingDCSRVInconsistent.Finding(fmt.Sprintf("The DC records of %s are served by %s but not by %s.", domain, strings.Join(with, ", "), strings.Join(without, ", ")), ev))
	case len(with) == 0 && len(without) > 0:
		res.AddFinding(FindingDCNotFound.Finding(fmt.Sprintf("No DNS server knows the domain controllers of %s (asked %s).", domain, strings.Join(without, ", ")), ev))
	case len(with) == 0 && localErrs == len(answers):
		res.AddFinding(FindingLocalError.Finding("This machine could not open the sockets to ask its DNS servers for the domain controllers.", ev))
		return false, true
	}
	// No server answering at all is the DNS checks' verdict, not ours.
	return len(with) > 0, false
}

// resolveDCs fills in DC addresses the SRV answers did not carry, asking a
// server that returned the SRV records.
func (c domainCheck) resolveDCs(ctx context.Context, answers []srvAnswer, dcs []dcHost) []dcHost {
	var server netip.AddrPort
	for _, a := range answers {
		if a.Found {
			server = a.Server
			break
		}
	}
	var wg sync.WaitGroup
	for i := range dcs {
		if len(dcs[i].Addrs) == 0 && server.IsValid() {
			wg.Go(func() { dcs[i].Addrs, _ = queryAddrs(ctx, server, dcs[i].Name, c.cfg.Timeout.D()) })
		}
	}
	wg.Wait()
	return dcs
}

// portState is one connect's outcome.
type portState struct {
	Port  int
	Open  bool
	Kind  string
	RTTms float64
}

// probeDCs connects to every configured port of each DC's first address at
// once and returns the address of the first DC that answered, for the
// clock query.
func (c domainCheck) probeDCs(ctx context.Context, res *report.Result, dcs []dcHost, tunnels map[string]bool) netip.Addr {
	states := make([][]portState, len(dcs))
	var wg sync.WaitGroup
	for i, dc := range dcs {
		states[i] = make([]portState, len(c.cfg.DCPorts))
		if len(dc.Addrs) == 0 {
			continue
		}
		for j, p := range c.cfg.DCPorts {
			wg.Go(func() { states[i][j] = connect(ctx, dc.Addrs[0], p, c.cfg.Timeout.D()) })
		}
	}
	wg.Wait()
	var rows []map[string]any
	var reached netip.Addr
	anyReached, anyAddr, localAll := false, false, true
	var outside []string
	for i, dc := range dcs {
		row := map[string]any{"name": dc.Name, "priority": dc.Priority, "weight": dc.Weight}
		rows = append(rows, row)
		if len(dc.Addrs) == 0 {
			row["error"] = "no address"
			continue
		}
		anyAddr = true
		addr := dc.Addrs[0]
		row["address"] = addr.String()
		ifc := routeIface(addr)
		if ifc != "" {
			row["interface"] = ifc
		}
		if len(tunnels) > 0 && ifc != "" && !tunnels[ifc] {
			outside = append(outside, fmt.Sprintf("%s (%s) via %s", dc.Name, addr, ifc))
		}
		var open, closed []string
		ports := map[string]any{}
		for _, st := range states[i] {
			if st.Open {
				open = append(open, strconv.Itoa(st.Port))
				ports[strconv.Itoa(st.Port)] = "open"
			} else {
				closed = append(closed, fmt.Sprintf("%d (%s)", st.Port, st.Kind))
				ports[strconv.Itoa(st.Port)] = st.Kind
			}
			if st.Kind != "local" {
				localAll = false
			}
		}
		row["ports"] = ports
		if len(open) > 0 {
			anyReached = true
			if !reached.IsValid() {
				reached = addr
			}
			if len(closed) > 0 {
				res.AddFinding(FindingDCPortBlocked.Finding(fmt.Sprintf("DC %s (%s) answers on %s but not on %s.", dc.Name, addr, strings.Join(open, ", "), strings.Join(closed, ", ")),
					map[string]any{"dc": dc.Name, "address": addr.String(), "open": open, "closed": closed}))
			}
		}
	}
	res.SetDetail("dcs", rows)
	switch {
	case !anyAddr:
		res.AddFinding(FindingDCUnreachable.Finding("The DC names in DNS have no address.", map[string]any{"dcs": rows}))
	case anyReached:
	case localAll:
		res.AddFinding(FindingLocalError.Finding("This machine could not open the sockets to probe the domain controllers.", map[string]any{"dcs": rows}))
	default:
		res.AddFinding(FindingDCUnreachable.Finding(fmt.Sprintf("No domain controller answered on %s.", portList(c.cfg.DCPorts)), map[string]any{"dcs": rows}))
	}
	if len(outside) > 0 {
		res.AddFinding(FindingDCOutsideVPN.Finding("A VPN tunnel is up, but the route to "+strings.Join(outside, ", ")+" does not use it.",
			map[string]any{"dcs": outside, "tunnels": keys(tunnels)}))
	}
	return reached
}

// connect is one TCP connect within timeout; the deadline also caps it.
func connect(ctx context.Context, addr netip.Addr, port int, timeout time.Duration) portState {
	st := portState{Port: port}
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	var d net.Dialer
	conn, err := d.DialContext(cctx, "tcp", netip.AddrPortFrom(addr, uint16(port)).String())
	if err != nil {
		st.Kind = errKind(err)
		if st.Kind == "" {
			st.Kind = "other"
		}
		return st
	}
	_ = conn.Close()
	st.Open, st.Kind = true, "open"
	st.RTTms = float64(time.Since(start).Microseconds()) / 1000
	return st
}

// clock measures the offset to the DC's SNTP service (every AD DC serves
// NTP to its members): the Kerberos question is "do we agree with the
// DC", not "are we right".
func (c domainCheck) clock(ctx context.Context, res *report.Result, dc netip.Addr) string {
	qctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout.D())
	defer cancel()
	off, rtt, err := hostcheck.SNTPOffset(qctx, netip.AddrPortFrom(dc, 123).String())
	if err != nil {
		res.SetDetail("clock_error", fmt.Sprintf("SNTP to %s: %v", dc, err))
		return "the DC's time service (UDP 123) did not answer"
	}
	res.SetMetric("dc_clock_offset_seconds", off.Seconds())
	res.SetDetail("clock_dc", dc.String())
	res.SetDetail("clock_rtt_ms", float64(rtt.Microseconds())/1000)
	abs := off.Abs()
	if abs > c.cfg.ClockSkewMax.D() {
		dir := "ahead of"
		if off > 0 {
			dir = "behind"
		}
		res.AddFinding(FindingDCClockSkew.Finding(fmt.Sprintf("This clock is %s %s the domain controller %s (Kerberos allows %s).", abs.Round(time.Second), dir, dc, c.cfg.ClockSkewMax),
			map[string]any{"dc": dc.String(), "offset_s": off.Seconds(), "threshold": c.cfg.ClockSkewMax.String()}))
	}
	if abs >= time.Second {
		abs = abs.Round(time.Second)
	}
	return fmt.Sprintf("clock %s off the DC", abs.Round(time.Millisecond))
}

func portList(ports []int) string {
	s := make([]string, len(ports))
	for i, p := range ports {
		s[i] = strconv.Itoa(p)
	}
	return "TCP " + strings.Join(s, ", ")
}

func keys(m map[string]bool) []string {
	var out []string
	for k, v := range m {
		if v {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// notJoinedWhere says what was read to conclude "not joined".
func notJoinedWhere(m membership) string {
	if st := m.Seen["join_status"]; st != "" {
		return "NetGetJoinInformation: " + st
	}
	return "no AD/IPA domain in sssd, winbind or a host keytab"
}

// scopedFor returns the per-namespace servers whose namespace holds domain
// (and so its SRV names), the longest namespace first.
func scopedFor(domain string, scoped map[string][]netip.AddrPort) (string, []netip.AddrPort) {
	best := ""
	for ns := range scoped {
		n := strings.ToLower(strings.Trim(ns, "."))
		if (n == domain || strings.HasSuffix(domain, "."+n)) && len(n) > len(strings.Trim(best, ".")) {
			best = ns
		}
	}
	if best == "" {
		return "", nil
	}
	return best, scoped[best]
}
