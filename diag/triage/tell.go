package triage

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/l2diag/l2diag/report"
)

// Tell is the one sentence a first-level agent can say to the user, in
// plain words: where the fault is and who fixes it, from the top
// conclusion. It leads every human output (report.Report.TellUser).
func Tell(cs []report.Conclusion, status report.Status) string {
	var top *report.Conclusion
	for i := range cs {
		if cs[i].Status.Problem() {
			top = &cs[i]
			break
		}
	}
	if top == nil {
		if status.Problem() {
			return "Some checks failed without one clear cause; the technician is looking at the details."
		}
		return "No fault found on this computer or its network connection; if the problem persists, note exactly what fails and when."
	}
	spec, ok := Lookup(top.Code)
	if ok && spec.Tell != "" {
		return spec.Tell
	}
	what := "a fault"
	if ok {
		what = lowerFirst(spec.Title)
	}
	switch Escalation(top.Escalation) {
	case ResolveHere:
		return fmt.Sprintf("The cause is on this computer (%s); it can be fixed here.", what)
	case Network:
		return fmt.Sprintf("The cause is in the network, not this computer (%s); the network team has to fix it.", what)
	case DNS:
		return fmt.Sprintf("The cause is in the name service (DNS), not this computer (%s); the DNS administrators have to fix it.", what)
	case Application:
		return fmt.Sprintf("The service itself is failing (%s), not this computer or the network; its owners have to fix it.", what)
	case Security:
		return fmt.Sprintf("The connection may be intercepted (%s); the security team has to check it before anyone enters passwords.", what)
	case Storage:
		return fmt.Sprintf("The file server or share is at fault (%s), not this computer; the storage team has to fix it.", what)
	case Vendor:
		return fmt.Sprintf("Software on this computer misbehaves (%s); its vendor has to fix it, a restart helps meanwhile.", what)
	}
	return fmt.Sprintf("The likely cause: %s.", what)
}

// lowerFirst lower-cases a title's first letter unless it starts an
// acronym ("DNS servers disagree" stays).
func lowerFirst(s string) string {
	r := []rune(s)
	if len(r) > 1 && unicode.IsUpper(r[0]) && unicode.IsLower(r[1]) {
		r[0] = unicode.ToLower(r[0])
	}
	return strings.TrimSpace(string(r))
}
