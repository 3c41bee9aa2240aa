package registry

import (
	"flag"
	"fmt"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the generated parts of docs/findings.md (per-code tables, evidence keys)")

const (
	evidenceBegin = "<!-- evidence-keys: generated from the FindingSpecs by go test ./diag/registry -run TestEvidenceKeysDocumented -update -->"
	evidenceEnd   = "<!-- /evidence-keys -->"
)

// The evidence keys the checks declare are documented in docs/findings.md,
// generated from the same declarations.
func TestEvidenceKeysDocumented(t *testing.T) {
	var b strings.Builder
	b.WriteString(evidenceBegin + "\n| Code | Key | Meaning |\n|---|---|---|\n")
	n := 0
	for _, f := range Findings() {
		for _, k := range f.Evidence {
			if k.Name == "" || k.Meaning == "" {
				t.Errorf("%s: an evidence key needs a name and a meaning: %+v", f.Code, k)
			}
			fmt.Fprintf(&b, "| `%s` | `%s` | %s |\n", f.Code, k.Name, k.Meaning)
			n++
		}
	}
	b.WriteString(evidenceEnd)
	if n == 0 {
		t.Fatal("no check declares its evidence keys")
	}
	want := b.String()
	updateGenerated(t, evidenceBegin, evidenceEnd, want, "TestEvidenceKeysDocumented",
		"## Evidence keys\n\nThe keys a finding's `evidence` carries, for the checks that declare them (`diag.FindingSpec.Evidence`). A check's tests fail when it emits an undeclared key, and triage reads only declared keys.\n\n"+want)
}
