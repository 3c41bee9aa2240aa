//go:build linux

package lab

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"

	"golang.org/x/sys/unix"
)

// Listen opens a listener inside the namespace from the test process: the
// socket is created on a thread switched into the namespace and stays
// there, so the test can serve it (httptest, a TCP accept loop) with its
// own code and certificates. The listener is closed when the test ends.
func (ns *NS) Listen(network, addr string) net.Listener {
	ns.lab.t.Helper()
	var l net.Listener
	err := ns.inNetns(func() error {
		var err error
		l, err = net.Listen(network, addr)
		return err
	})
	if err != nil {
		ns.lab.t.Fatalf("lab: listen %s %s in %s: %v", network, addr, ns.Name, err)
	}
	ns.lab.t.Cleanup(func() { _ = l.Close() })
	return l
}

// ListenPacket is Listen for datagrams: a UDP socket opened inside the
// namespace (e.g. an SNTP responder bound to one address, so replies leave
// from the address the client asked), closed when the test ends.
func (ns *NS) ListenPacket(network, addr string) net.PacketConn {
	ns.lab.t.Helper()
	var pc net.PacketConn
	err := ns.inNetns(func() error {
		var err error
		pc, err = net.ListenPacket(network, addr)
		return err
	})
	if err != nil {
		ns.lab.t.Fatalf("lab: listen %s %s in %s: %v", network, addr, ns.Name, err)
	}
	ns.lab.t.Cleanup(func() { _ = pc.Close() })
	return pc
}

// inNetns runs fn on an OS thread switched into the namespace. A thread
// that cannot be switched back is left locked, so the runtime discards it
// instead of reusing it in the wrong namespace.
func (ns *NS) inNetns(fn func() error) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		self, err := os.Open(fmt.Sprintf("/proc/self/task/%d/ns/net", unix.Gettid()))
		if err != nil {
			errc <- err
			return
		}
		defer self.Close()
		target, err := os.Open(filepath.Join("/run/netns", ns.Name))
		if err != nil {
			errc <- err
			return
		}
		defer target.Close()
		if err := unix.Setns(int(target.Fd()), unix.CLONE_NEWNET); err != nil {
			errc <- fmt.Errorf("setns: %w", err)
			return
		}
		ferr := fn()
		if err := unix.Setns(int(self.Fd()), unix.CLONE_NEWNET); err != nil {
			errc <- ferr
			return // thread stays locked and dies with this goroutine
		}
		runtime.UnlockOSThread()
		errc <- ferr
	}()
	return <-errc
}

// Tun creates a tun device (IFF_TUN, no packet info) inside the namespace
// and holds it open for the rest of the test, as a VPN client does: the
// link has carrier while the descriptor is open. Packets routed into it
// are read by nobody, like a tunnel whose far end is gone.
func (ns *NS) Tun(name string) {
	ns.lab.t.Helper()
	var fd int
	err := ns.inNetns(func() error {
		var err error
		fd, err = unix.Open("/dev/net/tun", unix.O_RDWR|unix.O_CLOEXEC, 0)
		if err != nil {
			return err
		}
		ifr, err := unix.NewIfreq(name)
		if err != nil {
			return err
		}
		ifr.SetUint16(unix.IFF_TUN | unix.IFF_NO_PI)
		return unix.IoctlIfreq(fd, unix.TUNSETIFF, ifr)
	})
	if err != nil {
		ns.lab.t.Fatalf("lab: tun %s in %s: %v", name, ns.Name, err)
	}
	ns.lab.t.Cleanup(func() { _ = unix.Close(fd) })
}

// Do runs fn in the namespace on one locked OS thread, for tests that
// call a reader in-process: the sockets and netlink requests fn makes
// itself see the namespace's interfaces and routes (goroutines fn starts
// do not).
func (ns *NS) Do(fn func() error) error {
	ns.lab.t.Helper()
	return ns.inNetns(fn)
}
