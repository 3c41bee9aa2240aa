package triage

import "github.com/l2diag/l2diag/report"

// Confidence says how sure a conclusion is: high when the findings leave no
// other reading, medium when a common alternative exists, low when the
// evidence is thin (one finding, or a symptom with several causes).
type Confidence string

// The confidences, as report.Conclusion.Confidence carries them.
const (
	Low    Confidence = "low"
	Medium Confidence = "medium"
	High   Confidence = "high"
)

// Escalation names who owns the fix. The values are a contract with ticket
// automation (routing rules key on them): never rename one.
type Escalation string

// The escalation targets.
const (
	// ResolveHere: the 2nd-level technician can fix it on this machine.
	ResolveHere Escalation = "resolve-here"
	// Network: routers, switches, firewalls, DHCP, proxies, the WAN.
	Network Escalation = "network"
	// DNS: the DNS/directory administrators (servers, zones, DNSSEC).
	DNS Escalation = "dns"
	// Application: the owners of the service behind the failing target.
	Application Escalation = "application"
	// Vendor: the maker of the software or device (a bug, a leak).
	Vendor Escalation = "vendor"
	// Security: possible interception or tampering; the security team decides.
	Security Escalation = "security"
	// Storage: file servers and shares (NFS/SMB exports, SAN volumes).
	Storage Escalation = "storage"
)

// Escalations lists every escalation target.
var Escalations = []Escalation{ResolveHere, Network, DNS, Application, Vendor, Security, Storage}

// Layer is the layer a conclusion sits in. Rules run from the lowest layer
// up, so a broken lower layer explains the symptoms above it.
type Layer int

// The layers, lowest first.
const (
	LayerLink Layer = iota
	LayerGateway
	LayerDNS
	LayerPath
	LayerProxyTLS
	LayerService
	LayerHost
	LayerPerm
)

var layerNames = [...]string{"link and address", "gateway", "DNS", "path and firewall", "proxy and TLS", "service", "host resources", "permissions"}

// String names the layer for docs and explain.
func (l Layer) String() string {
	if int(l) < len(layerNames) {
		return layerNames[l]
	}
	return "unknown"
}

// Spec documents one conclusion code: what it means, its usual causes and
// the usual fix. Every conclusion triage can draw has a Spec in Specs();
// docs/triage.md lists each one (a test enforces it) and
// `l2diag explain CODE` prints it.
type Spec struct {
	Code  string
	Layer Layer
	// Status is the severity the conclusion usually carries.
	Status     report.Status
	Escalation Escalation
	// Title is a short name for the docs ("DHCP failed").
	Title   string
	Meaning string
	// Causes are the usual reasons, most frequent first.
	Causes []string
	// Fix is the default next step; a rule may give a more specific one.
	Fix string
	// Why says which findings draw it and what it explains (for docs/triage.md).
	Why string
	// Tell, when set, is what to tell the user when this is the top
	// conclusion; otherwise Tell builds it from Title and Escalation.
	Tell string
}

// Specs returns every conclusion spec, in rule order.
func Specs() []Spec {
	out := make([]Spec, 0, len(rules))
	for _, r := range rules {
		out = append(out, r.Spec)
	}
	return out
}

// Lookup returns the spec of a conclusion code.
func Lookup(code string) (Spec, bool) {
	for _, r := range rules {
		if r.Spec.Code == code {
			return r.Spec, true
		}
	}
	return Spec{}, false
}
