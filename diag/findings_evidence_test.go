package diag

import (
	"strings"
	"testing"

	"github.com/l2diag/l2diag/report"
)

func TestFindingUndeclaredEvidence(t *testing.T) {
	declared := FindingSpec{Code: "x.y", Status: report.StatusWarn, Evidence: []EvidenceKey{{Name: "address", Meaning: "where"}}}
	undeclared := FindingSpec{Code: "x.z", Status: report.StatusWarn}
	tests := []struct {
		name  string
		fs    FindingSpec
		ev    map[string]any
		panic bool
	}{
		{"declared key", declared, map[string]any{"address": "10.0.0.1"}, false},
		{"undeclared key of a declaring spec", declared, map[string]any{"adress": "10.0.0.1"}, true},
		{"a spec that declares nothing is not checked", undeclared, map[string]any{"anything": 1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if (r != nil) != tt.panic {
					t.Fatalf("panic = %v, want a panic: %v", r, tt.panic)
				}
				if r != nil && !strings.Contains(r.(string), `"adress"`) {
					t.Errorf("panic %q should name the key", r)
				}
			}()
			tt.fs.Finding("m", tt.ev)
		})
	}
}
