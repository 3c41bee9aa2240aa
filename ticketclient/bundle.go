package ticketclient

import (
	"archive/zip"
	"fmt"
	"io"
	"path"

	"github.com/l2diag/l2diag/report"
)

// maxReportJSON bounds what is read of a bundle's report.json.
const maxReportJSON = 64 << 20

// ReadBundleReport reads report.json from a bundle zip (at the root or in
// the one top-level folder). It is the ticket side's own small reader until
// the report package exports one.
func ReadBundleReport(file string) (*report.Report, error) {
	zr, err := zip.OpenReader(file)
	if err != nil {
		return nil, fmt.Errorf("bundle %s: %w", file, err)
	}
	defer zr.Close()
	var best *zip.File
	for _, f := range zr.File {
		if path.Base(f.Name) != "report.json" {
			continue
		}
		if best == nil || len(f.Name) < len(best.Name) {
			best = f
		}
	}
	if best == nil {
		return nil, fmt.Errorf("bundle %s: no report.json inside; is this an l2diag bundle?", file)
	}
	rc, err := best.Open()
	if err != nil {
		return nil, fmt.Errorf("bundle %s: %w", file, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxReportJSON))
	if err != nil {
		return nil, fmt.Errorf("bundle %s: read report.json: %w", file, err)
	}
	rep, err := report.Decode(data)
	if err != nil {
		return nil, fmt.Errorf("bundle %s: %w", file, err)
	}
	return rep, nil
}
