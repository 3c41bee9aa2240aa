package dnscheck

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/internal/sockerr"
	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/report"
)

// systemMargin is kept free before the check's deadline so that a system
// resolver still waiting (a dead first nameserver costs it resolv.conf's
// timeout) leaves time to report what the servers said.
const systemMargin = 250 * time.Millisecond

var systemSpec = diag.Spec{
	ID: "dns-system", Category: diag.CategoryDNS, Phase: diag.PhaseProbe,
	// The OS resolver asks A and AAAA with sockets of its own.
	Sockets:  func(*profile.Profile) int { return 2 },
	Finds:    "each name resolved the way applications do (the OS resolver, hosts file included), compared with the servers' answers: hosts-file overrides, different answers, OS-only failures; an OS answer other than the profile or --dns-name NAME=IP expects",
	Findings: []diag.FindingSpec{FindingHostsOverride, FindingSystemDiffers, FindingSystemFailed, FindingSystemUnexpected, FindingLocalError},
	Plan:     planSystem,
}

func planSystem(in *diag.PlanInput) []diag.Instance {
	s := setupFor(in)
	servers := s.systemServers()
	var out []diag.Instance
	for _, name := range s.names {
		ks := keys(servers, name, addrTypes)
		s.e.plan(ks...)
		exp := s.expect[name]
		out = append(out, diag.Instance{Target: name, Run: func(ctx context.Context, env *diag.Env) report.Result {
			hosts := readHosts(env, systemPaths.Hosts)
			sysAddrs, sysErr := lookupSystem(ctx, name)
			views := groupByServer(servers, s.e.queryAll(ctx, ks))
			res := judgeSystem(name, sysAddrs, sysErr, hosts[name], systemPaths.Hosts, views)
			if exp.Set() {
				judgeSystemExpect(&res, name, exp, sysAddrs, hosts[name], systemPaths.Hosts, views)
			}
			return res
		}})
	}
	return out
}

// readHosts reads the hosts file; a missing one is an empty one.
func readHosts(env *diag.Env, path string) map[string][]netip.Addr {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	env.Evidence.AddFile("dns/hosts", path, data)
	return ParseHosts(data)
}

// lookupSystem resolves name through the OS resolver path, stopping
// systemMargin before ctx's deadline even if the resolver ignores ctx.
func lookupSystem(ctx context.Context, name string) ([]netip.Addr, error) {
	if dl, ok := ctx.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, dl.Add(-systemMargin))
		defer cancel()
	}
	type answer struct {
		addrs []netip.Addr
		err   error
	}
	ch := make(chan answer, 1)
	go func() {
		a, err := net.DefaultResolver.LookupNetIP(ctx, "ip", name)
		ch <- answer{a, err}
	}()
	select {
	case a := <-ch:
		for i := range a.addrs {
			a.addrs[i] = a.addrs[i].Unmap()
		}
		return a.addrs, a.err
	case <-ctx.Done():
		return nil, fmt.Errorf("dns: system resolver: no answer for %s before the deadline: %w", name, ctx.Err())
	}
}

// addrSet is the sorted, de-duplicated addresses of a server's A and AAAA answers.
func addrSet(v serverView) []string {
	var out []string
	for _, o := range v.outcomes {
		if o.HasData() {
			out = append(out, o.Data()...)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func strAddrs(as []netip.Addr) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.String())
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func subset(a, b []string) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

func judgeSystem(name string, sysAddrs []netip.Addr, sysErr error, hosts []netip.Addr, hostsPath string, views []serverView) report.Result {
	var res report.Result
	sys := strAddrs(sysAddrs)
	direct := map[string][]string{}
	var anyDNS []string
	for _, v := range views {
		if set := addrSet(v); len(set) > 0 {
			direct[serverName(v.server.Addr)] = set
			anyDNS = append(anyDNS, set...)
		}
	}
	res.SetDetail("system", sys)
	res.SetDetail("servers", direct)
	if sysErr != nil {
		res.SetDetail("system_error", sysErr.Error())
	}
	ev := map[string]any{"name": name, "system": sys, "servers": direct}
	// A query this machine could not send leaves nothing to compare with.
	if sysErr != nil && sockerr.IsLocal(sysErr) {
		ev["error"] = sysErr.Error()
		res.AddFinding(FindingLocalError.Finding(fmt.Sprintf("The OS resolver could not ask for %s: %v.", name, sysErr), ev))
		res.Summary = "Not compared: this machine could not send the query."
		return res
	}
	for _, v := range views {
		for _, o := range v.outcomes {
			if o.Local() {
				res.AddFinding(localFinding(o, ev))
				res.Summary = "Not compared: this machine could not send every query."
				return res
			}
		}
	}
	// matches reports whether the OS answer could have come from one
	// server: its addresses are a subset of that server's (the OS may drop
	// AAAA on a host without IPv6).
	matches := func(set []string) bool {
		for _, d := range direct {
			if subset(set, d) {
				return true
			}
		}
		return false
	}
	switch {
	case len(hosts) > 0:
		hs := strAddrs(hosts)
		ev["hosts"], ev["hosts_file"] = hs, hostsPath
		if len(direct) == 0 || !matches(hs) {
			dnsSays := "nothing"
			if len(anyDNS) > 0 {
				slices.Sort(anyDNS)
				dnsSays = strings.Join(slices.Compact(anyDNS), ", ")
			}
			res.AddFinding(FindingHostsOverride.Finding(
				fmt.Sprintf("%s maps %s to %s; DNS says %s.", hostsPath, name, strings.Join(hs, ", "), dnsSays), ev))
			res.Summary = "A hosts-file entry overrides DNS."
			return res
		}
		res.Summary = fmt.Sprintf("%s has an entry that agrees with DNS.", hostsPath)
	case sysErr != nil && len(direct) > 0:
		ev["error"] = sysErr.Error()
		res.AddFinding(FindingSystemFailed.Finding(
			fmt.Sprintf("The OS resolver fails for %s (%v), but DNS servers answer it.", name, sysErr), ev))
	case sysErr != nil:
		res.Summary = "Neither the OS resolver nor any server resolves it (see dns-resolve)."
	case !matches(sys):
		res.AddFinding(FindingSystemDiffers.Finding(
			fmt.Sprintf("The OS resolver answers %s with %s, which no DNS server queried gives.", name, strings.Join(sys, ", ")), ev))
	default:
		res.Summary = fmt.Sprintf("The OS resolver agrees with DNS: %s.", strings.Join(sys, ", "))
	}
	return res
}
