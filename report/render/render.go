// Package render writes a report for people and scripts: text (doctor
// style, with or without colour, ASCII-only on request), Markdown, HTML
// with inline charts, and JSON. View is the one reading of a report the
// human formats share; golden files in testdata/golden pin each format.
package render

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/l2diag/l2diag/report"
)

// Format is an output format of the report.
type Format string

// The output formats `--output` accepts.
const (
	FormatText     Format = "text"
	FormatJSON     Format = "json"
	FormatMarkdown Format = "markdown"
)

// ParseFormat accepts text, json or markdown.
func ParseFormat(s string) (Format, error) {
	switch Format(s) {
	case FormatText, FormatJSON, FormatMarkdown:
		return Format(s), nil
	}
	return "", fmt.Errorf("unknown output format %q (use text, json or markdown)", s)
}

// Options tune the human renderers.
type Options struct {
	Color bool
	// ASCII replaces the status marks with words ([ok] [FAIL] [warn]) and
	// other non-ASCII text with look-alikes, for consoles and redirections
	// that cannot show UTF-8 (Windows PowerShell 5.1, legacy code pages).
	ASCII bool
	// Verbose shows every finding, also those of ok results.
	Verbose bool
}

// Render writes rep in format f.
func Render(w io.Writer, rep *report.Report, f Format, opt Options) error {
	switch f {
	case FormatJSON:
		return JSON(w, rep)
	case FormatMarkdown:
		return Markdown(w, rep, opt)
	default:
		return Text(w, rep, opt)
	}
}

// JSON writes the schema-1 JSON report, indented, with a newline.
func JSON(w io.Writer, rep *report.Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(rep)
}
