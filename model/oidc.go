package model

import (
	"slices"
	"time"
)

// OIDCProvider is an IAM OpenID Connect identity provider: the issuer an
// account trusts for AssumeRoleWithWebIdentity.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html
type OIDCProvider struct {
	Account string `json:"account"`
	// URL is the issuer URL without its https:// scheme, as IAM keeps it
	// ("token.actions.githubusercontent.com"); it is also the last part
	// of the ARN and the prefix of the provider's condition keys.
	URL         string    `json:"url"`
	ClientIDs   []string  `json:"clientIds,omitempty"`
	Thumbprints []string  `json:"thumbprints,omitempty"`
	Tags        []Tag     `json:"tags,omitempty"`
	Created     time.Time `json:"created"`
}

// ARN returns the provider's ARN,
// arn:aws:iam::ACCOUNT:oidc-provider/HOST[/PATH].
func (p *OIDCProvider) ARN() string { return OIDCProviderARN(p.Account, p.URL) }

// OIDCProviderARN returns the ARN of the provider for url (without scheme)
// in account.
func OIDCProviderARN(account, url string) string {
	return "arn:aws:iam::" + account + ":oidc-provider/" + url
}

// Clone returns a copy of p that shares no memory with it.
func (p *OIDCProvider) Clone() *OIDCProvider {
	c := *p
	c.ClientIDs = slices.Clone(p.ClientIDs)
	c.Thumbprints = slices.Clone(p.Thumbprints)
	c.Tags = slices.Clone(p.Tags)
	return &c
}
