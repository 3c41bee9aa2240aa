package profile

import "testing"

func TestOrgWifiSSIDs(t *testing.T) {
	p, err := Load(writeProfile(t, "name: x\norg:\n  wifi_ssids: [CorpWLAN, Corp 5G]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Org.WifiSSIDs; len(got) != 2 || got[1] != "Corp 5G" {
		t.Errorf("wifi_ssids = %q", got)
	}
	if d := Default().Org.WifiSSIDs; len(d) != 0 {
		t.Errorf("default wifi_ssids = %q, want none (any network)", d)
	}
}
