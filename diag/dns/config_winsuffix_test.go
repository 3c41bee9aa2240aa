package dnscheck

import (
	"strings"
	"testing"
)

func TestWindowsSearchList(t *testing.T) {
	tests := []struct {
		name        string
		in          winSuffixes
		want        string
		wantPrimary string
		wantSource  string
	}{
		{"primary then adapters", winSuffixes{Primary: "corp.example", Adapters: []string{"wifi.example", "corp.example"}},
			"corp.example wifi.example", "corp.example", "primary"},
		{"policy primary wins", winSuffixes{Primary: "old.example", PolicyPrimary: "ad.corp.example", Adapters: []string{"lan.example"}},
			"ad.corp.example lan.example", "ad.corp.example", "primary"},
		{"local search list replaces the rest", winSuffixes{Primary: "corp.example", SearchList: "a.example,b.example", Adapters: []string{"lan.example"}},
			"a.example b.example", "corp.example", "Tcpip"},
		{"policy search list wins over the local one", winSuffixes{SearchList: "a.example", PolicySearchList: "gpo.example, corp.example."},
			"gpo.example corp.example", "", "group policy"},
		{"nothing", winSuffixes{}, "", "", "primary"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list, primary, src := tt.in.searchList()
			if strings.Join(list, " ") != tt.want || primary != tt.wantPrimary || !strings.Contains(src, tt.wantSource) {
				t.Errorf("searchList = %v, %q, %q; want %q, %q, source with %q", list, primary, src, tt.want, tt.wantPrimary, tt.wantSource)
			}
		})
	}
}
