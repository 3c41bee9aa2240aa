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
}

// Timeout is the per-request timeout from the config.
func (o *Options) Timeout() time.Duration {
	if o.Config != nil && o.Config.TimeoutDur > 0 {
		return o.Config.TimeoutDur
	}
	return DefaultTimeout
}
