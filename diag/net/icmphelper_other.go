//go:build !windows

package netcheck

// icmpTraceGap: no platform but wine has a gap.
func icmpTraceGap() error { return nil }
