package servicenow

import (
	"context"
	"net/url"
	"strings"

	"github.com/l2diag/l2diag/ticketclient"
)

// Whoami proves the credentials on the account's own user record, which
// every account may read: not on incident, which an account working only
// requested items or tasks may not. A 403 there still proves the login
// (ServiceNow answers 401 to credentials it refuses).
func (c *Client) Whoami(ctx context.Context) (string, error) {
	var doc struct {
		Result []struct {
			UserName string `json:"user_name"`
			Name     string `json:"name"`
		} `json:"result"`
	}
	q := url.Values{"sysparm_fields": {"user_name,name"}, "sysparm_limit": {"1"}}
	if c.who != "" {
		q.Set("sysparm_query", "user_name="+c.who)
	}
	err := c.api.GetJSON(ctx, "check credentials", "/api/now/table/sys_user", q, &doc)
	who := c.who
	if who == "" {
		who = "OAuth client"
	}
	if isStatus(err, 403) {
		return who + " (logged in; its user record is not readable)", nil
	}
	if err != nil {
		return "", err
	}
	if c.who != "" && len(doc.Result) == 1 && doc.Result[0].Name != "" {
		return doc.Result[0].Name + " (" + c.who + ")", nil
	}
	return who, nil
}

func isStatus(err error, code int) bool {
	var te *ticketclient.Error
	return asError(err, &te) && te.Status == code
}

func lookupQuery(num string) url.Values {
	return url.Values{"sysparm_query": {"number=" + num}, "sysparm_fields": {"sys_id,number,short_description,sys_class_name"}, "sysparm_limit": {"1"}}
}

func lookupNote(table, forced string) string {
	switch {
	case forced != "":
		return " (--table)"
	case table == "task":
		return " (the parent of every task table; sys_class_name names the record's own table)"
	}
	return " (by its prefix; if not there, on task)"
}

// Lookup resolves the number to its table and sys_id: in the --table
// table only when given; else in the table its prefix names (a shortcut)
// and, when that fails or the prefix is unknown, on task, whose
// sys_class_name names the record's table. The answer must name the number
// asked for (ServiceNow ignores an invalid query silently and returns
// some other record).
func (c *Client) Lookup(ctx context.Context, key string) (*ticketclient.Ticket, error) {
	num, table, err := ParseNumber(Name, key, c.tables)
	if err != nil {
		return nil, err
	}
	if c.table != "" {
		return c.lookupIn(ctx, num, c.table)
	}
	if table != "" {
		t, err := c.lookupIn(ctx, num, table)
		k, _ := ticketclient.KindOf(err)
		if err == nil || (k != ticketclient.KindNotFound && k != ticketclient.KindAuth) {
			return t, err
		}
		// Not there, or not readable there: the prefix may belong to
		// another table on this instance.
		t2, err2 := c.lookupIn(ctx, num, "task")
		if err2 == nil {
			return t2, nil
		}
		return nil, err
	}
	return c.lookupIn(ctx, num, "task")
}

func (c *Client) lookupIn(ctx context.Context, num, table string) (*ticketclient.Ticket, error) {
	var doc struct {
		Result []struct {
			SysID            string `json:"sys_id"`
			Number           string `json:"number"`
			ShortDescription string `json:"short_description"`
			Class            string `json:"sys_class_name"`
		} `json:"result"`
	}
	if err := c.api.GetJSON(ctx, "look up "+num+" in "+table, "/api/now/table/"+url.PathEscape(table), lookupQuery(num), &doc); err != nil {
		return nil, err
	}
	if len(doc.Result) == 0 || !strings.EqualFold(doc.Result[0].Number, num) || len(doc.Result[0].SysID) != 32 {
		return nil, ticketclient.Errorf(ticketclient.KindNotFound, Name, "look up "+num,
			"check the number, its table (--table, or servicenow.tables in the config) and that the account may read it",
			"%s not found in table %s", num, table)
	}
	r := doc.Result[0]
	// The record's own table: where its fields (work_notes) and
	// attachments live. The Table API returns the class's name.
	own := table
	if r.Class != "" && tableRE.MatchString(r.Class) {
		own = r.Class
	}
	return &ticketclient.Ticket{Key: r.Number, ID: r.SysID, Table: own, Summary: r.ShortDescription,
		URL: c.site.String() + "/nav_to.do?uri=" + url.QueryEscape(own+".do?sys_id="+r.SysID)}, nil
}
