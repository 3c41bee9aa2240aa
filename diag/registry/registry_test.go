package registry

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/internal/lab"
	"github.com/l2diag/l2diag/report"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

var codePattern = regexp.MustCompile(`^[a-z][a-z0-9]*\.[a-z0-9]+(-[a-z0-9]+)*$`)

func TestSpecsAreValid(t *testing.T) {
	specs := Specs() // panics on a duplicate or malformed ID
	for _, s := range specs {
		if !strings.HasPrefix(s.ID, string(s.Category)+"-") {
			t.Errorf("check %q of category %s: IDs start with their category", s.ID, s.Category)
		}
		if len(s.Findings) == 0 {
			// The runner checks a result's codes against its spec's
			// Findings only when the spec declares some.
			t.Errorf("check %q declares no Findings: list the codes it emits", s.ID)
		}
		for _, f := range s.Findings {
			if !strings.HasPrefix(f.Code, string(s.Category)+".") {
				t.Errorf("check %q of category %s declares %s: a check's codes are of its category", s.ID, s.Category, f.Code)
			}
		}
	}
}

func TestFindingsAreDocumented(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "findings.md"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, f := range Findings() {
		if !codePattern.MatchString(f.Code) {
			t.Errorf("code %q is not area.problem in kebab-case", f.Code)
		}
		if seen[f.Code] {
			t.Errorf("code %q declared twice", f.Code)
		}
		seen[f.Code] = true
		if !f.Status.Valid() || f.Meaning == "" {
			t.Errorf("code %q: status %q, meaning %q", f.Code, f.Status, f.Meaning)
		}
		if f.Status.Problem() && f.Hint == "" {
			t.Errorf("code %q is a %s without a hint", f.Code, f.Status)
		}
		if !bytes.Contains(doc, []byte("`"+f.Code+"`")) {
			t.Errorf("code %q is missing from docs/findings.md", f.Code)
		}
	}
}

// TestDefaultProfileInIsolatedNamespace runs `l2diag run` on its built-in
// default profile the way a user would, inside a namespace with no route
// out (this machine has no internet either): it must end well inside its
// budget, validate against the schema, and say the network is down rather
// than crash or hang.
func TestDefaultProfileInIsolatedNamespace(t *testing.T) {
	l := lab.New(t)
	ns := l.Namespace("isolated")
	ns.SetResolvConf("nameserver 192.0.2.53\n")
	bundle := filepath.Join(t.TempDir(), "isolated.zip")
	res := ns.L2diag("run", "--output", "json", "--no-color", "--bundle", bundle)
	if res.ExitCode > 3 {
		t.Fatalf("exit %d\nstderr:\n%s", res.ExitCode, res.Stderr)
	}
	if !strings.Contains(res.Stderr, bundle) {
		t.Errorf("stderr does not say where the bundle went:\n%s", res.Stderr)
	}
	if v := ns.L2diag("bundle", "verify", bundle); v.ExitCode != 0 {
		t.Errorf("bundle verify: exit %d\n%s%s", v.ExitCode, v.Stdout, v.Stderr)
	}
	schemaPath, _ := filepath.Abs(filepath.Join("..", "..", "docs", "report-schema.json"))
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	sch, err := c.Compile(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(res.Stdout))
	if err != nil {
		t.Fatalf("stdout is not pure JSON: %v\n%s\nstderr:\n%s", err, res.Stdout, res.Stderr)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("report does not validate: %v", err)
	}
	var rep report.Report
	if err := json.Unmarshal([]byte(res.Stdout), &rep); err != nil {
		t.Fatal(err)
	}
	p := rep.Profile
	if p != "default" {
		t.Errorf("profile = %q", p)
	}
	if rep.DurationMS > 30_000 {
		t.Errorf("run took %d ms, over its 30 s budget", rep.DurationMS)
	}
	for _, r := range rep.Results {
		for _, f := range r.Findings {
			if f.Code == diag.FindingPanic.Code {
				t.Errorf("%s %s panicked: %s", r.Check, r.Target, f.Message)
			}
		}
	}
	t.Logf("isolated run: status %s, %d results, %d ms", rep.Status, len(rep.Results), rep.DurationMS)
}

// TestFindsLinesAreFragments keeps `l2diag checks` uniform: each Finds line
// is a lower-case fragment without a final period.
func TestFindsLinesAreFragments(t *testing.T) {
	for _, s := range Specs() {
		f := s.Finds
		if strings.HasSuffix(f, ".") {
			t.Errorf("%s: Finds ends with a period: %q", s.ID, f)
		}
		// "The ..." is a sentence; "HTTP(S) ..." or "CPU ..." is an acronym.
		if len(f) > 1 && unicode.IsUpper(rune(f[0])) && unicode.IsLower(rune(f[1])) {
			t.Errorf("%s: Finds starts upper-case: %q", s.ID, f)
		}
	}
}
