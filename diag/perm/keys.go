package permcheck

import (
	"context"
	"errors"
	"fmt"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/report"
)

var keysSpec = diag.Spec{
	ID:       "perm-keys",
	Category: diag.CategoryPerm,
	Phase:    diag.PhaseProbe,
	Finds:    "private SSH keys, ~/.ssh, authorized_keys and listed credential files with modes OpenSSH refuses or other users can read",
	Findings: []diag.FindingSpec{FindingKeyExposed, FindingKeyUnreadable, FindingSSHStrictModes, FindingCredentialExposed},
	Plan:     diag.Once(runKeys),
}

func runKeys(ctx context.Context, env *diag.Env) report.Result {
	res, err := inspectKeys(ctx, env)
	if errors.Is(err, errUnsupported) {
		return diag.Skipped("key and credential file modes are " + err.Error())
	}
	if err != nil {
		return diag.Errored(fmt.Errorf("perm: keys: %w", err))
	}
	return res
}
