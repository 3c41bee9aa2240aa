package dnscheck

// systemPaths are where macOS keeps the resolver configuration:
// /etc/resolv.conf mirrors the primary resolvers, /etc/resolver/DOMAIN
// adds per-domain ones (VPN clients write them).
var systemPaths = Paths{
	ResolvConf:  "/etc/resolv.conf",
	ResolverDir: "/etc/resolver",
	Hosts:       "/etc/hosts",
}

// systemConfig reads the configuration in effect.
func systemConfig(p Paths) (*Config, []rawFile, error) { return LoadConfigFiles(p) }
