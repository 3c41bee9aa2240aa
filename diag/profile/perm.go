package profile

import (
	"fmt"
	"strings"

	"github.com/l2diag/l2diag/diag/target"
	"go.yaml.in/yaml/v3"
)

// Perm is the profile's `perm:` section: targets and thresholds of the perm checks.
// The perm category owns this file and its part of default.yaml.
type Perm struct {
	// Paths are checked like --path: "[MODES=]PATH", MODES from r, w, x
	// (default r). A leading ~/ is the home of the user l2diag runs as.
	Paths []string `yaml:"paths"`
	// CredentialFiles must not be readable by other users (group or world);
	// ~/ expands as in Paths. Missing files are not a problem.
	CredentialFiles []string `yaml:"credential_files"`
	// SSHDir is the directory whose private keys are checked; default ~/.ssh.
	SSHDir string   `yaml:"ssh_dir"`
	Sudo   PermSudo `yaml:"sudo"`
	Temp   PermTemp `yaml:"temp"`
}

// PermSudo configures the sudo check.
type PermSudo struct {
	// Timeout bounds `sudo -n -l` (a slow LDAP or SSSD lookup can stall
	// it); the check's own deadline caps it. Default 5s.
	Timeout Duration `yaml:"timeout"`
}

// PermTemp configures the temp directory check.
type PermTemp struct {
	// MinFreeMB warns when the temp directory's file system has less free
	// space for this user, in MiB. Default 512; 0 turns it off.
	MinFreeMB int64 `yaml:"min_free_mb"`
	// MinFreePercent warns below this share of free space. Default 5; 0
	// turns it off.
	MinFreePercent float64 `yaml:"min_free_percent"`
}

// TargetPaths returns the parsed paths (validated at load time).
func (p Perm) TargetPaths() []target.Path {
	var out []target.Path
	for _, s := range p.Paths {
		if tp, err := target.ParsePath(s); err == nil {
			out = append(out, tp)
		}
	}
	return out
}

func (p *Profile) validatePerm() error {
	for i, s := range p.Perm.Paths {
		if _, err := target.ParsePath(s); err != nil {
			return p.itemErrorf("perm.paths", i, "%v", err)
		}
	}
	for i, s := range p.Perm.CredentialFiles {
		if s == "" {
			return p.itemErrorf("perm.credential_files", i, "empty path (use e.g. ~/.netrc)")
		}
	}
	if p.Perm.Sudo.Timeout <= 0 {
		return p.errorf("perm.sudo.timeout", "%s is not a positive duration (use e.g. 5s)", p.Perm.Sudo.Timeout)
	}
	if p.Perm.Temp.MinFreeMB < 0 {
		return p.errorf("perm.temp.min_free_mb", "%d is negative (use a size in MiB, e.g. 512, or 0 to turn the check off)", p.Perm.Temp.MinFreeMB)
	}
	if p.Perm.Temp.MinFreePercent < 0 || p.Perm.Temp.MinFreePercent > 100 {
		return p.errorf("perm.temp.min_free_percent", "%g is out of range (use 0 to 100, e.g. 5)", p.Perm.Temp.MinFreePercent)
	}
	return nil
}

// itemErrorf is errorf for the i-th item of a list, with that item's line.
func (p *Profile) itemErrorf(key string, i int, format string, args ...any) error {
	e := p.errorf(key, format, args...).(*Error)
	e.Key = fmt.Sprintf("%s[%d]", key, i)
	if n := p.listNode(key); n != nil && i < len(n.Content) {
		e.Line = n.Content[i].Line
	}
	return e
}

// listNode finds the sequence node of a dotted key, or nil.
func (p *Profile) listNode(key string) *yaml.Node {
	if p.root == nil || len(p.root.Content) == 0 {
		return nil
	}
	n := p.root.Content[0]
	for _, part := range strings.Split(key, ".") {
		if n.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == part {
				next = n.Content[i+1]
			}
		}
		if next == nil {
			return nil
		}
		n = next
	}
	if n.Kind != yaml.SequenceNode {
		return nil
	}
	return n
}
