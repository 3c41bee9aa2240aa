package ticketclient

import (
	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/report/bundle"
)

// ReadBundleReport opens a bundle with the report package's reader and
// returns its report; it records the bundle's SHA-256 on f (when given) so
// the comment does not hash the file twice.
func ReadBundleReport(path string, f *File) (*report.Report, error) {
	b, err := bundle.Open(path)
	if err != nil {
		return nil, err
	}
	defer b.Close()
	if f != nil && b.SHA256 != "" {
		f.SetSHA256(b.SHA256)
	}
	return b.Report, nil
}
