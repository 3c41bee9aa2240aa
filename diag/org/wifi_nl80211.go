package orgcheck

import "github.com/l2diag/l2diag/diag/internal/wlan"

// fromWlan is an nl80211 link as org-wifi reports it, band and channel
// derived from the frequency.
func fromWlan(l wlan.Link) wifiLink {
	w := wifiLink{Interface: l.Interface, Connected: l.Connected, SSID: l.SSID, BSSID: l.BSSID, FreqMHz: l.FreqMHz,
		SignalDBm: l.SignalDBm, SignalKnown: l.SignalKnown, RxMbps: l.RxMbps, TxMbps: l.TxMbps, Source: wlan.Source}
	w.Band, w.Channel = bandChannel(l.FreqMHz)
	return w
}
