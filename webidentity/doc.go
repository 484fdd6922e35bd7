// Package webidentity is verdict's stand-in for the OpenID Connect issuers
// that AssumeRoleWithWebIdentity trusts: it parses and verifies JSON Web
// Tokens (RS256 and ES256), and it keeps one ECDSA P-256 signing key per
// data directory with which it mints test tokens.
//
// # Why a local key
//
// AWS verifies a web identity token against the signing keys the issuer
// publishes (the JWKS named by its /.well-known/openid-configuration),
// fetched over HTTPS from the issuer URL of the IAM OIDC provider.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html
// verdict runs offline, so it cannot fetch a real issuer's keys. Instead
// `verdict serve` creates a key in its data directory on first use
// (web-identity.key, like kms-master.key) and trusts tokens signed with it
// for ANY issuer URL; `verdict web-identity-token` reads the same file and
// prints tokens with whatever iss, sub, aud and extra claims a test needs.
// Whether a token is accepted is then decided as AWS decides it: an IAM
// OIDC provider for its iss must exist in the role's account, its aud must
// be one of the provider's client IDs, its times must be valid, and the
// role's trust policy must allow it.
//
// This is a local test convenience, not how AWS works: anyone who can read
// the data directory can mint tokens for any issuer.
package webidentity
