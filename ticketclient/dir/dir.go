// Package dir delivers bundles into a folder, typically a mounted share, for
// teams without API access. It is used only when chosen (--ticket-system
// dir, system: dir) or configured (dir.path, L2DIAG_TICKET_DIR): a copy
// into a local folder must never pass for a delivery to a ticket system.
package dir

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/l2diag/l2diag/ticketclient"
)

// Name is the registry name.
const Name = "dir"

// Client writes into Root/<KEY>/.
type Client struct {
	Root string
	now  func() time.Time
	keys []ticketclient.KeySyntax
}

// Config is the dir: section of the config file.
type Config struct {
	Path string `yaml:"path"`
}

// LoadConfig decodes the dir: section and applies L2DIAG_TICKET_DIR.
func LoadConfig(src *ticketclient.SectionSource) (any, error) {
	c := &Config{}
	if err := src.Decode(c); err != nil {
		return nil, err
	}
	src.Getenv(&c.Path, "L2DIAG_TICKET_DIR")
	return c, nil
}

// section is the config's section of this system (empty when none).
func section(cfg *ticketclient.Config) *Config { return ticketclient.SectionOf[Config](cfg, Name) }

var _ ticketclient.Client = (*Client)(nil)

// DefaultRoot is ~/l2diag-tickets, used when dir.path and
// L2DIAG_TICKET_DIR are unset.
func DefaultRoot() (string, error) {
	h, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(h, "l2diag-tickets"), nil
}

// New builds the client from dir.path (or the default).
func New(o *ticketclient.Options) (ticketclient.Client, error) {
	root := section(o.Config).Path
	if root == "" {
		var err error
		if root, err = DefaultRoot(); err != nil {
			return nil, ticketclient.Errorf(ticketclient.KindConfig, Name, "config", "set L2DIAG_TICKET_DIR or dir.path", "%v", err)
		}
	}
	return &Client{Root: root, now: time.Now, keys: o.KeySyntaxes}, nil
}

// Name is the registry name.
func (c *Client) Name() string { return Name }

// Endpoint is the folder.
func (c *Client) Endpoint() string { return c.Root }

// NormalizeKey accepts a key of any registered system (Options.KeySyntaxes):
// the folder is named after a ticket of the team's real system.
func (c *Client) NormalizeKey(key string) (string, error) {
	var forms []string
	for _, ks := range c.keys {
		if k, err := ks.Parse(key); err == nil {
			return k, nil
		}
		forms = append(forms, ks.Form)
	}
	return "", ticketclient.Errorf(ticketclient.KindConfig, Name, "ticket key",
		"use "+strings.Join(forms, ", or "), "%q is no ticket key of %s", key, strings.Join(c.systems(), " or "))
}

func (c *Client) systems() []string {
	var out []string
	for _, ks := range c.keys {
		out = append(out, ks.System)
	}
	return out
}

func (c *Client) unavailable(op string, err error) error {
	return &ticketclient.Error{Kind: ticketclient.KindUnavailable, System: Name, Op: op, Err: err,
		Hint: "check that " + c.Root + " is mounted and writable (L2DIAG_TICKET_DIR or dir.path)"}
}

// Whoami checks the folder is there and writable.
func (c *Client) Whoami(ctx context.Context) (string, error) {
	fi, err := os.Stat(c.Root)
	if err != nil {
		return "", c.unavailable("check folder", err)
	}
	if !fi.IsDir() {
		return "", c.unavailable("check folder", fmt.Errorf("%s is not a folder", c.Root))
	}
	f, err := os.CreateTemp(c.Root, ".l2diag-check-*")
	if err != nil {
		return "", c.unavailable("check folder", err)
	}
	f.Close()
	os.Remove(f.Name())
	return "folder " + c.Root, nil
}

// Lookup names the ticket's folder; it need not exist yet.
func (c *Client) Lookup(ctx context.Context, key string) (*ticketclient.Ticket, error) {
	k, err := c.NormalizeKey(key)
	if err != nil {
		return nil, err
	}
	return &ticketclient.Ticket{Key: k, ID: k, URL: filepath.Join(c.Root, k)}, nil
}

// Limits: a folder has none beyond free space.
func (c *Client) Limits(ctx context.Context) (ticketclient.Limits, error) {
	return ticketclient.Limits{Enabled: true, Source: "folder (no limit)"}, nil
}

// Attachments lists the files in the ticket's folder.
func (c *Client) Attachments(ctx context.Context, t *ticketclient.Ticket) ([]ticketclient.Attachment, error) {
	ents, err := os.ReadDir(filepath.Join(c.Root, t.Key))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, c.unavailable("list", err)
	}
	var out []ticketclient.Attachment
	for _, e := range ents {
		if !e.Type().IsRegular() || strings.HasPrefix(e.Name(), ".") || e.Name() == "notes.txt" {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			continue
		}
		out = append(out, ticketclient.Attachment{ID: e.Name(), Name: e.Name(), Size: fi.Size()})
	}
	return out, nil
}

