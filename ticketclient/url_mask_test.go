package ticketclient

import (
	"strings"
	"testing"
)

// TestBaseURLErrorsHideThePassword: a ticket URL that does not parse, with
// user:password@ in it, is refused without echoing the password (before,
// the error quoted the raw value).
func TestBaseURLErrorsHideThePassword(t *testing.T) {
	const pw = "Hunter2-secret"
	tests := []struct {
		name, raw string
	}{
		{"space in host", "https://agent:" + pw + "@jira example.com"},
		{"bad port", "https://agent:" + pw + "@jira.example.com:99999x/"},
		{"no scheme", "agent:" + pw + "@jira.example.com"},
		{"at sign in password", "https://agent:" + pw + "@x@jira example.com"},
		{"token as user", "https://" + pw + "@jira example.com"},
		{"ftp", "ftp://agent:" + pw + "@jira.example.com/"},
		{"parses, with credentials", "https://agent:" + pw + "@jira.example.com/"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseBaseURL("jira", "L2DIAG_JIRA_URL", tc.raw, false)
			if err == nil {
				t.Fatalf("ParseBaseURL(%q) accepted it", tc.raw)
			}
			if k, _ := KindOf(err); k != KindConfig {
				t.Errorf("kind %v, want config", k)
			}
			msg := err.Error()
			if h := hintOf(err); h != "" {
				msg += " " + h
			}
			if strings.Contains(msg, pw) {
				t.Errorf("the error echoes the password: %s", msg)
			}
		})
	}
}

func hintOf(err error) string {
	if e, ok := err.(*Error); ok {
		return e.Hint
	}
	return ""
}

func TestMaskUserinfo(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://u:p@h/x", "https://u:***@h/x"},
		{"https://h/x", "https://h/x"},
		{"tok@h", "***@h"},
		{"https://u:p@q@h x", "https://u:***@h x"},
	} {
		if got := MaskUserinfo(tc.in); got != tc.want {
			t.Errorf("MaskUserinfo(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
