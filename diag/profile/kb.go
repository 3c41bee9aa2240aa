package profile

import (
	"path/filepath"
	"strings"
)

// KB is the profile's `kb:` section: where the team's knowledge base of
// known fixes lives (docs/knowledge.md). L2DIAG_KB adds folders to it.
type KB struct {
	// Paths are folders of entries (or single entry files). A relative
	// path is relative to the profile file's folder, so a KB can ship
	// beside the profile.
	Paths []string `yaml:"paths"`
}

// Dir is the folder of the profile file, "" for a built-in profile.
func (p *Profile) Dir() string {
	if strings.HasPrefix(p.Source, "built-in:") || p.Source == "" {
		return ""
	}
	return filepath.Dir(p.Source)
}

func (p *Profile) validateKB() error {
	for i, path := range p.KB.Paths {
		if strings.TrimSpace(path) == "" {
			return p.errorf("kb.paths", "entry %d is empty (give a folder of KB entries)", i+1)
		}
	}
	return nil
}
