// Package ticketclient delivers bundles to ticket systems (Jira,
// ServiceNow, a shared folder) behind one small interface, with typed
// errors the CLI maps to exit codes.
package ticketclient

import (
	"errors"
	"fmt"
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
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("%s: %s: %s", e.System, e.Op, e.Kind)
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the kind of err, and false when err is not a ticket error.
func KindOf(err error) (Kind, bool) {
	var te *Error
	if errors.As(err, &te) {
		return te.Kind, true
	}
	return 0, false
}
