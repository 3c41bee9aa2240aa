package ticketclient

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/l2diag/l2diag/internal/userfile"
)

// Timeouts. Every request has one; uploads get more time in proportion to
// their size (see UploadTimeout).
const (
	// DefaultTimeout bounds a request without a large body, and the wait for
	// the answer after an upload: ticket systems answer in well under 30s
	// unless something is wrong.
	DefaultTimeout = 30 * time.Second
	// dialTimeout and tlsTimeout bound connection set-up; a corporate proxy
	// that takes longer is broken.
	dialTimeout = 10 * time.Second
	tlsTimeout  = 10 * time.Second
	// minUploadRate is the slowest link an upload is allowed to crawl over
	// (256 KiB/s = 2 Mbit/s) before its deadline cuts it.
	minUploadRate = 256 << 10
	// ioBufferSize: 64 KiB writes keep loopback and LAN uploads at disk
	// speed (net/http's default of 4 KiB costs a syscall per 4 KiB).
	ioBufferSize = 64 << 10
)

// UploadTimeout is the deadline of an upload of size bytes: the base timeout
// plus the time the file takes at minUploadRate.
func UploadTimeout(base time.Duration, size int64) time.Duration {
	return base + time.Duration(size/minUploadRate)*time.Second
}

// TransportOptions configure the HTTP client shared by the HTTP systems.
type TransportOptions struct {
	CAFile   string        // extra PEM roots for a corporate CA
	Insecure bool          // skip TLS verification (warned about by the CLI)
	Timeout  time.Duration // DefaultTimeout when zero
	// ClientCert and ClientKey are PEM files of a client certificate for
	// mutual TLS (a gateway that admits only managed machines); the key
	// file must not be readable by others.
	ClientCert, ClientKey string
	// Proxy picks the proxy of each request; nil: the environment
	// (HTTPS_PROXY, NO_PROXY). The CLI passes the OS's selection here.
	Proxy func(*http.Request) (*url.URL, error)
}

// MaxCAFileBytes caps --ca-file: a system's whole CA bundle is a few hundred
// KiB.
const MaxCAFileBytes = 8 << 20

// NewHTTPClient returns a client with proxies from the environment
// (HTTPS_PROXY, NO_PROXY), the extra CA, a timeout at every stage, and no
// redirects: a ticket API that redirects is configured with the wrong URL,
// and following would turn a POST into a GET or leak credentials.
func NewHTTPClient(o TransportOptions) (*http.Client, error) {
	timeout := o.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	tlsConf := &tls.Config{MinVersion: tls.VersionTLS12}
	if o.CAFile != "" {
		pem, err := userfile.Read(o.CAFile, MaxCAFileBytes)
		if err != nil {
			return nil, Errorf(KindConfig, "tls", "ca file", "point ca_file or --ca-file at a regular PEM file", "%v", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, Errorf(KindConfig, "tls", "ca file", "the file must hold PEM certificates (-----BEGIN CERTIFICATE-----)",
				"%s holds no PEM certificate", o.CAFile)
		}
		tlsConf.RootCAs = pool
	}
	if o.Insecure {
		tlsConf.InsecureSkipVerify = true //nolint:gosec // only with --insecure, warned on stderr
	}
	if o.ClientCert != "" || o.ClientKey != "" {
		cert, err := loadClientCert(o.ClientCert, o.ClientKey)
		if err != nil {
			return nil, err
		}
		tlsConf.Certificates = []tls.Certificate{cert}
	}
	proxy := o.Proxy
	if proxy == nil {
		proxy = http.ProxyFromEnvironment
	}
	tr := &http.Transport{
		Proxy:                 proxy,
		DialContext:           (&net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:       tlsConf,
		TLSHandshakeTimeout:   tlsTimeout,
		ResponseHeaderTimeout: timeout,
		ExpectContinueTimeout: time.Second,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConnsPerHost:   4,
		WriteBufferSize:       ioBufferSize,
		ReadBufferSize:        ioBufferSize,
	}
	return &http.Client{
		Transport: tr,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}, nil
}

// loadClientCert reads a client certificate and its private key (PEM).
func loadClientCert(certFile, keyFile string) (tls.Certificate, error) {
	const hint = "set client_cert and client_key (or L2DIAG_TICKET_CLIENT_CERT and L2DIAG_TICKET_CLIENT_KEY) to the PEM certificate and its key"
	if certFile == "" || keyFile == "" {
		return tls.Certificate{}, Errorf(KindConfig, "tls", "client certificate", hint, "a client certificate needs both the certificate and the key file")
	}
	certPEM, err := userfile.Read(expandHome(certFile), MaxCAFileBytes)
	if err != nil {
		return tls.Certificate{}, Errorf(KindConfig, "tls", "client certificate", hint, "%v", err)
	}
	if err := checkPrivate(expandHome(keyFile)); err != nil {
		return tls.Certificate{}, err
	}
	keyPEM, err := userfile.Read(expandHome(keyFile), MaxSecretFileBytes)
	if err != nil {
		return tls.Certificate{}, Errorf(KindConfig, "tls", "client key", hint, "%v", err)
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return tls.Certificate{}, Errorf(KindConfig, "tls", "client certificate", hint+" (the key must belong to the certificate)",
			"%s and %s: %v", certFile, keyFile, err)
	}
	return cert, nil
}

// ParseBaseURL validates a configured ticket-system URL: absolute, https
// unless allowHTTP (for test servers), no credentials in it.
func ParseBaseURL(system, key, raw string, allowHTTP bool) (*url.URL, error) {
	hint := "set " + key + " to the https:// address of the instance"
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, Errorf(KindConfig, system, "url", hint, "%q is not an absolute http(s) URL", MaskUserinfo(raw))
	}
	if u.User != nil {
		return nil, Errorf(KindConfig, system, "url", "remove user:password@ from the URL; credentials come from the environment or the config file",
			"%s holds credentials", key)
	}
	if u.Scheme == "http" && !allowHTTP {
		return nil, Errorf(KindConfig, system, "url", "use https://, or pass --allow-http for a test server",
			"%s is http://, which would send credentials in clear text", u.Redacted())
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawQuery, u.Fragment = "", ""
	return u, nil
}

// MaskUserinfo hides the password of a URL that may not even parse, for
// error messages: between the user info's first ':' and its last '@' (a
// password may hold '@', ':' or '/'); user info without ':' may itself be
// a token and is hidden whole. Without '@' the text is returned as is.
func MaskUserinfo(raw string) string {
	prefix, rest := "", raw
	if i := strings.Index(raw, "://"); i >= 0 {
		prefix, rest = raw[:i+3], raw[i+3:]
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return raw
	}
	user := rest[:at]
	if c := strings.Index(user, ":"); c >= 0 {
		user = user[:c+1] + "***"
	} else {
		user = "***"
	}
	return prefix + user + rest[at:]
}

// Auth sets the Authorization header.
type Auth struct {
	Scheme string // "Basic" or "Bearer"
	User   string
	Secret string
}

// Apply sets the header on r.
func (a Auth) Apply(r *http.Request) {
	switch a.Scheme {
	case "Basic":
		r.SetBasicAuth(a.User, a.Secret)
	case "Bearer":
		r.Header.Set("Authorization", "Bearer "+a.Secret)
	}
}

// Masked is the header as a dry run shows it.
func (a Auth) Masked() string {
	if a.Scheme == "" {
		return ""
	}
	if a.Scheme == "Basic" {
		return fmt.Sprintf("Authorization: Basic *** (user %s)", a.User)
	}
	return "Authorization: Bearer ***"
}
