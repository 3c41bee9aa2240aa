package ticketclient

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Outbox keeps deliveries that failed, with their files, until `l2diag
// ticket outbox flush` delivers them. An entry is a folder holding
// entry.json and copies (or hard links) of the files; it is removed only
// after the server confirmed every step.
type Outbox struct {
	Dir string
}

// OutboxDir is L2DIAG_OUTBOX, the config's outbox, or
// <user cache dir>/l2diag/outbox.
func OutboxDir(env Env, cfg *Config) (string, error) {
	if d := env("L2DIAG_OUTBOX"); d != "" {
		return d, nil
	}
	if cfg != nil && cfg.Outbox != "" {
		return expandHome(cfg.Outbox), nil
	}
	c, err := os.UserCacheDir()
	if err != nil {
		return "", Errorf(KindConfig, "outbox", "locate", "set L2DIAG_OUTBOX to a folder", "%v", err)
	}
	return filepath.Join(c, "l2diag", "outbox"), nil
}

// Entry is one queued delivery.
type Entry struct {
	ID        string      `json:"id"`
	Created   time.Time   `json:"created"`
	Delivery  Delivery    `json:"delivery"`
	Files     []EntryFile `json:"files"`
	Attempts  int         `json:"attempts"`
	LastError string      `json:"last_error,omitempty"`
	dir       string
}

// EntryFile is a queued file.
type EntryFile struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256,omitempty"`
	// Origin is where the file was when queued.
	Origin string `json:"origin"`
}

// Path is the entry's folder.
func (e *Entry) Path() string { return e.dir }

// Add queues a delivery: the files are hard-linked (or copied) into a new
// entry folder, written under a temporary name and renamed, so a crash
// never leaves half an entry.
func (o *Outbox) Add(dl *Delivery, lastErr error) (*Entry, error) {
	if err := os.MkdirAll(o.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	id := fmt.Sprintf("%s-%s-%s", time.Now().UTC().Format("20060102T150405Z"), dl.System, safeName(dl.Key))
	tmp, err := os.MkdirTemp(o.Dir, ".new-")
	if err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	e := &Entry{ID: id, Created: time.Now().UTC(), Delivery: *dl, Attempts: 1}
	e.Delivery.Files = nil
	if lastErr != nil {
		e.LastError = lastErr.Error()
	}
	for _, f := range dl.Files {
		sum, _ := f.SHA256()
		if err := linkOrCopy(f.Path, filepath.Join(tmp, f.Name)); err != nil {
			os.RemoveAll(tmp)
			return nil, fmt.Errorf("outbox: keep %s: %w", f.Path, err)
		}
		e.Files = append(e.Files, EntryFile{Name: f.Name, Size: f.Size, SHA256: sum, Origin: f.Path})
	}
	if err := writeJSON(filepath.Join(tmp, "entry.json"), e); err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	final := filepath.Join(o.Dir, id)
	for i := 2; ; i++ {
		if _, err := os.Stat(final); errors.Is(err, os.ErrNotExist) {
			break
		}
		final = filepath.Join(o.Dir, fmt.Sprintf("%s-%d", id, i))
	}
	if err := os.Rename(tmp, final); err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("outbox: %w", err)
	}
	e.ID, e.dir = filepath.Base(final), final
	return e, nil
}

// List returns the entries, oldest first.
func (o *Outbox) List() ([]*Entry, error) {
	ents, err := os.ReadDir(o.Dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	var out []*Entry
	for _, d := range ents {
		if !d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			continue
		}
		e, err := readEntry(filepath.Join(o.Dir, d.Name()))
		if err != nil {
			continue
		}
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Created.Before(out[j].Created) })
	return out, nil
}

// readEntry reads an entry folder's entry.json.
func readEntry(dir string) (*Entry, error) {
	data, err := os.ReadFile(filepath.Join(dir, "entry.json"))
	if err != nil {
		return nil, err
	}
	var e Entry
	if err := json.Unmarshal(data, &e); err != nil {
		return nil, err
	}
	e.ID, e.dir = filepath.Base(dir), dir
	return &e, nil
}

// DeliveryFiles rebuilds the delivery from the entry's files. CheckExisting is
// set: the answer to an earlier attempt may have been lost.
func (e *Entry) DeliveryFiles() (*Delivery, error) {
	dl := e.Delivery
	dl.CheckExisting = true
	for _, ef := range e.Files {
		f, err := OpenFile(filepath.Join(e.dir, ef.Name))
		if err != nil {
			return nil, fmt.Errorf("outbox entry %s: %w", e.ID, err)
		}
		if f.Size != ef.Size {
			return nil, fmt.Errorf("outbox entry %s: %s has %d bytes, queued with %d", e.ID, ef.Name, f.Size, ef.Size)
		}
		f.SetSHA256(ef.SHA256)
		dl.Files = append(dl.Files, f)
	}
	return &dl, nil
}

// Save records progress (attached files, note posted, the last error).
func (o *Outbox) Save(e *Entry) error {
	return writeJSON(filepath.Join(e.dir, "entry.json"), e)
}

// Remove deletes a delivered entry.
func (o *Outbox) Remove(e *Entry) error {
	if e.dir == "" || filepath.Dir(e.dir) != filepath.Clean(o.Dir) {
		return fmt.Errorf("outbox: refusing to remove %q", e.dir)
	}
	err := os.RemoveAll(e.dir)
	if err == nil {
		return nil
	}
	// An entry is flat (its files and entry.json): remove them one by one
	// where RemoveAll's directory-relative deletes are refused (wine 8
	// answers "Invalid function" to Go's POSIX-semantics unlink).
	if ents, rerr := os.ReadDir(e.dir); rerr == nil {
		for _, d := range ents {
			_ = os.Remove(filepath.Join(e.dir, d.Name()))
		}
		if os.Remove(e.dir) == nil {
			return nil
		}
	}
	return err
}

func writeJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	return nil
}

func linkOrCopy(src, dst string) error {
	if err := os.Link(src, dst); err == nil {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, s)
}
