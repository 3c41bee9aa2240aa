package ticketclient

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"

	"github.com/l2diag/l2diag/internal/userfile"
)

// File is one file to attach. It is read from disk on every attempt, never
// held in memory.
type File struct {
	Path        string
	Name        string // name on the ticket; the base name of Path by default
	Size        int64
	ContentType string
	sha         string
}

// OpenFile stats path and returns the File to attach.
func OpenFile(path string) (*File, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	return &File{Path: path, Name: filepath.Base(path), Size: fi.Size(), ContentType: ContentTypeFor(path)}, nil
}

// ContentTypeFor returns a truthful Content-Type for the file's extension
// (ServiceNow's MIME validation rejects a mismatch).
func ContentTypeFor(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".zip":
		return "application/zip"
	case ".json":
		return "application/json"
	case ".md":
		return "text/markdown; charset=utf-8"
	case ".txt", ".log":
		return "text/plain; charset=utf-8"
	case ".html", ".htm":
		return "text/html; charset=utf-8"
	case ".gz":
		return "application/gzip"
	}
	if t := mime.TypeByExtension(filepath.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// SHA256 returns the hex SHA-256 of the file, computed once.
func (f *File) SHA256() (string, error) {
	if f.sha != "" {
		return f.sha, nil
	}
	fh, _, err := userfile.Open(f.Path)
	if err != nil {
		return "", err
	}
	defer fh.Close()
	h := sha256.New()
	if _, err := io.Copy(h, fh); err != nil {
		return "", err
	}
	f.sha = hex.EncodeToString(h.Sum(nil))
	return f.sha, nil
}

// SetSHA256 records a known hash (from the outbox entry) to skip re-reading.
func (f *File) SetSHA256(s string) { f.sha = s }

// Body opens the file for one attempt and checks it still has the size it
// had when stat'ed: a bundle that changed under us must not be sent with a
// wrong Content-Length.
func (f *File) Body() (io.ReadCloser, error) {
	// Opened again for every attempt: a FIFO swapped in since OpenFile
	// must not hang the upload.
	fh, fi, err := userfile.Open(f.Path)
	if err != nil {
		return nil, err
	}
	if fi.Size() != f.Size {
		fh.Close()
		return nil, fmt.Errorf("%s changed size while being sent (%d, now %d bytes)", f.Path, f.Size, fi.Size())
	}
	return fh, nil
}

// Multipart is a multipart/form-data body with one file part, streamed from
// disk behind a precomputed Content-Length (proxies in front of Jira refuse
// chunked uploads with 411).
type Multipart struct {
	ContentType   string // multipart/form-data; boundary=...
	ContentLength int64
	head, tail    []byte
	file          *File
}

// NewMultipart lays out the part header and closing boundary with
// mime/multipart; only the file bytes are streamed. The file name goes into
// filename= as plain UTF-8 (RFC 2231 filename*= made Jira Server answer 500).
func NewMultipart(field string, f *File) (*Multipart, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", multipart.FileContentDisposition(field, f.Name))
	h.Set("Content-Type", f.ContentType)
	if _, err := mw.CreatePart(h); err != nil {
		return nil, err
	}
	head := bytes.Clone(buf.Bytes())
	buf.Reset()
	if err := mw.Close(); err != nil {
		return nil, err
	}
	tail := bytes.Clone(buf.Bytes())
	return &Multipart{
		ContentType:   mw.FormDataContentType(),
		ContentLength: int64(len(head)) + f.Size + int64(len(tail)),
		head:          head, tail: tail, file: f,
	}, nil
}

// Open returns a fresh body; every retry calls it again (http.Request.GetBody).
func (m *Multipart) Open() (io.ReadCloser, error) {
	fh, err := m.file.Body()
	if err != nil {
		return nil, err
	}
	return struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(m.head), fh, bytes.NewReader(m.tail)), fh}, nil
}
