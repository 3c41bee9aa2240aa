package watch

import (
	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/report"
)

// The codes `l2diag watch` reports (docs/findings.md, docs/watch.md).
var (
	FindingOutage = diag.FindingSpec{
		Code: "watch.outage", Status: report.StatusFail,
		Meaning: "While watching, the target stopped answering for several probes in a row (an outage), one or more times.",
		Hint:    "See the watch's summary for where the fault sits (the gateway failing too means the local network or Wi-Fi) and the snapshot taken at the event.",
	}
	FindingLoss = diag.FindingSpec{
		Code: "watch.loss-burst", Status: report.StatusWarn,
		Meaning: "While watching, the target lost a notable share of probes for a while without going down.",
		Hint:    "Compare with the gateway's loss at the same time in the timeline: loss at the gateway too is the local link (Wi-Fi, cable, port), loss only beyond it is upstream.",
	}
	FindingLatency = diag.FindingSpec{
		Code: "watch.latency-spike", Status: report.StatusWarn,
		Meaning: "While watching, the target's round trip rose far above its own baseline for several probes.",
		Hint:    "Spikes on every target at once point at this machine or its link (a large upload, Wi-Fi retries); on one target only, at that target or its path.",
	}
	FindingIntermittent = diag.FindingSpec{
		Code: "watch.intermittent", Status: report.StatusFail,
		Meaning: "The watch's verdict over time: how many outages and loss bursts, when, and where they sit (this machine's link, the local network, beyond the gateway, DNS, one target).",
		Hint:    "Act on the place named; the bundle's raw/watch/timeline.html shows every target over time with the events marked.",
	}
)

// Findings lists the watch's codes.
func Findings() []diag.FindingSpec {
	return []diag.FindingSpec{FindingOutage, FindingLoss, FindingLatency, FindingIntermittent}
}
