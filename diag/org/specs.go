// Package orgcheck holds the corporate-desktop checks (category `org`):
// domain membership and domain controller discovery, the Kerberos clock
// against a DC, VPN tunnels and Wi-Fi. Each check is silent (skipped with
// the reason) on a machine that is not joined, has no tunnel or no Wi-Fi.
package orgcheck

import "github.com/l2diag/l2diag/diag"

// The check IDs are a contract with scripts and ticket automation.
const (
	IDDomain   = "org-domain"
	IDKerberos = "org-kerberos"
	IDVPN      = "org-vpn"
	IDWifi     = "org-wifi"
)

// Specs lists the org checks. Each runs once, without a target: in the
// probe phase (after discovery has published the DNS servers), or, for
// org-machine-account, after org-domain's result.
func Specs() []diag.Spec {
	return []diag.Spec{
		domainSpec,
		kerberosSpec,
		vpnSpec,
		wifiSpec,
		machineAccountSpec,
		groupPolicySpec,
	}
}
