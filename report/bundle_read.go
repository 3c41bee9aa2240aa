package report

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/l2diag/l2diag/internal/userfile"
)

// maxReadFile bounds what the reader decompresses of one file, so a zip
// bomb posing as a bundle cannot exhaust memory.
const maxReadFile = 256 << 20

// MaxBundleFile is the largest zip `bundle show|verify|diff` open: ten times
// what the default caps let a run write.
const MaxBundleFile = 1 << 30

// Bundle is an opened bundle: its manifest, report and Markdown, ready for
// `bundle show`, `bundle diff` and ticket attachments.
type Bundle struct {
	// Path is the bundle's file ("" when read from memory).
	Path string
	// Size and SHA256 are those of the whole zip file.
	Size     int64
	SHA256   string
	Manifest *Manifest
	Report   *Report
	// Markdown is report.md, what a ticket comment shows.
	Markdown []byte

	zr *zip.Reader
	f  *os.File
}

// OpenBundle opens the bundle at path and reads its manifest, report.json
// and report.md. It does not verify the files' hashes (see VerifyBundle).
// Errors say what is wrong: not a zip, cut short, another tool's zip, a
// newer schema. Close the bundle when done.
func OpenBundle(path string) (*Bundle, error) {
	f, st, err := userfile.Open(path)
	if err != nil {
		return nil, fmt.Errorf("report: open bundle: %w", err)
	}
	if err := userfile.CheckSize(path, st, MaxBundleFile); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("report: open bundle: %w", err)
	}
	sum := sha256.New()
	if _, err := io.Copy(sum, f); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("report: open bundle: %w", err)
	}
	b, err := ReadBundle(f, st.Size())
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	b.Path, b.f = path, f
	b.SHA256 = hex.EncodeToString(sum.Sum(nil))
	return b, nil
}

// ReadBundle reads a bundle from r (size bytes). The Bundle's Path and
// SHA256 are empty.
func ReadBundle(r io.ReaderAt, size int64) (*Bundle, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("%w: not a readable zip (corrupt or cut short): %v", ErrNotBundle, err)
	}
	b := &Bundle{Size: size, zr: zr}
	data, err := b.ReadFile(BundleManifest)
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
	b.Manifest = &m
	data, err = b.ReadFile(BundleReportJSON)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotBundle, err)
	}
	if b.Report, err = Decode(data); err != nil {
		return nil, err
	}
	if b.Markdown, err = b.ReadFile(BundleReportMD); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotBundle, err)
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

func (b *Bundle) lookup(name string) *zip.File {
	for _, f := range b.zr.File {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// ReadFile returns the content of one file of the bundle, e.g.
// "raw/facts.json".
func (b *Bundle) ReadFile(name string) ([]byte, error) {
	f := b.lookup(name)
	if f == nil {
		return nil, fmt.Errorf("report: bundle has no %s", name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("report: bundle: open %s: %w", name, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxReadFile+1))
	if err != nil {
		return nil, fmt.Errorf("report: bundle: read %s: %w", name, err)
	}
	if len(data) > maxReadFile {
		return nil, fmt.Errorf("report: bundle: %s is larger than %d bytes", name, maxReadFile)
	}
	return data, nil
}

// Facts returns raw/facts.json decoded (nil when the bundle has none).
func (b *Bundle) Facts() (map[string]any, error) {
	if b.lookup(BundleFacts) == nil {
		return nil, nil
	}
	data, err := b.ReadFile(BundleFacts)
	if err != nil {
		return nil, err
	}
	var m map[string]any
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

// VerifyProblem is one file that does not match the manifest.
type VerifyProblem struct {
	File    string `json:"file"`
	Problem string `json:"problem"`
}

// Verify checks every file against the manifest: present, same size, same
// SHA-256, and nothing in the zip the manifest does not list. It returns
// the problems found (none means the bundle is intact).
func (b *Bundle) Verify() []VerifyProblem {
	var probs []VerifyProblem
	listed := map[string]bool{BundleManifest: true}
	for _, mf := range b.Manifest.Files {
		listed[mf.Name] = true
		f := b.lookup(mf.Name)
		if f == nil {
			probs = append(probs, VerifyProblem{mf.Name, "missing"})
			continue
		}
		n, sum, err := hashZipFile(f)
		switch {
		case err != nil:
			probs = append(probs, VerifyProblem{mf.Name, "unreadable: " + err.Error()})
		case n != mf.Size:
			probs = append(probs, VerifyProblem{mf.Name, fmt.Sprintf("size %d, manifest says %d", n, mf.Size)})
		case sum != mf.SHA256:
			probs = append(probs, VerifyProblem{mf.Name, "SHA-256 differs from the manifest"})
		}
	}
	for _, f := range b.zr.File {
		if !listed[f.Name] {
			probs = append(probs, VerifyProblem{f.Name, "not listed in the manifest"})
		}
	}
	sort.SliceStable(probs, func(i, j int) bool { return probs[i].File < probs[j].File })
	return probs
}

func hashZipFile(f *zip.File) (int64, string, error) {
	rc, err := f.Open()
	if err != nil {
		return 0, "", err
	}
	defer rc.Close()
	h := sha256.New()
	n, err := io.Copy(h, rc)
	if err != nil {
		// archive/zip checks the CRC at the end; a flipped byte in the
		// compressed data surfaces here.
		return n, "", err
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

// rescanBundle reads the written zip back and runs every file through the
// secret rules (and, with redaction, the identity check): anything they
// would still replace blocks the bundle.
func rescanBundle(r io.ReaderAt, size int64, opt BundleOptions, red *Redactor) error {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return fmt.Errorf("report: bundle: re-read for the secret scan: %w", err)
	}
	check := newScrubber(opt.Secrets, nil)
	var guard *identityGuard
	if red != nil {
		guard = red.guard()
	}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return fmt.Errorf("report: bundle: re-read %s: %w", f.Name, err)
		}
		var leak *LeakError
		err = scanLines(rc, func(l []byte, n int) bool {
			check.line(l, &lineState{}, func(class string) {
				if leak == nil {
					leak = &LeakError{File: f.Name, Class: class, Line: n}
				}
			})
			if leak == nil && guard != nil {
				if class, found := guard.find(l); found {
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

// scanLines calls fn for each line (numbered from 1) until fn returns false.
func scanLines(r io.Reader, fn func(line []byte, n int) bool) error {
	sc := newLineScanner(r)
	n := 0
	for sc.Scan() {
		n++
		if !fn(sc.Bytes(), n) {
			return nil
		}
	}
	return sc.Err()
}
