package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/ticketclient"
)

// Exit codes, decided here and nowhere else (docs/exit-codes.md). 0-3 follow
// the monitoring-plugin convention; 64, 69, 73 and 77 are sysexits.h.
const (
	ExitOK          = 0   // no problem: ok and skipped only
	ExitWarn        = 1   // warnings
	ExitFail        = 2   // failures
	ExitCheckError  = 3   // a check could not run and nothing failed
	ExitUsage       = 64  // usage or configuration error
	ExitUnavailable = 69  // ticket delivery failed (bundle kept when retryable)
	ExitCantCreate  = 73  // the bundle could not be written (report printed)
	ExitNoPerm      = 77  // ticket authentication or permission refused
	ExitInterrupted = 130 // interrupted (Ctrl-C)
)

// exitCodesHelp is appended to `run --help`.
const exitCodesHelp = `Exit codes:
  0    no problem (every check ok or skipped)
  1    warnings
  2    failures (a check ran and found a problem)
  3    a check could not run, and nothing failed
  64   usage or configuration error (nothing was run)
  69   --ticket: delivery failed: the system is unavailable (the bundle is
       kept in the outbox), the ticket does not exist or the file is too large
  73   the bundle could not be written (the report was still printed)
  77   --ticket: credentials or permission refused
  130  interrupted (what finished is still printed)`

// ExitCodeForStatus maps a run's worst status to its exit code.
func ExitCodeForStatus(s report.Status) int {
	switch s {
	case report.StatusOK, report.StatusSkipped:
		return ExitOK
	case report.StatusWarn:
		return ExitWarn
	case report.StatusError:
		return ExitCheckError
	default:
		return ExitFail
	}
}

// UsageError is bad input: a flag, target, profile key or file. Exit 64.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

func usageErrorf(format string, args ...any) error {
	return &UsageError{Err: fmt.Errorf(format, args...)}
}

// BundleError is a bundle that could not be written after the run: the
// report was printed, the evidence is not on disk. Exit 73.
type BundleError struct{ Err error }

func (e *BundleError) Error() string { return e.Err.Error() }
func (e *BundleError) Unwrap() error { return e.Err }

// ExitError carries a decided exit code without a message (the command has
// already said what it needed to).
type ExitError struct{ Code int }

func (e *ExitError) Error() string { return fmt.Sprintf("exit %d", e.Code) }

// exitCode maps any error a command returned to the process exit code.
func exitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	var ue *UsageError
	if errors.As(err, &ue) {
		return ExitUsage
	}
	var be *BundleError
	if errors.As(err, &be) {
		return ExitCantCreate
	}
	if k, ok := ticketclient.KindOf(err); ok {
		switch k {
		case ticketclient.KindAuth:
			return ExitNoPerm
		case ticketclient.KindConfig:
			return ExitUsage
		default:
			return ExitUnavailable
		}
	}
	if errors.Is(err, context.Canceled) {
		return ExitInterrupted
	}
	return ExitUsage
}
