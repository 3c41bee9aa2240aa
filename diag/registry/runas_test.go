package registry

import (
	"testing"

	hostcheck "github.com/l2diag/l2diag/diag/host"
)

// The checks host.run-as-service-account names exist.
func TestServiceAccountChecksExist(t *testing.T) {
	ids := map[string]bool{}
	for _, s := range Specs() {
		ids[s.ID] = true
	}
	for _, id := range hostcheck.ServiceAccountChecks() {
		if !ids[id] {
			t.Errorf("host.run-as-service-account names %s, which is no check", id)
		}
	}
}
