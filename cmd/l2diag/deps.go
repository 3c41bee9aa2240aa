//go:build tools

// This file pins the libraries the category packages are about to use, so
// that go.mod lists them before their first import. Remove an entry once a
// real import carries it.
package main

import (
	_ "github.com/miekg/dns"
	_ "github.com/prometheus-community/pro-bing"
	_ "github.com/santhosh-tekuri/jsonschema/v6"
	_ "github.com/shirou/gopsutil/v4/cpu"
	_ "golang.org/x/net/icmp"
)
