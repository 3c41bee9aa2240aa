package permcheck

import (
	"context"
	"testing"
	"time"

	"github.com/l2diag/l2diag/diag/target"
	"github.com/l2diag/l2diag/report"
)

// TestPathStalled: a walk stuck in the kernel (simulated: it ignores ctx
// like a stat on a dead hard mount) is reported by name before the
// deadline, not left to the runner's generic timeout.
func TestPathStalled(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	orig := walkFn
	t.Cleanup(func() { walkFn = orig })
	walkFn = func(ctx context.Context, p target.Path, tr *tracker) (*walk, error) {
		tr.at("/mnt/nfs")
		<-release
		return nil, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), stopMargin+300*time.Millisecond)
	defer cancel()
	res := runPath(ctx, target.Path{Path: "/mnt/nfs/share/file", Access: target.Access{Read: true}})
	if len(res.Findings) != 1 || res.Findings[0].Code != "perm.path-stalled" {
		t.Fatalf("findings = %+v, want perm.path-stalled", res.Findings)
	}
	if got := res.Findings[0].Evidence["component"]; got != "/mnt/nfs" {
		t.Errorf("component = %v, want /mnt/nfs", got)
	}
	if res.Status != report.StatusFail {
		t.Errorf("status = %s, want fail", res.Status)
	}
}
