package profile

import (
	"net/netip"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/l2diag/l2diag/diag/target"
)

// Org is the profile's `org:` section: the corporate-desktop checks
// (domain controllers, Kerberos clock, VPN, Wi-Fi). The org category owns
// this file and its part of default.yaml.
type Org struct {
	// Domain is the AD domain (or Kerberos realm) whose domain controllers
	// are looked for when the machine's own membership cannot be read or
	// the machine is not joined (a technician checking "could this laptop
	// log on to corp.example?"). Empty: only the joined domain.
	Domain string `yaml:"domain"`
	// DCPorts are the TCP ports tried on the nearest domain controllers.
	DCPorts []int `yaml:"dc_ports"`
	// MaxDCs bounds how many domain controllers are probed (1 to 10).
	MaxDCs int `yaml:"max_dcs"`
	// Timeout bounds each query, connect and SNTP exchange.
	Timeout Duration `yaml:"timeout"`
	// ClockSkewMax is the Kerberos tolerance the clock offset to a domain
	// controller is judged against (AD's default is 5 minutes).
	ClockSkewMax Duration `yaml:"clock_skew_max"`
	// WifiSignalWarnDBm warns when the Wi-Fi signal is below it.
	WifiSignalWarnDBm int `yaml:"wifi_signal_warn_dbm"`
	// WifiSSIDs are the organisation's Wi-Fi network names: connected to
	// another one (a guest, hotel or neighbour's network) is the wrong
	// network. Empty: any network is accepted.
	WifiSSIDs []string `yaml:"wifi_ssids"`
	// IntranetHosts are intranet servers (host names or addresses) that a
	// connected VPN must carry: their route must leave through the tunnel,
	// and their names be asked at the tunnel's DNS servers. Empty: only
	// the domain controllers are judged.
	IntranetHosts []string `yaml:"intranet_hosts"`
}

func (p *Profile) validateOrg() error {
	o := &p.Org
	o.Domain = strings.TrimSuffix(strings.TrimSpace(o.Domain), ".")
	if o.Domain != "" {
		if _, ok := dns.IsDomainName(o.Domain); !ok || !strings.Contains(o.Domain, ".") {
			return p.errorf("org.domain", "%q is not a DNS domain name (use the AD domain, e.g. corp.example)", o.Domain)
		}
	}
	for i, port := range o.DCPorts {
		if port < 1 || port > 65535 {
			return p.itemErrorf("org.dc_ports", i, "%d is not a TCP port (use 1 to 65535)", port)
		}
	}
	if o.MaxDCs < 1 || o.MaxDCs > 10 {
		return p.errorf("org.max_dcs", "%d is out of range (use 1 to 10)", o.MaxDCs)
	}
	if o.Timeout.D() < 10*time.Millisecond || o.Timeout.D() > time.Minute {
		return p.errorf("org.timeout", "%s is out of range (use 10ms to 1m)", o.Timeout)
	}
	if o.ClockSkewMax.D() < time.Second || o.ClockSkewMax.D() > 24*time.Hour {
		return p.errorf("org.clock_skew_max", "%s is out of range (use 1s to 24h)", o.ClockSkewMax)
	}
	if o.WifiSignalWarnDBm < -100 || o.WifiSignalWarnDBm > -30 {
		return p.errorf("org.wifi_signal_warn_dbm", "%d is out of range (use -100 to -30 dBm)", o.WifiSignalWarnDBm)
	}
	for i, h := range o.IntranetHosts {
		h = strings.TrimSuffix(strings.TrimSpace(h), ".")
		if _, err := netip.ParseAddr(h); err != nil {
			if target.Name(h) != nil {
				return p.itemErrorf("org.intranet_hosts", i, "%q is neither an IP address nor a host name (use e.g. intranet.corp.example or 10.20.0.5)", o.IntranetHosts[i])
			}
		}
		o.IntranetHosts[i] = h
	}
	for i, ssid := range o.WifiSSIDs {
		if ssid == "" || len(ssid) > 32 {
			return p.itemErrorf("org.wifi_ssids", i, "%q is not a Wi-Fi network name (use 1 to 32 bytes)", ssid)
		}
	}
	return nil
}
