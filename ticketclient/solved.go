package ticketclient

import (
	"context"
	"strings"

	"github.com/l2diag/l2diag/report"
)

// CauseLabelPrefix starts the label (Jira) and the note marker (ServiceNow,
// dir) that carry a conclusion's cause code on a ticket, so solved tickets
// can be found by cause later: l2diag-cause.dns-wrong-answer.
const CauseLabelPrefix = "l2diag-"

// CauseLabel is the label of a cause code ("cause.dns-down" →
// "l2diag-cause.dns-down"): no spaces, so Jira accepts it as a label and
// JQL and ServiceNow's LIKE find it verbatim.
func CauseLabel(code string) string { return CauseLabelPrefix + code }

// causesLinePrefix starts the line of a plain-text note that lists the
// cause labels: the searchable marker where a system has no labels.
const causesLinePrefix = "l2diag causes: "

// SolvedLimit is how many solved tickets are shown per cause: the most
// recent few are read, a long list is not.
const SolvedLimit = 3

// Searcher is a system that can find resolved tickets, known errors and
// articles about a cause code, read-only with an ordinary technician
// account. SearchSolved returns the most recent first, at most limit.
// A search that found some sources but not others returns what it found
// and an error naming what it could not search.
type Searcher interface {
	SearchSolved(ctx context.Context, cause string, limit int) ([]report.SolvedTicket, error)
}

// CauseMarker is a system with labels: MarkCauses adds the cause labels to
// the ticket after the note is posted. Systems without labels carry them
// in the note (the "l2diag causes:" line).
type CauseMarker interface {
	MarkCauses(ctx context.Context, t *Ticket, causes []string) error
}

// CausesOf lists the cause codes of a report's problem conclusions, the
// codes a ticket is marked with.
func CausesOf(rep *report.Report) []string {
	var out []string
	for _, c := range rep.Conclusions {
		if c.Status.Problem() && strings.HasPrefix(c.Code, "cause.") {
			out = append(out, c.Code)
		}
	}
	return out
}

// causesLine is the marker line of a note with causes, "" without.
func (n *Note) causesLine() string {
	if len(n.Causes) == 0 {
		return ""
	}
	labels := make([]string, len(n.Causes))
	for i, c := range n.Causes {
		labels[i] = CauseLabel(c)
	}
	return causesLinePrefix + strings.Join(labels, " ")
}
