//go:build linux

package wire

import (
	"context"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestKindOfRealEMFILE runs an Exchange in a child process whose descriptor
// limit is used up: the real "socket: too many open files" must be
// KindLocal (this machine), never KindTimeout (the server's silence).
func TestKindOfRealEMFILE(t *testing.T) {
	if os.Getenv("WIRE_EMFILE_CHILD") == "1" {
		emfileChild()
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestKindOfRealEMFILE$")
	cmd.Env = append(os.Environ(), "WIRE_EMFILE_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
}

func emfileChild() {
	// Hold descriptors until the (lowered) limit is reached.
	lim := unix.Rlimit{Cur: 64, Max: 64}
	if err := unix.Setrlimit(unix.RLIMIT_NOFILE, &lim); err != nil {
		panic(err)
	}
	var held []net.PacketConn
	for {
		c, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			break
		}
		held = append(held, c)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, err := Exchange(ctx, Query{Server: netip.MustParseAddrPort("127.0.0.1:53"), Name: "example.test", Type: TypeA, Via: UDP})
	if err == nil || Kind(err) != KindLocal {
		println("Exchange under EMFILE:", err.Error(), "kind", string(Kind(err)))
		os.Exit(1)
	}
	for _, c := range held {
		_ = c.Close()
	}
}
