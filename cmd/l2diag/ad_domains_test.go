package main

import (
	"slices"
	"testing"

	"github.com/l2diag/l2diag/report"
)

// TestADDomains: the redactor learns the AD domain and forest from
// org-domain's details (typed in the run, decoded JSON from a bundle).
func TestADDomains(t *testing.T) {
	rep := &report.Report{Results: []report.Result{
		{Check: "net-ping", Details: map[string]any{"domain": "not.this.one"}},
		{Check: "org-domain", Details: map[string]any{"domain": "emea.corp.example", "realm": "EMEA.CORP.EXAMPLE",
			"ldap_ping": []map[string]any{{"forest": "corp.example"}}}},
		{Check: "org-domain", Details: map[string]any{"domain": "b.example", "ldap_ping": []any{map[string]any{"forest": "root.example"}}}},
	}}
	got := adDomains(rep)
	want := []string{"emea.corp.example", "EMEA.CORP.EXAMPLE", "corp.example", "b.example", "root.example"}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
