package triage

// ignored lists the problem finding codes no rule reads, with the reason.
// TestEveryProblemCodeConsidered makes every new code land either in a rule
// or here.
var ignored = map[string]string{
	"check.panic":            "a bug in l2diag, not a cause on this machine; the report shows it",
	"check.interrupted":      "the run was cut short; the report says so",
	"check.budget-exhausted": "the run's budget was too small; the report says so",
	"net.trace-unprivileged": "a missing privilege of l2diag, not a fault",
	// A local socket failure (wine's missing ioctl, a broken winsock
	// catalog) is this machine's error: the check says so and no network
	// or server cause may be drawn from it.
	"net.local-error": "this machine could not make the attempt; the check reports it as its own error",
	"dns.local-error": "this machine could not send the query; the check reports it as its own error",
}
