package permcheck

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/diag/target"
	"github.com/l2diag/l2diag/report"
)

// component is one step of the walk from the root to the path, like a line
// of `namei -l`, with the metadata that explains a refusal.
type component struct {
	Path  string   `json:"path"`
	Type  string   `json:"type"`
	Mode  string   `json:"mode,omitempty"`
	Owner string   `json:"owner,omitempty"`
	Group string   `json:"group,omitempty"`
	ACL   []string `json:"acl,omitempty"`
	Attrs []string `json:"attrs,omitempty"`
	Link  string   `json:"link,omitempty"`
}

// verdict is the kernel's answer for one requested access on the path.
type verdict struct {
	Access  string `json:"access"`
	Allowed bool   `json:"allowed"`
}

// denial explains one refused access: which component refused it, why,
// and what would fix it.
type denial struct {
	spec diag.FindingSpec
	// access is r, w or x on the path itself, or "search" for a directory
	// on the way to it.
	access    string
	component component
	reason    string
	why       string
	hint      string
	errno     string
}

// walk is what a platform walker found for one path.
type walk struct {
	user     string
	elevated bool
	resolved string
	comps    []component
	// missing is the first component that does not exist; missingWhy
	// says so in words.
	missing    string
	missingWhy string
	verdicts   []verdict
	denials    []denial
}

var pathSpec = diag.Spec{
	ID:       "perm-path",
	Category: diag.CategoryPerm,
	Phase:    diag.PhaseProbe,
	Finds:    "for each --path and profile path: whether this user may read/write/execute it, and which component refuses and why",
	Findings: []diag.FindingSpec{FindingPathDenied, FindingPathMissing, FindingPathReadOnly, FindingPathImmutable, FindingPathMAC, FindingPathUnexplained, FindingPathStalled, FindingPathWinDenied},
	Plan:     planPaths,
}

func planPaths(in *diag.PlanInput) []diag.Instance {
	var paths []target.Path
	if in.Targets != nil {
		paths = append(paths, in.Targets.Paths...)
	}
	if in.Profile != nil {
		paths = append(paths, in.Profile.Perm.TargetPaths()...)
	}
	seen := map[string]bool{}
	var checks []diag.Instance
	for _, p := range paths {
		p.Path = expandHome(p.Path)
		if seen[p.String()] {
			continue
		}
		seen[p.String()] = true
		checks = append(checks, diag.Instance{Target: p.String(), Run: func(ctx context.Context, env *diag.Env) report.Result {
			return runPath(ctx, p)
		}})
	}
	return checks
}

