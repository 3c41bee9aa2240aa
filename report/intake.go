package report

// Intake is what the user reported, recorded by 1st level before the run
// (docs/first-level.md): the facts 2nd level always asks for. Every field
// is optional; the values of Symptom, Scope and Connection are the ones
// listed below, the others free text.
type Intake struct {
	// Symptom is one of Symptoms' codes.
	Symptom string `json:"symptom,omitempty"`
	// Subject is the app, site, share, server or printer involved.
	Subject string `json:"subject,omitempty"`
	// Since is when it started, in the user's words ("this morning").
	Since string `json:"since,omitempty"`
	// Scope: one-user, several-users, everyone, unknown.
	Scope string `json:"scope,omitempty"`
	// Connection: wired, wifi, vpn, mobile, unknown.
	Connection string `json:"connection,omitempty"`
	// Changed is what changed before it started (an update, a move, a new
	// password), in the user's words.
	Changed string `json:"changed,omitempty"`
	// Note is anything else 1st level wants 2nd level to know.
	Note string `json:"note,omitempty"`
}

// Choice is one allowed value of an intake field with its plain label.
type Choice struct{ Code, Label string }

// Symptoms are the symptoms 1st level chooses from; each has a built-in
// profile of the same name.
var Symptoms = []Choice{
	{"site-unreachable", "Can't reach a site or an app"},
	{"slow", "Slow (internet, an app, the network)"},
	{"drops-out", "Drops out sometimes"},
	{"file-share", "A file share or drive is gone"},
	{"sign-in", "Can't sign in"},
	{"printer", "Printer does not print"},
	{"other", "Something else"},
}

// Scopes say who is affected.
var Scopes = []Choice{
	{"one-user", "Only this user"},
	{"several-users", "Several users"},
	{"everyone", "Everyone (at this site)"},
	{"unknown", "Don't know"},
}

// Connections say how the machine is connected.
var Connections = []Choice{
	{"wired", "Cable (wired)"},
	{"wifi", "Wi-Fi"},
	{"vpn", "VPN (from home or travelling)"},
	{"mobile", "Mobile hotspot"},
	{"unknown", "Don't know"},
}

// Label returns the plain label of code in choices, or code itself.
func Label(choices []Choice, code string) string {
	for _, c := range choices {
		if c.Code == code {
			return c.Label
		}
	}
	return code
}

// Empty reports whether nothing was recorded.
func (in *Intake) Empty() bool { return in == nil || *in == (Intake{}) }

// Lines are the intake as "label: value" lines, in the order 2nd level
// reads them, for every human output and the ticket comment.
func (in *Intake) Lines() []string {
	if in.Empty() {
		return nil
	}
	var out []string
	add := func(label, v string) {
		if v != "" {
			out = append(out, label+": "+v)
		}
	}
	add("The user reports", Label(Symptoms, in.Symptom))
	add("About", in.Subject)
	add("Since", in.Since)
	add("Who is affected", Label(Scopes, in.Scope))
	add("Connection", Label(Connections, in.Connection))
	add("What changed", in.Changed)
	add("Note", in.Note)
	return out
}
