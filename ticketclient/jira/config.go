package jira

import "github.com/l2diag/l2diag/ticketclient"

// Config is the jira: section of the config file.
type Config struct {
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
	// CommentRole restricts internal comments to a project role
	// (visibility), e.g. "Service Desk Team".
	CommentRole string `yaml:"comment_role"`
}

// Secrets lists the token.
func (c *Config) Secrets() []string { return []string{c.Token} }

// LoadConfig decodes the jira: section and applies L2DIAG_JIRA_*.
func LoadConfig(src *ticketclient.SectionSource) (any, error) {
	c := &Config{}
	if err := src.Decode(c); err != nil {
		return nil, err
	}
	if err := src.FileSecrets(c.Token); err != nil {
		return nil, err
	}
	src.Getenv(&c.URL, "L2DIAG_JIRA_URL")
	src.Getenv(&c.User, "L2DIAG_JIRA_USER")
	src.Getenv(&c.Token, "L2DIAG_JIRA_TOKEN")
	src.Getenv(&c.TokenFile, "L2DIAG_JIRA_TOKEN_FILE")
	if err := src.SecretFile(&c.Token, c.TokenFile, "jira.token_file"); err != nil {
		return nil, err
	}
	return c, nil
}

// section is the config's section of this system (empty when none).
func section(cfg *ticketclient.Config) *Config { return ticketclient.SectionOf[Config](cfg, Name) }
