package dnscheck

// systemPaths are where Linux keeps the resolver configuration.
var systemPaths = Paths{
	ResolvConf:   "/etc/resolv.conf",
	ResolvedConf: "/run/systemd/resolve/resolv.conf",
	NSSwitch:     "/etc/nsswitch.conf",
	Hosts:        "/etc/hosts",
}

// systemConfig reads the configuration in effect.
func systemConfig(p Paths) (*Config, []rawFile, error) { return LoadConfigFiles(p) }
