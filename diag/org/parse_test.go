package orgcheck

import (
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestParseWifi(t *testing.T) {
	tests := []struct {
		name  string
		parse func(string) []wifiLink
		file  string
		want  wifiLink
	}{
		{"iw 5 GHz weak", func(s string) []wifiLink { return []wifiLink{parseIwLink("wlp2s0", s)} }, "iw-link-5ghz-weak.txt",
			wifiLink{Interface: "wlp2s0", Connected: true, SSID: "CorpWLAN", BSSID: "3c:37:86:5e:aa:01", FreqMHz: 5180, Band: "5 GHz", Channel: 36, SignalDBm: -74, SignalKnown: true, RxMbps: 58.5, TxMbps: 117}},
		{"iw 2.4 GHz good", func(s string) []wifiLink { return []wifiLink{parseIwLink("wlan0", s)} }, "iw-link-24ghz-good.txt",
			wifiLink{Interface: "wlan0", Connected: true, SSID: "CorpWLAN", BSSID: "3c:37:86:5e:aa:02", FreqMHz: 2437, Band: "2.4 GHz", Channel: 6, SignalDBm: -48, SignalKnown: true, RxMbps: 144.4, TxMbps: 130}},
		{"iw not connected", func(s string) []wifiLink { return []wifiLink{parseIwLink("wlan0", s)} }, "iw-link-not-connected.txt",
			wifiLink{Interface: "wlan0"}},
		{"proc wireless", parseProcWireless, "proc-net-wireless.txt",
			wifiLink{Interface: "wlp2s0", Connected: true, SignalDBm: -74, SignalKnown: true}},
		{"netsh Windows 11 (Rssi wins over the percentage)", parseNetshWlan, "netsh-wlan-win11.txt",
			wifiLink{Interface: "Wi-Fi", Connected: true, SSID: "CorpWLAN", BSSID: "3c:37:86:5e:aa:03", Band: "5 GHz", Channel: 44, SignalDBm: -79, SignalKnown: true, SignalPct: 38, RxMbps: 286.8, TxMbps: 286.8}},
		{"netsh Windows 10 (percentage mapped to dBm)", parseNetshWlan, "netsh-wlan-win10.txt",
			wifiLink{Interface: "Wi-Fi", Connected: true, SSID: "CorpWLAN", BSSID: "3c:37:86:5e:aa:04", Band: "2.4 GHz", Channel: 6, SignalDBm: -54, SignalKnown: true, SignalPct: 92, RxMbps: 144.4, TxMbps: 144.4}},
		{"netsh disconnected", parseNetshWlan, "netsh-wlan-disconnected.txt",
			wifiLink{Interface: "Wi-Fi"}},
		{"airport", func(s string) []wifiLink { return []wifiLink{parseAirport("en0", s)} }, "airport-I.txt",
			wifiLink{Interface: "en0", Connected: true, SSID: "CorpWLAN", BSSID: "3c:37:86:5e:aa:05", Band: "5 GHz", Channel: 149, SignalDBm: -81, SignalKnown: true, TxMbps: 24}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.parse(readTestdata(t, tt.file))
			if len(got) != 1 {
				t.Fatalf("got %d links, want 1: %+v", len(got), got)
			}
			g := got[0]
			g.Source = ""
			if g != tt.want {
				t.Errorf("got  %+v\nwant %+v", g, tt.want)
			}
		})
	}
}

func TestBandChannel(t *testing.T) {
	tests := []struct {
		mhz  int
		band string
		ch   int
	}{
		{2412, "2.4 GHz", 1}, {2484, "2.4 GHz", 14}, {5500, "5 GHz", 100}, {5975, "6 GHz", 5}, {900, "", 0},
	}
	for _, tt := range tests {
		if b, c := bandChannel(tt.mhz); b != tt.band || c != tt.ch {
			t.Errorf("bandChannel(%d) = %q, %d; want %q, %d", tt.mhz, b, c, tt.band, tt.ch)
		}
	}
}

