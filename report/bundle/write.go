package bundle

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/l2diag/l2diag/internal/userfile"
	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/report/redact"
	"github.com/l2diag/l2diag/report/render"
)

// Input is what a bundle is made of: the finished report, the raw
// evidence the checks read, the facts discovery published and the run's log.
type Input struct {
	Report    *report.Report
	Artifacts []report.Artifact
	Facts     map[string]any
	Log       []byte
	// CommandLine is the command line of the run, with flag secrets
	// already masked; the scrubber masks what else it recognises.
	CommandLine []string
	EndedAt     time.Time
}

// Options tune how a bundle is written.
type Options struct {
	// Redact replaces identifying data with pseudonyms (see Redactor).
	Redact bool
	// Identity is what identifies this machine and its user; with Redact
	// it seeds the pseudonyms and the re-scan proves none of it survives.
	Identity redact.Identity
	// Secrets are known secret values (tokens, passwords from the
	// environment or the ticket configuration) masked wherever they occur.
	Secrets []string
	// Outgoing, when set, is the run's filter for every output: the bundle
	// uses it (and its secrets and redactor) instead of Redact, Identity
	// and Secrets, so its pseudonyms match what was printed and posted.
	Outgoing *Outgoing
	// FileCap and BundleCap override DefaultFileCap and DefaultBundleCap.
	FileCap, BundleCap int64
}

// Info describes a written bundle.
type Info struct {
	Path   string
	Size   int64
	SHA256 string
	// MapPath is the redaction mapping written beside the bundle (only
	// with Redact). It never goes into the bundle.
	MapPath string
	// Truncated names the files cut to their tail.
	Truncated []string
	// StaleRemoved names temporary files of earlier, killed runs removed
	// from the bundle's folder (see removeStaleTemps).
	StaleRemoved []string
	Manifest     *Manifest
}

// Write writes the bundle to path atomically: into a temporary file
// in the same directory (mode 0600), re-scanned for secrets, then renamed.
// On any error nothing is left at path. Files are streamed into the zip, so
// memory stays far below the bundle's size.
func Write(dst string, in *Input, opt Options) (*Info, error) {
	dir := filepath.Dir(dst)
	stale := removeStaleTemps(dir, time.Now())
	tmp, err := createTemp(dir)
	if err != nil {
		return nil, fmt.Errorf("report: bundle: %w", err)
	}
	tmpName := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			_ = tmp.Close()
			_ = os.Remove(tmpName)
		}
	}()
	if err := tmp.Chmod(0o600); err != nil {
		return nil, fmt.Errorf("report: bundle: %w", err)
	}
	og := opt.Outgoing
	if og == nil {
		og = NewOutgoing(in.Report, OutgoingOptions{Secrets: opt.Secrets, Redact: opt.Redact, Identity: opt.Identity})
	}
	og.mu.Lock()
	defer og.mu.Unlock()
	red, s := og.red, og.s
	opt.Secrets, opt.Redact = og.secrets, red != nil
	sum := sha256.New()
	cw := &countWriter{w: io.MultiWriter(tmp, sum)}
	m, truncated, err := writeBundle(cw, in, opt, s, og.done[in.Report])
	if err != nil {
		return nil, err
	}
	if err := tmp.Sync(); err != nil {
		return nil, fmt.Errorf("report: bundle: %w", err)
	}
	if err := rescanBundle(tmp, cw.n, opt, red); err != nil {
		return nil, err
	}
	if err := tmp.Close(); err != nil {
		return nil, fmt.Errorf("report: bundle: %w", err)
	}
	info := &Info{Path: dst, Size: cw.n, SHA256: hex.EncodeToString(sum.Sum(nil)), Truncated: truncated, Manifest: m, StaleRemoved: stale}
	// Checked again right before the rename: the caller's check ran before
	// the checks did, and a device or pipe may have appeared since.
	if err := userfile.CheckReplaceable(dst); err != nil {
		return nil, fmt.Errorf("report: bundle: %w", err)
	}
	if red != nil {
		info.MapPath = RedactionMapPath(dst)
		if err := userfile.CheckReplaceable(info.MapPath); err != nil {
			return nil, fmt.Errorf("report: bundle: %w", err)
		}
		if err := writeMap(info.MapPath, red); err != nil {
			return nil, err
		}
	}
	if err := os.Rename(tmpName, dst); err != nil {
		return nil, fmt.Errorf("report: bundle: %w", err)
	}
	ok = true
	return info, nil
}

