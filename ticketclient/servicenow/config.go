package servicenow

import "github.com/l2diag/l2diag/ticketclient"

// Config is the servicenow: section of the config file.
type Config struct {
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
	// Tables maps number prefixes to tables, a shortcut before the lookup
	// on task.
	Tables map[string]string `yaml:"tables"`
	// CauseField, when set, is a string field of the records (a custom
	// u_l2diag_causes, say) that also gets the cause labels, where the
	// account may write it: searchable by more than l2diag.
	CauseField string `yaml:"cause_field"`
}

// Secrets lists the password, token and client secret.
func (c *Config) Secrets() []string { return []string{c.Password, c.Token, c.ClientSecret} }

// LoadConfig decodes the servicenow: section and applies
// L2DIAG_SERVICENOW_*.
func LoadConfig(src *ticketclient.SectionSource) (any, error) {
	c := &Config{}
	if err := src.Decode(c); err != nil {
		return nil, err
	}
	if err := src.FileSecrets(c.Password, c.Token, c.ClientSecret); err != nil {
		return nil, err
	}
	for _, e := range []struct {
		dst  *string
		name string
	}{
		{&c.URL, "L2DIAG_SERVICENOW_URL"}, {&c.User, "L2DIAG_SERVICENOW_USER"},
		{&c.Password, "L2DIAG_SERVICENOW_PASSWORD"}, {&c.PasswordFile, "L2DIAG_SERVICENOW_PASSWORD_FILE"},
		{&c.Token, "L2DIAG_SERVICENOW_TOKEN"}, {&c.TokenFile, "L2DIAG_SERVICENOW_TOKEN_FILE"},
		{&c.ClientID, "L2DIAG_SERVICENOW_CLIENT_ID"}, {&c.ClientSecret, "L2DIAG_SERVICENOW_CLIENT_SECRET"},
		{&c.ClientSecretFile, "L2DIAG_SERVICENOW_CLIENT_SECRET_FILE"},
	} {
		src.Getenv(e.dst, e.name)
	}
	for _, f := range []struct {
		dst        *string
		file, name string
	}{
		{&c.Password, c.PasswordFile, "servicenow.password_file"},
		{&c.Token, c.TokenFile, "servicenow.token_file"},
		{&c.ClientSecret, c.ClientSecretFile, "servicenow.client_secret_file"},
	} {
		if err := src.SecretFile(f.dst, f.file, f.name); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// section is the config's section of this system (empty when none).
func section(cfg *ticketclient.Config) *Config { return ticketclient.SectionOf[Config](cfg, Name) }
