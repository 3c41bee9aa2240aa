package kb

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/l2diag/l2diag/internal/userfile"
)

// EnvPaths is the environment variable naming knowledge-base folders
// (separated like PATH: ":" on Unix, ";" on Windows). It adds to the
// profile's kb.paths.
const EnvPaths = "L2DIAG_KB"

// LoadTimeout bounds reading the knowledge base during a run. A KB on a
// file share that hangs (a VPN that just dropped) must not hold the verdict
// back: after this the run goes on without known fixes and says so.
const LoadTimeout = 5 * time.Second

// maxEntries bounds how many files one load reads: a path pointing at a
// home directory by mistake must not make every run crawl it.
const maxEntries = 5000

// Problem is an entry (or folder) that could not be used. At run time it is
// reported and skipped; `kb check` fails on it.
type Problem struct {
	// Source is the file or folder, Msg says what is wrong and how to fix it.
	Source string
	Msg    string
	// Warning problems do not stop the entry from matching (kb check
	// still reports them, and fails on them with --strict).
	Warning bool
}

func (p Problem) String() string {
	if p.Msg == "" {
		return p.Source
	}
	if strings.HasPrefix(p.Msg, p.Source+":") {
		return p.Msg
	}
	return p.Source + ": " + p.Msg
}

// Base is a loaded knowledge base: the usable entries in a stable order
// (paths in the order configured, files in lexical order) and the problems.
type Base struct {
	Paths    []string
	Entries  []*Entry
	Problems []Problem
}

// Paths joins the configured folders: the profile's first, then those of
// L2DIAG_KB (value as read from the environment), without duplicates.
// Relative profile paths are relative to the profile file's folder (a KB
// shipped beside the profile), so baseDir is that folder ("" for none).
func Paths(profilePaths []string, baseDir, env string) []string {
	var out []string
	add := func(p string) {
		p = strings.TrimSpace(p)
		if p == "" || slices.Contains(out, p) {
			return
		}
		out = append(out, p)
	}
	for _, p := range profilePaths {
		if baseDir != "" && !filepath.IsAbs(p) {
			p = filepath.Join(baseDir, p)
		}
		add(p)
	}
	for _, p := range filepath.SplitList(env) {
		add(p)
	}
	return out
}

// Load reads every entry below paths (each a folder or one .md file),
// within ctx's deadline. It never fails: unreadable folders and malformed
// entries become Problems, and a load cut by the deadline keeps what it
// read and says so.
func Load(ctx context.Context, paths []string) *Base {
	return loadBounded(ctx, paths, readEntryFile)
}

// loadBounded is Load with the file reader given, so tests can play a share
// that stops answering.
func loadBounded(ctx context.Context, paths []string, read func(string) ([]byte, error)) *Base {
	b := &Base{Paths: paths}
	done := make(chan struct{})
	var got *Base
	go func() {
		// A hung share blocks in the kernel; the goroutine is abandoned
		// with it and the run goes on.
		got = load(ctx, paths, read)
		close(done)
	}()
	select {
	case <-done:
		return got
	case <-ctx.Done():
		b.Problems = append(b.Problems, Problem{Source: strings.Join(paths, string(filepath.ListSeparator)),
			Msg: "reading the knowledge base took too long (a share not answering?); no known fixes this time"})
		return b
	}
}

func load(ctx context.Context, paths []string, read func(string) ([]byte, error)) *Base {
	b := &Base{Paths: paths}
	seen := map[string]string{} // ID -> source
	n := 0
	for _, root := range paths {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if err != nil {
				b.Problems = append(b.Problems, Problem{Source: path, Msg: "cannot read: " + unwrap(err).Error()})
				if d != nil && d.IsDir() && path != root {
					return fs.SkipDir
				}
				return nil
			}
			name := d.Name()
			if d.IsDir() {
				if path != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
					return fs.SkipDir // .git, _templates
				}
				return nil
			}
			if !isEntryFile(name) && path != root {
				return nil
			}
			if n++; n > maxEntries {
				b.Problems = append(b.Problems, Problem{Source: root, Msg: fmt.Sprintf("more than %d files; the rest are ignored (point kb.paths at the KB folder itself)", maxEntries)})
				return fs.SkipAll
			}
			data, err := read(path)
			if err != nil {
				msg := "cannot read: " + unwrap(err).Error()
				var ue *userfile.Error
				if errors.As(err, &ue) {
					msg = ue.What
				}
				b.Problems = append(b.Problems, Problem{Source: path, Msg: msg})
				return nil
			}
			e, err := Parse(data, path)
			if err != nil {
				b.Problems = append(b.Problems, Problem{Source: path, Msg: err.Error()})
				return nil
			}
			if first, dup := seen[e.ID]; dup {
				b.Problems = append(b.Problems, Problem{Source: path,
					Msg: fmt.Sprintf("id %s is already used by %s; this entry is ignored (give it its own ID)", e.ID, first)})
				return nil
			}
			seen[e.ID] = path
			b.Entries = append(b.Entries, e)
			return nil
		})
		if err != nil && ctx.Err() == nil {
			b.Problems = append(b.Problems, Problem{Source: root, Msg: "cannot read: " + unwrap(err).Error()})
		}
	}
	return b
}

// readEntryFile reads one entry: a regular file under the size cap (a FIFO
// or device dropped into the share is refused, not waited on).
func readEntryFile(path string) ([]byte, error) { return userfile.Read(path, maxEntrySize) }

// isEntryFile says which files are entries: Markdown, but not the folder's
// README or index, nor files starting with . or _ (templates, drafts kept
// aside).
func isEntryFile(name string) bool {
	lower := strings.ToLower(name)
	if !strings.HasSuffix(lower, ".md") || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
		return false
	}
	return lower != "readme.md" && lower != "index.md"
}

func unwrap(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Lookup returns the entry with id (case-insensitive).
func (b *Base) Lookup(id string) (*Entry, bool) {
	for _, e := range b.Entries {
		if strings.EqualFold(e.ID, id) {
			return e, true
		}
	}
	return nil, false
}
