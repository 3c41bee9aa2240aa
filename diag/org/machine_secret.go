package orgcheck

import (
	"context"
	"fmt"
	"net/netip"
	"strings"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/report"
)

// IDMachineAccount is the check of the machine's own account in the
// domain (its secret, the "trust relationship").
const IDMachineAccount = "org-machine-account"

// machineSteps bounds org-machine-account in org.timeout periods: an AS
// exchange is two round trips (the first answer asks for pre-auth), over
// TCP, to at most two DCs, and one spare.
const machineSteps = 5

// machineAccountSpec follows org-domain: it needs the domain (and on Unix
// the DCs that answered on port 88) org-domain found, so it is planned
// when that result exists, and only for a machine org-domain saw joined
// or given a domain by the profile.
var machineAccountSpec = diag.Spec{
	ID: IDMachineAccount, Category: diag.CategoryOrg, Phase: diag.PhaseFollowUp,
	Finds: "whether the domain still accepts the machine's own account secret: an AS exchange with the host keytab against a DC (Linux, kinit -k), NetLogon secure channel verification (Windows, nltest /sc_verify)",
	Timeout: func(p *profile.Profile) diag.Duration {
		return profile.Duration(machineSteps * p.Org.Timeout.D())
	},
	Sockets:  func(*profile.Profile) int { return 1 },
	Findings: []diag.FindingSpec{FindingMachineSecretStale, FindingMachineAccountMissing},
	Plan:     planMachineAccount,
}

// machineInput is what org-domain found that the check needs.
type machineInput struct {
	Domain, Realm string
	Joined        bool
	// KDCs are the DC addresses that accepted TCP 88, in org-domain's order.
	KDCs []netip.Addr
}

func planMachineAccount(in *diag.PlanInput) []diag.Instance {
	for _, r := range in.Results {
		if r.Check != IDDomain {
			continue
		}
		mi, ok := machineInputFrom(r)
		if !ok {
			return nil
		}
		return []diag.Instance{{Run: func(ctx context.Context, env *diag.Env) report.Result {
			return runMachineAccount(ctx, env, mi)
		}}}
	}
	return nil
}

// machineInputFrom reads org-domain's details: the domain and realm, and
// each probed DC whose port 88 was open.
func machineInputFrom(r report.Result) (machineInput, bool) {
	var mi machineInput
	mi.Domain, _ = r.Details["domain"].(string)
	mi.Realm, _ = r.Details["realm"].(string)
	mi.Joined, _ = r.Details["joined"].(bool)
	if mi.Domain == "" || mi.Realm == "" {
		return mi, false
	}
	rows, _ := r.Details["dcs"].([]map[string]any)
	for _, row := range rows {
		ports, _ := row["ports"].(map[string]any)
		a, err := netip.ParseAddr(fmt.Sprint(row["address"]))
		if err == nil && ports["88"] == "open" {
			mi.KDCs = append(mi.KDCs, a)
		}
	}
	return mi, true
}

// secretOutcome is what the OS-specific probe learnt. Exactly one of
// InSync, Stale, Missing is true when the domain gave a verdict.
type secretOutcome struct {
	// Via names the method: "kerberos AS exchange with the keytab" or
	// "NetLogon secure channel verification".
	Via string
	// Account is the machine account (HOST$@REALM, or the domain on Windows).
	Account string
	// DC is the domain controller that answered.
	DC string
	// InSync: the DC accepted the secret. Stale: it rejected it (pre-auth
	// failed, the answer did not decrypt, the channel's password is wrong).
	// Missing: the DC does not know the account, or it is disabled.
	InSync, Stale, Missing bool
	// Reason is the DC's own words (a Kerberos error name, a Windows error).
	Reason string
	// Details are evidence for the report (keytab path, KVNOs, etypes).
	Details map[string]any
}

