//go:build !linux && !darwin && !windows

package permcheck

import (
	"context"

	"github.com/l2diag/l2diag/diag/target"
)

func walkPath(context.Context, target.Path, *tracker) (*walk, error) { return nil, errUnsupported }
