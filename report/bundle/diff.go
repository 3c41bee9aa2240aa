package bundle

import (
	"github.com/l2diag/l2diag/report/diff"
)

// Diff compares two opened bundles.
func Diff(a, b *Bundle, opt diff.Options) (*diff.Diff, error) {
	fa, err := a.RawFacts()
	if err != nil {
		return nil, err
	}
	fb, err := b.RawFacts()
	if err != nil {
		return nil, err
	}
	d := diff.Raw(a.Report, b.Report, fa, fb, opt)
	d.A.Path, d.B.Path = a.Path, b.Path
	return d, nil
}
