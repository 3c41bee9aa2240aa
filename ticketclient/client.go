// Package ticketclient delivers bundles to ticket systems (Jira,
// ServiceNow, a shared folder) behind one small interface, with typed
// errors the CLI maps to exit codes.
package ticketclient

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Kind classifies a delivery failure.
type Kind int

// The kinds of failure; the CLI maps Auth to exit 77 and the rest to 69.
const (
	KindUnavailable Kind = iota // network down, 5xx, timeout: retry later
	KindAuth                    // credentials refused or not permitted
	KindNotFound                // ticket does not exist or is not visible
	KindTooLarge                // attachment above the server's limit
	KindRateLimited             // 429 beyond retries
	KindConfig                  // bad or missing configuration: a usage error
)

func (k Kind) String() string {
	switch k {
	case KindAuth:
		return "authentication or permission refused"
	case KindNotFound:
		return "not found"
	case KindTooLarge:
		return "too large"
	case KindRateLimited:
		return "rate limited"
	case KindConfig:
		return "configuration error"
	}
	return "unavailable"
}

// Error is a typed ticket-system failure. Its message never holds a secret.
type Error struct {
	Kind   Kind
	System string
	Op     string
	Err    error
	// Hint tells the user what to do next.
	Hint string
	// Retryable says a later attempt may succeed (reset, 429, 502-504).
	Retryable bool
	// RetryAfter is the server's Retry-After, zero when it sent none.
	RetryAfter time.Duration
	// MaybeSent says the request may have reached the server although no
	// answer came back (a lost response): check before sending it again.
	MaybeSent bool
	// Status is the HTTP status, 0 when none came back.
	Status int
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("%s: %s: %s", e.System, e.Op, e.Kind)
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// HintText is the follow-up hint the CLI prints below the error.
func (e *Error) HintText() string { return e.Hint }

// Errorf builds a typed error of kind k for system and op.
func Errorf(k Kind, system, op, hint, format string, args ...any) *Error {
	return &Error{Kind: k, System: system, Op: op, Hint: hint, Err: fmt.Errorf(format, args...)}
}

// Client is one ticket system. Implementations are listed explicitly in
// ticketclient/registry. Attach makes one attempt; retries, de-duplication
// and the outbox live in Deliverer so every system behaves the same.
type Client interface {
	// Name is the registry name: jira, servicenow or dir.
	Name() string
	// Endpoint is the URL or folder deliveries go to, for messages.
	Endpoint() string
	// NormalizeKey validates a ticket key and returns it in canonical form;
	// a key of the wrong form is a KindConfig error naming the form.
	NormalizeKey(key string) (string, error)
	// Whoami proves the credentials work and names the account.
	Whoami(ctx context.Context) (string, error)
	// Lookup finds the ticket; KindNotFound when it is absent or invisible.
	Lookup(ctx context.Context, key string) (*Ticket, error)
	// Limits reports the upload limit, if the system tells.
	Limits(ctx context.Context) (Limits, error)
	// Attachments lists the files already on the ticket.
	Attachments(ctx context.Context, t *Ticket) ([]Attachment, error)
	// Attach uploads one file, streaming it from disk.
	Attach(ctx context.Context, t *Ticket, f *File) (*Attachment, error)
	// Comment adds the note (internal where the system has the choice,
	// unless n.Visibility says public) and verifies the answer shows it
	// stored.
	Comment(ctx context.Context, t *Ticket, n *Note) error
	// Audience says in words where Comment puts n and who can read it,
	// e.g. "internal comment (service-desk agents only)", for the output.
	Audience(n *Note) string
	// Comments lists the comments already on the ticket as plain text, so
	// a note whose answer was lost is not posted twice. A system may
	// return only the comments that contain marker (when not empty); the
	// caller checks each for it.
	Comments(ctx context.Context, t *Ticket, marker string) ([]Comment, error)
	// Create opens a new ticket and returns it.
	Create(ctx context.Context, req *NewTicket) (*Ticket, error)
	// Plan describes the requests a delivery would send, for --dry-run,
	// with secrets masked. It sends nothing.
	Plan(key string, files []*File, n *Note) []PlannedRequest
}

// Ticket is a ticket as the system knows it.
type Ticket struct {
	// Key is the key as the system spells it now (a moved Jira issue
	// answers with its new key).
	Key     string `json:"key"`
	ID      string `json:"id,omitempty"`    // Jira id, ServiceNow sys_id
	Table   string `json:"table,omitempty"` // ServiceNow table
	Summary string `json:"summary,omitempty"`
	State   string `json:"state,omitempty"`
	URL     string `json:"url,omitempty"`
}

// Attachment is a file attached to a ticket.
type Attachment struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256,omitempty"`
}

// Limits is what the system says about uploads.
type Limits struct {
	// Enabled is false when the system has attachments switched off.
	Enabled bool
	// MaxBytes is the per-file limit, 0 when unknown.
	MaxBytes int64
	// Source says where MaxBytes came from, for `ticket check`.
	Source string
}

// NewTicket is what `ticket create` asks for.
type NewTicket struct {
	Summary     string
	Description *Note
	Project     string // Jira project key; empty: from config
	Type        string // Jira issue type or ServiceNow table
}

// PlannedRequest is one request of a dry run.
type PlannedRequest struct {
	Method  string
	URL     string
	Headers []string // "Name: value", secrets masked
	Size    int64    // body bytes, -1 unknown
	Body    string   // the body when it is text (a comment), else a description
}

// KindOf returns the kind of err, and false when err is not a ticket error.
func KindOf(err error) (Kind, bool) {
	var te *Error
	if errors.As(err, &te) {
		return te.Kind, true
	}
	return 0, false
}
