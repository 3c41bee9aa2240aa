package netcheck

import (
	"testing"

	psnet "github.com/shirou/gopsutil/v4/net"
)

func TestCounterFindings(t *testing.T) {
	base := psnet.IOCountersStat{Name: "eth0", Errin: 5, Errout: 1, Dropin: 100, Dropout: 0}
	with := func(f func(*psnet.IOCountersStat)) map[string]psnet.IOCountersStat {
		c := base
		f(&c)
		return map[string]psnet.IOCountersStat{"eth0": c}
	}
	for _, tt := range []struct {
		name  string
		after map[string]psnet.IOCountersStat
		want  string // the finding's message, "" for none
	}{
		{"no second sample", nil, ""},
		{"unchanged", with(func(*psnet.IOCountersStat) {}), ""},
		{"one new error", with(func(c *psnet.IOCountersStat) { c.Errout++ }), "eth0 had 1 errors and dropped 0 packets in 1s."},
		{"a few benign drops", with(func(c *psnet.IOCountersStat) { c.Dropin += dropsWorthWarning - 1 }), ""},
		{"drops worth a warning", with(func(c *psnet.IOCountersStat) { c.Dropin += dropsWorthWarning }), "eth0 had 0 errors and dropped 20 packets in 1s."},
		{"counters reset", with(func(c *psnet.IOCountersStat) { c.Errin = 0; c.Dropin = 500 }), ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			infos := []ifaceInfo{{Name: "eth0"}, {Name: "wlan0"}}
			got := counterFindings(infos, map[string]psnet.IOCountersStat{"eth0": base}, tt.after, "1s")
			if infos[0].ErrorsIn != 5 || infos[0].DropsIn != 100 || infos[1].ErrorsIn != 0 {
				t.Errorf("counters not copied from the first sample: %+v", infos)
			}
			switch {
			case tt.want == "" && len(got) != 0:
				t.Errorf("got %d findings (%s), want none", len(got), got[0].Message)
			case tt.want != "" && (len(got) != 1 || got[0].Message != tt.want || got[0].Code != FindingIfaceErrors.Code):
				t.Errorf("got %+v, want one %s: %q", got, FindingIfaceErrors.Code, tt.want)
			}
		})
	}
}
