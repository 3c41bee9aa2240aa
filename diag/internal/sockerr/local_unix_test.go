//go:build !windows

package sockerr

import (
	"net"
	"os"
	"syscall"
	"testing"
)

// A real refusal: with its descriptor limit reached, this process cannot
// create a socket, and the dial error must read as local.
func TestIsLocalRealDescriptorLimit(t *testing.T) {
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &old); err != nil {
		t.Skipf("getrlimit: %v", err)
	}
	ln, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var files []*os.File
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &syscall.Rlimit{Cur: 64, Max: old.Max}); err != nil {
		t.Skipf("setrlimit: %v", err)
	}
	defer syscall.Setrlimit(syscall.RLIMIT_NOFILE, &old)
	for range 64 {
		f, err := os.Open(os.DevNull)
		if err != nil {
			break
		}
		files = append(files, f)
	}
	_, err = net.Dial("udp", ln.LocalAddr().String())
	if err == nil {
		t.Skip("the dial got a descriptor anyway")
	}
	if !IsLocal(err) {
		t.Errorf("IsLocal(%v) = false (%s), want true", err, Classify(err))
	}
}
