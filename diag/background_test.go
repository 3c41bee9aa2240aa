package diag

import (
	"net/url"
	"testing"

	"github.com/l2diag/l2diag/diag/profile"
	"github.com/l2diag/l2diag/diag/target"
	"github.com/l2diag/l2diag/report"
)

func TestMarkBackground(t *testing.T) {
	anchor := profile.Default().Net.TCP.Targets[0]
	conn := profile.Default().Net.HTTP.Connectivity[0].URL
	hp, err := target.ParseHostPort(anchor)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(conn)
	tests := []struct {
		name    string
		targets *Targets
		want    map[string]bool // target → background
	}{
		{"built-in probes and their follow-ups are background", &Targets{}, map[string]bool{
			anchor: true, conn: true, targetHost(anchor): true, "10.2.0.10:8080": false, "": false}},
		{"the anchor named with --tcp is the user's", &Targets{TCP: []target.HostPort{hp}}, map[string]bool{
			anchor: false, targetHost(anchor): false, conn: true}},
		{"a connectivity URL named with --http is the user's", &Targets{HTTP: []*url.URL{u}}, map[string]bool{
			conn: false, anchor: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rs []report.Result
			for target := range tt.want {
				rs = append(rs, report.Result{Check: "net-x", Category: "net", Target: target})
			}
			rs = append(rs, report.Result{Check: "host-clock", Category: "host"})
			rs = append(rs, report.Result{Check: "dns-resolve", Category: "dns", Target: targetHost(conn)})
			MarkBackground(rs, profile.Default(), tt.targets)
			for _, r := range rs {
				if want := tt.want[r.Target]; r.Category == "net" && r.Background != want {
					t.Errorf("%q: background = %v, want %v", r.Target, r.Background, want)
				}
				if r.Category == "dns" && r.Background != tt.want[conn] {
					t.Errorf("the lookup of %s: background = %v, want %v like its URL", r.Target, r.Background, tt.want[conn])
				}
				if r.Category == "host" && r.Background {
					t.Errorf("host-clock marked background")
				}
			}
		})
	}
}