// RedactionMapPath is where the redaction mapping of the bundle at path
// goes: beside it, never inside.
func RedactionMapPath(bundle string) string {
	return strings.TrimSuffix(bundle, ".zip") + ".redaction-map.json"
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// entry is one file being written into the zip; it hashes and counts what
// passes through.
type entry struct {
	w io.Writer
	h hash.Hash
	n int64
}

func (e *entry) Write(p []byte) (int, error) {
	n, err := e.w.Write(p)
	e.h.Write(p[:n])
	e.n += int64(n)
	return n, err
}

type bundleWriter struct {
	zw       *zip.Writer
	modified time.Time
	man      *Manifest
}

func (bw *bundleWriter) begin(name string) (*entry, error) {
	hdr := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: bw.modified}
	hdr.SetMode(0o600)
	w, err := bw.zw.CreateHeader(hdr)
	if err != nil {
		return nil, fmt.Errorf("report: bundle: add %s: %w", name, err)
	}
	return &entry{w: w, h: sha256.New()}, nil
}

func (bw *bundleWriter) end(e *entry, mf ManifestFile) {
	mf.Size = e.n
	mf.SHA256 = hex.EncodeToString(e.h.Sum(nil))
	bw.man.Files = append(bw.man.Files, mf)
}

// file writes one whole file produced by fn.
func (bw *bundleWriter) file(name string, fn func(w io.Writer) error) error {
	e, err := bw.begin(name)
	if err != nil {
		return err
	}
	if err := fn(e); err != nil {
		return fmt.Errorf("report: bundle: write %s: %w", name, err)
	}
	bw.end(e, ManifestFile{Name: name})
	return nil
}

func writeBundle(w io.Writer, in *Input, opt Options, s *redact.Scrubber, filtered bool) (*Manifest, []string, error) {
	fileCap, bundleCap := opt.FileCap, opt.BundleCap
	if fileCap <= 0 {
		fileCap = DefaultFileCap
	}
	if bundleCap <= 0 {
		bundleCap = DefaultBundleCap
	}
	rep := in.Report
	if !filtered {
		var err error
		if rep, err = s.Report(in.Report); err != nil {
			return nil, nil, err
		}
	}
	ended := in.EndedAt
	if ended.IsZero() {
		ended = rep.StartedAt.Add(time.Duration(rep.DurationMS) * time.Millisecond)
	}
	cmdline := make([]string, len(in.CommandLine))
	for i, a := range in.CommandLine {
		cmdline[i] = s.String(a)
	}
	man := &Manifest{
		Format: BundleFormat, BundleVersion: BundleVersion, SchemaVersion: report.SchemaVersion,
		Tool: rep.Tool, Host: rep.Host, StartedAt: rep.StartedAt, EndedAt: ended.UTC(),
		CommandLine: cmdline, Redacted: s.Redactor() != nil,
		Caps:  ManifestCaps{FileBytes: fileCap, BundleBytes: bundleCap},
		Files: []ManifestFile{},
	}
	bw := &bundleWriter{zw: zip.NewWriter(w), modified: ended, man: man}
	if err := bw.file(BundleReportJSON, func(w io.Writer) error { return render.JSON(w, rep) }); err != nil {
		return nil, nil, err
	}
	if err := bw.file(BundleReportMD, func(w io.Writer) error { return render.Markdown(w, rep, render.Options{}) }); err != nil {
		return nil, nil, err
	}
	if err := bw.file(BundleReportHTML, func(w io.Writer) error { return render.HTML(w, rep, render.Options{}) }); err != nil {
		return nil, nil, err
	}
	if err := bw.file(BundleFacts, func(w io.Writer) error { return writeFacts(w, in.Facts, s) }); err != nil {
		return nil, nil, err
	}

	budget := bundleCap
	var truncated []string
	// The log goes first among the capped files: it explains the run.
	capped := make([]report.Artifact, 0, len(in.Artifacts)+1)
	capped = append(capped, report.Artifact{Name: BundleLog, Data: in.Log})
	used := map[string]bool{BundleReportJSON: true, BundleReportMD: true, BundleReportHTML: true, BundleManifest: true, BundleFacts: true, BundleLog: true}
	for _, a := range in.Artifacts {
		a.Name = uniqueName(used, "raw/"+cleanRawName(s.String(a.Name)))
		capped = append(capped, a)
	}
	for _, a := range capped {
		if s.Redactor() != nil && redact.SerialName(path.Base(a.Name)) && len(bytes.TrimSpace(a.Data)) > 0 {
			// A file that is a serial number (DMI product_serial) is
			// replaced whole.
			a.Data = []byte(s.Redactor().Pseudonym(redact.ClassSerial, string(bytes.TrimSpace(a.Data))) + "\n")
		}
		limit := min(fileCap, budget)
		keep, cut := tailCut(a.Data, limit)
		e, err := bw.begin(a.Name)
		if err != nil {
			return nil, nil, err
		}
		if cut {
			fmt.Fprintf(e, "[l2diag: cut: the first %d of %d bytes were dropped to keep the bundle within its caps (%d bytes per file, %d per bundle); the tail follows]\n",
				len(a.Data)-len(keep), len(a.Data), fileCap, bundleCap)
			truncated = append(truncated, a.Name)
		}
		if err := s.Write(e, keep, nil); err != nil {
			return nil, nil, fmt.Errorf("report: bundle: write %s: %w", a.Name, err)
		}
		budget -= int64(len(keep))
		mf := ManifestFile{Name: a.Name, Source: s.String(a.Source), Command: s.String(a.Command), ExitCode: a.ExitCode}
		if cut {
			mf.Truncated, mf.OriginalSize = true, int64(len(a.Data))
		}
		bw.end(e, mf)
	}

	mw, err := bw.zw.CreateHeader(&zip.FileHeader{Name: BundleManifest, Method: zip.Deflate, Modified: ended})
	if err != nil {
		return nil, nil, fmt.Errorf("report: bundle: add manifest: %w", err)
	}
	if err := man.seal(); err != nil {
		return nil, nil, fmt.Errorf("report: bundle: seal manifest: %w", err)
	}
	enc := json.NewEncoder(mw)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(man); err != nil {
		return nil, nil, fmt.Errorf("report: bundle: write manifest: %w", err)
	}
	if err := bw.zw.Close(); err != nil {
		return nil, nil, fmt.Errorf("report: bundle: %w", err)
	}
	return man, truncated, nil
}

