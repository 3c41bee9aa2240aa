package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/report/render"
	"github.com/l2diag/l2diag/ticketclient"
)

// solvedLookupTimeout bounds the search for solved tickets. The verdict is
// printed before it ends; the answer only adds to the bundle, the ticket
// comment and a block after the report, so a slow desk costs at most this.
const solvedLookupTimeout = 4 * time.Second

// maxSolvedCauses is how many conclusions are looked up: the likely causes
// at the top, not every symptom.
const maxSolvedCauses = 3

// labelTimeout bounds labelling a ticket with its causes after the note.
const labelTimeout = 10 * time.Second

// solvedLookup is a search for solved tickets running beside the report.
type solvedLookup struct {
	system string
	done   chan struct{}
	// Filled by the goroutine before done closes.
	found map[string][]report.SolvedTicket
	errs  []error
}

// startSolvedLookup searches the ticket system for solved tickets about
// each problem conclusion's cause, in the background, read-only. It
// returns nil when there is nothing to search for or no searchable system.
func startSolvedLookup(ctx context.Context, s *ticketSession, rep *report.Report) *solvedLookup {
	if s == nil || s.dryRun {
		return nil
	}
	searcher, ok := s.client.(ticketclient.Searcher)
	causes := ticketclient.CausesOf(rep)
	if !ok || len(causes) == 0 {
		return nil
	}
	causes = causes[:min(len(causes), maxSolvedCauses)]
	l := &solvedLookup{system: s.client.Name(), done: make(chan struct{}), found: map[string][]report.SolvedTicket{}}
	ctx, cancel := context.WithTimeout(ctx, solvedLookupTimeout)
	go func() {
		defer close(l.done)
		defer cancel()
		var mu sync.Mutex
		var wg sync.WaitGroup
		for _, c := range causes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got, err := searcher.SearchSolved(ctx, c, ticketclient.SolvedLimit)
				mu.Lock()
				defer mu.Unlock()
				if len(got) > 0 {
					l.found[c] = got
				}
				if err != nil {
					if ctx.Err() != nil {
						err = fmt.Errorf("no answer within %s", solvedLookupTimeout)
					}
					l.errs = append(l.errs, fmt.Errorf("%s: %w", c, err))
				}
			}()
		}
		wg.Wait()
	}()
	return l
}

// finish waits for the lookup (bounded by its deadline), records what it
// found on the report's conclusions and says on stderr what it could not
// search. It never fails the run.
func (l *solvedLookup) finish(ios *IOStreams, rep *report.Report) {
	if l == nil {
		return
	}
	<-l.done
	for i := range rep.Conclusions {
		if got := l.found[rep.Conclusions[i].Code]; len(got) > 0 {
			rep.Conclusions[i].SolvedTickets = got
		}
	}
	if len(l.errs) > 0 {
		msgs := make([]string, len(l.errs))
		for i, e := range l.errs {
			msgs[i] = e.Error()
		}
		fmt.Fprintf(ios.ErrOut, "l2diag: solved tickets: %s could not be searched (the verdict is unaffected): %s\n", l.system, strings.Join(msgs, "; "))
		var te *ticketclient.Error
		if errors.As(l.errs[0], &te) && te.Kind == ticketclient.KindAuth {
			fmt.Fprintf(ios.ErrOut, "  hint: the account may not read those records; ask for read access or ignore this\n")
		}
	}
}

// writeSolved prints the solved tickets found after the report (text and
// Markdown; JSON carries them in the document).
func writeSolved(ios *IOStreams, f render.Format, l *solvedLookup, rep *report.Report) {
	if l == nil || f == render.FormatJSON {
		return
	}
	var b strings.Builder
	for _, c := range rep.Conclusions {
		if len(c.SolvedTickets) == 0 {
			continue
		}
		if f == render.FormatMarkdown {
			fmt.Fprintf(&b, "\n### Solved before: `%s` (%s)\n\n", c.Code, l.system)
			for _, t := range c.SolvedTickets {
				fmt.Fprintf(&b, "- %s\n", strings.NewReplacer("*", `\*`, "_", `\_`, "`", "'", "<", "&lt;", ">", "&gt;").Replace(t.Line()))
			}
			continue
		}
		fmt.Fprintf(&b, "\nSolved before: %s (%s)\n", c.Code, l.system)
		for _, t := range c.SolvedTickets {
			fmt.Fprintf(&b, "  %s\n", t.Line())
		}
	}
	if b.Len() == 0 {
		fmt.Fprintf(ios.ErrOut, "l2diag: solved tickets: none in %s for %s\n", l.system, strings.Join(ticketclient.CausesOf(rep)[:min(len(ticketclient.CausesOf(rep)), maxSolvedCauses)], ", "))
		return
	}
	fmt.Fprint(ios.Out, b.String())
}

// markCauses labels a ticket with the note's cause codes where the system
// has labels. A refusal (no edit permission, labels not on the screen) is
// a warning: the note carries the codes too.
func (s *ticketSession) markCauses(ctx context.Context, ios *IOStreams, t *ticketclient.Ticket, n *ticketclient.Note) {
	m, ok := s.client.(ticketclient.CauseMarker)
	if !ok || n == nil || len(n.Causes) == 0 || t == nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, labelTimeout)
	defer cancel()
	if err := m.MarkCauses(ctx, t, n.Causes); err != nil {
		fmt.Fprintf(ios.ErrOut, "l2diag: warning: %s %s not labelled with its causes (the comment names them): %v\n", s.client.Name(), t.Key, err)
	}
}
