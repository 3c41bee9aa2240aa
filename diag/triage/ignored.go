package triage

// ignored lists the problem finding codes no rule reads, with the reason.
// TestEveryProblemCodeConsidered makes every new code land either in a rule
// or here.
var ignored = map[string]string{
	"check.panic":            "a bug in l2diag, not a cause on this machine; the report shows it",
	"check.interrupted":      "the run was cut short; the report says so",
	"check.budget-exhausted": "the run's budget was too small; the report says so",
	"net.trace-unprivileged": "a missing privilege of l2diag, not a fault",
	// Events of l2diag watch: its own verdict places them over time; a
	// one-shot run never carries them.
	"watch.outage":        "a watch event, judged by the watch verdict",
	"watch.loss-burst":    "a watch event, judged by the watch verdict",
	"watch.latency-spike": "a watch event, judged by the watch verdict",
	"watch.intermittent":  "a watch event, judged by the watch verdict",
}
