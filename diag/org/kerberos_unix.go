//go:build !windows

package orgcheck

import (
	"fmt"
	"os"
	"runtime"
	"strings"
)

// ccacheLocation is where MIT Kerberos looks: KRB5CCNAME, else
// /tmp/krb5cc_UID. A cache in a kernel keyring or sssd's KCM is not a file.
func ccacheLocation() (kind, path string) {
	name := os.Getenv("KRB5CCNAME")
	switch {
	case name == "" && runtime.GOOS == "darwin":
		// macOS keeps tickets in its credential cache service.
		return "API", "default"
	case name == "":
		return "FILE", fmt.Sprintf("/tmp/krb5cc_%d", os.Getuid())
	}
	if kind, rest, ok := strings.Cut(name, ":"); ok && !strings.Contains(kind, "/") {
		return strings.ToUpper(kind), rest
	}
	return "FILE", name
}
