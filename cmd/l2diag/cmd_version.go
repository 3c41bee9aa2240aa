package main

import (
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/l2diag/l2diag/report"
	"github.com/l2diag/l2diag/report/render"
	"github.com/spf13/cobra"
)

// version is set at build time: -ldflags "-X main.version=1.2.3".
var version = ""

func toolVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// VersionOptions are what `l2diag version` works on.
type VersionOptions struct {
	IO     *IOStreams
	Format render.Format
}

func newVersionCmd(f *Factory, g *GlobalOptions, runF func(*VersionOptions) error) *cobra.Command {
	opts := &VersionOptions{IO: f.IO}
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Format = g.format
			if runF != nil {
				return runF(opts)
			}
			return versionRun(opts)
		},
	}
}

// versionRun prints the version, the report schema, Go and the platform.
func versionRun(opts *VersionOptions) error {
	if opts.Format == render.FormatJSON {
		return json.NewEncoder(opts.IO.Out).Encode(map[string]any{
			"name": "l2diag", "version": toolVersion(), "schema_version": report.SchemaVersion,
			"go": runtime.Version(), "os": runtime.GOOS, "arch": runtime.GOARCH,
		})
	}
	// A failed write is Main's to report (outWriter), as before.
	fmt.Fprintf(opts.IO.Out, "l2diag %s (report schema %d, %s, %s/%s)\n", toolVersion(), report.SchemaVersion, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return nil
}
