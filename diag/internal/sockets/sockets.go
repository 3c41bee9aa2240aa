// Package sockets bounds how many sockets l2diag holds at once to what the
// process's file-descriptor limit allows. Network probes wait, they do not
// compute, so they run far wider than the CPU-bound pool; the limit they
// must respect is RLIMIT_NOFILE. Past it, socket(2) fails with EMFILE and a
// probe would report a healthy server as silent.
//
// One process-wide pool: the runner admits network checks by the sockets
// they hold at most, the DNS engine takes one per query in flight.
package sockets

import (
	"context"
	"sync"

	"golang.org/x/sync/semaphore"
)

const (
	// Cap is the most sockets in flight however high the limit: past a
	// few hundred probes at once a desktop's NAT table, its Wi-Fi and the
	// routers' ICMP rate limits start losing answers, and nothing ends
	// sooner, since every probe of a run shares one deadline.
	Cap = 512
	// reserve is what stays free for the rest of the run: stdio, the log,
	// the bundle being written, the Go resolver's and the HTTP transport's
	// own sockets, files the checks read.
	reserve = 48
	// floor is the least pool kept even under a tiny limit: one probe at
	// a time still gives a verdict, only slower.
	floor = 4
)

// Limits is what the budget was sized from, for the log and the report.
type Limits struct {
	// Soft and Hard are RLIMIT_NOFILE after the raise (0: no such limit
	// on this OS).
	Soft, Hard uint64
	// InUse is how many descriptors were open when the pool was sized.
	InUse int
	// Budget is the pool's size in sockets.
	Budget int
	// RaiseError says why the soft limit could not be raised to the hard
	// one (empty when it was, or already was, or the OS has no limit).
	RaiseError string
}

var (
	once   sync.Once
	limits Limits
	pool   *semaphore.Weighted
)

func setup() {
	once.Do(func() {
		limits = readLimits()
		limits.Budget = budgetFor(limits)
		pool = semaphore.NewWeighted(int64(limits.Budget))
	})
}

// budgetFor sizes the pool: what the soft limit leaves after the open
// descriptors and the reserve, between floor and Cap.
func budgetFor(l Limits) int {
	if l.Soft == 0 {
		return Cap
	}
	free := int64(l.Soft) - int64(l.InUse) - reserve
	return int(max(min(free, Cap), floor))
}

// Current returns the limits the pool was sized from, reading and raising
// RLIMIT_NOFILE on first use.
func Current() Limits {
	setup()
	return limits
}

// Budget is the pool's size in sockets.
func Budget() int { return Current().Budget }

// Clamp returns n within 1 and the pool's size, so that one request can
// always be met, however many sockets a check would like.
func Clamp(n int) int { return max(1, min(n, Budget())) }

// Acquire takes n sockets (clamped) from the pool, waiting until they are
// free or ctx ends. It returns the number taken, for Release.
func Acquire(ctx context.Context, n int) (int, error) {
	n = Clamp(n)
	if err := pool.Acquire(ctx, int64(n)); err != nil {
		return 0, err
	}
	return n, nil
}

// Release gives back what Acquire took.
func Release(n int) {
	if n > 0 {
		pool.Release(int64(n))
	}
}
