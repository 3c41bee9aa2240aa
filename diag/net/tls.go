package netcheck

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"math"
	"net"
	"time"

	"github.com/l2diag/l2diag/report"
)

// verifyChain verifies the server's chain for host against roots, as
// crypto/tls would.
func verifyChain(cs tls.ConnectionState, host string, roots *x509.CertPool) error {
	if len(cs.PeerCertificates) == 0 {
		return errors.New("net: the server sent no certificate")
	}
	inter := x509.NewCertPool()
	for _, c := range cs.PeerCertificates[1:] {
		inter.AddCert(c)
	}
	_, err := cs.PeerCertificates[0].Verify(x509.VerifyOptions{DNSName: host, Roots: roots, Intermediates: inter})
	return err
}

// tlsInfo is details.tls.
type tlsInfo struct {
	Version  string   `json:"version"`
	Cipher   string   `json:"cipher"`
	ALPN     string   `json:"alpn,omitempty"`
	Subject  string   `json:"subject"`
	Issuer   string   `json:"issuer"`
	SANs     []string `json:"sans"`
	NotAfter string   `json:"not_after"`
	Verified bool     `json:"verified"`
	Chain    []string `json:"chain"`
}

func tlsDetails(cs *tls.ConnectionState, verified bool) tlsInfo {
	in := tlsInfo{Version: tls.VersionName(cs.Version), Cipher: tls.CipherSuiteName(cs.CipherSuite),
		ALPN: cs.NegotiatedProtocol, Verified: verified, SANs: []string{}, Chain: []string{}}
	if len(cs.PeerCertificates) > 0 {
		leaf := cs.PeerCertificates[0]
		in.Subject, in.Issuer = leaf.Subject.String(), leaf.Issuer.String()
		in.SANs = sans(leaf)
		in.NotAfter = leaf.NotAfter.UTC().Format(time.RFC3339)
	}
	for _, c := range cs.PeerCertificates {
		in.Chain = append(in.Chain, c.Subject.String())
	}
	return in
}

func sans(c *x509.Certificate) []string {
	out := append([]string{}, c.DNSNames...)
	for _, ip := range c.IPAddresses {
		out = append(out, ip.String())
	}
	return out
}

// certFindings tells apart why a chain was rejected. Each problem is
// checked on its own, so an expired certificate from an untrusted issuer
// reports both.
func certFindings(res *report.Result, cs *tls.ConnectionState, host string, verr error, roots *x509.CertPool, ev map[string]any) {
	if cs == nil || len(cs.PeerCertificates) == 0 {
		res.AddFinding(FindingTLSHandshake.Finding(fmt.Sprintf("The certificate of %s could not be verified: %v.", host, verr), ev))
		return
	}
	leaf := cs.PeerCertificates[0]
	ev["subject"], ev["issuer"], ev["sans"] = leaf.Subject.String(), leaf.Issuer.String(), sans(leaf)
	ev["not_before"], ev["not_after"] = leaf.NotBefore.UTC().Format(time.RFC3339), leaf.NotAfter.UTC().Format(time.RFC3339)
	ev["host"] = host
	found := false
	now := time.Now()
	if now.After(leaf.NotAfter) || now.Before(leaf.NotBefore) {
		found = true
		msg := fmt.Sprintf("The certificate of %s expired on %s.", host, leaf.NotAfter.UTC().Format("2006-01-02"))
		if now.Before(leaf.NotBefore) {
			msg = fmt.Sprintf("The certificate of %s is not valid before %s (check this machine's clock).", host, leaf.NotBefore.UTC().Format("2006-01-02"))
		}
		res.AddFinding(FindingTLSExpired.Finding(msg, ev))
	}
	if err := leaf.VerifyHostname(host); err != nil {
		found = true
		res.AddFinding(FindingTLSNameMismatch.Finding(fmt.Sprintf("The certificate is for %v, not %s.", sans(leaf), host), ev))
	}
	// The chain itself, at a moment the leaf is valid, so expiry does not
	// mask an untrusted issuer.
	inter := x509.NewCertPool()
	for _, c := range cs.PeerCertificates[1:] {
		inter.AddCert(c)
	}
	at := leaf.NotBefore.Add(leaf.NotAfter.Sub(leaf.NotBefore) / 2)
	_, err := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: at})
	var ua x509.UnknownAuthorityError
	switch {
	case errors.As(err, &ua):
		found = true
		top := cs.PeerCertificates[len(cs.PeerCertificates)-1]
		ev["chain_top_issuer"] = top.Issuer.String()
		res.AddFinding(FindingTLSUnknownAuthority.Finding(fmt.Sprintf("The certificate of %s was issued by %q, which this machine does not trust.", host, top.Issuer.String()), ev))
	case err != nil && !found:
		found = true
		res.AddFinding(FindingTLSHandshake.Finding(fmt.Sprintf("The certificate chain of %s is invalid: %v.", host, err), ev))
	}
	if !found {
		res.AddFinding(FindingTLSHandshake.Finding(fmt.Sprintf("The certificate of %s was rejected: %v.", host, verr), ev))
	}
}

// expiring warns about a valid certificate that expires soon.
func expiring(res *report.Result, cs *tls.ConnectionState, warn time.Duration, ev map[string]any) {
	if len(cs.PeerCertificates) == 0 {
		return
	}
	leaf := cs.PeerCertificates[0]
	left := time.Until(leaf.NotAfter)
	res.SetMetric("cert_days_left", math.Floor(left.Hours()/24))
	if warn > 0 && left < warn {
		e := map[string]any{"not_after": leaf.NotAfter.UTC().Format(time.RFC3339), "subject": leaf.Subject.String(), "threshold": warn.String()}
		for k, v := range ev {
			e[k] = v
		}
		res.AddFinding(FindingTLSExpiring.Finding(fmt.Sprintf("The certificate of %s expires on %s, in %.0f days.",
			cmpOr(hostFromSANs(leaf), leaf.Subject.CommonName), leaf.NotAfter.UTC().Format("2006-01-02"), math.Floor(left.Hours()/24)), e))
	}
}

func hostFromSANs(c *x509.Certificate) string {
	if len(c.DNSNames) > 0 {
		return c.DNSNames[0]
	}
	if len(c.IPAddresses) > 0 {
		return net.IP(c.IPAddresses[0]).String()
	}
	return ""
}