// expandHome expands a leading ~/ to the home of the user l2diag runs as
// (the account's home, not $HOME, which sudo and setpriv may keep from the
// caller), so one profile serves every user.
func expandHome(p string) string {
	if p != "~" && !strings.HasPrefix(p, "~/") && !strings.HasPrefix(p, `~\`) {
		return p
	}
	h := currentHome()
	if h == "" {
		return p
	}
	return filepath.Join(h, p[1:])
}

// tracker remembers the component a walk is at, so a walk stuck in the
// kernel (a hard NFS mount whose server is gone) can be reported by name.
type tracker struct{ cur atomic.Pointer[string] }

// at records the component being looked at; nil-safe.
func (t *tracker) at(path string) {
	if t != nil {
		t.cur.Store(&path)
	}
}

func (t *tracker) last() string {
	if p := t.cur.Load(); p != nil {
		return *p
	}
	return ""
}

// walkFn is the platform walker; tests swap it to simulate a hung mount.
var walkFn = walkPath

func runPath(ctx context.Context, p target.Path) report.Result {
	type out struct {
		w   *walk
		err error
	}
	tr := &tracker{}
	done := make(chan out, 1)
	go func() {
		w, err := walkFn(ctx, p, tr)
		done <- out{w, err}
	}()
	// A stat on a dead mount ignores ctx; answer before the runner's
	// deadline with where it hangs.
	var stop <-chan time.Time
	if dl, ok := ctx.Deadline(); ok {
		t := time.NewTimer(time.Until(dl) - stopMargin)
		defer t.Stop()
		stop = t.C
	}
	var w *walk
	var err error
	select {
	case o := <-done:
		w, err = o.w, o.err
	case <-stop:
		at := tr.last()
		if at == "" {
			at = p.Path
		}
		var res report.Result
		res.AddFinding(FindingPathStalled.Finding(
			fmt.Sprintf("Looking at %s did not return before the deadline: the file system there does not answer.", at),
			map[string]any{"path": p.Path, "component": at}))
		res.Summary = fmt.Sprintf("%s hangs at %s.", p.Path, at)
		return res
	}
	if errors.Is(err, errUnsupported) {
		return diag.Skipped("path access checks are " + err.Error())
	}
	if err != nil {
		return diag.Errored(err)
	}
	return pathResult(p, w)
}

var accessWords = map[string]string{"r": "read", "w": "write", "x": "execute", "search": "search"}

func pathResult(p target.Path, w *walk) report.Result {
	var res report.Result
	res.SetDetail("user", w.user)
	res.SetDetail("components", w.comps)
	if w.resolved != "" {
		res.SetDetail("resolved", w.resolved)
	}
	if len(w.verdicts) > 0 {
		res.SetDetail("verdicts", w.verdicts)
	}
	if w.missing != "" {
		res.AddFinding(FindingPathMissing.Finding(
			fmt.Sprintf("%s does not exist: %s.", p.Path, w.missingWhy),
			map[string]any{"path": p.Path, "missing": w.missing, "why": w.missingWhy}))
		res.Summary = fmt.Sprintf("%s is missing (%s).", p.Path, w.missing)
		return res
	}
	for _, d := range w.denials {
		f := d.spec.Finding(denialMessage(p, w, d), map[string]any{
			"path":      p.Path,
			"access":    d.access,
			"requested": p.Access.String(),
			"component": d.component.Path,
			"type":      d.component.Type,
			"owner":     d.component.Owner,
			"group":     d.component.Group,
			"mode":      d.component.Mode,
			"reason":    d.reason,
			"user":      w.user,
		})
		if len(d.component.ACL) > 0 {
			f.Evidence["acl"] = d.component.ACL
		}
		if len(d.component.Attrs) > 0 {
			f.Evidence["attrs"] = d.component.Attrs
		}
		if d.errno != "" {
			f.Evidence["errno"] = d.errno
		}
		if d.hint != "" {
			f.Hint = d.hint
		}
		res.AddFinding(f)
	}
	var granted, refused []string
	for _, v := range w.verdicts {
		if v.Allowed {
			granted = append(granted, accessWords[v.Access])
		} else {
			refused = append(refused, accessWords[v.Access])
		}
	}
	as := w.user
	if w.elevated {
		as += " (elevated)"
	}
	switch {
	case len(w.denials) > 0 && w.denials[0].access == "search":
		res.Summary = fmt.Sprintf("%s cannot reach %s: %s refuses search.", as, p.Path, w.denials[0].component.Path)
	case len(refused) > 0:
		res.Summary = fmt.Sprintf("%s may not %s %s", as, strings.Join(refused, " or "), p.Path)
		if len(granted) > 0 {
			res.Summary += fmt.Sprintf(" (%s is allowed)", strings.Join(granted, " and "))
		}
		res.Summary += "."
	default:
		res.Summary = fmt.Sprintf("%s may %s %s.", as, strings.Join(granted, " and "), p.Path)
	}
	return res
}

func denialMessage(p target.Path, w *walk, d denial) string {
	c := d.component
	who := fmt.Sprintf("%s (%s %s:%s)", c.Path, c.Mode, c.Owner, c.Group)
	if c.Mode == "" {
		who = c.Path
	}
	if d.access == "search" {
		return fmt.Sprintf("%s cannot reach %s: directory %s refuses search (x): %s.", w.user, p.Path, who, d.why)
	}
	return fmt.Sprintf("%s may not %s %s: %s.", w.user, accessWords[d.access], who, d.why)
}

// shellQuote quotes s for a POSIX shell when it needs it, so hints can be
// pasted.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r == '/' || r == '.' || r == '_' || r == '-' || r == '+' || r == ':' || r == ',' || r == '@' || r == '%' ||
			(r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9'))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