// judgeSecret turns the outcome into the result: a verdict only when the
// domain answered.
func judgeSecret(o secretOutcome) report.Result {
	var res report.Result
	res.SetDetail("via", o.Via)
	res.SetDetail("account", o.Account)
	if o.DC != "" {
		res.SetDetail("dc", o.DC)
	}
	for k, v := range o.Details {
		res.SetDetail(k, v)
	}
	ev := map[string]any{"account": o.Account, "dc": o.DC, "reason": o.Reason, "via": o.Via}
	switch {
	case o.Stale:
		res.AddFinding(FindingMachineSecretStale.Finding(fmt.Sprintf("DC %s rejects the secret of the machine account %s (%s): this machine's trust with the domain is broken.", o.DC, o.Account, o.Reason), ev))
		res.Summary = "Machine account secret rejected by the domain: rejoin needed."
	case o.Missing:
		res.AddFinding(FindingMachineAccountMissing.Finding(fmt.Sprintf("DC %s does not accept the machine account %s (%s): it was deleted, disabled or never created.", o.DC, o.Account, o.Reason), ev))
		res.Summary = "Machine account unknown to or disabled in the domain."
	case o.InSync:
		res.Summary = fmt.Sprintf("Machine account %s accepted by %s (%s).", o.Account, o.DC, o.Via)
	default:
		res.Summary = "The machine account's secret was not verified."
	}
	return res
}

// classifyKDCError sorts an AS exchange's failure by the KDC's error name
// (gokrb5 keeps it only in the text: "KRB Error: (24) KDC_ERR_PREAUTH_FAILED
// ..."). network is true when no KDC answered at all.
func classifyKDCError(msg string) (o secretOutcome, network bool) {
	for _, c := range []struct {
		name           string
		stale, missing bool
	}{
		// The timestamp encrypted with the keytab's key did not decrypt:
		// the account's password changed on the DC side.
		{"KDC_ERR_PREAUTH_FAILED", true, false},
		// A KDC that did not ask for pre-auth: its answer did not
		// decrypt with the keytab's key (gokrb5: "client password/keytab
		// incorrect").
		{"keytab incorrect", true, false},
		{"KDC_ERR_C_PRINCIPAL_UNKNOWN", false, true},
		{"KDC_ERR_CLIENT_REVOKED", false, true},
	} {
		if strings.Contains(msg, c.name) {
			o.Stale, o.Missing, o.Reason = c.stale, c.missing, kdcErrorName(msg, c.name)
			return o, false
		}
	}
	if strings.Contains(msg, "KRB Error") {
		o.Reason = kdcErrorName(msg, "")
		return o, false
	}
	return o, true
}

// kdcErrorName is the KDC_ERR_*/KRB_AP_ERR_* word in msg, else fallback,
// else msg.
func kdcErrorName(msg, fallback string) string {
	for _, f := range strings.Fields(msg) {
		if strings.HasPrefix(f, "KDC_ERR_") || strings.HasPrefix(f, "KRB_AP_ERR_") || strings.HasPrefix(f, "KRB_ERR_") {
			return f
		}
	}
	if fallback != "" {
		return fallback
	}
	return msg
}

// Windows error codes NetLogon's secure channel status carries (winerror.h).
const (
	errAccessDenied               = 5
	errNoLogonServers             = 1311
	errNoTrustLSASecret           = 1786
	errNoTrustSAMAccount          = 1787
	errTrustedDomainFailure       = 1788
	errTrustedRelationshipFailure = 1789
)

// classifyTCStatus sorts a secure channel status (nltest /sc_verify's
// "Trusted DC Connection Status" or "Trust Verification Status").
func classifyTCStatus(code uint32) (o secretOutcome, noDC bool) {
	switch code {
	case 0:
		o.InSync = true
	case errNoLogonServers:
		return o, true
	case errNoTrustSAMAccount:
		o.Missing = true
	case errAccessDenied, errNoTrustLSASecret, errTrustedDomainFailure, errTrustedRelationshipFailure:
		o.Stale = true
	}
	o.Reason = fmt.Sprintf("status %d", code)
	if code == 0 {
		o.Reason = "verified"
	}
	return o, false
}
