package stsapi

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/protocol/query"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
	"github.com/verdict-project/verdict/webidentity"
)

const actionWebIdentity = "AssumeRoleWithWebIdentity"

// clockSkew is the leeway allowed on a token's exp, nbf and iat. AWS
// documents none; five minutes is the customary allowance of OIDC relying
// parties. UNCONFIRMED.
const clockSkew = 5 * time.Minute

// githubIssuer is GitHub Actions' issuer, whose extra claims IAM offers as
// condition keys.
const githubIssuer = "token.actions.githubusercontent.com"

// githubClaims are the GitHub Actions claims IAM makes available as
// condition keys token.actions.githubusercontent.com:CLAIM in role trust
// policies, besides aud and sub.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif
var githubClaims = []string{"actor", "actor_id", "base_ref", "context", "enterprise", "enterprise_id", "environment",
	"event_name", "head_ref", "job_workflow_ref", "job_workflow_sha", "ref", "ref_protected", "ref_type", "repository",
	"repository_id", "repository_owner", "repository_owner_id", "repository_visibility", "run_attempt", "run_id",
	"run_number", "runner_environment", "workflow", "workflow_ref", "workflow_sha"}

type assumeRoleWithWebIdentityResult struct {
	SubjectFromWebIdentityToken string             `xml:"SubjectFromWebIdentityToken"`
	Audience                    string             `xml:"Audience"`
	AssumedRoleUser             xmlAssumedRoleUser `xml:"AssumedRoleUser"`
	Credentials                 xmlCredentials     `xml:"Credentials"`
	Provider                    string             `xml:"Provider"`
	PackedPolicySize            *int               `xml:"PackedPolicySize"`
}

// STS's errors for web identity tokens, with the statuses the API
// reference gives: InvalidIdentityToken 400, ExpiredTokenException 400,
// IDPRejectedClaim 403.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html#API_AssumeRoleWithWebIdentity_Errors

func invalidIdentityToken(msg string) error {
	return awserr.New("InvalidIdentityToken", http.StatusBadRequest, msg)
}

func expiredToken(msg string) error {
	return awserr.New("ExpiredTokenException", http.StatusBadRequest, msg)
}

func idpRejectedClaim(msg string) error {
	return awserr.New("IDPRejectedClaim", http.StatusForbidden, msg)
}

// webIdentityDenied is AssumeRoleWithWebIdentity's AccessDenied: unlike
// AssumeRole's it names no principal, since the caller has no ARN.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_oidc.html
func webIdentityDenied() error {
	return accessDenied("Not authorized to perform sts:AssumeRoleWithWebIdentity")
}

// tokenError maps a token refused by package webidentity to STS's error.
// UNCONFIRMED wordings but for the expiry message, which follows AWS's.
func tokenError(err error, now time.Time, tok *webidentity.Token) error {
	switch webidentity.KindOf(err) {
	case webidentity.Expired:
		return expiredToken("Token expired: current date/time " + now.UTC().Format(time.RFC3339) +
			" must be before the expiration date/time " + tok.Expires.UTC().Format(time.RFC3339))
	case webidentity.NotYetValid:
		return idpRejectedClaim("The token is not yet valid: its nbf or iat claim lies in the future.")
	case webidentity.BadSignature:
		return invalidIdentityToken("The web identity token signature could not be verified.")
	case webidentity.Unsupported:
		return invalidIdentityToken("The web identity token uses an unsupported signing algorithm.")
	}
	return invalidIdentityToken("The web identity token could not be parsed.")
}

// webIdentityKeys returns the condition keys a token supplies to the trust
// policy: ISSUER:aud, ISSUER:sub and ISSUER:amr (ISSUER is the provider's
// URL without scheme), GitHub's extra claims for its issuer, and
// aws:FederatedProvider.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif
func webIdentityKeys(m map[string][]string, prov *model.OIDCProvider, tok *webidentity.Token) {
	prefix := strings.ToLower(prov.URL) + ":"
	m["aws:federatedprovider"] = []string{prov.ARN()}
	if len(tok.Audience) > 0 {
		m[prefix+"aud"] = tok.Audience
	}
	if tok.Subject != "" {
		m[prefix+"sub"] = []string{tok.Subject}
	}
	if len(tok.AMR) > 0 {
		m[prefix+"amr"] = tok.AMR
	}
	if prov.URL == githubIssuer {
		for _, c := range githubClaims {
			if v, ok := tok.String(c); ok {
				m[prefix+c] = []string{v}
			}
		}
	}
}

