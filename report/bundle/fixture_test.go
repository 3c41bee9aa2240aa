package bundle

import "github.com/l2diag/l2diag/report/internal/sample"

// largeRunInput is what a run over n DNS names writes (sample.LargeRun)
// as a bundle's input.
func largeRunInput(n int, seed int64) *Input {
	r := sample.LargeRun(n, seed)
	return &Input{Report: r.Report, Facts: r.Facts, Log: []byte("log\n")}
}
