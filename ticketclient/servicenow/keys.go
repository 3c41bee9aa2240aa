package servicenow

import (
	"regexp"
	"strings"

	"github.com/l2diag/l2diag/ticketclient"
)

// KeyForm is the accepted form of a ServiceNow number.
const KeyForm = "a prefix of 2 to 10 letters and 4 to 15 digits, e.g. INC0010001, RITM0010002, INC12345678 or a custom prefix such as HRC0001234"

// Tables maps the default number prefixes to their tables: a shortcut
// before the lookup on task. servicenow.tables in the config adds more.
var Tables = map[string]string{
	"INC":    "incident",
	"RITM":   "sc_req_item",
	"REQ":    "sc_request",
	"SCTASK": "sc_task",
	"CHG":    "change_request",
	"CTASK":  "change_task",
	"PRB":    "problem",
}

// numberRE is a record number: instances choose their prefixes and
// number lengths (7 digits by default, more once they run out).
var numberRE = regexp.MustCompile(`^([A-Z]{2,10})([0-9]{4,15})$`)

// ParseNumber validates a ServiceNow number and returns it with the table
// its prefix suggests: tables (the config) first, then Tables; "" for a
// prefix neither knows (the record is then looked up on task, whose
// sys_class_name names its table).
func ParseNumber(system, number string, tables map[string]string) (num, table string, err error) {
	n := strings.ToUpper(strings.TrimSpace(number))
	m := numberRE.FindStringSubmatch(n)
	if m == nil {
		return "", "", ticketclient.Errorf(ticketclient.KindConfig, system, "ticket number", "use "+KeyForm,
			"%q is not a ServiceNow number", number)
	}
	if t, ok := tables[m[1]]; ok {
		return n, t, nil
	}
	return n, Tables[m[1]], nil
}

// Claims reports whether key has a ServiceNow number's shape.
func Claims(key string) bool {
	_, _, err := ParseNumber(Name, key, nil)
	return err == nil
}

// KeySyntax is the number form, for other systems (dir).
var KeySyntax = ticketclient.KeySyntax{System: Name, Form: KeyForm, Parse: func(k string) (string, error) {
	n, _, err := ParseNumber("dir", k, nil)
	return n, err
}}