func TestUnixMembership(t *testing.T) {
	td := func(n string) string { return filepath.Join("testdata", n) }
	keytab := filepath.Join(t.TempDir(), "krb5.keytab")
	if err := os.WriteFile(keytab, []byte{5, 2}, 0o600); err != nil {
		t.Fatal(err)
	}
	none := filepath.Join(t.TempDir(), "absent")
	tests := []struct {
		name         string
		p            unixPaths
		joined       bool
		domain, seen string
	}{
		{"sssd ad join", unixPaths{SSSD: td("sssd-ad.conf"), Krb5: none, Keytab: none, SMB: none}, true, "corp.example.com", ""},
		{"sssd files domain only", unixPaths{SSSD: td("sssd-local.conf"), Krb5: none, Keytab: none, SMB: none}, false, "", ""},
		{"winbind ads", unixPaths{SSSD: none, Krb5: none, Keytab: none, SMB: td("smb-ads.conf")}, true, "corp.example.com", ""},
		{"Debian's default krb5.conf without a keytab is not a join", unixPaths{SSSD: none, Krb5: td("krb5-debian-default.conf"), Keytab: none, SMB: none}, false, "", "ATHENA.MIT.EDU"},
		{"krb5.conf with a host keytab", unixPaths{SSSD: none, Krb5: td("krb5-debian-default.conf"), Keytab: keytab, SMB: none}, true, "athena.mit.edu", "ATHENA.MIT.EDU"},
		{"nothing", unixPaths{SSSD: none, Krb5: none, Keytab: none, SMB: none}, false, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := readUnixMembership(tt.p)
			if m.Joined != tt.joined || m.Domain != tt.domain || m.Seen["default_realm"] != tt.seen {
				t.Errorf("got joined=%v domain=%q seen=%v; want %v %q %q", m.Joined, m.Domain, m.Seen, tt.joined, tt.domain, tt.seen)
			}
		})
	}
	if os.Geteuid() != 0 {
		dir := t.TempDir()
		locked := filepath.Join(dir, "sssd.conf")
		if err := os.WriteFile(locked, []byte("[sssd]\n"), 0o000); err != nil {
			t.Fatal(err)
		}
		m := readUnixMembership(unixPaths{SSSD: locked, Krb5: none, Keytab: none, SMB: none})
		if m.Joined || len(m.Unreadable) != 1 {
			t.Errorf("an unreadable sssd.conf: got joined=%v unreadable=%v, want one unreadable entry", m.Joined, m.Unreadable)
		}
	}
}

func TestParseProcRoute(t *testing.T) {
	v4 := "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n" +
		"eth0\t00000000\t0100A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n" +
		"tun0\t0000140A\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n" +
		"tun0\t0000000A\t00000000\t0001\t0\t0\t0\t000000FF\t0\t0\t0\n"
	if got, want := parseProcRoute([]byte(v4), "tun0"), []string{"10.20.0.0/16", "10.0.0.0/8"}; !slices.Equal(got, want) {
		t.Errorf("v4: got %v, want %v", got, want)
	}
	v6 := "fd000000000000000000000000000000 08 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     tun0\n" +
		"fe800000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     tun0\n"
	if got, want := parseProcIPv6Route([]byte(v6), "tun0"), []string{"fd00::/8"}; !slices.Equal(got, want) {
		t.Errorf("v6: got %v, want %v", got, want)
	}
}

func TestTunnelNames(t *testing.T) {
	for name, want := range map[string]bool{
		"tun0": true, "wg0": true, "ppp0": true, "utun3": true, "tailscale0": true, "gpd0": true, "cscotun0": true,
		"OpenVPN TAP-Windows6": true, "WireGuard Tunnel": true, "PANGP Virtual Ethernet Adapter": true,
		"eth0": false, "wlp2s0": false, "Ethernet 2": false, "Wi-Fi": false, "docker0": false, "br-lan": false, "lo": false,
	} {
		if got := isTunnelName(name); got != want {
			t.Errorf("isTunnelName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestParseCCacheRejects(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "version"},
		{"Heimdal's old version 0x0501", []byte{5, 1, 0, 0}, "not supported"},
		{"truncated principal", []byte{5, 4, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 'C'}, "truncated"},
		{"absurd component count", []byte{5, 4, 0, 0, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff}, "components"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseCCache(tt.data)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestScopedFor(t *testing.T) {
	a, b := netip.MustParseAddrPort("10.1.1.1:53"), netip.MustParseAddrPort("10.2.2.2:53")
	scoped := map[string][]netip.AddrPort{".corp.example": {a}, "emea.corp.example": {b}, ".other.example": {b}}
	tests := []struct {
		domain, ns string
	}{
		{"corp.example", ".corp.example"},
		{"emea.corp.example", "emea.corp.example"},
		{"sub.emea.corp.example", "emea.corp.example"},
		{"notcorp.example", ""},
		{"example", ""},
	}
	for _, tt := range tests {
		if ns, _ := scopedFor(tt.domain, scoped); ns != tt.ns {
			t.Errorf("scopedFor(%q) = %q, want %q", tt.domain, ns, tt.ns)
		}
	}
}
