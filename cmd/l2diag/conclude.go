package main

import (
	"github.com/l2diag/l2diag/diag/triage"
	"github.com/l2diag/l2diag/report"
)

// conclude derives the likely causes from a finished report: triage's
// conclusions, most severe first (docs/triage.md).
func conclude(rep *report.Report) []report.Conclusion { return triage.Conclude(rep) }
