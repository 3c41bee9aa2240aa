package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"syscall"

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
	ExitSoftware    = 70  // an unexpected internal error (a bug: please report it)
	ExitCantCreate  = 73  // the bundle could not be written (report printed)
	ExitIOErr       = 74  // writing the output failed (stdout closed, disk full)
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
  70   an unexpected internal error (please report it)
  73   the bundle could not be written (the report was still printed)
  74   the report could not be written to stdout (closed pipe, full disk);
       the bundle was still written
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

// IOError is output that could not be written (stdout to a full disk or a
// closed pipe): the tool did its job, the output was lost. Exit 74.
type IOError struct{ Err error }

func (e *IOError) Error() string { return e.Err.Error() }
func (e *IOError) Unwrap() error { return e.Err }

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
	var ioe *IOError
	if errors.As(err, &ioe) || ioFailure(err) {
		return ExitIOErr
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
	// Bad input is always a typed UsageError; anything else is a fault
	// of the tool, never the user's.
	return ExitSoftware
}

// ioFailure reports whether err is the system refusing a read or write
// (full disk, I/O error, closed pipe, read-only file system, quota), as
// opposed to bad input or a bug.
func ioFailure(err error) bool {
	for _, e := range []error{syscall.ENOSPC, syscall.EIO, syscall.EPIPE, syscall.EROFS, syscall.EDQUOT} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// outWriter records the first failed write to stdout, so a command that
// printed and ignored the error still ends with exit 74.
type outWriter struct {
	w   io.Writer
	err error
}

func (o *outWriter) Write(p []byte) (int, error) {
	n, err := o.w.Write(p)
	if err != nil && o.err == nil {
		o.err = err
	}
	return n, err
}

// finalCode is the exit code of a command that returned err after its
// stdout saw the write error outErr (nil when all went out): lost output
// outranks a result code (0-3) and an internal error it caused.
func finalCode(err, outErr error) int {
	code := exitCode(err)
	if outErr == nil {
		return code
	}
	switch code {
	case ExitOK, ExitWarn, ExitFail, ExitCheckError, ExitSoftware:
		return ExitIOErr
	}
	return code
}
