package lab

// L2diagUnder runs the built binary inside the namespace as root under a
// wrapper command (strace injecting a fault), prefix first.
func (ns *NS) L2diagUnder(prefix []string, args ...string) Result {
	ns.lab.t.Helper()
	return ns.runBinary(prefix, args)
}
