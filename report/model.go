// Package report holds the result model of an l2diag run (schema version 1),
// its renderers and the bundle that carries it. It imports nothing else of
// l2diag: checks produce its types, the CLI and ticket clients consume them.
package report

import (
	"encoding/json"
	"fmt"
	"time"
)

// SchemaVersion is the version of the JSON contract described in
// docs/report-schema.md. Additive changes keep it; a breaking change bumps it.
const SchemaVersion = 1

// Status is the verdict of a result, a finding or a whole run.
type Status string

// The statuses, in rising severity. A run's status is the worst of its results.
const (
	StatusOK      Status = "ok"
	StatusSkipped Status = "skipped"
	StatusWarn    Status = "warn"
	StatusError   Status = "error"
	StatusFail    Status = "fail"
)

// Statuses lists every status in rising severity.
var Statuses = []Status{StatusOK, StatusSkipped, StatusWarn, StatusError, StatusFail}

// Severity orders statuses; the empty status counts as ok (a result not yet
// judged), an unknown one ranks above fail so it is never hidden.
func (s Status) Severity() int {
	if s == "" {
		return 0
	}
	for i, st := range Statuses {
		if st == s {
			return i
		}
	}
	return len(Statuses)
}

// Worse returns the more severe of s and o.
func (s Status) Worse(o Status) Status {
	if o.Severity() > s.Severity() {
		return o
	}
	return s
}

// Problem reports whether the status needs a technician's attention.
func (s Status) Problem() bool {
	return s == StatusWarn || s == StatusFail || s == StatusError
}

// Valid reports whether s is one of the defined statuses.
func (s Status) Valid() bool { return s != "" && s.Severity() < len(Statuses) }

// Report is one run of l2diag, as written to report.json.
type Report struct {
	SchemaVersion int    `json:"schema_version"`
	Tool          Tool   `json:"tool"`
	Host          Host   `json:"host"`
	Profile       string `json:"profile,omitempty"`
	// Intake is what the user reported, as 1st level recorded it (l2diag
	// ask, or run --symptom/--since/--scope/--note).
	Intake      *Intake        `json:"intake,omitempty"`
	StartedAt   time.Time      `json:"started_at"`
	DurationMS  int64          `json:"duration_ms"`
	Status      Status         `json:"status"`
	Summary     map[Status]int `json:"summary"`
	Interrupted bool           `json:"interrupted,omitempty"`
	// BudgetCut counts the results the run's time budget cut short or
	// never started (code CodeBudgetExhausted): checks without a verdict.
	BudgetCut   int          `json:"budget_cut,omitempty"`
	Conclusions []Conclusion `json:"conclusions,omitempty"`
	// TellUser is one sentence in plain words for the user: where the
	// fault is and who fixes it (triage.Tell). Human outputs lead with it.
	TellUser string   `json:"tell_user,omitempty"`
	Results  []Result `json:"results"`
	// Handoff is the note for the team that takes the case over when a
	// conclusion's owner is not resolve-here (see BuildHandoff).
	Handoff *Handoff `json:"handoff,omitempty"`
}

// Tool names the program that wrote the report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Host identifies the machine the report is about.
type Host struct {
	Hostname string `json:"hostname"`
	OS       string `json:"os"`
	Arch     string `json:"arch"`
}

// Result is the outcome of one check against one target.
type Result struct {
	Check      string             `json:"check"`
	Category   string             `json:"category"`
	Target     string             `json:"target"`
	Status     Status             `json:"status"`
	Summary    string             `json:"summary"`
	Findings   []Finding          `json:"findings"`
	Metrics    map[string]float64 `json:"metrics"`
	DurationMS int64              `json:"duration_ms"`
	Degraded   bool               `json:"degraded"`
	Error      string             `json:"error,omitempty"`
	// Details holds structured data a check wants to show beyond metrics
	// (an interface list, the hops of a trace). Free-form but snake_case keyed.
	Details map[string]any `json:"details,omitempty"`
	// Background marks a result of one of the built-in profile's
	// background probes (the public TCP anchor, the connectivity URLs)
	// that the user did not name: triage ranks conclusions drawn only from
	// them after those about the user's own targets.
	Background bool `json:"background,omitempty"`
}

// Finding is one observation of a check: a problem, or a notable fact.
type Finding struct {
	Code     string         `json:"code"`
	Status   Status         `json:"status"`
	Message  string         `json:"message"`
	Hint     string         `json:"hint"`
	Evidence map[string]any `json:"evidence"`
}

// Conclusion is what triage derives from several results: the likely cause.
type Conclusion struct {
	Code       string   `json:"code"`
	Status     Status   `json:"status"`
	Headline   string   `json:"headline"`
	Confidence string   `json:"confidence"`
	NextStep   string   `json:"next_step"`
	Escalation string   `json:"escalation"`
	Evidence   []string `json:"evidence"`
	// Explains lists the results ("check target") whose every problem
	// this conclusion (with those before it) accounts for: consequences a
	// reader need not chase separately.
	Explains []string `json:"explains,omitempty"`
	// Detail is the evidence the headline and next step refer to, in
	// brief (a certificate's issuer, names and expiry, a trace's path,
	// each server's DNS answer, the proxy): see EvidenceBrief.
	Detail string `json:"detail,omitempty"`
	// KnownFixes are the knowledge-base entries that match this
	// conclusion, most specific first (docs/knowledge.md).
	KnownFixes []KnownFix `json:"known_fixes,omitempty"`
	// SolvedTickets are resolved tickets and articles about the same
	// cause, most recent first.
	SolvedTickets []SolvedTicket `json:"solved_tickets,omitempty"`
}

