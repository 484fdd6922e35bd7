package state

import (
	"strings"

	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/store"
)

// OIDCProviders is the table of IAM OpenID Connect providers, keyed by
// account/url (see oidcKey).
const OIDCProviders = "iam.oidcproviders"

// oidcKey is a provider's record key: the account and the issuer URL
// without scheme. The host part of a URL is case-insensitive, so it is
// lower-cased; the path is kept as written.
func oidcKey(account, url string) string { return account + "/" + NormalizeIssuer(url) }

// NormalizeIssuer returns an issuer URL without its https:// scheme, with
// the host lower-cased and no trailing slash, the form IAM keeps and
// matches tokens' iss claims against.
func NormalizeIssuer(url string) string {
	if len(url) >= 8 && strings.EqualFold(url[:8], "https://") {
		url = url[8:]
	}
	url = strings.TrimRight(url, "/")
	host, path, found := strings.Cut(url, "/")
	host = strings.ToLower(host)
	if found {
		return host + "/" + path
	}
	return host
}

// OIDCProvider returns the account's provider for an issuer URL (with or
// without scheme).
func OIDCProvider(tx store.Tx, account, url string) (*model.OIDCProvider, error) {
	return Get[model.OIDCProvider](tx, OIDCProviders, oidcKey(account, url))
}

// PutOIDCProvider stores p.
func PutOIDCProvider(tx store.Tx, p *model.OIDCProvider) error {
	return store.PutJSON(tx, OIDCProviders, oidcKey(p.Account, p.URL), p)
}

// InsertOIDCProvider stores p, failing with store.ErrExists when the
// account already has a provider for its URL.
func InsertOIDCProvider(tx store.Tx, p *model.OIDCProvider) error {
	return store.InsertJSON(tx, OIDCProviders, oidcKey(p.Account, p.URL), p)
}

// DeleteOIDCProvider removes the account's provider for url.
func DeleteOIDCProvider(tx store.Tx, account, url string) error {
	return tx.Delete(OIDCProviders, oidcKey(account, url))
}

// ListOIDCProviders returns the account's providers in URL order.
func ListOIDCProviders(tx store.Tx, account string) ([]model.OIDCProvider, error) {
	return scanAccount[model.OIDCProvider](tx, OIDCProviders, account)
}
