package redact

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/l2diag/l2diag/report"
)

// jsonFrame is one open object or array while JSON streams a value.
type jsonFrame struct {
	object bool
	// key is the member key the current value sits under (inherited by
	// array elements, as walk does).
	key     string
	wantKey bool
	n       int
}

// JSON copies the JSON value src to dst token by token with every
// string scrubbed as walk scrubs a decoded value: object keys scrubbed, a
// value under a secret-named key masked, IDs and enums kept, serials
// pseudonymised. key is the key src sits under. Unlike decoding src into
// maps and walking them, it holds no tree: a 2000-name report costs its
// bytes, not ten times them.
func (s *Scrubber) JSON(dst *bytes.Buffer, src []byte, key string) error {
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	stack := []jsonFrame{{key: key}}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		top := &stack[len(stack)-1]
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			dst.WriteByte(byte(d))
			stack = stack[:len(stack)-1]
			if p := &stack[len(stack)-1]; p.object {
				p.wantKey = true
			}
			continue
		}
		if top.object && top.wantKey {
			k, _ := tok.(string)
			if top.n > 0 {
				dst.WriteByte(',')
			}
			top.n++
			s.WriteJSONString(dst, s.String(k))
			dst.WriteByte(':')
			top.key, top.wantKey = k, false
			continue
		}
		if !top.object {
			if top.n > 0 {
				dst.WriteByte(',')
			}
			top.n++
		}
		switch v := tok.(type) {
		case json.Delim:
			dst.WriteByte(byte(v))
			stack = append(stack, jsonFrame{object: v == '{', key: top.key, wantKey: v == '{'})
			continue
		case string:
			s.WriteJSONString(dst, s.value(v, top.key))
		case json.Number:
			dst.WriteString(v.String())
		case bool:
			fmt.Fprint(dst, v)
		case nil:
			dst.WriteString("null")
		}
		if top.object {
			top.wantKey = true
		}
	}
}

// WriteJSONString writes v as a JSON string, without HTML escapes (as the
// bundle's encoders write).
func (s *Scrubber) WriteJSONString(dst *bytes.Buffer, v string) {
	if s.enc == nil {
		s.enc = json.NewEncoder(&s.encBuf)
		s.enc.SetEscapeHTML(false)
	}
	s.encBuf.Reset()
	_ = s.enc.Encode(v) // a string always encodes
	dst.Write(bytes.TrimSuffix(s.encBuf.Bytes(), []byte("\n")))
}

// noTransformKeys hold IDs and enums, never free text.
var noTransformKeys = map[string]bool{"check": true, "category": true, "status": true, "code": true, "confidence": true, "escalation": true, "schema_version": true}

// Report returns a copy of rep with every string scrubbed (and
// redacted), including free-form details and evidence. The report goes
// through its JSON form as a stream, never as a tree of maps.
func (s *Scrubber) Report(rep *report.Report) (*report.Report, error) {
	data, err := json.Marshal(rep)
	if err != nil {
		return nil, fmt.Errorf("report: bundle: encode report: %w", err)
	}
	var buf bytes.Buffer
	buf.Grow(len(data))
	if err := s.JSON(&buf, data, ""); err != nil {
		return nil, fmt.Errorf("report: bundle: encode report: %w", err)
	}
	data = nil
	var out report.Report
	if err := json.Unmarshal(buf.Bytes(), &out); err != nil {
		return nil, fmt.Errorf("report: bundle: encode report: %w", err)
	}
	return &out, nil
}

// value scrubs a string found under key.
func (s *Scrubber) value(x, key string) string {
	switch {
	case x == "" || noTransformKeys[key]:
		return x
	case SecretName(key):
		return Mask
	case s.red != nil && SerialName(key):
		return s.red.Pseudonym(ClassSerial, x)
	}
	return s.String(x)
}
