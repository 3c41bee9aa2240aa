package triage_test

import (
	"fmt"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/l2diag/l2diag/diag/internal/lab"
)

// The DNSSEC row of the matrix: the lab network of lab_test.go, but its two
// DNS servers are validating unbounds. They answer lab names themselves,
// as the dnsmasqs do, and resolve the signed zone secure.lab from BIND on
// the server's loopback, with its key as trust anchor. The fault: the
// zone's signatures expired three days ago (beyond unbound's allowance for
// clock skew, at most a day); the healthy variant signs it validly.
const (
	signedZone = "secure.lab"
	signedName = "www." + signedZone
)

// dnssecProfile is labProfile with the signed name looked up and fetched
// as well (over port 8080 of the web server, where its A record points).
var dnssecProfile = strings.NewReplacer(
	"dns:\n  names: ["+webName+"]", "dns:\n  names: ["+webName+", "+signedName+"]",
	`targets: ["http://`+webName+`:`+webPort+`/"]`, `targets: ["http://`+webName+`:`+webPort+`/", "http://`+signedName+`:`+webPort+`/"]`,
).Replace(labProfile)

// validators replaces the lab's DNS servers by validating unbounds in front
// of BIND serving secure.lab, signed with the dnssec-signzone options sign.
func validators(t *testing.T, n *labNet, sign ...string) {
	t.Helper()
	lab.RequireTool(t, "named", "unbound")
	dir := lab.NamedDir(t)
	// named reads the directory as its own user on some systems.
	_ = os.Chmod(dir, 0o755)
	zoneFile, anchor := lab.SignZone(t, dir, signedZone, "www IN A "+webAddr+"\n", sign...)
	auth := lab.Named(t, n.server, netip.MustParseAddrPort("127.0.0.1:53"), dir,
		fmt.Sprintf("zone %q { type primary; file %q; };\n", signedZone, zoneFile))
	// "." refuse: a name outside the lab is refused, as dnsmasq without
	// upstream servers does, instead of sent towards the root servers.
	server := fmt.Sprintf(`module-config: "validator iterator"
trust-anchor-file: %q
local-zone: "." refuse
local-zone: "lab." static
local-data: "%s. A %s"
local-zone: "%s." transparent
local-zone: "in-addr.arpa." static
local-zone: "ip6.arpa." static`, anchor, webName, webAddr, signedZone)
	stub := fmt.Sprintf("stub-zone:\n\tname: %q\n\tstub-addr: %s@%d\n", signedZone+".", auth.Addr.Addr(), auth.Addr.Port())
	for _, a := range []string{dnsA, dnsB} {
		lab.Unbound(t, n.server, netip.MustParseAddrPort(a+":53"), server, stub)
	}
}

func TestLabDNSSECScenarios(t *testing.T) {
	lab.RequireTool(t, "named", "unbound", "dnssec-keygen", "dnssec-signzone")
	if strings.Count(dnssecProfile, signedName) != 2 {
		t.Fatalf("dnssecProfile no longer adds %s to the DNS names and HTTP targets of labProfile:\n%s", signedName, dnssecProfile)
	}
	tests := []struct {
		name string
		sign []string // dnssec-signzone options
		want string
	}{
		{"validly signed zone", nil, ""},
		{"DNSSEC broken: signatures expired", []string{"-P", "-s", lab.SigTime(-30 * 24 * time.Hour), "-e", lab.SigTime(-72 * time.Hour)}, "cause.dnssec-broken"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := buildNet(t, fault{noDNSA: true, noDNSB: true})
			validators(t, n, tt.sign...)
			rep := run(t, n.client, "", "--only", "net,dns", "--profile", writeFile(t, "profile.yaml", dnssecProfile), "--timeout", "40s")
			wantOnly(t, rep, tt.want)
			if tt.want != "" && !strings.Contains(rep.Conclusions[0].Headline, signedName) {
				t.Errorf("headline %q does not name %s", rep.Conclusions[0].Headline, signedName)
			}
		})
	}
}
