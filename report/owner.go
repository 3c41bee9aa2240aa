package report

// ownerLabels are the owners of a fix in plain words (the escalation codes
// are a contract with ticket automation; people read these).
var ownerLabels = map[string]string{
	"resolve-here": "this desk (it can be fixed on this machine)",
	"network":      "the network team",
	"dns":          "the DNS administrators",
	"application":  "the application's owner",
	"vendor":       "the vendor of the software or device",
	"security":     "the security team",
	"storage":      "the file server and storage team",
}

// OwnerLabel says in plain words who should fix a conclusion with the
// escalation code esc ("network" → "the network team").
func OwnerLabel(esc string) string {
	if l, ok := ownerLabels[esc]; ok {
		return l
	}
	return esc
}
