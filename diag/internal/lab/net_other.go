//go:build !linux

package lab

import "net"

// Listen is Linux-only; the lab skips elsewhere (see Require).
func (ns *NS) Listen(network, addr string) net.Listener {
	ns.lab.t.Helper()
	ns.lab.t.Skip("lab: namespaces need Linux")
	return nil
}

// ListenPacket is Linux-only; the lab skips elsewhere (see Require).
func (ns *NS) ListenPacket(network, addr string) net.PacketConn {
	ns.lab.t.Helper()
	ns.lab.t.Skip("lab: namespaces need Linux")
	return nil
}

// Tun is Linux-only; the lab skips elsewhere (see Require).
func (ns *NS) Tun(name string) {
	ns.lab.t.Helper()
	ns.lab.t.Skip("lab: namespaces need Linux")
}

// Do is Linux-only; the lab skips elsewhere (see Require).
func (ns *NS) Do(fn func() error) error {
	ns.lab.t.Helper()
	ns.lab.t.Skip("lab: namespaces need Linux")
	return nil
}
