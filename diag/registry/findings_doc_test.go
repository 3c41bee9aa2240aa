package registry

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/diag"
	dnscheck "github.com/l2diag/l2diag/diag/dns"
	hostcheck "github.com/l2diag/l2diag/diag/host"
	netcheck "github.com/l2diag/l2diag/diag/net"
	orgcheck "github.com/l2diag/l2diag/diag/org"
	permcheck "github.com/l2diag/l2diag/diag/perm"
	"github.com/l2diag/l2diag/diag/watch"
)

// findingTables are the sections of docs/findings.md whose table is
// generated from the FindingSpecs, each between its markers.
var findingTables = []struct {
	area     string
	findings func() []diag.FindingSpec
}{
	{"check", diag.RunnerFindings},
	{"net", netcheck.Findings},
	{"dns", dnscheck.Findings},
	{"host", hostcheck.Findings},
	{"perm", permcheck.Findings},
	{"org", orgcheck.Findings},
	{"watch", watch.Findings},
}

func findingsBegin(area string) string {
	return "<!-- findings " + area + ": generated from the FindingSpecs by go test ./diag/registry -run TestFindingTablesDocumented -update -->"
}

const findingsEnd = "<!-- /findings -->"

// The per-code entries of docs/findings.md (status, meaning, hint) are the
// FindingSpecs' own text: a finding added, changed or removed in the code
// changes the doc with it, and `l2diag explain` says the same.
func TestFindingTablesDocumented(t *testing.T) {
	for _, ft := range findingTables {
		var b strings.Builder
		b.WriteString(findingsBegin(ft.area) + "\n| Code | Status | Meaning | Hint |\n|---|---|---|---|\n")
		for _, f := range ft.findings() {
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", f.Code, f.Status, cell(f.Meaning), cell(f.Hint))
		}
		b.WriteString(findingsEnd)
		updateGenerated(t, findingsBegin(ft.area), findingsEnd, b.String(), "TestFindingTablesDocumented", "")
	}
}

// cell makes text safe inside a Markdown table cell.
func cell(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "\n", " ")
}

// updateGenerated checks that docs/findings.md holds want between begin
// and end, and with -update rewrites it there (or, when the markers are
// missing and orElse is set, appends orElse with want in it).
func updateGenerated(t *testing.T, begin, end, want, test, orElse string) {
	t.Helper()
	path := filepath.Join("..", "..", "docs", "findings.md")
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(doc)
	i := strings.Index(s, begin)
	j := -1
	if i >= 0 {
		if k := strings.Index(s[i:], end); k >= 0 {
			j = i + k
		}
	}
	if j > i && s[i:j+len(end)] == want {
		return
	}
	if !*update {
		t.Fatalf("docs/findings.md: a generated part is missing or stale; run go test ./diag/registry -run %s -update", test)
	}
	switch {
	case j > i:
		s = s[:i] + want + s[j+len(end):]
	case orElse != "":
		s = strings.TrimRight(s, "\n") + "\n\n" + orElse + "\n"
	default:
		t.Fatalf("docs/findings.md has no %q marker to generate below", begin)
	}
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}