// KnownFix is a knowledge-base entry that matches a conclusion.
type KnownFix struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Where is the entry's link, else the path of its file.
	Where string `json:"where"`
	// Score is how specifically it matched: higher is more specific.
	Score int `json:"score"`
	// Matched lists the conditions that held ("cause cause.dns-down",
	// "evidence server=10.8.0.1", "os windows").
	Matched []string `json:"matched"`
}

// SolvedTicket is a resolved ticket, known-error record or article found
// for a conclusion's cause code.
type SolvedTicket struct {
	// System is jira or servicenow; Kind is issue, incident, problem or
	// kb_knowledge.
	System     string    `json:"system"`
	Kind       string    `json:"kind"`
	Key        string    `json:"ticket"`
	Title      string    `json:"title"`
	Resolution string    `json:"resolution,omitempty"`
	ResolvedAt time.Time `json:"resolved_at,omitzero"`
	URL        string    `json:"url,omitempty"`
}

// AddFinding appends a finding and raises the result's status to at least the
// finding's status. Findings of status ok record notable facts.
func (r *Result) AddFinding(f Finding) {
	if f.Evidence == nil {
		f.Evidence = map[string]any{}
	}
	r.Findings = append(r.Findings, f)
	if r.Status == "" {
		r.Status = StatusOK
	}
	r.Status = r.Status.Worse(f.Status)
}

// SetMetric records a numeric measurement.
func (r *Result) SetMetric(name string, v float64) {
	if r.Metrics == nil {
		r.Metrics = map[string]float64{}
	}
	r.Metrics[name] = v
}

// SetDetail records structured data under a snake_case key.
func (r *Result) SetDetail(name string, v any) {
	if r.Details == nil {
		r.Details = map[string]any{}
	}
	r.Details[name] = v
}

// Normalize fills empty collections and a missing status so every result
// marshals to the same shape.
func (r *Result) Normalize() {
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	for i := range r.Findings {
		if r.Findings[i].Evidence == nil {
			r.Findings[i].Evidence = map[string]any{}
		}
	}
	if r.Metrics == nil {
		r.Metrics = map[string]float64{}
	}
	if r.Status == "" {
		r.Status = StatusOK
	}
}

// Finish computes the run's status and summary from its results.
func (rep *Report) Finish() {
	rep.SchemaVersion = SchemaVersion
	rep.Status = StatusOK
	rep.Summary = map[Status]int{}
	for _, s := range Statuses {
		rep.Summary[s] = 0
	}
	if rep.Results == nil {
		rep.Results = []Result{}
	}
	rep.BudgetCut = 0
	for i := range rep.Results {
		rep.Results[i].Normalize()
		st := rep.Results[i].Status
		rep.Summary[st]++
		rep.Status = rep.Status.Worse(st)
		for _, f := range rep.Results[i].Findings {
			if f.Code == CodeBudgetExhausted {
				rep.BudgetCut++
				break
			}
		}
	}
}

// CodeBudgetExhausted is the finding of a check the run's time budget cut
// short or never started; the runner emits it, the report counts it.
const CodeBudgetExhausted = "check.budget-exhausted"

// HeadlineStatus is the status people read at the top of a report: the
// run's status, except that a run of ok and skipped results reads OK (its
// JSON status, the worst of them, is "skipped").
func (rep *Report) HeadlineStatus() Status {
	return rep.Status.Headline(rep.Summary[StatusOK] > 0)
}

// Problems counts results that are warn, error or fail.
func (rep *Report) Problems() int {
	return rep.Summary[StatusWarn] + rep.Summary[StatusError] + rep.Summary[StatusFail]
}

// Degraded counts results that ran with reduced privilege or a fallback.
func (rep *Report) Degraded() int {
	n := 0
	for _, r := range rep.Results {
		if r.Degraded {
			n++
		}
	}
	return n
}

// Decode reads a report.json, refusing a schema newer than this build knows.
func Decode(data []byte) (*Report, error) {
	var probe struct {
		SchemaVersion int `json:"schema_version"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("report: not a report.json: %w", err)
	}
	if probe.SchemaVersion < 1 {
		return nil, fmt.Errorf("report: schema_version missing or %d; this is not an l2diag report", probe.SchemaVersion)
	}
	if probe.SchemaVersion > SchemaVersion {
		return nil, fmt.Errorf("report: schema_version %d is newer than this l2diag understands (%d); upgrade l2diag", probe.SchemaVersion, SchemaVersion)
	}
	var rep Report
	if err := json.Unmarshal(data, &rep); err != nil {
		return nil, fmt.Errorf("report: decode report.json: %w", err)
	}
	return &rep, nil
}

// Mark is the one-character status mark of human reports.
func (s Status) Mark() string {
	switch s {
	case StatusOK:
		return "✓"
	case StatusSkipped:
		return "-"
	case StatusWarn:
		return "!"
	case StatusError:
		return "?"
	case StatusFail:
		return "✗"
	}
	return "?"
}

// ASCIIMark is Mark for output that must stay ASCII.
func (s Status) ASCIIMark() string {
	switch s {
	case StatusOK:
		return "[ok]"
	case StatusSkipped:
		return "[skip]"
	case StatusWarn:
		return "[warn]"
	case StatusError:
		return "[error]"
	case StatusFail:
		return "[FAIL]"
	}
	return "[?]"
}

// Headline is the status people read at the top of a report or category.
// The JSON status of a run of ok and skipped results is "skipped" (the
// worst of them, as the schema says), but "SKIPPED" over a healthy run
// reads as "nothing was checked": when something was ok, people see OK.
func (s Status) Headline(anyOK bool) Status {
	if s == StatusSkipped && anyOK {
		return StatusOK
	}
	return s
}
