package redact

import (
	"bytes"
	"strings"
	"testing"

	"github.com/l2diag/l2diag/report/internal/sample"
)

func TestScrubJSON(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"secret-named key masked whatever the value", `{"api_token":"plain"}`, `{"api_token":"***"}`},
		{"secret inside free text", `{"summary":"JIRA_API_TOKEN=` + sample.FakeJiraToken + `"}`, `{"summary":"JIRA_API_TOKEN=***"}`},
		{"ids and enums kept", `{"check":"password=x","status":"fail"}`, `{"check":"password=x","status":"fail"}`},
		{"array elements inherit the key", `{"passwords":["a","b"],"n":[1,2.50,12345678901234567890]}`, `{"passwords":["***","***"],"n":[1,2.50,12345678901234567890]}`},
		{"nesting, literals, empty", `[{"a":{"b":[true,false,null,{}]},"c":[]},"x",""]`, `[{"a":{"b":[true,false,null,{}]},"c":[]},"x",""]`},
		{"keys scrubbed", `{"https://bob:` + sample.FakeURLPass + `@proxy:3128/":1}`, `{"https://bob:***@proxy:3128/":1}`},
		{"no HTML escapes", `{"m":"<a&b>"}`, `{"m":"<a&b>"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := NewScrubber(nil, nil).JSON(&b, []byte(tt.in), ""); err != nil {
				t.Fatal(err)
			}
			if b.String() != tt.want {
				t.Errorf("got  %s\nwant %s", b.String(), tt.want)
			}
		})
	}
}

func TestScrubJSONRedactsSerials(t *testing.T) {
	s := NewScrubber(nil, NewRedactor(testIdentity(), sample.Report()))
	var b bytes.Buffer
	if err := s.JSON(&b, []byte(`{"product_serial":"ABC123XYZ","host":"ws042.corp.example.com"}`), ""); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "ABC123XYZ") || strings.Contains(b.String(), "ws042") {
		t.Errorf("identity survived: %s", b.String())
	}
}
