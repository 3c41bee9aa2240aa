package ticketclient

import (
	"context"
	"net/http"
	"time"
)

// Options is what every implementation's constructor gets.
type Options struct {
	Config *Config
	// HTTP is the shared client (NewHTTPClient); nil for dir.
	HTTP *http.Client
	// AllowHTTP permits http:// URLs (test servers, --allow-http).
	AllowHTTP bool
	// Prompt asks for a missing secret without echo; nil when stdin is not
	// a terminal (then a missing secret is an error naming the variable).
	Prompt  func(label string) (string, error)
	Backoff Backoff
	// Sleep replaces the wait between retries in tests.
	Sleep func(ctx context.Context, d time.Duration) error
	// Settings are the per-call choices of the system's own flags (see
	// registry.System.Flags), by flag name, e.g. "table": "u_facilities".
	// They override the config file for this call and ride along in an
	// outbox entry.
	Settings map[string]string
	// KeySyntaxes are the key forms of the registered systems, for a
	// system (dir) that names folders after another system's tickets.
	KeySyntaxes []KeySyntax
}

// KeySyntax is one system's ticket-key form.
type KeySyntax struct {
	System string
	// Form describes the accepted form, for messages.
	Form string
	// Parse validates a key and returns it in canonical form.
	Parse func(key string) (string, error)
}

// Timeout is the per-request timeout from the config.
func (o *Options) Timeout() time.Duration {
	if o.Config != nil && o.Config.TimeoutDur > 0 {
		return o.Config.TimeoutDur
	}
	return DefaultTimeout
}

// Flag is a per-call choice a ticket system offers on the command line
// (e.g. ServiceNow's --table). The CLI registers every system's flags and
// passes the values of the chosen system's in Options.Settings.
type Flag struct {
	// Name is the flag without dashes and the key in Settings.
	Name string
	// Usage is the help text; a `WORD` in backquotes names the value.
	Usage string
}
