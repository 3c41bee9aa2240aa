//go:build !linux && !darwin

package permcheck

import (
	"context"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/report"
)

// inspectKeys: Windows protects keys with ACLs, not mode bits; OpenSSH for
// Windows checks those itself.
func inspectKeys(context.Context, *diag.Env) (report.Result, error) {
	return report.Result{}, errUnsupported
}
