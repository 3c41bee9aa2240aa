package orgcheck

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ccacheCred is one credential of a Kerberos FILE ccache (MIT format,
// versions 0x0503 and 0x0504, as kinit and sssd write them).
type ccacheCred struct {
	Client, Server string
	AuthTime       time.Time
	StartTime      time.Time
	EndTime        time.Time
	RenewTill      time.Time
}

// ccache is a parsed ticket cache.
type ccache struct {
	Principal string
	Creds     []ccacheCred
}

// parseCCache reads the MIT ccache file format (krb5 doc
// "formats/ccache_file_format"): a header, the default principal, then
// credentials to the end of the file. Only the names and times are kept;
// keys and tickets are skipped and never leave this function.
func parseCCache(b []byte) (*ccache, error) {
	r := &ccReader{b: b}
	ver := r.u16()
	if ver != 0x0503 && ver != 0x0504 {
		return nil, fmt.Errorf("ccache version 0x%04x not supported (0x0503 and 0x0504 are)", ver)
	}
	if ver == 0x0504 {
		r.skip(int(r.u16())) // header tags (KDC time offset)
	}
	c := &ccache{Principal: r.principal()}
	for r.err == nil && r.off < len(r.b) {
		cr := ccacheCred{Client: r.principal(), Server: r.principal()}
		r.u16()  // key enctype
		r.data() // key
		cr.AuthTime = r.time()
		cr.StartTime = r.time()
		cr.EndTime = r.time()
		cr.RenewTill = r.time()
		r.skip(1 + 4) // is_skey, ticket flags
		for n := r.u32(); n > 0 && r.err == nil; n-- {
			r.u16()
			r.data() // address
		}
		for n := r.u32(); n > 0 && r.err == nil; n-- {
			r.u16()
			r.data() // authdata
		}
		r.data() // ticket
		r.data() // second ticket
		if r.err == nil {
			c.Creds = append(c.Creds, cr)
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	return c, nil
}

// tgt returns the ticket-granting ticket for the default principal's realm.
func (c *ccache) tgt() (ccacheCred, bool) {
	_, realm, _ := strings.Cut(c.Principal, "@")
	for _, cr := range c.Creds {
		if cr.Server == "krbtgt/"+realm+"@"+realm {
			return cr, true
		}
	}
	return ccacheCred{}, false
}

var errShort = errors.New("ccache: truncated")

type ccReader struct {
	b   []byte
	off int
	err error
}

func (r *ccReader) take(n int) []byte {
	if r.err != nil || n < 0 || r.off+n > len(r.b) {
		r.err = errShort
		return nil
	}
	p := r.b[r.off : r.off+n]
	r.off += n
	return p
}

func (r *ccReader) skip(n int) { r.take(n) }

func (r *ccReader) u16() uint16 {
	if p := r.take(2); p != nil {
		return binary.BigEndian.Uint16(p)
	}
	return 0
}

func (r *ccReader) u32() uint32 {
	if p := r.take(4); p != nil {
		return binary.BigEndian.Uint32(p)
	}
	return 0
}

func (r *ccReader) data() []byte { return r.take(int(r.u32())) }

func (r *ccReader) time() time.Time {
	v := r.u32()
	if v == 0 {
		return time.Time{}
	}
	return time.Unix(int64(v), 0)
}

// principal reads name type, component count, realm, components and
// returns "a/b@REALM".
func (r *ccReader) principal() string {
	r.u32() // name type
	n := r.u32()
	if n > 64 {
		r.err = fmt.Errorf("ccache: principal with %d components", n)
		return ""
	}
	realm := string(r.data())
	parts := make([]string, 0, n)
	for range n {
		parts = append(parts, string(r.data()))
	}
	return strings.Join(parts, "/") + "@" + realm
}
