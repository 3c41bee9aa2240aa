package watch_test

import (
	"path/filepath"
	"runtime"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// lineSchema compiles docs/watch-schema.json, which every JSON line of
// the watch must satisfy.
func lineSchema(t *testing.T) *jsonschema.Schema {
	_, file, _, _ := runtime.Caller(0)
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	sch, err := c.Compile(filepath.Join(filepath.Dir(file), "..", "..", "docs", "watch-schema.json"))
	if err != nil {
		t.Fatalf("compile schema: %v", err)
	}
	return sch
}