// assumeRoleWithWebIdentity implements AssumeRoleWithWebIdentity: the token
// must come from an issuer the role's account has an IAM OIDC provider for,
// name one of its client IDs in aud, be signed with a trusted key and be
// current; then the role's trust policy must allow the provider
// (Principal Federated) to perform sts:AssumeRoleWithWebIdentity.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html
func (s *Service) assumeRoleWithWebIdentity(q *request) (any, error) {
	p := &params{v: q.v}
	roleARN := p.arn("RoleArn", true)
	sessionName := p.name("RoleSessionName", model.SessionNameRule, true)
	raw := p.name("WebIdentityToken", model.NameRule{Min: 4, Max: webidentity.MaxTokenLen}, true)
	providerID := p.name("ProviderId", model.NameRule{Min: 4, Max: 2048}, false)
	dur := p.duration(minDuration, maxRoleDuration, 0)
	doc := p.policy()
	arns := p.policyARNs()
	if err := p.err(); err != nil {
		return nil, err
	}
	account, roleName, ok := roleFromARN(roleARN)
	if !ok {
		// UNCONFIRMED wording, as for AssumeRole.
		return nil, query.ValidationError(query.Violation{Member: "roleArn", Value: roleARN,
			Constraint: "Member must be the ARN of an IAM role"})
	}
	if providerID != "" {
		// ProviderId names the OAuth 2.0 providers (www.amazon.com,
		// graph.facebook.com), whose access tokens verdict cannot check.
		// UNCONFIRMED wording.
		return nil, invalidIdentityToken("OAuth 2.0 access tokens (ProviderId " + providerID + ") are not supported; pass an OpenID Connect ID token.")
	}
	tok, err := webidentity.Parse(raw)
	if err != nil {
		return nil, tokenError(err, q.Now, nil)
	}
	if tok.Issuer == "" {
		return nil, invalidIdentityToken("The web identity token has no iss claim.")
	}
	if err := validateSessionPolicy(doc); err != nil {
		return nil, err
	}
	var sess *model.Session
	var prov *model.OIDCProvider
	err = q.update(func(tx store.Tx) error {
		var err error
		prov, err = state.OIDCProvider(tx, account, tok.Issuer)
		if errors.Is(err, store.ErrNotFound) || err == nil && !strings.EqualFold(tok.Issuer, "https://"+prov.URL) {
			// The iss claim must be the provider's URL, https:// and all.
			return invalidIdentityToken("No OpenIDConnect provider found in your account for " + tok.Issuer)
		}
		if err != nil {
			return err
		}
		if err := s.verify(tok); err != nil {
			return tokenError(err, q.Now, tok)
		}
		if err := tok.CheckTime(q.Now, clockSkew); err != nil {
			return tokenError(err, q.Now, tok)
		}
		if !slices.ContainsFunc(tok.Audience, func(a string) bool { return slices.Contains(prov.ClientIDs, a) }) {
			return invalidIdentityToken("Incorrect token audience")
		}
		if tok.Subject == "" {
			// UNCONFIRMED wording.
			return invalidIdentityToken("The web identity token has no sub claim.")
		}
		ctx := q.BaseContext()
		ctx["aws:resourceaccount"] = []string{account}
		ctx["sts:rolesessionname"] = []string{sessionName}
		webIdentityKeys(ctx, prov, tok)
		in := &authz.Inputs{ResourceKind: authz.TrustPolicy}
		role, err := q.roleTrust(tx, account, roleName, roleARN, ctx, in)
		if err != nil {
			return err
		}
		// The caller is the provider's federated user: it has no account
		// and no identity policies, and the trust policy names it by the
		// provider's ARN in Principal.Federated.
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-federated-web-identity
		req := &authz.Request{Principal: authz.Principal{Type: authz.Anonymous, Provider: prov.ARN()},
			Action: "sts:AssumeRoleWithWebIdentity", Resource: roleARN, ResourceAccount: account, Context: ctx}
		if d := q.Decide(req, in); !d.Allowed || role == nil {
			return webIdentityDenied()
		}
		sess = &model.Session{}
		return q.issueRoleSession(tx, role, sess, sessionName, doc, arns, dur)
	})
	if err != nil {
		return nil, err
	}
	out := assumeRoleWithWebIdentityResult{SubjectFromWebIdentityToken: tok.Subject, AssumedRoleUser: assumedRoleUser(sess),
		Credentials: credentialsXML(sess), Provider: tok.Issuer, PackedPolicySize: packedPolicySize(sess)}
	// Audience is the client ID the token was issued for: the first of
	// its audiences the provider lists.
	for _, a := range tok.Audience {
		if slices.Contains(prov.ClientIDs, a) {
			out.Audience = a
			break
		}
	}
	return out, nil
}

// verify checks the token's signature against every trusted key.
func (s *Service) verify(tok *webidentity.Token) error {
	err := tok.Verify(nil)
	for _, k := range s.WebIdentityKeys {
		if err = tok.Verify(k); err == nil {
			return nil
		}
	}
	return err
}
