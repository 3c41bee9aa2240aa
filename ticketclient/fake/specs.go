// Package fake holds httptest fakes of Jira and ServiceNow that enforce the
// documented contract (docs/tickets.md, shared/specs/ticket-apis.md): a
// request that deviates fails the test that sent it, and the fake answers
// the way the real system does.
package fake

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// SpecsDir finds shared/specs: $L2DIAG_SPECS_DIR, else ../shared/specs
// beside the module root (where CI and the workplace put it).
func SpecsDir() (string, error) {
	if d := os.Getenv("L2DIAG_SPECS_DIR"); d != "" {
		return d, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(filepath.Dir(dir), "shared", "specs"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found")
		}
		dir = parent
	}
}

// Validator checks requests against Atlassian's OpenAPI description and
// comment bodies against the ADF JSON Schema.
type Validator struct {
	router routers.Router
	adf    *jsonschema.Schema
}

var (
	valOnce sync.Once
	val     *Validator
	valErr  error
)

// LoadValidator loads the specs once per test binary. It returns an error
// (the caller skips with it as reason) when the files are absent.
func LoadValidator() (*Validator, error) {
	valOnce.Do(func() {
		dir, err := SpecsDir()
		if err != nil {
			valErr = err
			return
		}
		spec := filepath.Join(dir, "jira-platform-v3.openapi.json")
		if _, err := os.Stat(spec); err != nil {
			valErr = fmt.Errorf("OpenAPI description absent: %v", err)
			return
		}
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromFile(spec)
		if err != nil {
			valErr = fmt.Errorf("load %s: %v", spec, err)
			return
		}
		// Match any host: the fake listens on 127.0.0.1.
		doc.Servers = openapi3.Servers{{URL: "/"}}
		r, err := gorillamux.NewRouter(doc)
		if err != nil {
			valErr = fmt.Errorf("router: %v", err)
			return
		}
		c := jsonschema.NewCompiler()
		adfPath := filepath.Join(dir, "adf-schema-v1-full.json")
		sch, err := c.Compile(adfPath)
		if err != nil {
			valErr = fmt.Errorf("compile %s: %v", adfPath, err)
			return
		}
		val = &Validator{router: r, adf: sch}
	})
	return val, valErr
}

// Request validates r (path, method, parameters, security, JSON body)
// against the v3 description. v2 (Data Center) requests are checked on the
// same route with the body left out, since v2 bodies carry wiki text.
// Multipart bodies are checked by the fake itself (part name, length).
func (v *Validator) Request(r *http.Request, body []byte) error {
	in, err := v.input(r, body)
	if err != nil {
		return err
	}
	return openapi3filter.ValidateRequest(context.Background(), in)
}

// Response validates an answer the fake gives to r (status, JSON body)
// against the operation's documented responses, so a fake cannot drift
// from what Jira sends.
func (v *Validator) Response(r *http.Request, status int, body []byte) error {
	in, err := v.input(r, nil)
	if err != nil {
		return err
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: status,
		Header:  http.Header{"Content-Type": {"application/json"}},
		Options: &openapi3filter.Options{IncludeResponseStatus: true}}
	return openapi3filter.ValidateResponse(context.Background(), out.SetBodyBytes(body))
}

// input finds r's operation, on the v3 route for a v2 path.
func (v *Validator) input(r *http.Request, body []byte) (*openapi3filter.RequestValidationInput, error) {
	vr := r.Clone(context.Background())
	v2 := strings.HasPrefix(r.URL.Path, "/rest/api/2/")
	if v2 {
		vr.URL.Path = "/rest/api/3/" + strings.TrimPrefix(r.URL.Path, "/rest/api/2/")
		vr.URL.RawPath = ""
	}
	route, params, err := v.router.FindRoute(vr)
	if err != nil {
		return nil, fmt.Errorf("%s %s: no such operation in the OpenAPI description: %v", r.Method, r.URL.Path, err)
	}
	opts := &openapi3filter.Options{
		AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
		ExcludeRequestBody: v2 || strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/"),
	}
	// The validator must never consume the real (streamed) body.
	vr.Body = http.NoBody
	if body != nil {
		vr.Body = nopCloser{strings.NewReader(string(body))}
		vr.ContentLength = int64(len(body))
	}
	return &openapi3filter.RequestValidationInput{Request: vr, PathParams: params, Route: route, Options: opts}, nil
}

// ADF validates a comment or description document.
func (v *Validator) ADF(doc any) error {
	return v.adf.Validate(doc)
}

type nopCloser struct{ *strings.Reader }

func (nopCloser) Close() error { return nil }
