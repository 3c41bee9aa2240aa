package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// jsonFrame is one open object or array while scrubJSON streams a value.
type jsonFrame struct {
	object bool
	// key is the member key the current value sits under (inherited by
	// array elements, as walk does).
	key     string
	wantKey bool
	n       int
}

// scrubJSON copies the JSON value src to dst token by token with every
// string scrubbed as walk scrubs a decoded value: object keys scrubbed, a
// value under a secret-named key masked, IDs and enums kept, serials
// pseudonymised. key is the key src sits under. Unlike decoding src into
// maps and walking them, it holds no tree: a 2000-name report costs its
// bytes, not ten times them.
func (s *scrubber) scrubJSON(dst *bytes.Buffer, src []byte, key string) error {
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
			s.writeJSONString(dst, s.String(k))
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
			s.writeJSONString(dst, s.value(v, top.key))
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

// writeJSONString writes v as a JSON string, without HTML escapes (as the
// bundle's encoders write).
func (s *scrubber) writeJSONString(dst *bytes.Buffer, v string) {
	if s.enc == nil {
		s.enc = json.NewEncoder(&s.encBuf)
		s.enc.SetEscapeHTML(false)
	}
	s.encBuf.Reset()
	_ = s.enc.Encode(v) // a string always encodes
	dst.Write(bytes.TrimSuffix(s.encBuf.Bytes(), []byte("\n")))
}
