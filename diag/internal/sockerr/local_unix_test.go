//go:build !windows

package sockerr

import (
	"net"
	"testing"

	"github.com/l2diag/l2diag/diag/internal/sockerr/sockerrtest"
)

// A real refusal: with its descriptor limit reached, this process cannot
// create a socket, and the dial error must read as local.
func TestIsLocalRealDescriptorLimit(t *testing.T) {
	ln, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	sockerrtest.ExhaustDescriptors(t)
	_, err = net.Dial("udp", ln.LocalAddr().String())
	if err == nil {
		t.Skip("the dial got a descriptor anyway")
	}
	if !IsLocal(err) {
		t.Errorf("IsLocal(%v) = false (%s), want true", err, Classify(err))
	}
}
