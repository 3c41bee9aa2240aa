package fake

import (
	"fmt"
	"net/http"
)

// oauthToken answers POST /oauth_token.do (form-encoded) for the
// client_credentials, password and refresh_token grants, as ServiceNow's
// OAuth provider does: 401 {"error":"access_denied"} for a wrong client
// or user, else {"access_token","refresh_token","token_type","expires_in"}.
// A refresh token is issued for the password grant only.
func (s *ServiceNow) oauthToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		s.t.Errorf("fake servicenow: token request %s with Content-Type %q", r.Method, r.Header.Get("Content-Type"))
	}
	if r.Header.Get("Authorization") != "" {
		s.t.Errorf("fake servicenow: token request carries an Authorization header")
	}
	if err := r.ParseForm(); err != nil {
		jsonReply(w, http.StatusBadRequest, map[string]string{"error": "invalid_request"})
		return
	}
	f := r.PostForm
	deny := func() {
		jsonReply(w, http.StatusUnauthorized, map[string]string{"error": "access_denied", "error_description": "access_denied"})
	}
	if s.ClientID == "" || f.Get("client_id") != s.ClientID || f.Get("client_secret") != s.ClientSecret {
		deny()
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	grant := f.Get("grant_type")
	s.grants = append(s.grants, grant)
	withRefresh := false
	switch grant {
	case "client_credentials":
	case "password":
		if f.Get("username") != s.User || f.Get("password") != s.Password {
			deny()
			return
		}
		withRefresh = true
	case "refresh_token":
		if !s.refresh[f.Get("refresh_token")] {
			deny()
			return
		}
	default:
		jsonReply(w, http.StatusBadRequest, map[string]string{"error": "unsupported_grant_type"})
		return
	}
	if s.tokens == nil {
		s.tokens, s.refresh = map[string]int{}, map[string]bool{}
	}
	s.nextID++
	tok := fmt.Sprintf("sn-access-%d", s.nextID)
	uses := s.TokenUses
	if uses <= 0 {
		uses = -1
	}
	s.tokens[tok] = uses
	ans := map[string]any{"access_token": tok, "scope": "useraccount", "token_type": "Bearer", "expires_in": 1799}
	if withRefresh || grant == "refresh_token" {
		rt := fmt.Sprintf("sn-refresh-%d", s.nextID)
		s.refresh[rt] = true
		ans["refresh_token"] = rt
	}
	jsonReply(w, http.StatusOK, ans)
}

// useToken spends one use of an issued access token; false when unknown
// or expired.
func (s *ServiceNow) useToken(tok string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	left, ok := s.tokens[tok]
	if !ok || left == 0 {
		return false
	}
	if left > 0 {
		s.tokens[tok] = left - 1
	}
	return true
}

// Grants lists the grant types asked for so far, in order.
func (s *ServiceNow) Grants() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.grants...)
}
