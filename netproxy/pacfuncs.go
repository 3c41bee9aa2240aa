package netproxy

import (
	"context"
	_ "embed"
	"net"

	"github.com/dop251/goja"
)

// pacUtils defines the PAC helper functions as browsers do: the pure ones
// in JavaScript, with the semantics of the reference implementation that
// Firefox and Chromium share (pac_utils.js: dnsDomainIs is a plain suffix
// test, shExpMatch a glob over the whole string, the ranges wrap around,
// "GMT" as the last argument switches to UTC).
//
//go:embed pacutils.js
var pacUtils string

var pacUtilsProg = goja.MustCompile("pacutils.js", pacUtils, false)

// install defines the helper functions in vm; dnsResolve and myIpAddress
// ask p.host, bounded by ctx.
func (p *PAC) install(ctx context.Context, vm *goja.Runtime) {
	vm.SetTimeSource(p.host.Now)
	_ = vm.Set("dnsResolve", func(host string) goja.Value {
		if ip := net.ParseIP(host); ip != nil && ip.To4() != nil {
			return vm.ToValue(ip.String())
		}
		if p.host.Resolve == nil {
			return goja.Null()
		}
		addrs, err := p.host.Resolve(ctx, host)
		if err != nil || len(addrs) == 0 {
			return goja.Null()
		}
		return vm.ToValue(addrs[0])
	})
	_ = vm.Set("myIpAddress", func() string {
		if p.host.MyIP != nil {
			if ip := p.host.MyIP(); ip != "" {
				return ip
			}
		}
		// What browsers answer when they cannot tell.
		return "127.0.0.1"
	})
	if _, err := vm.RunProgram(pacUtilsProg); err != nil {
		panic("netproxy: pacutils.js: " + err.Error()) // compiled above; cannot fail
	}
}
