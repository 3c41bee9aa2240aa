package profile

import "time"

// Watch is the profile's `watch:` section: how `l2diag watch` probes and
// when it calls something an outage or a degradation (docs/watch.md).
type Watch struct {
	// Interval is how often each target is probed, per kind.
	Interval WatchIntervals `yaml:"interval"`
	// Timeout is how long one probe waits for its answer; an unanswered
	// probe counts as lost.
	Timeout Duration `yaml:"timeout"`
	// OutageAfter consecutive failed probes start an outage.
	OutageAfter int `yaml:"outage_after"`
	// LossWindow is how many recent probes loss is judged over, and
	// LossEvent the share lost in it that starts a loss event.
	LossWindow int     `yaml:"loss_window"`
	LossEvent  Percent `yaml:"loss_event"`
	// LatencyFactor times the target's own baseline (and at least
	// LatencyMin above it) is a latency event.
	LatencyFactor float64  `yaml:"latency_factor"`
	LatencyMin    Duration `yaml:"latency_min"`
	// Snapshot lists the categories a snapshot at an event runs, and
	// SnapshotEvery is the least time between two snapshots.
	Snapshot      []string `yaml:"snapshot"`
	SnapshotEvery Duration `yaml:"snapshot_every"`
	// System is how often interfaces, routes and DNS servers are re-read.
	System Duration `yaml:"system"`
}

// WatchIntervals are the probe intervals per kind.
type WatchIntervals struct {
	Ping Duration `yaml:"ping"`
	TCP  Duration `yaml:"tcp"`
	DNS  Duration `yaml:"dns"`
	HTTP Duration `yaml:"http"`
}

// Bounds of the watch settings: faster than 100 ms is a flood, slower than
// 10 minutes sees no intermittent fault.
const (
	minWatchInterval = 100 * time.Millisecond
	maxWatchInterval = 10 * time.Minute
)

func (p *Profile) validateWatch() error {
	w := &p.Watch
	for _, x := range []struct {
		key string
		d   Duration
	}{{"watch.interval.ping", w.Interval.Ping}, {"watch.interval.tcp", w.Interval.TCP},
		{"watch.interval.dns", w.Interval.DNS}, {"watch.interval.http", w.Interval.HTTP}, {"watch.system", w.System}} {
		if x.d.D() < minWatchInterval || x.d.D() > maxWatchInterval {
			return p.errorf(x.key, "%s is out of range (use 100ms to 10m)", x.d)
		}
	}
	if w.Timeout.D() < 100*time.Millisecond || w.Timeout.D() > time.Minute {
		return p.errorf("watch.timeout", "%s is out of range (use 100ms to 1m)", w.Timeout)
	}
	if w.OutageAfter < 1 || w.OutageAfter > 100 {
		return p.errorf("watch.outage_after", "%d is out of range (use 1 to 100 probes)", w.OutageAfter)
	}
	if w.LossWindow < 5 || w.LossWindow > 1000 {
		return p.errorf("watch.loss_window", "%d is out of range (use 5 to 1000 probes)", w.LossWindow)
	}
	if w.LossEvent <= 0 || w.LossEvent >= 100 {
		return p.errorf("watch.loss_event", "%s is out of range (use a share between 0%% and 100%%, e.g. 10%%)", w.LossEvent)
	}
	if w.LatencyFactor < 1.5 || w.LatencyFactor > 100 {
		return p.errorf("watch.latency_factor", "%v is out of range (use 1.5 to 100)", w.LatencyFactor)
	}
	if w.LatencyMin < 0 || w.LatencyMin.D() > time.Minute {
		return p.errorf("watch.latency_min", "%s is out of range (use 0 to 1m)", w.LatencyMin)
	}
	for _, c := range w.Snapshot {
		switch c {
		case "net", "dns", "host", "perm", "org":
		default:
			return p.errorf("watch.snapshot", "unknown category %q (use net, dns, host, perm, org)", c)
		}
	}
	if w.SnapshotEvery.D() < time.Second || w.SnapshotEvery.D() > 24*time.Hour {
		return p.errorf("watch.snapshot_every", "%s is out of range (use 1s to 24h)", w.SnapshotEvery)
	}
	return nil
}
