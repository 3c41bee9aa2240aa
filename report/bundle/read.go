package bundle

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/l2diag/l2diag/internal/userfile"
	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/report/redact"
)

// Caps on what the reader decompresses, so a zip bomb posing as a bundle
// cannot exhaust memory: report.json and raw/facts.json are decoded in
// memory (a 100,000-target run writes a report of about 60 MiB), the
// manifest lists a few entries per raw file. Other files are streamed and
// never held whole.
const (
	maxManifestFile = 16 << 20
	maxReportFile   = 128 << 20
	maxFactsFile    = 128 << 20
	maxReadFile     = 256 << 20
)

// MaxBundleFile is the largest zip `bundle show|verify|diff` open: ten times
// what the default caps let a run write.
const MaxBundleFile = 1 << 30

// Bundle is an opened bundle: its manifest and report, ready for `bundle
// show`, `bundle diff` and ticket attachments.
type Bundle struct {
	// Path is the bundle's file ("" when read from memory).
	Path string
	// Size and SHA256 are those of the whole zip file.
	Size     int64
	SHA256   string
	Manifest *Manifest
	// Report is nil when the bundle was opened for verification only.
	Report *report.Report

	// manifestRaw is manifest.json as stored, for its own digest.
	manifestRaw []byte
	zr          *zip.Reader
	// index finds a file by name; names are unique (Read refuses
	// a zip with two files of one name).
	index map[string]*zip.File
	f     *os.File
}

// Open opens the bundle at path and reads its manifest and
// report.json. It does not verify the files' hashes (see Verify). Errors say
// what is wrong: not a regular file, too large, not a zip, cut short,
// another tool's zip, a newer schema, tampered with (a *TamperError). Close
// the bundle when done.
func Open(path string) (*Bundle, error) { return openBundle(path, true) }

// OpenManifest opens the bundle at path and reads only its manifest:
// enough to verify it, without decoding the report.
func OpenManifest(path string) (*Bundle, error) { return openBundle(path, false) }

func openBundle(path string, withReport bool) (*Bundle, error) {
	f, st, err := userfile.Open(path)
	if err != nil {
		return nil, fmt.Errorf("report: open bundle: %w", err)
	}
	if err := userfile.CheckSize(path, st, MaxBundleFile); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("report: open bundle: %w", err)
	}
	sum := sha256.New()
	if _, err := io.Copy(sum, io.NewSectionReader(f, 0, st.Size())); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("report: open bundle: %w", err)
	}
	b, err := readBundle(f, st.Size(), withReport)
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	b.Path, b.f = path, f
	b.SHA256 = hex.EncodeToString(sum.Sum(nil))
	return b, nil
}

// Read reads a bundle from r (size bytes). The Bundle's Path and
// SHA256 are empty.
func Read(r io.ReaderAt, size int64) (*Bundle, error) { return readBundle(r, size, true) }

func readBundle(r io.ReaderAt, size int64, withReport bool) (*Bundle, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("%w: not a readable zip (corrupt or cut short): %v", ErrNotBundle, err)
	}
	b := &Bundle{Size: size, zr: zr, index: make(map[string]*zip.File, len(zr.File))}
	var tamper TamperError
	for _, f := range zr.File {
		if _, dup := b.index[f.Name]; dup {
			tamper.add(f.Name, "is in the zip more than once: readers disagree which copy they show")
			continue
		}
		b.index[f.Name] = f
	}
	if b.index[BundleManifest] == nil {
		return nil, fmt.Errorf("%w: bundle has no %s", ErrNotBundle, BundleManifest)
	}
	if len(tamper.Problems) > 0 {
		return nil, &tamper
	}
	data, err := b.readCapped(BundleManifest, maxManifestFile)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotBundle, err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%w: manifest.json does not decode: %v", ErrNotBundle, err)
	}
	if m.Format != BundleFormat {
		return nil, fmt.Errorf("%w: manifest.json format is %q, want %q (a zip of another tool?)", ErrNotBundle, m.Format, BundleFormat)
	}
	if m.BundleVersion > BundleVersion {
		return nil, fmt.Errorf("report: bundle version %d is newer than this l2diag understands (%d); upgrade l2diag", m.BundleVersion, BundleVersion)
	}
	listed := make(map[string]bool, len(m.Files))
	for _, mf := range m.Files {
		if listed[mf.Name] {
			tamper.add(BundleManifest, fmt.Sprintf("lists %s more than once", mf.Name))
		}
		listed[mf.Name] = true
	}
	if len(tamper.Problems) > 0 {
		return nil, &tamper
	}
	b.Manifest, b.manifestRaw = &m, data
	if !withReport {
		return b, nil
	}
	data, err = b.readCapped(BundleReportJSON, maxReportFile)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotBundle, err)
	}
	if b.Report, err = report.Decode(data); err != nil {
		return nil, err
	}
	return b, nil
}

