package profile

// DNS is the profile's `dns:` section: targets and thresholds of the dns checks.
// The dns category owns this file and its part of default.yaml.
type DNS struct{}

func (p *Profile) validateDNS() error { return nil }
