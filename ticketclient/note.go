package ticketclient

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/l2diag/l2diag/report"
)

// maxNoteProblems caps the problems a comment lists; the rest are in the
// bundle. Ticket comments are read by people, not parsed.
const maxNoteProblems = 15

// Note is the summary comment: what the run found and which bundle holds
// the evidence. Each system renders it in its own markup.
type Note struct {
	Title    string    `json:"title"`
	Status   string    `json:"status,omitempty"`
	Host     string    `json:"host,omitempty"`
	Summary  string    `json:"summary,omitempty"` // the report's summary line
	Problems []Problem `json:"problems,omitempty"`
	// More counts problems left out for length.
	More         int    `json:"more,omitempty"`
	BundleName   string `json:"bundle_name,omitempty"`
	BundleSHA256 string `json:"bundle_sha256,omitempty"`
	BundleSize   int64  `json:"bundle_size,omitempty"`
	// Text is free text (ticket comment --text), shown first.
	Text string `json:"text,omitempty"`
	// TellUser is what to tell the user (report.Report.TellUser): it leads
	// the note, after the title.
	TellUser string `json:"tell_user,omitempty"`
	// Visibility is who may read the note: VisibilityInternal (agents
	// only), VisibilityPublic (also the customer), or "" for the system's
	// configured default (internal unless configured otherwise). It rides
	// along into the outbox, so a flush posts it as it was asked for.
	Visibility string `json:"visibility,omitempty"`
	// Handoff is the note for the team the case goes to (report.Handoff
	// as lines), empty when it stays at this desk.
	Handoff []string `json:"handoff,omitempty"`
	// Causes are the cause codes of the run's problem conclusions: Jira
	// labels the issue with them, other systems carry them in the note's
	// "l2diag causes:" line, so solved tickets are found by cause later.
	Causes []string `json:"causes,omitempty"`
}

// The visibilities of a note (--internal, --public).
const (
	VisibilityInternal = "internal"
	VisibilityPublic   = "public"
)

// Problem is one line of the comment: a result or conclusion needing care.
type Problem struct {
	Status  string `json:"status"`
	Label   string `json:"label"`
	Message string `json:"message"`
	Hint    string `json:"hint,omitempty"`
	// Seen is the evidence the hint refers to, in brief
	// (report.EvidenceBrief): the SANs, the trace's path, each server's
	// answer.
	Seen string `json:"seen,omitempty"`
	// Known are the known fixes of a conclusion ("KB-DNS-007 — title
	// (where)"), Solved the resolved tickets about the same cause.
	Known  []string `json:"known,omitempty"`
	Solved []string `json:"solved,omitempty"`
}

// NoteFromReport builds the comment for a run: status, the problems with
// their hints (conclusions first: they name the likely cause), and the
// bundle's name and SHA-256 so the ticket proves which file it refers to.
func NoteFromReport(rep *report.Report, bundle *File) (*Note, error) {
	// Peers' strings (a certificate issuer, a header) reach the ticket and
	// the dry-run's terminal only as escapes.
	rep = report.PrintableCopy(rep)
	n := &Note{
		Title:    fmt.Sprintf("l2diag %s on %s%s: %s", rep.Tool.Version, rep.Host.Hostname, runTime(rep), strings.ToUpper(string(rep.HeadlineStatus()))),
		Status:   string(rep.Status),
		Host:     rep.Host.Hostname,
		Summary:  rep.SummaryLine(),
		TellUser: rep.TellUser,
		Causes:   CausesOf(rep),
	}
	if lines := rep.Intake.Lines(); len(lines) > 0 {
		// What the user reported leads: it is what 2nd level asks first.
		n.Text = strings.Join(lines, "\n")
	}
	var all []Problem
	for _, c := range rep.Conclusions {
		label := "likely cause"
		if c.Escalation != "" {
			// Who owns the fix is what a dispatcher reads first.
			label = fmt.Sprintf("likely cause (%s, owner %s)", c.Code, c.Escalation)
		}
		p := Problem{Status: string(c.Status), Label: label, Message: c.Headline, Hint: c.NextStep, Seen: c.Detail}
		for _, f := range c.KnownFixes {
			p.Known = append(p.Known, f.Line())
		}
		for _, t := range c.SolvedTickets {
			p.Solved = append(p.Solved, t.Line())
		}
		all = append(all, p)
	}
	explained := map[string]bool{}
	for _, c := range rep.Conclusions {
		for _, l := range c.Explains {
			explained[l] = true
		}
	}
	var consequences []string
	worst := report.StatusOK
	counts := map[report.Status]int{}
	for _, r := range rep.ProblemResults() {
		if explained[r.Label()] {
			// Accounted for by a likely cause: one line for all of them.
			consequences = append(consequences, r.Label())
			worst = worst.Worse(r.Status)
			counts[r.Status]++
			continue
		}
		p := Problem{Status: string(r.Status), Label: r.Label(), Message: r.Summary}
		if r.Error != "" && p.Message == "" {
			p.Message = r.Error
		}
		// The worst finding carries the hint that matters.
		for _, f := range r.Findings {
			if f.Status == r.Status {
				if p.Message == "" {
					p.Message = f.Message
				}
				p.Hint = f.Hint
				p.Seen = report.EvidenceBrief(f)
				break
			}
		}
		all = append(all, p)
	}
	if len(consequences) > 0 {
		all = append(all, Problem{Status: string(worst), Label: "consequences",
			Message: fmt.Sprintf("%s follow from the likely cause (%s): %s", plural(len(consequences), "more check with a problem", "more checks with problems"),
				statusCounts(counts), strings.Join(consequences, ", "))})
	}
	if len(all) > maxNoteProblems {
		n.More = len(all) - maxNoteProblems
		all = all[:maxNoteProblems]
	}
	n.Problems = all
	if bundle != nil {
		sum, err := bundle.SHA256()
		if err != nil {
			return nil, fmt.Errorf("hash bundle: %w", err)
		}
		n.BundleName, n.BundleSHA256, n.BundleSize = bundle.Name, sum, bundle.Size
	}
	h := rep.Handoff
	if h == nil {
		h = report.BuildHandoff(rep)
	}
	if h != nil {
		hc := *h
		if bundle != nil {
			hc.Evidence = fmt.Sprintf("bundle %s attached to this ticket (SHA-256 below): report.json has every check, finding and measurement; raw/ the configuration and command output the checks read", bundle.Name)
		}
		n.Handoff = hc.Lines()
	}
	return n, nil
}