// tailCut keeps at most limit bytes of data, from its end, starting at a
// line boundary when one is near.
func tailCut(data []byte, limit int64) ([]byte, bool) {
	if int64(len(data)) <= limit {
		return data, false
	}
	if limit <= 0 {
		return nil, true
	}
	keep := data[int64(len(data))-limit:]
	if i := bytes.IndexByte(keep, '\n'); i >= 0 && i < 4096 && i+1 < len(keep) {
		keep = keep[i+1:]
	}
	return keep, true
}

// cleanRawName turns an artifact name into a safe relative zip path.
func cleanRawName(name string) string {
	name = strings.ReplaceAll(name, `\`, "/")
	name = path.Clean("/" + name)
	name = strings.TrimLeft(name, "/")
	if name == "" || name == "." {
		name = "unnamed"
	}
	return name
}

func uniqueName(used map[string]bool, name string) string {
	n := name
	for i := 2; used[n]; i++ {
		ext := path.Ext(name)
		n = fmt.Sprintf("%s-%d%s", strings.TrimSuffix(name, ext), i, ext)
	}
	used[n] = true
	return n
}

// writeFacts writes the facts as one indented JSON object, keys sorted,
// each fact marshalled, scrubbed and written on its own, so only one fact
// is in memory as text at a time. A fact that does not marshal is kept as
// its printed form.
func writeFacts(w io.Writer, facts map[string]any, s *redact.Scrubber) error {
	keys := make([]string, 0, len(facts))
	for k := range facts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) == 0 {
		_, err := io.WriteString(w, "{}\n")
		return err
	}
	var raw, scrubbed, out bytes.Buffer
	for i, k := range keys {
		data, err := json.Marshal(facts[k])
		if err != nil {
			data, _ = json.Marshal(fmt.Sprint(facts[k]))
		}
		raw.Reset()
		raw.Write(data)
		scrubbed.Reset()
		if err := s.JSON(&scrubbed, raw.Bytes(), k); err != nil {
			return fmt.Errorf("fact %s: %w", k, err)
		}
		out.Reset()
		if i == 0 {
			out.WriteString("{\n")
		}
		out.WriteString("  ")
		s.WriteJSONString(&out, s.String(k))
		out.WriteString(": ")
		if err := json.Indent(&out, scrubbed.Bytes(), "  ", "  "); err != nil {
			return fmt.Errorf("fact %s: %w", k, err)
		}
		if i < len(keys)-1 {
			out.WriteString(",\n")
		} else {
			out.WriteString("\n}\n")
		}
		if _, err := w.Write(out.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

// writeMap writes red's pseudonym mapping to path (mode 0600), atomically.
func writeMap(path string, red *redact.Redactor) error {
	data, err := red.MapJSON()
	if err != nil {
		return err
	}
	tmp, err := createTemp(filepath.Dir(path))
	if err != nil {
		return fmt.Errorf("report: redaction map: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("report: redaction map: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("report: redaction map: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("report: redaction map: %w", err)
	}
	return nil
}

func createTemp(dir string) (*os.File, error) { return os.CreateTemp(dir, tempPattern) }
