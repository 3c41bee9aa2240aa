package ticketclient

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/l2diag/l2diag/internal/userfile"
	"go.yaml.in/yaml/v3"
)

// Config is the ticket configuration: the file in the user's config
// directory, overridden by L2DIAG_* environment variables. It holds the
// keys every system shares; each system's own section (jira:,
// servicenow:, dir:) is decoded by the system's package (see Section).
type Config struct {
	// File is where the config came from ("" when there is none).
	File string `yaml:"-"`
	// System is the default system, by its registry name.
	System string `yaml:"system"`
	CAFile string `yaml:"ca_file"`
	// ClientCert and ClientKey are a client certificate (PEM) for mutual
	// TLS with either system.
	ClientCert string `yaml:"client_cert"`
	ClientKey  string `yaml:"client_key"`
	Insecure   bool   `yaml:"insecure"`
	AllowHTTP  bool   `yaml:"allow_http"`
	Timeout    string `yaml:"timeout"`
	Retries    int    `yaml:"retries"`
	// Outbox overrides the outbox folder (L2DIAG_OUTBOX wins).
	Outbox string `yaml:"outbox"`
	// Sections are the other top-level keys of the file, undecoded: the
	// systems' sections, decoded by registry.LoadConfig.
	Sections map[string]yaml.Node `yaml:",inline"`

	// TimeoutDur is Timeout parsed (DefaultTimeout when unset).
	TimeoutDur time.Duration `yaml:"-"`

	sections map[string]any
}

// Section returns the decoded section of the system called name, nil
// when none was set.
func (c *Config) Section(name string) any {
	if c == nil {
		return nil
	}
	return c.sections[name]
}

// SectionOf is the section of the system called name as its type T, or
// an empty one when none was set.
func SectionOf[T any](c *Config, name string) *T {
	if v, ok := c.Section(name).(*T); ok && v != nil {
		return v
	}
	return new(T)
}

// SetSection records the decoded section of the system called name.
func (c *Config) SetSection(name string, v any) {
	if c.sections == nil {
		c.sections = map[string]any{}
	}
	c.sections[name] = v
}

// SecretHolder is a section that holds secrets (tokens, passwords).
type SecretHolder interface {
	// Secrets lists the non-empty secrets, also those read from files.
	Secrets() []string
}

// SectionSource is what a system's section loader reads: its node of the
// file (nil when the file has none) and the environment.
type SectionSource struct {
	// Name is the section's key, for messages.
	Name string
	Node *yaml.Node
	Env  Env
	// File is the config file ("" when there is none).
	File string
}

// Decode decodes the section into v, refusing keys v does not have.
func (s *SectionSource) Decode(v any) error {
	if s.Node == nil {
		return nil
	}
	// yaml.Node.Decode cannot refuse unknown keys: go through bytes.
	data, err := yaml.Marshal(s.Node)
	if err == nil {
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		err = dec.Decode(v)
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return Errorf(KindConfig, "config", s.File, "see docs/tickets.md for the keys", "%s: %v", s.Name, err)
	}
	return nil
}

// Getenv sets *dst from the environment variable name when it is set.
func (s *SectionSource) Getenv(dst *string, name string) {
	if v := s.Env(name); v != "" {
		*dst = v
	}
}

// SecretFile reads the secret in file (key names it in messages) into
// *dst unless *dst is already set; the file must not be readable by
// others.
func (s *SectionSource) SecretFile(dst *string, file, key string) error {
	if *dst != "" || file == "" {
		return nil
	}
	v, err := readSecretFile(file, key)
	if err != nil {
		return err
	}
	*dst = v
	return nil
}

// FileSecrets refuses a config file that others can read when any of
// values (the secrets the section's file text holds) is set.
func (s *SectionSource) FileSecrets(values ...string) error {
	if s.File == "" || s.Node == nil {
		return nil
	}
	for _, v := range values {
		if v != "" {
			return checkPrivate(s.File)
		}
	}
	return nil
}

// Env is how the config sees the environment; tests pass a map.
type Env func(string) string

// ConfigPath is the config file: L2DIAG_TICKET_CONFIG, else
// <user config dir>/l2diag/tickets.yaml.
func ConfigPath(env Env) (string, error) {
	if p := env("L2DIAG_TICKET_CONFIG"); p != "" {
		return p, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "l2diag", "tickets.yaml"), nil
}

