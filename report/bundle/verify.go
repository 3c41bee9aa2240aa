package bundle

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sort"
	"sync"
)

// ErrTampered means the bundle's structure was changed after it was
// written: two files of one name, or a manifest that lists a file twice.
var ErrTampered = errors.New("bundle tampered with")

// TamperError lists what makes a bundle ambiguous; no file of it is read.
type TamperError struct {
	Problems []VerifyProblem
}

func (e *TamperError) add(file, problem string) {
	e.Problems = append(e.Problems, VerifyProblem{File: file, Problem: problem})
}

func (e *TamperError) Error() string {
	msg := fmt.Sprintf("report: bundle tampered with: %s %s", e.Problems[0].File, e.Problems[0].Problem)
	if n := len(e.Problems) - 1; n > 0 {
		msg += fmt.Sprintf(" (and %d more)", n)
	}
	return msg
}

// Unwrap lets errors.Is(err, ErrTampered) match.
func (e *TamperError) Unwrap() error { return ErrTampered }

// VerifyProblem is one file that does not match the manifest.
type VerifyProblem struct {
	File    string `json:"file"`
	Problem string `json:"problem"`
}

// maxVerifyBytes bounds the bytes Verify decompresses in all: more than
// any bundle written with the default caps holds, far less than a zip bomb
// could claim.
const maxVerifyBytes = 2 << 30

// Verify checks the manifest's own digest and every file against the
// manifest: present, same size, same SHA-256, and nothing in the zip the
// manifest does not list. It returns the problems found (none means the
// bundle is intact). Each file of the zip is read at most once, sizes are
// compared before anything is decompressed, and files are hashed in
// parallel.
func (b *Bundle) Verify() []VerifyProblem {
	var probs []VerifyProblem
	if p, ok := b.verifyManifestDigest(); !ok {
		probs = append(probs, p)
	}
	var work []*zip.File
	var budget uint64 = maxVerifyBytes
	want := make(map[string]ManifestFile, len(b.Manifest.Files))
	for _, mf := range b.Manifest.Files {
		want[mf.Name] = mf
		f := b.index[mf.Name]
		switch {
		case f == nil:
			probs = append(probs, VerifyProblem{mf.Name, "missing"})
		case mf.Size < 0 || f.UncompressedSize64 != uint64(mf.Size):
			probs = append(probs, VerifyProblem{mf.Name, fmt.Sprintf("size %d, manifest says %d", f.UncompressedSize64, mf.Size)})
		case f.UncompressedSize64 > budget:
			probs = append(probs, VerifyProblem{mf.Name, fmt.Sprintf("not checked: the bundle holds more than the %d bytes l2diag verifies", uint64(maxVerifyBytes))})
		default:
			budget -= f.UncompressedSize64
			work = append(work, f)
		}
	}
	probs = append(probs, hashAll(work, want)...)
	for _, f := range b.zr.File {
		if _, ok := want[f.Name]; !ok && f.Name != BundleManifest {
			probs = append(probs, VerifyProblem{f.Name, "not listed in the manifest"})
		}
	}
	sort.SliceStable(probs, func(i, j int) bool { return probs[i].File < probs[j].File })
	return probs
}

// hashAll hashes the files on all cores (inflate and SHA-256 are CPU
// bound) and returns those that differ from the manifest.
func hashAll(files []*zip.File, want map[string]ManifestFile) []VerifyProblem {
	var (
		mu    sync.Mutex
		probs []VerifyProblem
		wg    sync.WaitGroup
		next  = make(chan *zip.File)
	)
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 32<<10)
			for f := range next {
				mf := want[f.Name]
				n, sum, err := hashZipFile(f, buf)
				var p string
				switch {
				case err != nil:
					p = "unreadable: " + err.Error()
				case n != mf.Size:
					p = fmt.Sprintf("size %d, manifest says %d", n, mf.Size)
				case sum != mf.SHA256:
					p = "SHA-256 differs from the manifest"
				default:
					continue
				}
				mu.Lock()
				probs = append(probs, VerifyProblem{f.Name, p})
				mu.Unlock()
			}
		}()
	}
	for _, f := range files {
		next <- f
	}
	close(next)
	wg.Wait()
	return probs
}

// hashZipFile inflates and hashes one file through buf (one per worker:
// io.Copy would allocate 32 KiB per file, 1.6 GB for 50,000 small files).
func hashZipFile(f *zip.File, buf []byte) (int64, string, error) {
	rc, err := f.Open()
	if err != nil {
		return 0, "", err
	}
	defer rc.Close()
	h := sha256.New()
	n, err := io.CopyBuffer(h, rc, buf)
	if err != nil {
		// archive/zip checks the CRC at the end; a flipped byte in the
		// compressed data surfaces here.
		return n, "", err
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

// verifyManifestDigest checks manifest_sha256 against the manifest as
// stored.
func (b *Bundle) verifyManifestDigest() (VerifyProblem, bool) {
	if b.Manifest.ManifestSHA256 == "" {
		return VerifyProblem{BundleManifest, "has no manifest_sha256: its own fields (host, times, command line) are not covered by any hash"}, false
	}
	sum, err := ManifestDigest(b.manifestRaw)
	if err != nil {
		return VerifyProblem{BundleManifest, "unreadable: " + err.Error()}, false
	}
	if sum != b.Manifest.ManifestSHA256 {
		return VerifyProblem{BundleManifest, "its own fields (host, times, command line, ...) changed after it was written: manifest_sha256 differs"}, false
	}
	return VerifyProblem{}, true
}

// ManifestDigest returns the SHA-256 (hex) of a manifest's own content:
// the JSON object without its manifest_sha256 key, re-encoded compactly
// with keys sorted (numbers as written, no HTML escaping). Every key counts,
// also ones a future version adds. docs/bundles.md documents the scheme.
func ManifestDigest(manifest []byte) (string, error) {
	dec := json.NewDecoder(bytes.NewReader(manifest))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return "", fmt.Errorf("manifest.json: %w", err)
	}
	delete(m, "manifest_sha256")
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		return "", fmt.Errorf("manifest.json: %w", err)
	}
	sum := sha256.Sum256(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	return hex.EncodeToString(sum[:]), nil
}
