package bundle

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// zipEntry is one file of a hand-built zip.
type zipEntry struct {
	name string
	data []byte
}

// bundleEntries returns the files of the bundle at path, in zip order.
func bundleEntries(t *testing.T, path string) []zipEntry {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var out []zipEntry
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, zipEntry{f.Name, data})
	}
	return out
}

// buildZip writes the entries, duplicates included, to a new file.
func buildZip(t *testing.T, entries []zipEntry) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "crafted.zip")
	if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// editManifest decodes manifest.json among entries, lets edit change it
// and encodes it back in place.
func editManifest(t *testing.T, entries []zipEntry, edit func(m map[string]any)) []zipEntry {
	t.Helper()
	out := append([]zipEntry(nil), entries...)
	for i, e := range out {
		if e.name != BundleManifest {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal(e.data, &m); err != nil {
			t.Fatal(err)
		}
		edit(m)
		data, err := json.MarshalIndent(m, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		out[i].data = data
	}
	return out
}

// TestTamperedBundles: a zip with two files of one name (the reader took
// the first, unzip the last), a manifest listing a file twice (each listing
// hashed again: a 1.1 MB zip cost a day) or edited in its own fields is
// caught.
func TestTamperedBundles(t *testing.T) {
	path, _ := writeSample(t, sampleInput(), Options{})
	orig := bundleEntries(t, path)
	forged := func(name string, data []byte) []zipEntry {
		return append(append([]zipEntry(nil), orig...), zipEntry{name, data})
	}
	big := make([]byte, 1<<20)
	tests := []struct {
		name    string
		entries []zipEntry
		tamper  bool   // Read refuses it
		want    string // "file: problem" prefix, from the refusal or Verify
	}{
		{name: "second report.json", entries: forged(BundleReportJSON, []byte(`{"schema_version":1,"status":"ok","results":[]}`)),
			tamper: true, want: "report.json: is in the zip more than once"},
		{name: "second manifest.json", entries: forged(BundleManifest, []byte(`{"format":"l2diag-bundle","bundle_version":1,"files":[]}`)),
			tamper: true, want: "manifest.json: is in the zip more than once"},
		{name: "entry listed 10000 times", entries: editManifest(t, append(orig, zipEntry{"raw/big.bin", big}), func(m map[string]any) {
			files := m["files"].([]any)
			sum := sha256Hex(big)
			for range 10000 {
				files = append(files, map[string]any{"name": "raw/big.bin", "size": len(big), "sha256": sum})
			}
			m["files"] = files
		}), tamper: true, want: "manifest.json: lists raw/big.bin more than once"},
		{name: "host edited", entries: editManifest(t, orig, func(m map[string]any) {
			m["host"].(map[string]any)["hostname"] = "someone-else"
		}), want: "manifest.json: its own fields"},
		{name: "command line edited", entries: editManifest(t, orig, func(m map[string]any) {
			m["command_line"] = []any{"l2diag", "run", "--only", "perm"}
		}), want: "manifest.json: its own fields"},
		{name: "digest removed", entries: editManifest(t, orig, func(m map[string]any) {
			delete(m, "manifest_sha256")
		}), want: "manifest.json: has no manifest_sha256"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Open(buildZip(t, tc.entries))
			var got []string
			var te *TamperError
			switch {
			case errors.As(err, &te):
				for _, p := range te.Problems {
					got = append(got, p.File+": "+p.Problem)
				}
				if !errors.Is(err, ErrTampered) {
					t.Errorf("errors.Is(%v, ErrTampered) = false", err)
				}
			case err != nil:
				t.Fatalf("OpenBundle: %v", err)
			default:
				defer b.Close()
				for _, p := range b.Verify() {
					got = append(got, p.File+": "+p.Problem)
				}
			}
			if (te != nil) != tc.tamper {
				t.Errorf("refused as tampered = %v, want %v", te != nil, tc.tamper)
			}
			if len(got) == 0 || !strings.HasPrefix(got[0], tc.want) {
				t.Errorf("problems = %q, want the first starting %q", got, tc.want)
			}
		})
	}
}

// TestFreshManifestDigest: a bundle as written verifies, and its digest is
// the documented one (recomputable from manifest.json alone).
func TestFreshManifestDigest(t *testing.T) {
	path, _ := writeSample(t, sampleInput(), Options{})
	for _, e := range bundleEntries(t, path) {
		if e.name != BundleManifest {
			continue
		}
		var m Manifest
		if err := json.Unmarshal(e.data, &m); err != nil {
			t.Fatal(err)
		}
		got, err := ManifestDigest(e.data)
		if err != nil || m.ManifestSHA256 == "" || got != m.ManifestSHA256 {
			t.Fatalf("manifest_sha256 %q, recomputed %q (%v)", m.ManifestSHA256, got, err)
		}
	}
}

// TestBombReportRefused: a report.json whose header says it inflates
// beyond the reader's cap (a 1000:1 deflate bomb fits a 128 MiB report in a
// 130 KB zip) is refused from that header, before it is read into memory.
func TestBombReportRefused(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range bundleEntries(t, writeSampleOnce(t)) {
		if e.name != BundleReportJSON {
			w, _ := zw.Create(e.name)
			w.Write(e.data)
			continue
		}
		w, err := zw.CreateRaw(&zip.FileHeader{Name: e.name, Method: zip.Store,
			CompressedSize64: uint64(len(e.data)), UncompressedSize64: maxReportFile + 1})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(e.data)
	}
	zw.Close()
	_, err := Read(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err == nil || !strings.Contains(err.Error(), "report.json is larger than 128 MiB") {
		t.Fatalf("ReadBundle = %v, want report.json refused as larger than 128 MiB", err)
	}
}

func writeSampleOnce(t *testing.T) string {
	p, _ := writeSample(t, sampleInput(), Options{})
	return p
}

func sha256Hex(b []byte) string { return fmt.Sprintf("%x", sha256.Sum256(b)) }
