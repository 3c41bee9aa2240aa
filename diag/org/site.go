package orgcheck

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"

	"github.com/l2diag/l2diag/report"
)

// siteSteps bounds the site pipeline in org.timeout periods: the LDAP
// pings, the site's SRV name, the pings to the site's DCs. It runs beside
// the TCP probes and the clock (two steps), so it adds one step at most
// to org-domain's deadline.
const siteSteps = 3

// siteResult is what the LDAP pings told about the client's AD site.
type siteResult struct {
	// Pings are the answers of the probed DCs, then of the site's own DCs.
	Pings []ldapPing
	// Site is the client's site as the first answering DC named it.
	Site string
	// SiteSRV is the site-specific SRV name asked when no probed DC was
	// in the client's site, and SiteDCs the DCs it named.
	SiteSRV string
	SiteDCs []string
	// SiteErr is set when no server answered the site's SRV name.
	SiteErr error
}

// closest returns the first answer whose DC says it is in (or covers) the
// client's site.
func (s siteResult) closest() (ldapPing, bool) {
	for _, p := range s.Pings {
		if p.Err == nil && p.Resp.Flags&dsFlagClosest != 0 {
			return p, true
		}
	}
	return ldapPing{}, false
}

// startSite pings the probed DCs beside the TCP probes and returns the
// function that waits for the outcome. Like the Windows locator: when no
// probed DC is in the client's site, the site's own DCs are looked up
// (_ldap._tcp.SITE._sites.dc._msdcs.DOMAIN) and pinged.
func (c domainCheck) startSite(ctx context.Context, domain string, answers []srvAnswer, dcs []dcHost) func() siteResult {
	ch := make(chan siteResult, 1)
	sctx, cancel := context.WithTimeout(ctx, siteSteps*c.cfg.Timeout.D())
	go func() {
		defer cancel()
		var s siteResult
		s.Pings = c.pingAll(sctx, domain, dcs)
		for _, p := range s.Pings {
			if p.Err == nil && p.Resp.ClientSiteName != "" {
				s.Site = p.Resp.ClientSiteName
				break
			}
		}
		if _, ok := s.closest(); ok || s.Site == "" {
			ch <- s
			return
		}
		var server netip.AddrPort
		for _, a := range answers {
			if a.Found {
				server = a.Server
				break
			}
		}
		s.SiteSRV = "_ldap._tcp." + s.Site + "._sites.dc._msdcs." + domain
		a := querySRV(sctx, server, s.SiteSRV, c.cfg.Timeout.D())
		s.SiteErr = a.Err
		var fresh []dcHost
		for _, h := range c.resolveDCs(sctx, []srvAnswer{a}, dcHosts([]srvAnswer{a})) {
			s.SiteDCs = append(s.SiteDCs, h.Name)
			if !slices.ContainsFunc(dcs, func(d dcHost) bool { return d.Name == h.Name }) && len(fresh) < c.cfg.MaxDCs {
				fresh = append(fresh, h)
			}
		}
		s.Pings = append(s.Pings, c.pingAll(sctx, domain, fresh)...)
		ch <- s
	}()
	return func() siteResult { return <-ch }
}

// pingAll pings each DC's first address at once.
func (c domainCheck) pingAll(ctx context.Context, domain string, dcs []dcHost) []ldapPing {
	out := make([]ldapPing, len(dcs))
	var wg sync.WaitGroup
	for i, dc := range dcs {
		if len(dc.Addrs) == 0 {
			out[i] = ldapPing{Err: fmt.Errorf("org: ldap ping %s: no address", dc.Name)}
			continue
		}
		wg.Go(func() { out[i] = cldapPing(ctx, dc.Addrs[0], domain, c.cfg.Timeout.D()) })
	}
	wg.Wait()
	return out
}

// judgeSite records the pings and draws the site verdicts. reached is the
// DC that answered over TCP (invalid when none did): a DC that answers TCP
// but not the ping has UDP 389 blocked, which the Windows locator and sssd
// need to find any DC. It returns the site for the summary ("site X, ").
func judgeSite(res *report.Result, s siteResult, reached netip.Addr) string {
	var rows []map[string]any
	answered := false
	for _, p := range s.Pings {
		if !p.Addr.IsValid() {
			continue
		}
		row := map[string]any{"address": p.Addr.String()}
		if p.Err != nil {
			row["error"] = p.Err.Error()
			rows = append(rows, row)
			continue
		}
		answered = true
		r := p.Resp
		row["dc"] = r.DNSHostName
		row["dc_site"] = r.DCSiteName
		row["client_site"] = r.ClientSiteName
		row["forest"] = r.DNSForestName
		row["flags"] = r.flagNames()
		row["rtt_ms"] = p.RTTms
		if r.NextClosestSite != "" {
			row["next_closest_site"] = r.NextClosestSite
		}
		if r.Opcode == opLogonPauseEx {
			row["netlogon"] = "paused"
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return ""
	}
	res.SetDetail("ldap_ping", rows)
	if s.SiteErr != nil {
		res.SetDetail("site_srv_error", s.SiteErr.Error())
	} else if s.SiteSRV != "" {
		res.SetDetail("site_dcs", s.SiteDCs)
	}
	if !answered {
		if reached.IsValid() {
			for _, p := range s.Pings {
				if p.Addr == reached && !isLocal(p.Err) {
					res.AddFinding(FindingDCPingSilent.Finding(fmt.Sprintf("DC %s answers over TCP but not the LDAP ping on UDP 389 (%s).", reached, errKind(p.Err)),
						map[string]any{"address": reached.String(), "error": p.Err.Error()}))
				}
			}
		}
		return "no LDAP ping answer, "
	}
	res.SetDetail("client_site", s.Site)
	if s.Site == "" {
		p := firstAnswer(s.Pings)
		res.AddFinding(FindingDCNoClientSite.Finding(fmt.Sprintf("DC %s (site %s) maps this machine's address %s to no AD site.", p.Resp.DNSHostName, p.Resp.DCSiteName, p.Local),
			map[string]any{"dc": p.Resp.DNSHostName, "dc_site": p.Resp.DCSiteName, "client_address": p.Local.String()}))
		return "no AD site, "
	}
	if p, ok := s.closest(); ok {
		res.SetDetail("site_dc", p.Resp.DNSHostName)
		return "site " + s.Site + " (DC " + p.Resp.DNSHostName + "), "
	}
	var where []string
	for _, p := range s.Pings {
		if p.Err == nil {
			where = append(where, p.Resp.DNSHostName+" ("+p.Resp.DCSiteName+")")
		}
	}
	msg := fmt.Sprintf("This machine is in AD site %s, but no DC there answered: %s.", s.Site, strings.Join(where, ", "))
	if len(s.SiteDCs) == 0 && s.SiteErr == nil {
		msg = fmt.Sprintf("This machine is in AD site %s, which has no DC in DNS (%s); it is served by %s.", s.Site, s.SiteSRV, strings.Join(where, ", "))
	}
	res.AddFinding(FindingDCNotInSite.Finding(msg, map[string]any{"client_site": s.Site, "dcs": where, "site_dcs": s.SiteDCs}))
	return "site " + s.Site + " without a DC, "
}

func firstAnswer(pings []ldapPing) ldapPing {
	for _, p := range pings {
		if p.Err == nil {
			return p
		}
	}
	return ldapPing{}
}
