// Package bundle writes, reads and verifies l2diag bundles: a zip with
// the report in three renderings, the facts, the log and raw files, every
// file scrubbed (and, with --redact, pseudonymised) through Outgoing and
// re-scanned before it is renamed into place.
package bundle

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/l2diag/l2diag/report"
)

// BundleFormat is the manifest's format marker; a zip whose manifest lacks
// it is not an l2diag bundle.
const BundleFormat = "l2diag-bundle"

// BundleVersion is the version of the bundle layout (file names, manifest
// keys). It moves independently of the report's SchemaVersion.
const BundleVersion = 1

// Names of the files at the top of a bundle.
const (
	BundleReportJSON = "report.json"
	BundleReportMD   = "report.md"
	BundleReportHTML = "report.html"
	BundleManifest   = "manifest.json"
	BundleLog        = "l2diag.log"
	BundleFacts      = "raw/facts.json"
)

// Default size caps. Ticket systems commonly refuse attachments above 10 to
// 25 MB; text compresses five- to tenfold, so these keep a bundle attachable
// while holding far more evidence than a technician reads.
const (
	// DefaultFileCap is the most bytes one raw file or the log keeps; a
	// larger one keeps its tail (the newest lines) behind a marker line.
	DefaultFileCap = 16 << 20
	// DefaultBundleCap is the most bytes (uncompressed) raw/ and the log
	// together keep; files past it are cut to what remains, or to the
	// marker alone.
	DefaultBundleCap = 96 << 20
)

// Manifest is manifest.json: what the bundle is and, for every other file,
// its size and SHA-256 so `l2diag bundle verify` can prove nothing changed.
type Manifest struct {
	Format        string      `json:"format"`
	BundleVersion int         `json:"bundle_version"`
	SchemaVersion int         `json:"schema_version"`
	Tool          report.Tool `json:"tool"`
	Host          report.Host `json:"host"`
	StartedAt     time.Time   `json:"started_at"`
	EndedAt       time.Time   `json:"ended_at"`
	CommandLine   []string    `json:"command_line"`
	// Redacted is true when --redact replaced identifying data with
	// pseudonyms. Secrets are scrubbed in every bundle.
	Redacted bool           `json:"redacted"`
	Caps     ManifestCaps   `json:"caps"`
	Files    []ManifestFile `json:"files"`
	// ManifestSHA256 covers the manifest's own fields (see ManifestDigest).
	ManifestSHA256 string `json:"manifest_sha256,omitempty"`
}

// seal sets ManifestSHA256 from the manifest's other fields.
func (m *Manifest) seal() error {
	m.ManifestSHA256 = ""
	data, err := json.Marshal(m)
	if err != nil {
		return err
	}
	m.ManifestSHA256, err = ManifestDigest(data)
	return err
}

// ManifestCaps records the size caps the bundle was written with.
type ManifestCaps struct {
	FileBytes   int64 `json:"file_bytes"`
	BundleBytes int64 `json:"bundle_bytes"`
}

// ManifestFile describes one file of the bundle.
type ManifestFile struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
	// Source is the file the raw evidence was read from.
	Source string `json:"source,omitempty"`
	// Command and ExitCode describe the command that produced raw evidence.
	Command  string `json:"command,omitempty"`
	ExitCode *int   `json:"exit_code,omitempty"`
	// Truncated is true when the file keeps only its tail; OriginalSize is
	// then the size before the cut.
	Truncated    bool  `json:"truncated,omitempty"`
	OriginalSize int64 `json:"original_size,omitempty"`
}

// File returns the manifest entry called name.
func (m *Manifest) File(name string) (ManifestFile, bool) {
	for _, f := range m.Files {
		if f.Name == name {
			return f, true
		}
	}
	return ManifestFile{}, false
}

// ErrNotBundle means the file is not an l2diag bundle (not a zip, a zip of
// another tool, or one cut short).
var ErrNotBundle = errors.New("not an l2diag bundle")

// ErrBundleBlocked means the re-scan of a written bundle still found a
// secret (or, with redaction, a real identifier); the bundle was removed.
var ErrBundleBlocked = errors.New("bundle blocked")

// LeakError names where the re-scan found something that must not leave
// the machine: the file and the class, never the value.
type LeakError struct {
	File  string
	Class string
	Line  int
}

func (e *LeakError) Error() string {
	return fmt.Sprintf("report: bundle blocked: %s line %d still contains %s after scrubbing; the bundle was not written", e.File, e.Line, e.Class)
}

// Unwrap lets errors.Is(err, ErrBundleBlocked) match.
func (e *LeakError) Unwrap() error { return ErrBundleBlocked }
