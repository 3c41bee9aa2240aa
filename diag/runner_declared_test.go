package diag

import (
	"testing"

	"github.com/l2diag/l2diag/report"
)

// A check's result may carry only the codes its spec declares, and the
// runner's own: under test anything else panics, naming the check and
// the code, so a code cannot escape registration.
func TestUndeclaredFindingPanicsUnderTest(t *testing.T) {
	mine := FindingSpec{Code: "test.mine", Status: report.StatusWarn}
	other := FindingSpec{Code: "test.other", Status: report.StatusWarn}
	tests := []struct {
		name     string
		declares []FindingSpec
		emits    FindingSpec
		panics   bool
	}{
		{"declared", []FindingSpec{mine}, mine, false},
		{"the runner's own", []FindingSpec{mine}, FindingBudget, false},
		{"undeclared", []FindingSpec{mine}, other, true},
		{"spec declares none (not checked)", nil, other, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := job{spec: &Spec{ID: "test-check", Findings: tt.declares}}
			var res report.Result
			res.AddFinding(tt.emits.Finding("seen", nil))
			var got any
			func() {
				defer func() { got = recover() }()
				j.declared(&res)
			}()
			if (got != nil) != tt.panics {
				t.Fatalf("panic = %v, want a panic: %v", got, tt.panics)
			}
			if tt.panics {
				if msg, _ := got.(string); msg != "diag: check test-check emitted finding test.other, which its Spec's Findings do not declare" {
					t.Errorf("panic message %q does not name the check and the code", got)
				}
			}
		})
	}
}
