package bundle

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/report/internal/sample"
)

func sampleInput() *Input {
	return &Input{
		Report: sample.Report(),
		Artifacts: []report.Artifact{
			{Name: "dns/resolv.conf", Source: "/etc/resolv.conf", Data: []byte("nameserver 10.20.0.53\nsearch corp.example.com\n")},
			{Name: "net/ip-route", Command: "ip route show", ExitCode: sample.ExitCode(0), Data: []byte("default via 10.20.30.1 dev eth0\n")},
		},
		Facts:       map[string]any{"dns_servers": []string{"10.20.0.53:53"}, "proxy": ""},
		Log:         []byte("time=... level=INFO msg=\"run starting\"\n"),
		CommandLine: []string{"l2diag", "run", "--only", "dns"},
	}
}

func writeSample(t *testing.T, in *Input, opt Options) (string, *Info) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "b.zip")
	info, err := Write(path, in, opt)
	if err != nil {
		t.Fatalf("WriteBundle: %v", err)
	}
	return path, info
}

func TestWriteBundleContentsAndManifest(t *testing.T) {
	path, info := writeSample(t, sampleInput(), Options{})
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Mode().Perm(); got != 0o600 {
		t.Errorf("mode = %o, want 600", got)
	}
	if st.Size() != info.Size {
		t.Errorf("info.Size = %d, file is %d", info.Size, st.Size())
	}
	b, err := Open(path)
	if err != nil {
		t.Fatalf("OpenBundle: %v", err)
	}
	defer b.Close()
	if b.SHA256 != info.SHA256 {
		t.Errorf("sha256: open %s, write %s", b.SHA256, info.SHA256)
	}
	want := []string{"report.json", "report.md", "report.html", "raw/facts.json", "l2diag.log", "raw/dns/resolv.conf", "raw/net/ip-route", "manifest.json"}
	if got := b.Files(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("files = %v, want %v", got, want)
	}
	if probs := b.Verify(); len(probs) != 0 {
		t.Errorf("Verify of a fresh bundle = %v, want none", probs)
	}
	if b.Report.Host.Hostname != "ws042.corp.example.com" || len(b.Report.Results) != 6 {
		t.Errorf("report read back: host %q, %d results", b.Report.Host.Hostname, len(b.Report.Results))
	}
	if md, err := b.ReadFile(BundleReportMD); err != nil || !bytes.Contains(md, []byte("## l2diag report")) {
		t.Errorf("report.md does not look like the markdown report (%v):\n%s", err, md)
	}
	route, ok := b.Manifest.File("raw/net/ip-route")
	if !ok || route.Command != "ip route show" || route.ExitCode == nil || *route.ExitCode != 0 {
		t.Errorf("manifest entry of the command = %+v, want command and exit code", route)
	}
	if rc, _ := b.Manifest.File("raw/dns/resolv.conf"); rc.Source != "/etc/resolv.conf" {
		t.Errorf("manifest source = %q", rc.Source)
	}
	if b.Manifest.Format != BundleFormat || b.Manifest.SchemaVersion != report.SchemaVersion || strings.Join(b.Manifest.CommandLine, " ") != "l2diag run --only dns" {
		t.Errorf("manifest header = %+v", b.Manifest)
	}
}

// rewriteZip copies the bundle at path, letting edit change each file's
// content (return nil to drop it), and adds extra files.
func rewriteZip(t *testing.T, path string, edit func(name string, data []byte) []byte, extra map[string]string) string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		if data = edit(f.Name, data); data == nil {
			continue
		}
		w, _ := zw.Create(f.Name)
		w.Write(data)
	}
	for n, c := range extra {
		w, _ := zw.Create(n)
		io.WriteString(w, c)
	}
	zw.Close()
	out := filepath.Join(t.TempDir(), "edited.zip")
	if err := os.WriteFile(out, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestVerifyDetectsChanges(t *testing.T) {
	path, _ := writeSample(t, sampleInput(), Options{})
	keep := func(string, []byte) []byte { return nil }
	_ = keep
	tests := []struct {
		name  string
		edit  func(string, []byte) []byte
		extra map[string]string
		want  string
	}{
		{"flipped byte in raw file", func(n string, d []byte) []byte {
			if n == "raw/dns/resolv.conf" {
				d[3] ^= 0x01
			}
			return d
		}, nil, "raw/dns/resolv.conf: SHA-256 differs"},
		{"missing file", func(n string, d []byte) []byte {
			if n == "report.html" {
				return nil
			}
			return d
		}, nil, "report.html: missing"},
		{"appended line", func(n string, d []byte) []byte {
			if n == "l2diag.log" {
				return append(d, "added\n"...)
			}
			return d
		}, nil, "l2diag.log: size"},
		{"unlisted file", func(_ string, d []byte) []byte { return d }, map[string]string{"raw/extra.txt": "x"}, "raw/extra.txt: not listed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Open(rewriteZip(t, path, tc.edit, tc.extra))
			if err != nil {
				t.Fatalf("OpenBundle: %v", err)
			}
			defer b.Close()
			var got []string
			for _, p := range b.Verify() {
				got = append(got, p.File+": "+p.Problem)
			}
			if len(got) != 1 || !strings.HasPrefix(got[0], tc.want) {
				t.Errorf("Verify = %q, want one problem starting %q", got, tc.want)
			}
		})
	}
}

