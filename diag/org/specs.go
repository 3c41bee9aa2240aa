// Package orgcheck holds the corporate-desktop checks (category `org`):
// domain membership and domain controller discovery, the Kerberos clock
// against a DC, VPN tunnels and Wi-Fi. Each check is silent (skipped with
// the reason) on a machine that is not joined, has no tunnel or no Wi-Fi.
package orgcheck

import (
	"context"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/report"
)

// The check IDs are a contract with scripts and ticket automation.
const (
	IDDomain   = "org-domain"
	IDKerberos = "org-kerberos"
	IDVPN      = "org-vpn"
	IDWifi     = "org-wifi"
)

// Specs lists the org checks. Each runs once, without a target, in the
// probe phase (after discovery has published the DNS servers).
func Specs() []diag.Spec {
	return []diag.Spec{
		single(IDDomain, "domain membership, DC SRV records on every DNS server, DC ports 88/389/445/464, clock offset to a DC", runDomain, true),
		single(IDKerberos, "the user's Kerberos ticket cache: principal, ticket-granting ticket lifetime, expired", runKerberos, false),
		single(IDVPN, "tunnel adapters up or down, full or split tunnel, the routes through each tunnel, whether the DNS servers and the intranet servers are reached through it, systemd-resolved's per-link DNS for the intranet's names", runVPN, false),
		single(IDWifi, "the Wi-Fi link (nl80211, iw, netsh, airport): SSID, BSSID, band/channel, signal and rate; weak signal, not one of the organisation's networks", runWifi, false),
		machineAccountSpec,
		single(IDGroupPolicy, "when group policy last applied and whether it failed (Windows: the Group Policy service's state in HKLM; Linux: sssd's GPO mode and cache)", runGroupPolicy, false),
	}
}

// single builds a spec that plans exactly one untargeted check; a network
// check holds a few sockets at once (the SRV queries and DC connects).
func single(id, finds string, fn func(ctx context.Context, env *diag.Env) report.Result, network bool) diag.Spec {
	s := diag.Spec{ID: id, Category: diag.CategoryOrg, Phase: diag.PhaseProbe, Finds: finds}
	if network {
		s.Sockets = func(*profile.Profile) int { return domainSockets }
		s.Timeout = func(p *profile.Profile) diag.Duration {
			return profile.Duration(domainSteps * p.Org.Timeout.D())
		}
	}
	s.Plan = func(*diag.PlanInput) []diag.Check {
		return []diag.Check{diag.New(&s, "", fn)}
	}
	return s
}