// Attach copies the file in under a temporary name and renames it, so a
// reader of the share never sees half a bundle.
func (c *Client) Attach(ctx context.Context, t *ticketclient.Ticket, f *ticketclient.File) (*ticketclient.Attachment, error) {
	op := "attach " + f.Name
	if f.Name != filepath.Base(f.Name) || f.Name == ".." || f.Name == "." {
		return nil, ticketclient.Errorf(ticketclient.KindConfig, Name, op, "", "file name %q holds a path", f.Name)
	}
	dir := filepath.Join(c.Root, t.Key)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, c.unavailable(op, err)
	}
	src, err := f.Body()
	if err != nil {
		return nil, ticketclient.Errorf(ticketclient.KindConfig, Name, op, "", "%v", err)
	}
	defer src.Close()
	tmp, err := os.CreateTemp(dir, "."+f.Name+".partial-*")
	if err != nil {
		return nil, c.unavailable(op, err)
	}
	defer os.Remove(tmp.Name())
	n, err := io.Copy(tmp, ctxReader{ctx, src})
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, c.unavailable(op, err)
	}
	if n != f.Size {
		return nil, c.unavailable(op, fmt.Errorf("copied %d of %d bytes", n, f.Size))
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, f.Name)); err != nil {
		return nil, c.unavailable(op, err)
	}
	return &ticketclient.Attachment{ID: f.Name, Name: f.Name, Size: n}, nil
}

// ctxReader stops a copy when the context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (r ctxReader) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.r.Read(p)
}

// Comment appends the note to notes.txt in the ticket's folder.
func (c *Client) Comment(ctx context.Context, t *ticketclient.Ticket, n *ticketclient.Note) error {
	dir := filepath.Join(c.Root, t.Key)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return c.unavailable("note", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, "notes.txt"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return c.unavailable("note", err)
	}
	_, err = fmt.Fprintf(f, "%s%s\n%s\n", entrySep, c.now().UTC().Format(time.RFC3339), n.PlainText())
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return c.unavailable("note", err)
	}
	return nil
}

// entrySep starts each note in notes.txt (a line "=== <time>").
const entrySep = "=== "

// Comments reads the notes in the ticket's notes.txt, one per entry.
func (c *Client) Comments(ctx context.Context, t *ticketclient.Ticket, marker string) ([]ticketclient.Comment, error) {
	data, err := os.ReadFile(filepath.Join(c.Root, t.Key, "notes.txt"))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, c.unavailable("read notes", err)
	}
	var out []ticketclient.Comment
	for _, entry := range strings.Split("\n"+string(data), "\n"+entrySep) {
		if strings.TrimSpace(entry) == "" {
			continue
		}
		stamp, _, _ := strings.Cut(entry, "\n")
		out = append(out, ticketclient.Comment{ID: "notes.txt " + stamp, Text: entry})
	}
	return out, nil
}

// Create makes a folder L2D-<unix seconds> with the summary in notes.txt.
func (c *Client) Create(ctx context.Context, req *ticketclient.NewTicket) (*ticketclient.Ticket, error) {
	for i := int64(0); i < 100; i++ {
		key := "L2D-" + strconv.FormatInt(c.now().Unix()+i, 10)
		dir := filepath.Join(c.Root, key)
		if err := os.MkdirAll(c.Root, 0o755); err != nil {
			return nil, c.unavailable("create", err)
		}
		if err := os.Mkdir(dir, 0o755); os.IsExist(err) {
			continue
		} else if err != nil {
			return nil, c.unavailable("create", err)
		}
		t := &ticketclient.Ticket{Key: key, ID: key, Summary: req.Summary, URL: dir}
		note := &ticketclient.Note{Title: req.Summary}
		if req.Description != nil {
			cp := *req.Description
			note = &cp
			note.Text = strings.TrimSpace(req.Summary + "\n\n" + note.Text)
		}
		return t, c.Comment(ctx, t, note)
	}
	return nil, c.unavailable("create", fmt.Errorf("no free ticket folder name"))
}

// Plan lists what would be written.
func (c *Client) Plan(key string, files []*ticketclient.File, n *ticketclient.Note) []ticketclient.PlannedRequest {
	var out []ticketclient.PlannedRequest
	dir := filepath.Join(c.Root, key)
	for _, f := range files {
		out = append(out, ticketclient.PlannedRequest{Method: "COPY", URL: filepath.Join(dir, f.Name), Size: f.Size,
			Body: fmt.Sprintf("%s (%s)", f.Path, ticketclient.HumanBytes(f.Size))})
	}
	if n != nil {
		out = append(out, ticketclient.PlannedRequest{Method: "APPEND", URL: filepath.Join(dir, "notes.txt"), Size: -1, Body: n.PlainText()})
	}
	return out
}

// Audience says where the note goes.
func (c *Client) Audience(n *ticketclient.Note) string {
	return "notes.txt in " + c.Root + " (whoever may read that folder)"
}

// Configured reports whether the config names a folder.
func Configured(cfg *ticketclient.Config) bool { return section(cfg).Path != "" }

// ConfigHint names what configures the system, for the error when none is.
const ConfigHint = "L2DIAG_TICKET_DIR (a shared folder)"
