package profile

// Perm is the profile's `perm:` section: targets and thresholds of the perm checks.
// The perm category owns this file and its part of default.yaml.
type Perm struct{}

func (p *Profile) validatePerm() error { return nil }
