package report

// Artifact is one piece of raw evidence a check read: a file or the output
// of a command. Bundles store it below raw/.
type Artifact struct {
	// Name is the slash-separated path below raw/, e.g. "dns/resolv.conf".
	Name string `json:"name"`
	// Source is the file the data came from, when it came from a file.
	Source string `json:"source,omitempty"`
	// Command is the command line that produced the data, when one did.
	Command  string `json:"command,omitempty"`
	ExitCode *int   `json:"exit_code,omitempty"`
	Data     []byte `json:"-"`
}
