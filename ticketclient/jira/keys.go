package jira

import (
	"regexp"
	"strings"

	"github.com/l2diag/l2diag/ticketclient"
)

// KeyForm is the accepted form of a Jira issue key, for messages.
const KeyForm = "PROJECT-NUMBER, e.g. SUP-123 (project: a letter, then up to 9 letters, digits or _)"

// keyRE is the tolerant issue-key pattern of ticket-apis.md (Data Center
// admins can widen the project pattern; _ is seen in the wild).
var keyRE = regexp.MustCompile(`^[A-Z][A-Z0-9_]{1,9}-[1-9][0-9]*$`)

// ParseKey upper-cases and validates a Jira issue key; system names the
// caller in the error.
func ParseKey(system, key string) (string, error) {
	k := strings.ToUpper(strings.TrimSpace(key))
	if !keyRE.MatchString(k) {
		return "", ticketclient.Errorf(ticketclient.KindConfig, system, "ticket key", "use "+KeyForm,
			"%q is not a Jira issue key", key)
	}
	return k, nil
}

// KeySyntax is the Jira key form, for other systems (dir).
var KeySyntax = ticketclient.KeySyntax{System: Name, Form: KeyForm, Parse: func(k string) (string, error) { return ParseKey("dir", k) }}
