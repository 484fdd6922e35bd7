package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/verdict-project/verdict/webidentity"
)

// webIdentityCmd prints a web identity token (a JWT) signed with the data
// directory's web identity key, which `verdict serve` on the same directory
// trusts for any issuer. It reads the key file directly, since the server
// and this command run on one machine. This is a local test convenience:
// on AWS, tokens come from the identity provider (GitHub Actions, an EKS
// cluster, ...), and STS checks them against the keys the issuer publishes.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_oidc.html
func webIdentityCmd(args []string, stdout, stderr io.Writer, now time.Time) error {
	fs := flag.NewFlagSet("web-identity-token", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", env("VERDICT_DATA", "verdict-data"), "data directory of the server that will accept the token (env VERDICT_DATA)")
	issuer := fs.String("issuer", "", "issuer URL, the iss claim (https://..., the URL of an IAM OIDC provider)")
	sub := fs.String("sub", "", "subject, the sub claim")
	var aud, claims listFlag
	fs.Var(&aud, "aud", "audience, the aud claim (repeatable; a client ID of the provider)")
	fs.Var(&claims, "claim", "extra claim NAME=VALUE, a string (repeatable), e.g. repository=acme/app")
	ttl := fs.Duration("ttl", time.Hour, "lifetime: exp is now + ttl (negative for an expired token)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: verdict web-identity-token --issuer URL --sub S --aud A [--claim k=v ...] [--ttl 1h] [--data DIR]")
		fmt.Fprintln(stderr, "Prints a token for sts:AssumeRoleWithWebIdentity, signed with DIR's web identity key, which")
		fmt.Fprintln(stderr, "`verdict serve --data DIR` trusts for any issuer. A local test convenience, not how AWS works.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	c, err := tokenClaims(*issuer, *sub, aud, claims, *ttl, now)
	if err != nil {
		return err
	}
	key, err := webidentity.LoadKey(*data)
	if err != nil {
		return err
	}
	tok, err := key.Sign(c)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(stdout, tok)
	return err
}

// tokenClaims checks the command's options and returns the claims to sign.
func tokenClaims(issuer, sub string, aud, claims []string, ttl time.Duration, now time.Time) (webidentity.Claims, error) {
	c := webidentity.Claims{Issuer: issuer, Subject: sub, Audience: aud, IssuedAt: now, TTL: ttl, Extra: map[string]any{}}
	switch {
	case !strings.HasPrefix(issuer, "https://"):
		return c, errors.New("--issuer must be an https:// URL")
	case sub == "":
		return c, errors.New("--sub is required")
	case len(aud) == 0:
		return c, errors.New("--aud is required")
	case ttl == 0:
		return c, errors.New("--ttl must not be zero")
	}
	for _, kv := range claims {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return c, fmt.Errorf("--claim %q: want NAME=VALUE", kv)
		}
		switch k {
		case "iss", "sub", "aud", "iat", "nbf", "exp":
			return c, fmt.Errorf("--claim %q: set %s with its own option", kv, k)
		}
		c.Extra[k] = v
	}
	return c, nil
}
