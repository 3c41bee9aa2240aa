package sockets

import (
	"context"
	"testing"
)

func TestBudgetFor(t *testing.T) {
	tests := []struct {
		name string
		l    Limits
		want int
	}{
		{"no limit on this OS", Limits{}, Cap},
		{"high limit: the cap", Limits{Soft: 1 << 20, Hard: 1 << 20, InUse: 10}, Cap},
		{"ulimit -n 256", Limits{Soft: 256, Hard: 256, InUse: 10}, 256 - 10 - reserve},
		{"ulimit -n 64", Limits{Soft: 64, Hard: 64, InUse: 10}, 64 - 10 - reserve},
		{"ulimit -n 50", Limits{Soft: 50, Hard: 50, InUse: 10}, floor},
		{"more open than allowed", Limits{Soft: 16, Hard: 16, InUse: 40}, floor},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := budgetFor(tt.l); got != tt.want {
				t.Errorf("budgetFor(%+v) = %d, want %d", tt.l, got, tt.want)
			}
		})
	}
}

// TestCurrentReadsTheLimit: the soft limit is read (and raised to the hard
// one, which Go's runtime already did at start) and the pool sized from it.
func TestCurrentReadsTheLimit(t *testing.T) {
	l := Current()
	if l.RaiseError != "" {
		t.Logf("raise: %s", l.RaiseError)
	}
	if l.Soft != 0 && l.Soft < l.Hard && l.RaiseError == "" {
		t.Errorf("soft %d below hard %d without an error", l.Soft, l.Hard)
	}
	if l.Budget != budgetFor(l) || l.Budget < floor || l.Budget > Cap {
		t.Errorf("budget %d from %+v", l.Budget, l)
	}
	n, err := Acquire(context.Background(), 10*Cap)
	if err != nil || n != l.Budget {
		t.Fatalf("Acquire(huge) = %d, %v; want the whole pool (%d)", n, err, l.Budget)
	}
	Release(n)
}
