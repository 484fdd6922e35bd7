package iamapi

import (
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/verdict-project/verdict/engine/condition"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/query"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

// IAM OpenID Connect identity providers: the issuers whose tokens
// AssumeRoleWithWebIdentity accepts for the account's roles.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html

func init() {
	register("CreateOpenIDConnectProvider", createOIDCProvider)
	register("GetOpenIDConnectProvider", getOIDCProvider)
	register("ListOpenIDConnectProviders", listOIDCProviders)
	register("DeleteOpenIDConnectProvider", deleteOIDCProvider)
	register("AddClientIDToOpenIDConnectProvider", addClientID)
	register("RemoveClientIDFromOpenIDConnectProvider", removeClientID)
	register("UpdateOpenIDConnectProviderThumbprint", updateThumbprint)
	register("TagOpenIDConnectProvider", tagOIDCProvider)
	register("UntagOpenIDConnectProvider", untagOIDCProvider)
	register("ListOpenIDConnectProviderTags", listOIDCProviderTags)
}

// Limits of the OIDC provider operations' parameters and IAM's quotas:
// URL 1 to 255 characters, client IDs 1 to 255 characters, thumbprints
// exactly 40 characters and at most 5, at most 100 client IDs per provider
// and 100 providers per account.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html#API_CreateOpenIDConnectProvider_RequestParameters
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entities
const (
	maxOIDCURL       = 255
	maxClientIDLen   = 255
	thumbprintLen    = 40
	maxThumbprints   = 5
	maxClientIDs     = 100
	maxOIDCProviders = 100
)

// oidcURL reads the Url parameter of CreateOpenIDConnectProvider (1 to
// 255 characters); checkIssuerURL checks its form.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html#API_CreateOpenIDConnectProvider_RequestParameters
func (p *params) oidcURL() string {
	s := p.str("Url", true)
	if !p.v.Has("Url") {
		return ""
	}
	switch n := len([]rune(s)); {
	case n < 1:
		p.violate("Url", s, "Member must have length greater than or equal to 1")
	case n > maxOIDCURL:
		p.violate("Url", s, "Member must have length less than or equal to "+strconv.Itoa(maxOIDCURL))
	}
	return s
}

// checkIssuerURL refuses URLs that do not begin with https:// and name a
// host, or that carry a query or a fragment: "The URL must begin with
// https:// ... path components are allowed but query parameters are not."
// The reference says the URL "should not contain a port number"; whether
// IAM refuses one is UNCONFIRMED, so ports are kept. UNCONFIRMED wording.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html#API_CreateOpenIDConnectProvider_RequestParameters
func checkIssuerURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || !strings.EqualFold(u.Scheme, "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" ||
		u.User != nil || strings.ContainsAny(s, " \t\r\n") {
		return invalidInput("Invalid Openid Connect Provider URL: the URL must begin with https:// and name a host, without query or fragment.")
	}
	return nil
}

// clientIDs reads a list of client IDs (ClientIDList.member.N).
func (p *params) clientIDs(param string) []string {
	ids := p.v.List(param + ".member")
	for i, id := range ids {
		if n := len([]rune(id)); n < 1 || n > maxClientIDLen {
			c := "Member must have length greater than or equal to 1"
			if n > maxClientIDLen {
				c = "Member must have length less than or equal to " + strconv.Itoa(maxClientIDLen)
			}
			p.vs = append(p.vs, query.Violation{Member: member(param) + "." + strconv.Itoa(i+1) + ".member", Value: id, Constraint: c})
		}
	}
	return ids
}

// clientID reads a single ClientID parameter.
func (p *params) clientID() string {
	s := p.str("ClientID", true)
	if !p.v.Has("ClientID") {
		return ""
	}
	if n := len([]rune(s)); n < 1 {
		p.violate("ClientID", s, "Member must have length greater than or equal to 1")
	} else if n > maxClientIDLen {
		p.violate("ClientID", s, "Member must have length less than or equal to "+strconv.Itoa(maxClientIDLen))
	}
	return s
}

// thumbprints reads ThumbprintList.member.N: each exactly 40 characters
// (the hex SHA-1 of a certificate), at most five.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateOpenIDConnectProviderThumbprint.html#API_UpdateOpenIDConnectProviderThumbprint_RequestParameters
func (p *params) thumbprints(required bool) []string {
	tps := p.v.List("ThumbprintList.member")
	if required && !p.v.Has("ThumbprintList") && len(tps) == 0 {
		p.vs = append(p.vs, query.NotNull("thumbprintList"))
		return nil
	}
	if len(tps) > maxThumbprints {
		p.violate("ThumbprintList", "", "Member must have length less than or equal to "+strconv.Itoa(maxThumbprints))
		return nil
	}
	for i, tp := range tps {
		if n := len([]rune(tp)); n != thumbprintLen {
			c := "Member must have length greater than or equal to 40"
			if n > thumbprintLen {
				c = "Member must have length less than or equal to 40"
			}
			p.vs = append(p.vs, query.Violation{Member: "thumbprintList." + strconv.Itoa(i+1) + ".member", Value: tp, Constraint: c})
		}
	}
	return tps
}

// providerARN reads OpenIDConnectProviderArn and returns it with the
// account and URL it names; ok is false when it is not an OIDC provider
// ARN.
func (p *params) providerARN() (arn, account, issuer string, ok bool) {
	arn = p.arn("OpenIDConnectProviderArn", true)
	rest, found := strings.CutPrefix(arn, "arn:aws:iam::")
	if !found {
		return arn, "", "", false
	}
	account, issuer, found = strings.Cut(rest, ":oidc-provider/")
	if !found || len(account) != 12 || issuer == "" {
		return arn, "", "", false
	}
	return arn, account, issuer, true
}

// badProviderARN is IAM's answer to an ARN that is not an OIDC provider's.
// UNCONFIRMED wording.
func badProviderARN(arn string) error {
	return invalidInput("ARN " + arn + " is not valid.")
}

// noSuchProvider is IAM's NoSuchEntity for a provider. UNCONFIRMED wording.
func noSuchProvider(arn string) error {
	return noSuchEntity("OpenIDConnect provider not found for arn " + arn)
}

// providerFor loads the provider named by arn after authorizing action on
// it (authorization first, so that a caller without permission learns
// nothing about which providers exist). It returns nil, nil for a provider
// that does not exist when missingOK.
func (q *request) providerFor(tx store.Tx, arn, account, issuer, action string, extra condition.Map, missingOK bool) (*model.OIDCProvider, error) {
	var prov *model.OIDCProvider
	if account == q.account {
		p, err := state.OIDCProvider(tx, account, issuer)
		if err != nil && !isNotFound(err) {
			return nil, err
		}
		if p != nil && p.ARN() == model.OIDCProviderARN(account, state.NormalizeIssuer(issuer)) {
			prov = p
		}
	}
	ctx := condition.Map{}
	if prov != nil {
		ctx = resourceKeys(prov.Tags)
	}
	for k, v := range extra {
		ctx[k] = v
	}
	if err := q.authorize(action, arn, ctx); err != nil {
		return nil, err
	}
	if prov == nil && !missingOK {
		return nil, noSuchProvider(arn)
	}
	return prov, nil
}

// changeProvider runs change on the provider named by the request, after
// authorizing action, in a write transaction.
func (q *request) changeProvider(p *params, action string, extra condition.Map, change func(*model.OIDCProvider) error) error {
	arn, account, issuer, ok := p.providerARN()
	if err := p.err(); err != nil {
		return err
	}
	if !ok {
		return badProviderARN(arn)
	}
	return q.update(func(tx store.Tx) error {
		prov, err := q.providerFor(tx, arn, account, issuer, action, extra, false)
		if err != nil {
			return err
		}
		if err := change(prov); err != nil {
			return err
		}
		return state.PutOIDCProvider(tx, prov)
	})
}

type createOIDCResult struct {
	OpenIDConnectProviderArn string    `xml:"OpenIDConnectProviderArn"`
	Tags                     *[]xmlTag `xml:"Tags>member"`
}

// createOIDCProvider implements CreateOpenIDConnectProvider. The thumbprint
// list is optional: IAM secures communication with the issuer through its
// own library of trusted root CAs.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html
func createOIDCProvider(q *request) (any, error) {
	p := q.params()
	rawURL := p.oidcURL()
	ids := p.clientIDs("ClientIDList")
	tps := p.thumbprints(false)
	tags, err := p.tags("Tags")
	if err != nil {
		return nil, err
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	if err := checkIssuerURL(rawURL); err != nil {
		return nil, err
	}
	if len(ids) > maxClientIDs {
		// UNCONFIRMED wording, after IAM's other quota messages.
		return nil, limitExceeded("Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: " + strconv.Itoa(maxClientIDs))
	}
	prov := &model.OIDCProvider{Account: q.account, URL: state.NormalizeIssuer(rawURL), ClientIDs: dedupe(ids),
		Thumbprints: tps, Tags: tags, Created: q.Now.UTC()}
	ctx := condition.Map{}
	requestTagKeys(ctx, tags)
	err = q.update(func(tx store.Tx) error {
		if err := q.authorize("iam:CreateOpenIDConnectProvider", prov.ARN(), ctx); err != nil {
			return err
		}
		if len(tags) > 0 {
			// Tagging on creation needs the tagging permission too.
			// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags_oidc.html
			if err := q.authorize("iam:TagOpenIDConnectProvider", prov.ARN(), ctx); err != nil {
				return err
			}
		}
		all, err := state.ListOIDCProviders(tx, q.account)
		if err != nil {
			return err
		}
		if len(all) >= maxOIDCProviders {
			// UNCONFIRMED wording.
			return limitExceeded("Cannot exceed quota for OpenIdConnectProvidersPerAccount: " + strconv.Itoa(maxOIDCProviders))
		}
		if err := state.InsertOIDCProvider(tx, prov); err != nil {
			if errors.Is(err, store.ErrExists) {
				// UNCONFIRMED wording.
				return alreadyExists("Provider with url https://" + prov.URL + " already exists.")
			}
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return createOIDCResult{OpenIDConnectProviderArn: prov.ARN(), Tags: xmlTags(tags)}, nil
}

// dedupe returns ids without repeats, in first-seen order: a client ID
// listed twice is stored once.
func dedupe(ids []string) []string {
	var out []string
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

type getOIDCResult struct {
	URL            string          `xml:"Url"`
	ClientIDList   []string        `xml:"ClientIDList>member"`
	ThumbprintList []string        `xml:"ThumbprintList>member"`
	CreateDate     query.Timestamp `xml:"CreateDate"`
	Tags           *[]xmlTag       `xml:"Tags>member"`
}

// getOIDCProvider implements GetOpenIDConnectProvider; Url is returned
// without its scheme.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetOpenIDConnectProvider.html
func getOIDCProvider(q *request) (any, error) {
	p := q.params()
	arn, account, issuer, ok := p.providerARN()
	if err := p.err(); err != nil {
		return nil, err
	}
	if !ok {
		return nil, badProviderARN(arn)
	}
	var out getOIDCResult
	err := q.view(func(tx store.Tx) error {
		prov, err := q.providerFor(tx, arn, account, issuer, "iam:GetOpenIDConnectProvider", nil, false)
		if err != nil {
			return err
		}
		out = getOIDCResult{URL: prov.URL, ClientIDList: prov.ClientIDs, ThumbprintList: prov.Thumbprints,
			CreateDate: query.Timestamp{Time: prov.Created}, Tags: xmlTags(prov.Tags)}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

type xmlOIDCEntry struct {
	Arn string `xml:"Arn"`
}

type listOIDCResult struct {
	OpenIDConnectProviderList []xmlOIDCEntry `xml:"OpenIDConnectProviderList>member"`
}

// listOIDCProviders implements ListOpenIDConnectProviders (not paginated).
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListOpenIDConnectProviders.html
func listOIDCProviders(q *request) (any, error) {
	if err := q.authorize("iam:ListOpenIDConnectProviders", "*", nil); err != nil {
		return nil, err
	}
	out := listOIDCResult{OpenIDConnectProviderList: []xmlOIDCEntry{}}
	err := q.view(func(tx store.Tx) error {
		all, err := state.ListOIDCProviders(tx, q.account)
		for i := range all {
			out.OpenIDConnectProviderList = append(out.OpenIDConnectProviderList, xmlOIDCEntry{all[i].ARN()})
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// deleteOIDCProvider implements DeleteOpenIDConnectProvider. Deleting a
// provider that does not exist succeeds ("This operation is idempotent").
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteOpenIDConnectProvider.html
func deleteOIDCProvider(q *request) (any, error) {
	p := q.params()
	arn, account, issuer, ok := p.providerARN()
	if err := p.err(); err != nil {
		return nil, err
	}
	if !ok {
		return nil, badProviderARN(arn)
	}
	err := q.update(func(tx store.Tx) error {
		prov, err := q.providerFor(tx, arn, account, issuer, "iam:DeleteOpenIDConnectProvider", nil, true)
		if err != nil || prov == nil {
			return err
		}
		return state.DeleteOIDCProvider(tx, prov.Account, prov.URL)
	})
	return nil, err
}

// addClientID implements AddClientIDToOpenIDConnectProvider; adding a
// client ID already listed succeeds and changes nothing.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_AddClientIDToOpenIDConnectProvider.html
func addClientID(q *request) (any, error) {
	p := q.params()
	id := p.clientID()
	return nil, q.changeProvider(p, "iam:AddClientIDToOpenIDConnectProvider", nil, func(prov *model.OIDCProvider) error {
		if slices.Contains(prov.ClientIDs, id) {
			return nil
		}
		if len(prov.ClientIDs) >= maxClientIDs {
			return limitExceeded("Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: " + strconv.Itoa(maxClientIDs))
		}
		prov.ClientIDs = append(prov.ClientIDs, id)
		return nil
	})
}

// removeClientID implements RemoveClientIDFromOpenIDConnectProvider;
// removing a client ID that is not listed succeeds.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_RemoveClientIDFromOpenIDConnectProvider.html
func removeClientID(q *request) (any, error) {
	p := q.params()
	id := p.clientID()
	return nil, q.changeProvider(p, "iam:RemoveClientIDFromOpenIDConnectProvider", nil, func(prov *model.OIDCProvider) error {
		prov.ClientIDs = slices.DeleteFunc(prov.ClientIDs, func(c string) bool { return c == id })
		return nil
	})
}

// updateThumbprint implements UpdateOpenIDConnectProviderThumbprint: the
// list replaces the provider's.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateOpenIDConnectProviderThumbprint.html
func updateThumbprint(q *request) (any, error) {
	p := q.params()
	tps := p.thumbprints(true)
	return nil, q.changeProvider(p, "iam:UpdateOpenIDConnectProviderThumbprint", nil, func(prov *model.OIDCProvider) error {
		prov.Thumbprints = tps
		return nil
	})
}

// tagOIDCProvider implements TagOpenIDConnectProvider.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_TagOpenIDConnectProvider.html
func tagOIDCProvider(q *request) (any, error) {
	p := q.params()
	tags, err := q.tagsParam(p)
	if err != nil {
		return nil, err
	}
	ctx := condition.Map{}
	requestTagKeys(ctx, tags)
	return nil, q.changeProvider(p, "iam:TagOpenIDConnectProvider", ctx, func(prov *model.OIDCProvider) error {
		merged, err := mergeTags(prov.Tags, tags, "TagsPerOpenIdConnectProvider")
		if err != nil {
			return err
		}
		prov.Tags = merged
		return nil
	})
}

// untagOIDCProvider implements UntagOpenIDConnectProvider.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_UntagOpenIDConnectProvider.html
func untagOIDCProvider(q *request) (any, error) {
	p := q.params()
	keys := q.untagKeysParam(p)
	return nil, q.changeProvider(p, "iam:UntagOpenIDConnectProvider", condition.Map{"aws:tagkeys": keys}, func(prov *model.OIDCProvider) error {
		prov.Tags = withoutTagKeys(prov.Tags, keys)
		return nil
	})
}

// listOIDCProviderTags implements ListOpenIDConnectProviderTags.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListOpenIDConnectProviderTags.html
func listOIDCProviderTags(q *request) (any, error) {
	p := q.params()
	arn, account, issuer, ok := p.providerARN()
	pr := p.page()
	if err := p.err(); err != nil {
		return nil, err
	}
	if !ok {
		return nil, badProviderARN(arn)
	}
	var out listTagsResult
	err := q.view(func(tx store.Tx) error {
		prov, err := q.providerFor(tx, arn, account, issuer, "iam:ListOpenIDConnectProviderTags", nil, false)
		if err != nil {
			return err
		}
		out = tagPage(prov.Tags, pr)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
