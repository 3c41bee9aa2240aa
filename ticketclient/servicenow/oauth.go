package servicenow

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/l2diag/l2diag/ticketclient"
)

// tokenMargin renews a token this long before ServiceNow's expires_in
// runs out, so a request does not start with a token that dies in flight.
const tokenMargin = time.Minute

// oauth gets access tokens from the instance's /oauth_token.do: the
// password grant when a user is configured (it also returns a refresh
// token), else the client-credentials grant. Tokens live in memory only;
// an outbox entry holds none, and a flush gets its own.
type oauth struct {
	api              *ticketclient.API
	clientID, secret string
	user, password   string

	mu      sync.Mutex
	access  string
	refresh string
	expires time.Time
}

var _ ticketclient.TokenSource = (*oauth)(nil)

// Token returns the current token, fetching one when there is none or it
// is about to expire.
func (o *oauth) Token(ctx context.Context) (string, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.access != "" && time.Now().Before(o.expires) {
		return o.access, nil
	}
	if err := o.fetch(ctx); err != nil {
		return "", err
	}
	return o.access, nil
}

// Renew replaces a token the server called expired.
func (o *oauth) Renew(ctx context.Context) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.access = ""
	return o.fetch(ctx)
}

// fetch uses the refresh token when there is one, and falls back to the
// configured grant when the instance refuses it (it expired too).
func (o *oauth) fetch(ctx context.Context) error {
	if o.refresh != "" {
		err := o.grant(ctx, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {o.refresh}})
		if err == nil {
			return nil
		}
		o.refresh = ""
	}
	form := url.Values{"grant_type": {"client_credentials"}}
	if o.user != "" {
		form = url.Values{"grant_type": {"password"}, "username": {o.user}, "password": {o.password}}
	}
	return o.grant(ctx, form)
}

func (o *oauth) grant(ctx context.Context, form url.Values) error {
	form.Set("client_id", o.clientID)
	form.Set("client_secret", o.secret)
	timeout := o.api.Timeout
	if timeout <= 0 {
		timeout = ticketclient.DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	u := *o.api.Base
	u.Path += "/oauth_token.do"
	op := "get an OAuth token (" + form.Get("grant_type") + ")"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("%s: %s: %w", Name, op, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := o.api.HTTP.Do(req)
	if err != nil {
		return &ticketclient.Error{Kind: ticketclient.KindUnavailable, System: Name, Op: op, Retryable: true,
			Err: fmt.Errorf("connection to %s failed: %v", o.api.Base.Host, err)}
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var tok struct {
		Access    string `json:"access_token"`
		Refresh   string `json:"refresh_token"`
		ExpiresIn int    `json:"expires_in"`
		Error     string `json:"error"`
		ErrorDesc string `json:"error_description"`
	}
	_ = json.Unmarshal(body, &tok)
	switch {
	case resp.StatusCode/100 == 2 && tok.Access != "":
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusBadRequest || tok.Error != "":
		reason := tok.Error
		if reason == "" {
			reason = ticketclient.ParseErrorBody(body)
		}
		return &ticketclient.Error{Kind: ticketclient.KindAuth, System: Name, Op: op, Status: resp.StatusCode,
			Err:  fmt.Errorf("%d token refused: %s", resp.StatusCode, reason),
			Hint: o.api.AuthHint + "; the client-credentials grant must be enabled on the instance (glide.oauth.inbound.client.credential.grant_type.enabled)"}
	default:
		return &ticketclient.Error{Kind: ticketclient.KindUnavailable, System: Name, Op: op, Status: resp.StatusCode, Retryable: resp.StatusCode >= 500,
			Err: fmt.Errorf("%d: %s", resp.StatusCode, ticketclient.ParseErrorBody(body))}
	}
	o.access = tok.Access
	if tok.Refresh != "" {
		o.refresh = tok.Refresh
	}
	life := time.Duration(tok.ExpiresIn) * time.Second
	if life <= 0 {
		life = 30 * time.Minute
	}
	o.expires = time.Now().Add(max(life-tokenMargin, life/2))
	return nil
}
