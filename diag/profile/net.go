package profile

// Net is the profile's `net:` section: targets and thresholds of the net checks.
// The net category owns this file and its part of default.yaml.
type Net struct{}

// Hostnames returns the host names (not IP literals) of every net target
// in the profile, so the DNS checks resolve them too.
func (n Net) Hostnames() []string { return nil }

func (p *Profile) validateNet() error { return nil }
