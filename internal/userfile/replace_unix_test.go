//go:build unix

package userfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckReplaceable(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "old.zip")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.zip")
	if err := os.Symlink(file, link); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		path string
		want string // "" for allowed
	}{
		{"absent", filepath.Join(dir, "new.zip"), ""},
		{"regular file", file, ""},
		{"parent missing", filepath.Join(dir, "no", "b.zip"), ""},
		{"device", "/dev/null", "character device"},
		{"fifo", MakeFIFO(t, dir), "FIFO"},
		{"directory", dir, "directory"},
		{"symbolic link", link, "symbolic link"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckReplaceable(tc.path)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("CheckReplaceable(%s) = %v, want nil", tc.path, err)
			case tc.want != "" && (err == nil || !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.path)):
				t.Errorf("CheckReplaceable(%s) = %v, want ErrNotRegular naming the path and %q", tc.path, err, tc.want)
			}
		})
	}
}
