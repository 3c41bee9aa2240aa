package hostcheck

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/report"
	"github.com/shirou/gopsutil/v4/common"
)

// stopEarly is how long before the check's deadline the check stops
// waiting on the OS and writes its own result naming what stalled. The
// runner accepts a result up to 150 ms after the deadline; 100 ms before it
// leaves room for the result to be built and handed over.
const stopEarly = 100 * time.Millisecond

// withMargin returns ctx with its deadline moved stopEarly earlier.
func withMargin(ctx context.Context) (context.Context, context.CancelFunc) {
	return withEnd(ctx, stopEarly)
}

// withEnd returns ctx with its deadline moved earlier by d.
func withEnd(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if dl, ok := ctx.Deadline(); ok {
		return context.WithDeadline(ctx, dl.Add(-d))
	}
	return context.WithCancel(ctx)
}

// stalledError says an OS query did not return before the deadline.
type stalledError struct {
	what string
}

func (e *stalledError) Error() string {
	return fmt.Sprintf("host: %s did not answer before the check's deadline", e.what)
}

// guard runs fn in a goroutine and returns when it does or when ctx ends.
// gopsutil ignores its context in most calls (file reads in /proc, statfs),
// and such a call can block forever (a dead network mount, a wedged
// driver); the goroutine is then abandoned, which a one-shot CLI can afford.
func guard[T any](ctx context.Context, what string, fn func(context.Context) (T, error)) (T, error) {
	type out struct {
		v   T
		err error
	}
	ch := make(chan out, 1)
	go func() {
		v, err := fn(ctx)
		ch <- out{v, err}
	}()
	select {
	case o := <-ch:
		return o.v, o.err
	case <-ctx.Done():
		var zero T
		if ctx.Err() == context.Canceled {
			return zero, fmt.Errorf("host: %s: %w", what, ctx.Err())
		}
		return zero, &stalledError{what: what}
	}
}

// failed turns an error from a required OS query into the check's result:
// a stalled query is a finding, anything else means the check could not run.
func failed(err error, summary string) report.Result {
	var se *stalledError
	if errors.As(err, &se) {
		res := report.Result{Summary: summary, Error: err.Error()}
		res.AddFinding(FindingOSStalled.Finding(fmt.Sprintf("Reading %s did not finish before the check's deadline.", se.what), map[string]any{"query": se.what}))
		return res
	}
	res := diag.Errored(err)
	res.Summary = summary
	return res
}

// hostPath returns a path below one of the host roots gopsutil knows
// (HOST_PROC, HOST_RUN, ...): from the context's common.EnvMap, else the
// environment variable, else the default. Tests and container setups point
// gopsutil and our own reads at another root the same way.
func hostPath(ctx context.Context, key common.EnvKeyType, def string, parts ...string) string {
	root := ""
	if m, ok := ctx.Value(common.EnvKey).(common.EnvMap); ok {
		root = m[key]
	}
	if root == "" {
		root = os.Getenv(string(key))
	}
	if root == "" {
		root = def
	}
	return filepath.Join(append([]string{root}, parts...)...)
}