// Caps on the files the configuration names: a config is a few hundred
// bytes, a token a few hundred, an OAuth or JWT secret a few KiB.
const (
	MaxConfigBytes     = 1 << 20
	MaxSecretFileBytes = 64 << 10
)

// LoadConfig reads the config file (absent is fine) and applies the
// environment. A file holding a secret that others can read is refused
// with the chmod that fixes it.
func LoadConfig(env Env) (*Config, error) {
	cfg := &Config{}
	path, err := ConfigPath(env)
	if err == nil {
		data, rerr := userfile.Read(path, MaxConfigBytes)
		switch {
		case rerr == nil:
			cfg.File = path
			dec := yaml.NewDecoder(bytes.NewReader(data))
			dec.KnownFields(true)
			if derr := dec.Decode(cfg); derr != nil && !errors.Is(derr, io.EOF) {
				return nil, Errorf(KindConfig, "config", path, "see docs/tickets.md for the keys", "%v", derr)
			}
			cfg.File = path
		case errors.Is(rerr, fs.ErrNotExist):
			if env("L2DIAG_TICKET_CONFIG") != "" {
				return nil, Errorf(KindConfig, "config", path, "unset L2DIAG_TICKET_CONFIG or create the file", "%v", rerr)
			}
		default:
			return nil, Errorf(KindConfig, "config", "read", "point L2DIAG_TICKET_CONFIG at a regular YAML file", "%v", rerr)
		}
	}
	set := func(dst *string, name string) {
		if v := env(name); v != "" {
			*dst = v
		}
	}
	set(&cfg.System, "L2DIAG_TICKET_SYSTEM")
	set(&cfg.ClientCert, "L2DIAG_TICKET_CLIENT_CERT")
	set(&cfg.ClientKey, "L2DIAG_TICKET_CLIENT_KEY")
	set(&cfg.Outbox, "L2DIAG_OUTBOX")

	cfg.TimeoutDur = DefaultTimeout
	if cfg.Timeout != "" {
		d, err := time.ParseDuration(cfg.Timeout)
		if err != nil || d <= 0 {
			return nil, Errorf(KindConfig, "config", "timeout", "use a duration such as 30s or 2m", "%q is not a positive duration", cfg.Timeout)
		}
		cfg.TimeoutDur = d
	}
	if cfg.Retries < 0 || cfg.Retries > 10 {
		return nil, Errorf(KindConfig, "config", "retries", "use 0 to 10", "retries %d out of range", cfg.Retries)
	}
	return cfg, nil
}

func readSecretFile(path, key string) (string, error) {
	path = expandHome(path)
	if err := checkPrivate(path); err != nil {
		return "", err
	}
	data, err := userfile.Read(path, MaxSecretFileBytes)
	if err != nil {
		return "", Errorf(KindConfig, "config", key, "point "+key+" at a readable regular file holding only the secret", "%v", err)
	}
	s := strings.TrimSpace(string(data))
	if s == "" {
		return "", Errorf(KindConfig, "config", key, "write the secret into "+path, "%s is empty", path)
	}
	return s, nil
}

// checkPrivate refuses a secret-holding file that group or others can read.
// Windows has ACLs instead of mode bits; there the check is skipped.
func checkPrivate(path string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	fi, err := os.Stat(path)
	if err != nil {
		return Errorf(KindConfig, "config", path, "", "%v", err)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return Errorf(KindConfig, "config", path, fmt.Sprintf("run: chmod 600 %s", shellQuote(path)),
			"%s holds a secret and is readable by others (mode %04o)", path, perm)
	}
	return nil
}

func expandHome(p string) string {
	if strings.HasPrefix(p, "~/") {
		if h, err := os.UserHomeDir(); err == nil {
			return filepath.Join(h, p[2:])
		}
	}
	return p
}

func shellQuote(s string) string {
	if strings.ContainsAny(s, " '\"$`\\") {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	return s
}

// SecretValues returns every secret the configuration holds (tokens and
// passwords, also those read from files), so a bundle can scrub them
// wherever they appear.
func (c *Config) SecretValues() []string {
	var out []string
	for _, k := range sortedKeys(c.sections) {
		if h, ok := c.sections[k].(SecretHolder); ok {
			for _, v := range h.Secrets() {
				if v != "" {
					out = append(out, v)
				}
			}
		}
	}
	return out
}
