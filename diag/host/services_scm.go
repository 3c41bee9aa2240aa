package hostcheck

// The service manager's numbers (winsvc.h, winerror.h), here so the
// judgement below is plain logic that tests on every OS.
const (
	scmAutoStart = 2 // SERVICE_AUTO_START
	scmStopped   = 1 // SERVICE_STOPPED
	// scmSpecificError (ERROR_SERVICE_SPECIFIC_ERROR): the service's own
	// exit code is in ServiceSpecificExitCode.
	scmSpecificError = 1066
	// scmNeverStarted (ERROR_SERVICE_NEVER_STARTED) is what the SCM
	// reports for a service that has not run since boot: trigger-start and
	// on-demand services sit there, which is no failure.
	scmNeverStarted = 1077
)

// serviceFailed says whether a Windows service counts as failed: set to
// start automatically, stopped, with an exit code that is an error. It
// returns the exit code that says why.
func serviceFailed(startType, state, win32Exit, specificExit uint32) (uint32, bool) {
	if startType != scmAutoStart || state != scmStopped {
		return 0, false
	}
	code := win32Exit
	if code == scmSpecificError {
		code = specificExit
	}
	return code, code != 0 && code != scmNeverStarted
}
