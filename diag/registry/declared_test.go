package registry

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestEveryDeclaredFindingRegistered fails when a FindingSpec written in
// any diag package (for any GOOS) is missing from Findings(): every
// finding a check emits is built from a FindingSpec, and registration is
// derived from the checks' Specs (their Findings), so a FindingSpec no
// Spec lists would escape docs/findings.md, `l2diag explain` and the
// triage coverage tests. It reads the source, so a spec no test run
// reaches is caught too; at run time the runner's Spec.Undeclared check
// catches a code emitted by a check whose Spec does not list it.
func TestEveryDeclaredFindingRegistered(t *testing.T) {
	registered := map[string]bool{}
	for _, f := range Findings() {
		registered[f.Code] = true
	}
	declared := declaredFindingCodes(t, "..")
	if len(declared) < len(registered)/2 {
		t.Fatalf("found %d FindingSpec literals in the source for %d registered codes: the scan is broken", len(declared), len(registered))
	}
	for code, where := range declared {
		if !registered[code] {
			t.Errorf("%s: finding %s is declared but not in registry.Findings() (list it in the Findings of the Spec of the check that emits it)", where, code)
		}
	}
}

// declaredFindingCodes returns the Code of every FindingSpec composite
// literal in the non-test Go files below root, with where it is. A Code
// that is not a string literal or a string constant of the same package
// or of package report is an error: codes are a contract and stay plain.
func declaredFindingCodes(t *testing.T, root string) map[string]string {
	t.Helper()
	fset := token.NewFileSet()
	files := map[string][]*ast.File{} // by directory: one package each
	parse := func(dir string) {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if n := d.Name(); p != dir && (n == "testdata" || strings.HasPrefix(n, ".")) {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
				return nil
			}
			f, err := parser.ParseFile(fset, p, nil, 0)
			if err != nil {
				return err
			}
			files[filepath.Dir(p)] = append(files[filepath.Dir(p)], f)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	parse(root)
	reportDir := filepath.Join(root, "..", "report")
	parse(reportDir)
	reportConsts := stringConsts(files[reportDir])

	out := map[string]string{}
	for dir, fs := range files {
		if dir == reportDir {
			continue
		}
		consts := stringConsts(fs)
		for _, f := range fs {
			ast.Inspect(f, func(n ast.Node) bool {
				lit, ok := n.(*ast.CompositeLit)
				if !ok || !isFindingSpec(lit.Type) {
					return true
				}
				for _, el := range lit.Elts {
					kv, ok := el.(*ast.KeyValueExpr)
					if !ok || !isIdent(kv.Key, "Code") {
						continue
					}
					where := fset.Position(kv.Pos()).String()
					code, ok := codeValue(kv.Value, consts, reportConsts)
					if !ok {
						t.Errorf("%s: the Code of a FindingSpec is not a string literal or constant", where)
						continue
					}
					out[code] = where
				}
				return true
			})
		}
	}
	return out
}

func isFindingSpec(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name == "FindingSpec"
	case *ast.SelectorExpr:
		return isIdent(e.X, "diag") && e.Sel.Name == "FindingSpec"
	}
	return false
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

func codeValue(e ast.Expr, local, report map[string]string) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind == token.STRING {
			s, err := strconv.Unquote(e.Value)
			return s, err == nil
		}
	case *ast.Ident:
		s, ok := local[e.Name]
		return s, ok
	case *ast.SelectorExpr:
		if isIdent(e.X, "report") {
			s, ok := report[e.Sel.Name]
			return s, ok
		}
	}
	return "", false
}

// stringConsts maps the package-level constants of files that are plain
// string literals to their values.
func stringConsts(files []*ast.File) map[string]string {
	out := map[string]string{}
	for _, f := range files {
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, s := range gd.Specs {
				vs := s.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if i < len(vs.Values) {
						if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
							out[name.Name], _ = strconv.Unquote(lit.Value)
						}
					}
				}
			}
		}
	}
	return out
}
