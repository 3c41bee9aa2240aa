// Package wlan reads Wi-Fi associations through nl80211 (Linux's wireless
// netlink family, what `iw` itself asks) with github.com/mdlayher/wifi:
// SSID, BSSID, frequency, signal and bit rates, without running a tool.
// The org-wifi check and the watch's roam events share it.
package wlan

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/mdlayher/wifi"
)

// Link is one station-mode Wi-Fi interface's association. Zero values are
// "not reported"; SignalKnown keeps 0 dBm apart from "no signal".
type Link struct {
	Interface   string
	Connected   bool
	SSID        string
	BSSID       string // lower-case, colon-separated
	FreqMHz     int
	SignalDBm   int
	SignalKnown bool
	RxMbps      float64
	TxMbps      float64
}

// Source names where Link's values come from, for the report.
const Source = "nl80211"

// readTimeout bounds the netlink exchange when the caller's context has
// no deadline: nl80211 answers from the kernel's memory in milliseconds,
// a stuck driver must not hold the check or the watch's sampling.
const readTimeout = 2 * time.Second

// ErrUnavailable says nl80211 cannot be asked here (not Linux, no
// wireless stack in the kernel, no netlink socket): the caller falls back.
var ErrUnavailable = errors.New("wlan: nl80211 not available")

// Read lists the station-mode Wi-Fi interfaces and their associations.
// No Wi-Fi interface is an empty list; an error wrapping ErrUnavailable
// means nl80211 could not be asked at all.
func Read(ctx context.Context) ([]Link, error) {
	c, err := wifi.New()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	defer c.Close()
	dl, ok := ctx.Deadline()
	if !ok {
		dl = time.Now().Add(readTimeout)
	}
	_ = c.SetDeadline(dl)
	ifs, err := c.Interfaces()
	if err != nil {
		return nil, fmt.Errorf("%w: interfaces: %w", ErrUnavailable, err)
	}
	var out []Link
	for _, ifi := range ifs {
		if ifi.Name == "" || ifi.Type != wifi.InterfaceTypeStation {
			continue // P2P devices, monitor and AP interfaces
		}
		bss, err := c.BSS(ifi)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("wlan: %s: scan state: %w", ifi.Name, err)
		}
		var st []*wifi.StationInfo
		if bss != nil {
			st, err = c.StationInfo(ifi)
			if err != nil && !errors.Is(err, os.ErrNotExist) {
				return nil, fmt.Errorf("wlan: %s: station: %w", ifi.Name, err)
			}
		}
		out = append(out, FromNL80211(ifi, bss, st))
	}
	return out, nil
}

// FromNL80211 maps what nl80211 says of one interface to a Link: the BSS
// it is associated with (nil: not connected) and the station entries
// (in station mode, the access point; the one whose address is the BSSID
// is used). The station's last signal wins over the scan's, as `iw dev
// IF link` prints it.
func FromNL80211(ifi *wifi.Interface, bss *wifi.BSS, stations []*wifi.StationInfo) Link {
	l := Link{Interface: ifi.Name}
	if bss == nil || (bss.Status != wifi.BSSStatusAssociated && bss.Status != wifi.BSSStatusIBSSJoined) {
		return l
	}
	l.Connected = true
	l.SSID = bss.SSID
	l.BSSID = bss.BSSID.String()
	l.FreqMHz = bss.Frequency
	if l.FreqMHz == 0 {
		l.FreqMHz = ifi.Frequency
	}
	if bss.Signal != 0 {
		l.SignalDBm, l.SignalKnown = int(bss.Signal/100), true
	}
	var sta *wifi.StationInfo
	for _, s := range stations {
		if s == nil {
			continue
		}
		if sta == nil || bytes.Equal(s.HardwareAddr, bss.BSSID) {
			sta = s
		}
	}
	if sta != nil {
		switch {
		case sta.Signal != 0:
			l.SignalDBm, l.SignalKnown = sta.Signal, true
		case sta.SignalAverage != 0:
			l.SignalDBm, l.SignalKnown = sta.SignalAverage, true
		}
		l.RxMbps = float64(sta.ReceiveBitrate) / 1e6
		l.TxMbps = float64(sta.TransmitBitrate) / 1e6
	}
	return l
}
