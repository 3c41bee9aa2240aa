package lab

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
