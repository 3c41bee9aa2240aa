// Package redact removes what must not leave the machine. The scrubber
// (scrub.go, scrub_json.go) masks secrets in every line and JSON value,
// with the catalog of secret shapes in secrets.go and the rule engine both
// catalogs run on in rule.go. The redactor replaces identifiers with
// consistent pseudonyms: pseudonym.go gives them out and marshals the map
// (the bundle writes it), patterns.go is the catalog of what an identifier
// looks like, walk.go applies the rules to a line and re-scans a redacted
// bundle, forms.go knows the other spellings (reverse names, /proc hex,
// embedded IPv4) and the owners of paths. It imports only the model;
// report/bundle and cmd use it.
package redact
