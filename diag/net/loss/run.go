package loss

// Outcome is the fate of one probe.
type Outcome int8

// Outcomes of a probe.
const (
	Pending  Outcome = iota // sent, fate not known yet
	Answered                // a reply came back
	Lost                    // no reply within the wait
)

// Run tracks the probes of one measurement (or one watch window) in the
// order they were sent. Answers arrive at once but a loss is known only
// when its wait is over, so a test fed every outcome as it resolves would
// see answers early and losses late and lean towards "no loss". Run hands
// the test only the prefix of probes whose fates are all known.
type Run struct {
	fates   []Outcome
	prefix  int // fates[:prefix] are all resolved
	n, lost int // counts over fates[:prefix]
}

// Add records a probe just sent and returns its index.
func (r *Run) Add() int {
	r.fates = append(r.fates, Pending)
	return len(r.fates) - 1
}

// Resolve sets the fate of probe i. An answer may overrule an earlier
// Lost (a late reply); nothing overrules an answer.
func (r *Run) Resolve(i int, o Outcome) {
	if i < 0 || i >= len(r.fates) || o == Pending || r.fates[i] == Answered || r.fates[i] == o {
		return
	}
	was := r.fates[i]
	r.fates[i] = o
	if i < r.prefix && was == Lost {
		r.lost-- // a late answer inside the prefix
	}
	for r.prefix < len(r.fates) && r.fates[r.prefix] != Pending {
		r.n++
		if r.fates[r.prefix] == Lost {
			r.lost++
		}
		r.prefix++
	}
}

// Fate returns probe i's outcome.
func (r *Run) Fate(i int) Outcome {
	if i < 0 || i >= len(r.fates) {
		return Pending
	}
	return r.fates[i]
}

// Sent is how many probes were added.
func (r *Run) Sent() int { return len(r.fates) }

// Judged returns how many probes of the resolved prefix there are and how
// many of them were lost: what the test may look at.
func (r *Run) Judged() (n, lost int) { return r.n, r.lost }

// Pending reports whether some probe's fate is still open.
func (r *Run) Pending() bool { return r.prefix < len(r.fates) }
