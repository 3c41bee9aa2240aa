package orgcheck

import (
	"bufio"
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/report"
)

// wifiLink is one Wi-Fi interface's association, as the OS tool reports
// it. Zero values are "not reported" (SignalKnown keeps 0 dBm apart).
type wifiLink struct {
	Interface   string  `json:"interface"`
	Connected   bool    `json:"connected"`
	SSID        string  `json:"ssid,omitempty"`
	BSSID       string  `json:"bssid,omitempty"`
	FreqMHz     int     `json:"freq_mhz,omitempty"`
	Band        string  `json:"band,omitempty"`
	Channel     int     `json:"channel,omitempty"`
	SignalDBm   int     `json:"signal_dbm,omitempty"`
	SignalKnown bool    `json:"-"`
	SignalPct   int     `json:"signal_percent,omitempty"`
	RxMbps      float64 `json:"rx_mbps,omitempty"`
	TxMbps      float64 `json:"tx_mbps,omitempty"`
	Source      string  `json:"source"`
}

// wifiCheck is org-wifi with the OS reader replaceable in tests.
type wifiCheck struct {
	read func(ctx context.Context) ([]wifiLink, error)
}

var wifiSpec = diag.Spec{
	ID: IDWifi, Category: diag.CategoryOrg, Phase: diag.PhaseProbe,
	Finds:    "the Wi-Fi link (nl80211, iw, netsh, airport): SSID, BSSID, band/channel, signal and rate; weak signal, not one of the organisation's networks",
	Findings: []diag.FindingSpec{FindingWifiWeak, FindingWifiWrongNetwork},
	Plan:     diag.Once(runWifi),
}

func runWifi(ctx context.Context, env *diag.Env) report.Result {
	return wifiCheck{read: osWifi}.run(ctx, env)
}

func (c wifiCheck) run(ctx context.Context, env *diag.Env) report.Result {
	links, err := c.read(ctx)
	if err != nil {
		return diag.Errored(err)
	}
	if len(links) == 0 {
		return diag.Skipped("No Wi-Fi adapter found on this machine.")
	}
	var res report.Result
	res.SetDetail("wifi", links)
	warn := env.Profile.Org.WifiSignalWarnDBm
	var parts []string
	for _, l := range links {
		if !l.Connected {
			parts = append(parts, l.Interface+" not connected")
			continue
		}
		if f := wrongNetwork(l, env.Profile.Org.WifiSSIDs); f != nil {
			res.AddFinding(*f)
		}
		s := fmt.Sprintf("%s on %q", l.Interface, l.SSID)
		if l.Band != "" {
			s += fmt.Sprintf(" (%s, channel %d)", l.Band, l.Channel)
		}
		if l.SignalKnown {
			s += fmt.Sprintf(", %d dBm", l.SignalDBm)
			if l.SignalDBm < warn {
				res.AddFinding(FindingWifiWeak.Finding(fmt.Sprintf("The Wi-Fi signal on %s (%q, access point %s) is %d dBm, below %d dBm.", l.Interface, l.SSID, l.BSSID, l.SignalDBm, warn),
					map[string]any{"interface": l.Interface, "ssid": l.SSID, "bssid": l.BSSID, "signal_dbm": l.SignalDBm, "threshold_dbm": warn, "band": l.Band, "channel": l.Channel}))
			}
		}
		parts = append(parts, s)
	}
	res.Summary = "Wi-Fi: " + strings.Join(parts, "; ") + "."
	return res
}

// bandChannel derives band and channel from a centre frequency (IEEE
// 802.11 channel plans for 2.4, 5 and 6 GHz).
func bandChannel(mhz int) (string, int) {
	switch {
	case mhz == 2484:
		return "2.4 GHz", 14
	case mhz >= 2412 && mhz < 2484:
		return "2.4 GHz", (mhz - 2407) / 5
	case mhz >= 5160 && mhz <= 5895:
		return "5 GHz", (mhz - 5000) / 5
	case mhz >= 5955 && mhz <= 7115:
		return "6 GHz", (mhz - 5950) / 5
	}
	return "", 0
}

// bandOfChannel guesses the band of a channel number when no frequency is
// reported (netsh older than Windows 11 reports no band).
func bandOfChannel(ch int) string {
	switch {
	case ch >= 1 && ch <= 14:
		return "2.4 GHz"
	case ch >= 32 && ch <= 177:
		return "5 GHz"
	}
	return ""
}

