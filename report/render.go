package report

import (
	"encoding/json"
	"fmt"
	"io"
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

// RenderOptions tune the human renderers.
type RenderOptions struct {
	Color bool
	// ASCII replaces the status marks with words ([ok] [FAIL] [warn]) and
	// other non-ASCII text with look-alikes, for consoles and redirections
	// that cannot show UTF-8 (Windows PowerShell 5.1, legacy code pages).
	ASCII bool
	// Verbose shows every finding, also those of ok results.
	Verbose bool
}

// Render writes rep in format f.
func Render(w io.Writer, rep *Report, f Format, opt RenderOptions) error {
	switch f {
	case FormatJSON:
		return RenderJSON(w, rep)
	case FormatMarkdown:
		return RenderMarkdown(w, rep, opt)
	default:
		return RenderText(w, rep, opt)
	}
}

// RenderJSON writes the schema-1 JSON report, indented, with a newline.
func RenderJSON(w io.Writer, rep *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(rep)
}
