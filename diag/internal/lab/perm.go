package lab

import (
	"os"
	"testing"
)

// UserDir returns a directory under the temp directory (not t.TempDir(),
// whose root-only parent stops the user) that the unprivileged test user
// may write, removed when t ends.
func UserDir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "l2diag-user-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	return dir
}

// L2diagAsEnv is L2diagAs with extra environment variables ("TMPDIR=/x")
// for the binary, e.g. to point it at a temp directory the test built.
// user "" runs it as root.
func (ns *NS) L2diagAsEnv(user string, env []string, args ...string) Result {
	ns.lab.t.Helper()
	var prefix []string
	if user != "" {
		prefix = []string{"setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups", "--inh-caps=-all", "--"}
	}
	prefix = append(prefix, "env")
	prefix = append(prefix, env...)
	return ns.runBinary(prefix, args)
}
