package report

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestImportGraph keeps report's packages the DAG docs/decisions.md
// describes (issue 20, part B): the model imports none of its
// sub-packages; redact, render and diff import only the model; bundle
// builds on those. A new package under report/ must be added here, with
// the packages of ours it may import. Tests are free (external test
// packages may import what imports them).
func TestImportGraph(t *testing.T) {
	const module = "github.com/l2diag/l2diag/"
	allowed := map[string][]string{
		".":               nil,
		"redact":          {"report"},
		"render":          {"report"},
		"diff":            {"report"},
		"bundle":          {"report", "report/redact", "report/render", "report/diff"},
		"fleet":           {"report", "report/bundle"},
		"internal/sample": {"report"},
	}
	seen := map[string]bool{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "testdata" {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		dir := filepath.ToSlash(filepath.Dir(path))
		seen[dir] = true
		allow, ok := allowed[dir]
		if !ok {
			t.Errorf("report/%s is not in the import graph of TestImportGraph: add it with the packages it may import", dir)
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p := strings.Trim(imp.Path.Value, `"`)
			rest, ours := strings.CutPrefix(p, module)
			if ours && (rest == "report" || strings.HasPrefix(rest, "report/")) && !slices.Contains(allow, rest) {
				t.Errorf("%s imports %s; report/%s may import only %v of report's packages", path, rest, dir, allow)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for dir := range allowed {
		if !seen[dir] {
			t.Errorf("report/%s is in the import graph but has no Go files", dir)
		}
	}
}
