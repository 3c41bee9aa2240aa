package orgcheck

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/report"
)

// kerberosCheck is org-kerberos with its clock and cache locator
// replaceable in tests.
type kerberosCheck struct {
	now   func() time.Time
	cache func() (kind, path string)
}

var kerberosSpec = diag.Spec{
	ID: IDKerberos, Category: diag.CategoryOrg, Phase: diag.PhaseProbe,
	Finds:    "the user's Kerberos ticket cache: principal, ticket-granting ticket lifetime, expired",
	Findings: []diag.FindingSpec{FindingTGTExpired},
	Plan:     diag.Once(runKerberos),
}

func runKerberos(ctx context.Context, env *diag.Env) report.Result {
	return kerberosCheck{now: time.Now, cache: ccacheLocation}.run()
}

func (c kerberosCheck) run() report.Result {
	kind, path := c.cache()
	if kind != "FILE" {
		return diag.Skipped(fmt.Sprintf("The ticket cache is %s:%s, which is not a file; it was not read (klist shows it).", kind, path))
	}
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return diag.Skipped("No Kerberos ticket cache for this user (" + path + "): not signed in with a domain account, or no kinit.")
	case err != nil:
		return diag.Errored(fmt.Errorf("org: read the ticket cache: %w", err))
	}
	cc, err := parseCCache(data)
	if err != nil {
		return diag.Errored(fmt.Errorf("org: ticket cache %s: %w", path, err))
	}
	var res report.Result
	res.SetDetail("cache", "FILE:"+path)
	res.SetDetail("principal", cc.Principal)
	tickets := 0
	for _, cr := range cc.Creds {
		if !strings.HasPrefix(cr.Server, "X-CACHECONF:") {
			tickets++
		}
	}
	res.SetMetric("tickets", float64(tickets))
	tgt, ok := cc.tgt()
	if !ok {
		res.Summary = fmt.Sprintf("Ticket cache of %s holds %d ticket(s), no ticket-granting ticket.", cc.Principal, tickets)
		return res
	}
	now := c.now()
	res.SetDetail("tgt_end", tgt.EndTime.UTC().Format(time.RFC3339))
	if !tgt.RenewTill.IsZero() {
		res.SetDetail("tgt_renew_till", tgt.RenewTill.UTC().Format(time.RFC3339))
	}
	left := tgt.EndTime.Sub(now)
	res.SetMetric("tgt_seconds_left", left.Seconds())
	if left <= 0 {
		res.AddFinding(FindingTGTExpired.Finding(fmt.Sprintf("The Kerberos ticket-granting ticket of %s expired %s ago (%s).", cc.Principal, (-left).Round(time.Second), tgt.EndTime.UTC().Format(time.RFC3339)),
			map[string]any{"principal": cc.Principal, "end": tgt.EndTime.UTC().Format(time.RFC3339), "cache": "FILE:" + path}))
		res.Summary = fmt.Sprintf("Ticket of %s expired.", cc.Principal)
		return res
	}
	res.Summary = fmt.Sprintf("Ticket of %s valid for %s more.", cc.Principal, left.Round(time.Minute))
	return res
}