func TestVerifyFlippedByteInZip(t *testing.T) {
	path, _ := writeSample(t, sampleInput(), Options{})
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Flip a byte inside report.json's compressed data (it starts right
	// after the first local header); the CRC or the hash must catch it.
	b0, _ := Read(bytes.NewReader(data), int64(len(data)))
	f := b0.zr.File[0]
	off, err := f.DataOffset()
	if err != nil {
		t.Fatal(err)
	}
	data[off+int64(f.CompressedSize64/2)] ^= 0xff
	b, err := Read(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		// Damage in report.json itself may already fail to decode.
		if !strings.Contains(err.Error(), "report") {
			t.Fatalf("ReadBundle: %v", err)
		}
		return
	}
	probs := b.Verify()
	if len(probs) == 0 || probs[0].File != "report.json" {
		t.Errorf("Verify = %v, want report.json reported", probs)
	}
}

func TestOpenBundleBadInput(t *testing.T) {
	dir := t.TempDir()
	good, _ := writeSample(t, sampleInput(), Options{})
	goodData, _ := os.ReadFile(good)
	foreign := filepath.Join(dir, "foreign.zip")
	{
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.Create("hello.txt")
		io.WriteString(w, "hi")
		zw.Close()
		os.WriteFile(foreign, buf.Bytes(), 0o600)
	}
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, data, 0o600)
		return p
	}
	newer := rewriteZip(t, good, func(n string, d []byte) []byte {
		if n == "report.json" {
			return bytes.Replace(d, []byte(`"schema_version": 1`), []byte(`"schema_version": 99`), 1)
		}
		return d
	}, nil)
	otherFormat := rewriteZip(t, good, func(n string, d []byte) []byte {
		if n == "manifest.json" {
			return bytes.Replace(d, []byte(BundleFormat), []byte("sosreport"), 1)
		}
		return d
	}, nil)
	tests := []struct {
		name, path, want string
		notBundle        bool
	}{
		{"missing file", filepath.Join(dir, "nope.zip"), "does not exist", false},
		{"directory", dir, "is a directory", false},
		{"empty file", write("empty.zip", nil), "not a readable zip", true},
		{"text file", write("text.zip", []byte("hello, this is not a zip\n")), "not a readable zip", true},
		{"truncated", write("trunc.zip", goodData[:len(goodData)/2]), "not a readable zip", true},
		{"foreign zip", foreign, "bundle has no manifest.json", true},
		{"other format", otherFormat, `format is "sosreport"`, true},
		{"newer schema", newer, "schema_version 99 is newer", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Open(tc.path)
			if err == nil {
				b.Close()
				t.Fatalf("OpenBundle(%s) = nil error, want %q", tc.name, tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %q, want it to contain %q", err, tc.want)
			}
			if got := errors.Is(err, ErrNotBundle); got != tc.notBundle {
				t.Errorf("errors.Is(err, ErrNotBundle) = %v, want %v", got, tc.notBundle)
			}
		})
	}
}

func TestTailCut(t *testing.T) {
	var big bytes.Buffer
	for i := 0; i < 2000; i++ {
		big.WriteString(strings.Repeat("x", 99) + "\n")
	}
	in := sampleInput()
	in.Artifacts = append(in.Artifacts, report.Artifact{Name: "big.log", Data: big.Bytes()})
	path, info := writeSample(t, in, Options{FileCap: 10000, BundleCap: 1 << 20})
	if len(info.Truncated) != 1 || info.Truncated[0] != "raw/big.log" {
		t.Errorf("Truncated = %v, want [raw/big.log]", info.Truncated)
	}
	b, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	data, _ := b.ReadFile("raw/big.log")
	first, rest, _ := bytes.Cut(data, []byte("\n"))
	if !bytes.HasPrefix(first, []byte("[l2diag: cut: the first")) {
		t.Errorf("first line = %q, want the cut marker", first)
	}
	if len(rest) > 10000 || len(rest) < 9000 || !bytes.HasSuffix(rest, []byte("x\n")) {
		t.Errorf("kept %d bytes, want the last ≤10000 bytes from a line start", len(rest))
	}
	mf, _ := b.Manifest.File("raw/big.log")
	if !mf.Truncated || mf.OriginalSize != int64(big.Len()) {
		t.Errorf("manifest = %+v, want truncated with original size %d", mf, big.Len())
	}
	if probs := b.Verify(); len(probs) != 0 {
		t.Errorf("Verify = %v", probs)
	}
}

func TestWriteBundleBadDestination(t *testing.T) {
	dir := t.TempDir()
	if _, err := Write(filepath.Join(dir, "missing", "b.zip"), sampleInput(), Options{}); err == nil {
		t.Error("WriteBundle into a missing directory succeeded")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
}
