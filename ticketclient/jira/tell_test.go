package jira

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/ticketclient"
)

func TestNoteTellUserInJiraMarkup(t *testing.T) {
	n := &ticketclient.Note{Title: "l2diag on ws1: FAIL", TellUser: "The cause is in the network, not this computer (packet loss); the network team has to fix it.",
		Problems: []ticketclient.Problem{{Status: "warn", Label: "likely cause", Message: "Packet loss."}}}
	w := Wiki(n)
	if i, j := strings.Index(w, "*What to tell the user:* The cause is in the network"), strings.Index(w, "Packet loss."); i < 0 || i > j {
		t.Errorf("wiki text must lead with the sentence for the user:\n%s", w)
	}
	b, err := json.Marshal(ADF(n))
	if err != nil {
		t.Fatal(err)
	}
	a := string(b)
	if i, j := strings.Index(a, `"text":"What to tell the user: "`), strings.Index(a, "Packet loss."); i < 0 || i > j || !strings.Contains(a, `"type":"strong"`) {
		t.Errorf("ADF must lead with the sentence for the user, its label in bold:\n%s", a)
	}
}