// Close releases the bundle's file.
func (b *Bundle) Close() error {
	if b.f == nil {
		return nil
	}
	err := b.f.Close()
	b.f = nil
	return err
}

// Open streams one file of the bundle, e.g. "raw/facts.json".
func (b *Bundle) Open(name string) (io.ReadCloser, error) {
	f := b.index[name]
	if f == nil {
		return nil, fmt.Errorf("report: bundle has no %s", name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("report: bundle: open %s: %w", name, err)
	}
	return rc, nil
}

// ReadFile returns the content of one file of the bundle, e.g.
// "report.md", up to 256 MiB.
func (b *Bundle) ReadFile(name string) ([]byte, error) { return b.readCapped(name, maxReadFile) }

func (b *Bundle) readCapped(name string, limit int64) ([]byte, error) {
	f := b.index[name]
	if f == nil {
		return nil, fmt.Errorf("report: bundle has no %s", name)
	}
	if f.UncompressedSize64 > uint64(limit) {
		return nil, fmt.Errorf("report: bundle: %s is larger than %s", name, userfile.Human(limit))
	}
	rc, err := b.Open(name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	// archive/zip stops at the size the header declares, so the header
	// check above bounds the read too; the limit guards regardless.
	data, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, fmt.Errorf("report: bundle: read %s: %w", name, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("report: bundle: %s is larger than %s", name, userfile.Human(limit))
	}
	return data, nil
}

// Facts returns raw/facts.json decoded (nil when the bundle has none).
func (b *Bundle) Facts() (map[string]any, error) {
	if b.index[BundleFacts] == nil {
		return nil, nil
	}
	data, err := b.readCapped(BundleFacts, maxFactsFile)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("report: bundle: %s: %w", BundleFacts, err)
	}
	return m, nil
}

// RawFacts returns raw/facts.json with each fact's JSON undecoded.
func (b *Bundle) RawFacts() (map[string]json.RawMessage, error) {
	if b.index[BundleFacts] == nil {
		return nil, nil
	}
	data, err := b.readCapped(BundleFacts, maxFactsFile)
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("report: bundle: %s: %w", BundleFacts, err)
	}
	return m, nil
}

// Files lists the names of the files in the zip, in zip order.
func (b *Bundle) Files() []string {
	names := make([]string, len(b.zr.File))
	for i, f := range b.zr.File {
		names[i] = f.Name
	}
	return names
}

// rescanBundle reads the written zip back and runs every file through the
// secret rules (and, with redaction, the identity check): anything they
// would still replace blocks the bundle.
func rescanBundle(r io.ReaderAt, size int64, opt Options, red *redact.Redactor) error {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return fmt.Errorf("report: bundle: re-read for the secret scan: %w", err)
	}
	check := redact.NewScrubber(opt.Secrets, nil)
	var guard *redact.Guard
	if red != nil {
		guard = red.Guard()
	}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return fmt.Errorf("report: bundle: re-read %s: %w", f.Name, err)
		}
		var leak *LeakError
		err = redact.ScanLines(rc, func(l []byte, n int) bool {
			check.Line(l, &redact.LineState{}, func(class string) {
				if leak == nil {
					leak = &LeakError{File: f.Name, Class: class, Line: n}
				}
			})
			if leak == nil && guard != nil {
				if class, found := guard.Find(l); found {
					leak = &LeakError{File: f.Name, Class: class, Line: n}
				}
			}
			return leak == nil
		})
		rc.Close()
		if leak != nil {
			return leak
		}
		if err != nil {
			return fmt.Errorf("report: bundle: re-read %s: %w", f.Name, err)
		}
	}
	return nil
}
