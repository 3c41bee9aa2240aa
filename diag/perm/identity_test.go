package permcheck

import "testing"

func TestICMPFinding(t *testing.T) {
	yes, no := true, false
	tests := []struct {
		name string
		id   identity
		want bool
	}{
		{"ping program has cap_net_raw", identity{User: "u", PingAdmitted: &no, RawSockets: &no, PingProgram: "/usr/bin/ping: cap_net_raw", PingWorks: &yes}, false},
		{"ping program without privilege", identity{User: "u", PingAdmitted: &no, RawSockets: &no, PingProgram: "/usr/bin/ping: none", PingWorks: &no}, true},
		{"no ping program found", identity{User: "u", PingAdmitted: &no, RawSockets: &no}, true},
		{"group admitted", identity{User: "u", PingAdmitted: &yes, RawSockets: &no}, false},
		{"raw sockets", identity{User: "u", PingAdmitted: &no, RawSockets: &yes}, false},
		{"not known", identity{User: "u"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, got := icmpFinding(tt.id)
			if got != tt.want {
				t.Fatalf("got finding %v (%q), want %v", got, f.Message, tt.want)
			}
			if got && f.Code != "perm.identity-no-icmp" {
				t.Errorf("code %q", f.Code)
			}
		})
	}
}
