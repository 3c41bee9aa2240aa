package registry

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateEvidence = flag.Bool("update", false, "rewrite the evidence-key table of docs/findings.md")

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
	path := filepath.Join("..", "..", "docs", "findings.md")
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(doc)
	i, j := strings.Index(s, evidenceBegin), strings.Index(s, evidenceEnd)
	want := b.String()
	if i >= 0 && j > i && s[i:j+len(evidenceEnd)] == want {
		return
	}
	if !*updateEvidence {
		t.Fatalf("docs/findings.md: the evidence-key table is missing or stale; run go test ./diag/registry -run TestEvidenceKeysDocumented -update")
	}
	if i >= 0 && j > i {
		s = s[:i] + want + s[j+len(evidenceEnd):]
	} else {
		s = strings.TrimRight(s, "\n") + "\n\n## Evidence keys\n\nThe keys a finding's `evidence` carries, for the checks that declare them (`diag.FindingSpec.Evidence`). A check's tests fail when it emits an undeclared key, and triage reads only declared keys.\n\n" + want + "\n"
	}
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}