// parseIwLink parses `iw dev IF link` (iw's link.c): "Not connected." or
// "Connected to BSSID (on IF)" followed by tab-indented "key: value" lines.
func parseIwLink(ifc, out string) wifiLink {
	l := wifiLink{Interface: ifc, Source: "iw dev " + ifc + " link"}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if rest, ok := strings.CutPrefix(line, "Connected to "); ok {
			l.Connected = true
			l.BSSID = strings.ToLower(strings.Fields(rest)[0])
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch k {
		case "SSID":
			l.SSID = v
		case "freq":
			f, _ := strconv.ParseFloat(strings.Fields(v + " 0")[0], 64)
			l.FreqMHz = int(f)
			l.Band, l.Channel = bandChannel(l.FreqMHz)
		case "signal":
			if n, err := strconv.Atoi(strings.Fields(v + " x")[0]); err == nil {
				l.SignalDBm, l.SignalKnown = n, true
			}
		case "rx bitrate":
			l.RxMbps = leadingFloat(v)
		case "tx bitrate":
			l.TxMbps = leadingFloat(v)
		}
	}
	return l
}

// parseProcWireless parses /proc/net/wireless: the link quality and the
// signal level (dBm on current drivers) per interface; no SSID.
func parseProcWireless(data string) []wifiLink {
	var out []wifiLink
	sc := bufio.NewScanner(strings.NewReader(data))
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		name = strings.TrimSpace(name)
		if !ok || strings.Contains(name, "|") || name == "" {
			continue // the two header lines
		}
		f := strings.Fields(rest)
		if len(f) < 3 {
			continue
		}
		l := wifiLink{Interface: name, Source: "/proc/net/wireless"}
		if lvl, err := strconv.ParseFloat(strings.TrimSuffix(f[2], "."), 64); err == nil && lvl < 0 {
			l.SignalDBm, l.SignalKnown, l.Connected = int(lvl), true, true
		}
		out = append(out, l)
	}
	return out
}

// parseNetshWlan parses `netsh wlan show interfaces` (English UI): one
// block per interface, "    Key   : value" lines. Signal is a percentage;
// the dBm is Windows' own mapping back (quality/2 - 100, WlanGetNetwork
// BssList's documented conversion).
func parseNetshWlan(out string) []wifiLink {
	var links []wifiLink
	var cur *wifiLink
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), " : ")
		if !ok {
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if k == "Name" {
			links = append(links, wifiLink{Interface: v, Source: "netsh wlan show interfaces"})
			cur = &links[len(links)-1]
			continue
		}
		if cur == nil {
			continue
		}
		switch k {
		case "State":
			cur.Connected = v == "connected"
		case "SSID":
			cur.SSID = v
		case "BSSID", "AP BSSID":
			cur.BSSID = strings.ToLower(v)
		case "Band":
			cur.Band = v
		case "Channel":
			cur.Channel, _ = strconv.Atoi(v)
			if cur.Band == "" {
				cur.Band = bandOfChannel(cur.Channel)
			}
		case "Receive rate (Mbps)":
			cur.RxMbps = leadingFloat(v)
		case "Transmit rate (Mbps)":
			cur.TxMbps = leadingFloat(v)
		case "Signal":
			if p, err := strconv.Atoi(strings.TrimSuffix(v, "%")); err == nil {
				cur.SignalPct = p
				cur.SignalDBm, cur.SignalKnown = p/2-100, true
			}
		case "Rssi":
			// Windows 11 24H2 and later print the RSSI itself.
			if n, err := strconv.Atoi(v); err == nil {
				cur.SignalDBm, cur.SignalKnown = n, true
			}
		}
	}
	return links
}

// parseAirport parses macOS's `airport -I` ("key: value", right-aligned
// keys): agrCtlRSSI, BSSID, SSID, channel ("36,80"), lastTxRate.
func parseAirport(ifc, out string) wifiLink {
	l := wifiLink{Interface: ifc, Source: "airport -I"}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ": ")
		if !ok {
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch k {
		case "agrCtlRSSI":
			if n, err := strconv.Atoi(v); err == nil && n != 0 {
				l.SignalDBm, l.SignalKnown = n, true
			}
		case "state":
			l.Connected = v == "running"
		case "BSSID":
			l.BSSID = strings.ToLower(v)
		case "SSID":
			l.SSID = v
		case "channel":
			ch, _, _ := strings.Cut(v, ",")
			l.Channel, _ = strconv.Atoi(ch)
			l.Band = bandOfChannel(l.Channel)
		case "lastTxRate":
			l.TxMbps = leadingFloat(v)
		}
	}
	return l
}

func leadingFloat(s string) float64 {
	f, _ := strconv.ParseFloat(strings.Fields(s + " 0")[0], 64)
	return f
}