// PlainText renders the note as plain text (ServiceNow work notes, the dir
// system, dry runs).
func (n *Note) PlainText() string {
	var b strings.Builder
	if n.Text != "" {
		b.WriteString(n.Text + "\n\n")
	}
	if n.Title != "" {
		b.WriteString(n.Title + "\n")
	}
	if n.TellUser != "" {
		b.WriteString("What to tell the user: " + n.TellUser + "\n")
	}
	if n.Summary != "" {
		b.WriteString(n.Summary + "\n")
	}
	if len(n.Problems) > 0 {
		b.WriteString("\nProblems:\n")
		for _, p := range n.Problems {
			fmt.Fprintf(&b, "- [%s] %s: %s\n", strings.ToUpper(p.Status), p.Label, p.Message)
			if p.Hint != "" {
				fmt.Fprintf(&b, "  hint: %s\n", p.Hint)
			}
			if p.Seen != "" {
				fmt.Fprintf(&b, "  seen: %s\n", p.Seen)
			}
			for _, k := range p.Known {
				fmt.Fprintf(&b, "  Known fix: %s\n", k)
			}
			for _, s := range p.Solved {
				fmt.Fprintf(&b, "  Solved before: %s\n", s)
			}
		}
		if n.More > 0 {
			fmt.Fprintf(&b, "- … and %d more in the bundle\n", n.More)
		}
	} else if n.Status != "" {
		b.WriteString("\nNo problems found.\n")
	}
	if len(n.Handoff) > 0 {
		b.WriteString("\nHand-off:\n")
		for _, l := range n.Handoff {
			b.WriteString("- " + l + "\n")
		}
	}
	if n.BundleName != "" {
		fmt.Fprintf(&b, "\nBundle: %s (%s)\nSHA-256: %s\n", n.BundleName, HumanBytes(n.BundleSize), n.BundleSHA256)
	}
	if line := n.causesLine(); line != "" {
		b.WriteString("\n" + line + "\n")
	}
	if ref := n.RefLine(); ref != "" {
		b.WriteString("\n" + ref + "\n")
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}

// Marker identifies this note among a ticket's comments, so a delivery
// whose answer was lost can tell whether the server stored it: the
// bundle's SHA-256 (the note shows it), else "l2diag:" and 12 hex digits of
// a hash of the note's content, shown by RefLine. It is the same on every
// attempt and after an outbox round trip (the note is its JSON).
func (n *Note) Marker() string {
	if n.BundleSHA256 != "" {
		return n.BundleSHA256
	}
	data, _ := json.Marshal(n)
	sum := sha256.Sum256(data)
	return "l2diag:" + hex.EncodeToString(sum[:6])
}

// RefLine is the last line of a note without a bundle ("Ref: l2diag:…"),
// which carries its Marker; empty when the SHA-256 already does.
func (n *Note) RefLine() string {
	if n.BundleSHA256 != "" {
		return ""
	}
	return "Ref: " + n.Marker()
}

// Comment is a comment (Jira), journal entry (ServiceNow) or notes.txt
// entry (dir) already on a ticket, as plain text.
type Comment struct {
	ID   string
	Text string
}

// HumanBytes prints a size the way people read it.
func HumanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// statusCounts says what a count of problems is made of: "2 failing,
// 1 warning".
func statusCounts(c map[report.Status]int) string {
	var parts []string
	for _, x := range []struct {
		st        report.Status
		one, many string
	}{{report.StatusFail, "failing", "failing"}, {report.StatusError, "could not run", "could not run"},
		{report.StatusWarn, "warning", "warnings"}} {
		if n := c[x.st]; n > 0 {
			parts = append(parts, plural(n, x.one, x.many))
		}
	}
	return strings.Join(parts, ", ")
}

// runTime says when the run was, for the comment's title ("" when unknown).
func runTime(rep *report.Report) string {
	if rep.StartedAt.IsZero() {
		return ""
	}
	return ", run " + rep.StartedAt.UTC().Format("2006-01-02 15:04 UTC")
}
