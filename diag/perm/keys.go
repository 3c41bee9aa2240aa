package permcheck

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/l2diag/l2diag/diag"
	"github.com/l2diag/l2diag/report"
)

func keysSpec() diag.Spec {
	s := &diag.Spec{
		ID:       "perm-keys",
		Category: diag.CategoryPerm,
		Phase:    diag.PhaseProbe,
		Finds:    "private SSH keys, ~/.ssh, authorized_keys and listed credential files with modes OpenSSH refuses or other users can read",
	}
	s.Plan = func(in *diag.PlanInput) []diag.Check {
		return []diag.Check{diag.New(s, "", runKeys)}
	}
	return *s
}

// fileInfo is one file the keys check looked at, for the report details.
type fileInfo struct {
	Path  string `json:"path"`
	Kind  string `json:"kind"`
	Mode  string `json:"mode,omitempty"`
	Owner string `json:"owner,omitempty"`
}

// privateKeyHeaders start the private key formats ssh reads. Only this
// much of a file is ever read; key material never enters the report.
var privateKeyHeaders = [][]byte{
	[]byte("-----BEGIN OPENSSH PRIVATE KEY-----"),
	[]byte("-----BEGIN RSA PRIVATE KEY-----"),
	[]byte("-----BEGIN DSA PRIVATE KEY-----"),
	[]byte("-----BEGIN EC PRIVATE KEY-----"),
	[]byte("-----BEGIN PRIVATE KEY-----"),
	[]byte("-----BEGIN ENCRYPTED PRIVATE KEY-----"),
	[]byte("PuTTY-User-Key-File-"),
}

// keyHeaderLen is how many bytes of a file are read to recognise a key.
const keyHeaderLen = 64

func isPrivateKey(head []byte) bool {
	head = bytes.TrimLeft(head, " \t\r\n")
	for _, h := range privateKeyHeaders {
		if bytes.HasPrefix(head, h) {
			return true
		}
	}
	return false
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
