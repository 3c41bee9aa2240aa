package orgcheck

import (
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/report"
)

func TestClassifyKDCError(t *testing.T) {
	tests := []struct {
		name                  string
		msg                   string
		stale, missing, netwk bool
		reason                string
	}{
		// gokrb5's texts, as ASExchange wraps the KDC's KRB-ERROR.
		{"password changed on the DC", "[Root cause: KDC_Error] KDC_Error: AS Exchange Error: kerberos error response from KDC: KRB Error: (24) KDC_ERR_PREAUTH_FAILED Pre-authentication information was invalid", true, false, false, "KDC_ERR_PREAUTH_FAILED"},
		{"answer did not decrypt", "[Root cause: KRBMessage_Handling_Error] KRBMessage_Handling_Error: AS Exchange Error: AS_REP is not valid or client password/keytab incorrect < Decrypting_Error: error decrypting EncPart of AS_REP", true, false, false, "keytab incorrect"},
		{"account deleted", "KDC_Error: AS Exchange Error: kerberos error response from KDC: KRB Error: (6) KDC_ERR_C_PRINCIPAL_UNKNOWN Client not found in Kerberos database", false, true, false, "KDC_ERR_C_PRINCIPAL_UNKNOWN"},
		{"account disabled", "KRB Error: (18) KDC_ERR_CLIENT_REVOKED Clients credentials have been revoked", false, true, false, "KDC_ERR_CLIENT_REVOKED"},
		{"clock skew: no verdict on the secret", "KRB Error: (37) KRB_AP_ERR_SKEW Clock skew too great", false, false, false, "KRB_AP_ERR_SKEW"},
		{"no KDC answered", "[Root cause: Networking_Error] Networking_Error: AS Exchange Error: failed sending AS_REQ to KDC: communication error with KDC via TCP: dial tcp 10.0.0.1:88: connect: connection refused", false, false, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, network := classifyKDCError(tt.msg)
			if o.Stale != tt.stale || o.Missing != tt.missing || network != tt.netwk || o.Reason != tt.reason {
				t.Errorf("got stale %v missing %v network %v reason %q; want %v %v %v %q", o.Stale, o.Missing, network, o.Reason, tt.stale, tt.missing, tt.netwk, tt.reason)
			}
		})
	}
}

func TestClassifyTCStatus(t *testing.T) {
	tests := []struct {
		code                         uint32
		inSync, stale, missing, noDC bool
	}{
		{0, true, false, false, false},
		{errTrustedRelationshipFailure, false, true, false, false},
		{errAccessDenied, false, true, false, false},
		{errNoTrustLSASecret, false, true, false, false},
		{errNoTrustSAMAccount, false, false, true, false},
		{errNoLogonServers, false, false, false, true},
		{1355, false, false, false, false}, // ERROR_NO_SUCH_DOMAIN: no verdict
	}
	for _, tt := range tests {
		o, noDC := classifyTCStatus(tt.code)
		if o.InSync != tt.inSync || o.Stale != tt.stale || o.Missing != tt.missing || noDC != tt.noDC {
			t.Errorf("status %d: in sync %v stale %v missing %v no DC %v; want %v %v %v %v", tt.code, o.InSync, o.Stale, o.Missing, noDC, tt.inSync, tt.stale, tt.missing, tt.noDC)
		}
	}
}

func TestJudgeSecret(t *testing.T) {
	tests := []struct {
		name   string
		o      secretOutcome
		status report.Status
		codes  []string
	}{
		{"accepted", secretOutcome{InSync: true, Account: "PC1$@CORP", DC: "10.0.0.1"}, report.StatusOK, nil},
		{"stale", secretOutcome{Stale: true, Account: "PC1$@CORP", DC: "10.0.0.1", Reason: "KDC_ERR_PREAUTH_FAILED"}, report.StatusFail, []string{"org.machine-secret-stale"}},
		{"missing", secretOutcome{Missing: true, Account: "corp.example", DC: "dc1", Reason: "1787"}, report.StatusFail, []string{"org.machine-account-missing"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := judgeSecret(tt.o)
			if r.Status == "" {
				r.Status = report.StatusOK // as the runner sets it
			}
			if got := codesOf(r); r.Status != tt.status || !slices.Equal(got, tt.codes) {
				t.Errorf("got %s %v, want %s %v", r.Status, got, tt.status, tt.codes)
			}
		})
	}
}

func TestMachineInputFrom(t *testing.T) {
	r := report.Result{Check: IDDomain, Details: map[string]any{
		"domain": "corp.example", "realm": "CORP.EXAMPLE", "joined": true,
		"dcs": []map[string]any{
			{"name": "dc1", "address": "10.0.0.1", "ports": map[string]any{"88": "open", "389": "open"}},
			{"name": "dc2", "address": "10.0.0.2", "ports": map[string]any{"88": "timeout"}},
			{"name": "dc3", "error": "no address"},
		},
	}}
	mi, ok := machineInputFrom(r)
	if !ok || !mi.Joined || mi.Realm != "CORP.EXAMPLE" || !slices.Equal(mi.KDCs, []netip.Addr{netip.MustParseAddr("10.0.0.1")}) {
		t.Errorf("got %+v %v; want joined CORP.EXAMPLE with KDC 10.0.0.1 only", mi, ok)
	}
	if _, ok := machineInputFrom(report.Result{Check: IDDomain, Details: map[string]any{"joined": false}}); ok {
		t.Error("a skipped org-domain (no domain) planned the machine account check")
	}
	if !strings.Contains(machineAccountSpec.Finds, "nltest /sc_verify") {
		t.Error("the spec does not say what it stands for")
	}
}
