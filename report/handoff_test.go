package report

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestHandoffNothingRuledOut: when every category ran into a problem,
// the hand-off still says "ruled_out": [] (the schema wants an array; a
// run on a machine whose disk is filling made it null).
func TestHandoffNothingRuledOut(t *testing.T) {
	rep := &Report{
		Results: []Result{
			{Check: "net-ping", Category: "net", Status: StatusFail},
			{Check: "host-disks", Category: "host", Status: StatusWarn},
		},
		Conclusions: []Conclusion{{Code: "cause.no-internet", Status: StatusFail, Headline: "No internet.", Escalation: "network"}},
	}
	h := BuildHandoff(rep)
	if h == nil {
		t.Fatal("no hand-off for a conclusion owned by the network team")
	}
	b, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"ruled_out":[]`) {
		t.Errorf("hand-off JSON %s, want \"ruled_out\":[]", b)
	}
}
