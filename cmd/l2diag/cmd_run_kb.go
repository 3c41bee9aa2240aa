package main

import (
	"context"
	"fmt"

	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/diag/registry"
	"github.com/l2diag/l2diag/diag/triage"
	"github.com/l2diag/l2diag/diag/watch"
	"github.com/l2diag/l2diag/kb"
	"github.com/l2diag/l2diag/report"
)

// kbPaths are the knowledge-base folders of a profile and L2DIAG_KB (read
// with getenv).
func kbPaths(p *profile.Profile, getenv func(string) string) []string {
	return kb.Paths(p.KB.Paths, p.Dir(), getenv(kb.EnvPaths))
}

// loadKB reads the knowledge base within kb.LoadTimeout.
func loadKB(ctx context.Context, paths []string) *kb.Base {
	ctx, cancel := context.WithTimeout(ctx, kb.LoadTimeout)
	defer cancel()
	return kb.Load(ctx, paths)
}

// matchKnownFixes matches rep's conclusions against the configured
// knowledge base and records the matches in rep (and the hand-off note).
// It never fails the run: unusable entries are reported on stderr and
// skipped. It returns, for -v, one line per entry and conclusion saying why
// it matched or not; the caller prints them through its output filter
// (evidence values are identifiers --redact hides).
func matchKnownFixes(ctx context.Context, ios *IOStreams, paths []string, rep *report.Report) []string {
	rep.Handoff = report.BuildHandoff(rep)
	if len(paths) == 0 || len(rep.Conclusions) == 0 {
		return nil
	}
	base := loadKB(ctx, paths)
	for _, p := range base.Problems {
		fmt.Fprintf(ios.ErrOut, "l2diag: kb: skipped %s\n", p)
	}
	if len(base.Problems) > 0 {
		fmt.Fprintf(ios.ErrOut, "  hint: run 'l2diag kb check' to see every problem of the knowledge base\n")
	}
	var lines []string
	for _, v := range base.Apply(rep) {
		lines = append(lines, "kb: "+v.Explain()+"\n")
	}
	return lines
}

// kbCatalog is what `kb check` holds entries against: the conclusion codes
// triage draws and the finding codes the checks emit.
func kbCatalog() kb.Catalog {
	cat := kb.Catalog{Causes: map[string]bool{}, Findings: map[string][]string{}}
	for _, s := range triage.Specs() {
		cat.Causes[s.Code] = true
	}
	// watch's verdict is a conclusion of its own.
	cat.Causes[watch.FindingIntermittent.Code] = true
	for _, f := range registry.Findings() {
		// No finding declares its evidence keys yet: nil says "unknown",
		// which kb check reports as unverifiable rather than wrong.
		cat.Findings[f.Code] = nil
	}
	return cat
}
