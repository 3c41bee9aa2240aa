package netcheck

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"

	psnet "github.com/shirou/gopsutil/v4/net"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/report"
)

// dropsWorthWarning is how many dropped packets during the sample window
// warn. Kernels count benign drops too (frames of unknown protocols such as
// LLDP), so a handful is noise; errors warn from the first one.
const dropsWorthWarning = 20

// apipa is the IPv4 link-local range Windows and macOS fall back to when
// DHCP gets no answer.
var apipa = netip.MustParsePrefix("169.254.0.0/16")

var interfacesSpec = diag.Spec{
	ID: "net-interfaces", Category: diag.CategoryNet, Phase: diag.PhaseProbe,
	Finds:    "interfaces with state, MTU and addresses; none up, APIPA only (DHCP failed), errors/drops climbing",
	Findings: []diag.FindingSpec{FindingNoInterface, FindingLinkLocalOnly, FindingIfaceErrors},
	Plan:     diag.Once(runInterfaces),
}

// ifaceInfo is one interface, as shown in details.interfaces.
type ifaceInfo struct {
	Name      string   `json:"name"`
	Index     int      `json:"index"`
	Up        bool     `json:"up"`
	Running   bool     `json:"running"`
	Loopback  bool     `json:"loopback"`
	MTU       int      `json:"mtu"`
	MAC       string   `json:"mac,omitempty"`
	IPv4      []string `json:"ipv4"`
	IPv6      []string `json:"ipv6"`
	ErrorsIn  uint64   `json:"errors_in"`
	ErrorsOut uint64   `json:"errors_out"`
	DropsIn   uint64   `json:"drops_in"`
	DropsOut  uint64   `json:"drops_out"`
}

func runInterfaces(ctx context.Context, env *diag.Env) report.Result {
	var res report.Result
	ifs, err := net.Interfaces()
	if err != nil {
		return diag.Errored(fmt.Errorf("net: list interfaces: %w", err))
	}
	before := counters(ctx)
	infos := make([]ifaceInfo, 0, len(ifs))
	var names []string
	for _, ifc := range ifs {
		in, has := describeInterface(ifc)
		if in.Up && !in.Loopback && (has.globalV4 || has.globalV6) {
			names = append(names, in.Name)
		}
		if in.Up && !in.Loopback && has.apipaV4 && !has.globalV4 {
			res.AddFinding(FindingLinkLocalOnly.Finding(
				fmt.Sprintf("%s has only the link-local address %s: DHCP got no answer.", in.Name, strings.Join(in.IPv4, ", ")),
				map[string]any{"interface": in.Name, "ipv4": in.IPv4}))
		}
		infos = append(infos, in)
	}
	// Watch the counters for a moment: a total since boot says nothing,
	// a rise while we look does.
	sample := env.Profile.Net.Interfaces.Sample
	var after map[string]psnet.IOCountersStat
	if before != nil && sample > 0 {
		select {
		case <-time.After(budget(ctx, sample.D())):
		case <-ctx.Done():
		}
		after = counters(ctx)
	}
	for _, f := range counterFindings(infos, before, after, sample.String()) {
		res.AddFinding(f)
	}
	res.SetDetail("interfaces", infos)
	// The bundle's raw/ keeps the list as the check saw it ("ip addr" for
	// the reader), whatever the report renders of it.
	if data, err := json.MarshalIndent(infos, "", "  "); err == nil {
		env.Evidence.Add(report.Artifact{Name: "net/interfaces.json", Source: "the OS interface list and counters", Data: data})
	}
	usable := len(names)
	res.SetMetric("interfaces", float64(len(infos)))
	res.SetMetric("usable", float64(usable))
	if usable == 0 {
		res.Summary = "No interface besides loopback is up with a usable address."
		res.AddFinding(FindingNoInterface.Finding(res.Summary, map[string]any{"interfaces": len(infos)}))
		return res
	}
	res.Summary = fmt.Sprintf("%d interface(s) up with an address: %s.", usable, strings.Join(names, ", "))
	return res
}

// addrKinds says which kinds of address an interface has.
type addrKinds struct{ globalV4, globalV6, apipaV4 bool }

// describeInterface reads one interface's flags and addresses.
func describeInterface(ifc net.Interface) (ifaceInfo, addrKinds) {
	in := ifaceInfo{
		Name: ifc.Name, Index: ifc.Index, MTU: ifc.MTU, MAC: ifc.HardwareAddr.String(),
		Up: ifc.Flags&net.FlagUp != 0, Running: ifc.Flags&net.FlagRunning != 0,
		Loopback: ifc.Flags&net.FlagLoopback != 0, IPv4: []string{}, IPv6: []string{},
	}
	var has addrKinds
	addrs, _ := ifc.Addrs()
	for _, a := range addrs {
		p, err := netip.ParsePrefix(a.String())
		if err != nil {
			continue
		}
		ip := p.Addr().Unmap()
		if ip.Is4() {
			in.IPv4 = append(in.IPv4, p.String())
			if apipa.Contains(ip) {
				has.apipaV4 = true
			} else {
				has.globalV4 = true
			}
		} else {
			in.IPv6 = append(in.IPv6, p.String())
			if !ip.IsLinkLocalUnicast() {
				has.globalV6 = true
			}
		}
	}
	return in, has
}

// counterFindings copies each interface's counters from before into infos
// and returns a finding for each whose errors rose, or whose drops rose by
// dropsWorthWarning, between before and after (taken sample apart).
func counterFindings(infos []ifaceInfo, before, after map[string]psnet.IOCountersStat, sample string) []report.Finding {
	var out []report.Finding
	for i := range infos {
		in := &infos[i]
		b, ok := before[in.Name]
		if !ok {
			continue
		}
		in.ErrorsIn, in.ErrorsOut, in.DropsIn, in.DropsOut = b.Errin, b.Errout, b.Dropin, b.Dropout
		a, ok := after[in.Name]
		if !ok {
			continue
		}
		if a.Errin < b.Errin || a.Errout < b.Errout || a.Dropin < b.Dropin || a.Dropout < b.Dropout {
			continue // counters reset (interface re-created)
		}
		dErr := (a.Errin - b.Errin) + (a.Errout - b.Errout)
		dDrop := (a.Dropin - b.Dropin) + (a.Dropout - b.Dropout)
		if dErr > 0 || dDrop >= dropsWorthWarning {
			out = append(out, FindingIfaceErrors.Finding(
				fmt.Sprintf("%s had %d errors and dropped %d packets in %s.", in.Name, dErr, dDrop, sample),
				map[string]any{"interface": in.Name, "errors": dErr, "drops": dDrop,
					"errors_in": a.Errin, "errors_out": a.Errout, "drops_in": a.Dropin, "drops_out": a.Dropout}))
		}
	}
	return out
}

// counters returns per-interface counters, or nil where the platform does
// not expose them.
func counters(ctx context.Context) map[string]psnet.IOCountersStat {
	st, err := psnet.IOCountersWithContext(ctx, true)
	if err != nil {
		return nil
	}
	m := make(map[string]psnet.IOCountersStat, len(st))
	for _, s := range st {
		m[s.Name] = s
	}
	return m
}
