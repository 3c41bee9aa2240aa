package lab

import (
	"strings"
	"testing"
)

// TestLabLinkAndDrop builds two namespaces joined by a veth pair, pings
// across, then drops ICMP with nft and sees the ping fail: the lab's pieces
// do what the network tests rely on.
func TestLabLinkAndDrop(t *testing.T) {
	RequireTool(t, "ping")
	l := New(t)
	a, b := l.Namespace("a"), l.Namespace("b")
	l.Link(a, "10.77.0.1/24", b, "10.77.0.2/24")
	if out, err := a.Run("ping", "-c", "1", "-W", "2", "10.77.0.2"); err != nil {
		t.Fatalf("ping across the link failed: %v\n%s", err, out)
	}
	b.Nft(`table inet lab {
		chain in {
			type filter hook input priority 0; ip protocol icmp drop
		}
	}`)
	if out, err := a.Run("ping", "-c", "1", "-W", "1", "10.77.0.2"); err == nil {
		t.Fatalf("ping went through an nft drop rule:\n%s", out)
	}
	a.SetResolvConf("nameserver 10.77.0.2\n")
	out := a.MustRun("cat", "/etc/resolv.conf")
	if !strings.Contains(out, "10.77.0.2") {
		t.Errorf("namespace resolv.conf not bound over /etc/resolv.conf: %q", out)
	}
}
