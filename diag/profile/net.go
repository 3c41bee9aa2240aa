package profile

// Net is the profile's `net:` section: targets and thresholds of the net checks.
// The net category owns this file and its part of default.yaml.
type Net struct{}

func (p *Profile) validateNet() error { return nil }
