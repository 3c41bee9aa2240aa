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
// directory, overridden by L2DIAG_* environment variables.
type Config struct {
	// File is where the config came from ("" when there is none).
	File string `yaml:"-"`
	// System is the default system: jira, servicenow or dir.
	System string `yaml:"system"`
	CAFile string `yaml:"ca_file"`
	// ClientCert and ClientKey are a client certificate (PEM) for mutual
	// TLS with either system.
	ClientCert string           `yaml:"client_cert"`
	ClientKey  string           `yaml:"client_key"`
	Insecure   bool             `yaml:"insecure"`
	AllowHTTP  bool             `yaml:"allow_http"`
	Timeout    string           `yaml:"timeout"`
	Retries    int              `yaml:"retries"`
	Jira       JiraConfig       `yaml:"jira"`
	ServiceNow ServiceNowConfig `yaml:"servicenow"`
	Dir        DirConfig        `yaml:"dir"`
	// Outbox overrides the outbox folder (L2DIAG_OUTBOX wins).
	Outbox string `yaml:"outbox"`

	// TimeoutDur is Timeout parsed (DefaultTimeout when unset).
	TimeoutDur time.Duration `yaml:"-"`
}

// JiraConfig configures Jira Cloud or Data Center.
type JiraConfig struct {
	URL       string `yaml:"url"`
	User      string `yaml:"user"`
	Token     string `yaml:"token"`
	TokenFile string `yaml:"token_file"`
	// Deployment is cloud (REST v3, ADF), datacenter (REST v2, wiki text)
	// or auto (default: *.atlassian.net is cloud, else ask serverInfo).
	Deployment string `yaml:"deployment"`
	// Project and IssueType are the defaults of `ticket create`.
	Project   string `yaml:"project"`
	IssueType string `yaml:"issue_type"`
	// CommentRole restricts the summary comment to a project role
	// (visibility), e.g. "Service Desk Team", for internal comments.
	CommentRole string `yaml:"comment_role"`
}

// ServiceNowConfig configures a ServiceNow instance.
type ServiceNowConfig struct {
	URL          string `yaml:"url"`
	User         string `yaml:"user"`
	Password     string `yaml:"password"`
	PasswordFile string `yaml:"password_file"`
	Token        string `yaml:"token"`
	TokenFile    string `yaml:"token_file"`
	// ClientID and ClientSecret are an OAuth client (Application Registry)
	// for /oauth_token.do: the password grant with User and Password, else
	// the client-credentials grant. Tokens are renewed as they expire.
	ClientID         string `yaml:"client_id"`
	ClientSecret     string `yaml:"client_secret"`
	ClientSecretFile string `yaml:"client_secret_file"`
	// CommentField is work_notes (internal, default) or comments
	// (visible to the caller).
	CommentField string `yaml:"comment_field"`
	// Tables maps number prefixes to tables, overriding the defaults.
	Tables map[string]string `yaml:"tables"`
}

// DirConfig configures delivery into a folder (a mounted share).
type DirConfig struct {
	Path string `yaml:"path"`
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
			if cfg.Jira.Token != "" || cfg.ServiceNow.Password != "" || cfg.ServiceNow.Token != "" || cfg.ServiceNow.ClientSecret != "" {
				if err := checkPrivate(path); err != nil {
					return nil, err
				}
			}
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
	set(&cfg.Jira.URL, "L2DIAG_JIRA_URL")
	set(&cfg.Jira.User, "L2DIAG_JIRA_USER")
	set(&cfg.Jira.Token, "L2DIAG_JIRA_TOKEN")
	set(&cfg.Jira.TokenFile, "L2DIAG_JIRA_TOKEN_FILE")
	set(&cfg.ServiceNow.URL, "L2DIAG_SERVICENOW_URL")
	set(&cfg.ServiceNow.User, "L2DIAG_SERVICENOW_USER")
	set(&cfg.ServiceNow.Password, "L2DIAG_SERVICENOW_PASSWORD")
	set(&cfg.ServiceNow.PasswordFile, "L2DIAG_SERVICENOW_PASSWORD_FILE")
	set(&cfg.ServiceNow.Token, "L2DIAG_SERVICENOW_TOKEN")
	set(&cfg.ServiceNow.TokenFile, "L2DIAG_SERVICENOW_TOKEN_FILE")
	set(&cfg.ServiceNow.ClientID, "L2DIAG_SERVICENOW_CLIENT_ID")
	set(&cfg.ServiceNow.ClientSecret, "L2DIAG_SERVICENOW_CLIENT_SECRET")
	set(&cfg.ServiceNow.ClientSecretFile, "L2DIAG_SERVICENOW_CLIENT_SECRET_FILE")
	set(&cfg.Dir.Path, "L2DIAG_TICKET_DIR")
	set(&cfg.ClientCert, "L2DIAG_TICKET_CLIENT_CERT")
	set(&cfg.ClientKey, "L2DIAG_TICKET_CLIENT_KEY")
	set(&cfg.Outbox, "L2DIAG_OUTBOX")

	for _, s := range []struct {
		dst  *string
		file string
		key  string
	}{
		{&cfg.Jira.Token, cfg.Jira.TokenFile, "jira.token_file"},
		{&cfg.ServiceNow.Password, cfg.ServiceNow.PasswordFile, "servicenow.password_file"},
		{&cfg.ServiceNow.Token, cfg.ServiceNow.TokenFile, "servicenow.token_file"},
		{&cfg.ServiceNow.ClientSecret, cfg.ServiceNow.ClientSecretFile, "servicenow.client_secret_file"},
	} {
		if *s.dst != "" || s.file == "" {
			continue
		}
		v, err := readSecretFile(s.file, s.key)
		if err != nil {
			return nil, err
		}
		*s.dst = v
	}
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
	for _, v := range []string{c.Jira.Token, c.ServiceNow.Password, c.ServiceNow.Token, c.ServiceNow.ClientSecret} {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}
