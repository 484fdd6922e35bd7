package iamapi_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

const ghURL = "https://token.actions.githubusercontent.com"

var ghARN = "arn:aws:iam::" + acct + ":oidc-provider/token.actions.githubusercontent.com"

// TestOIDCProviders walks the OpenID Connect provider operations through
// every rule, in order: each step sees the state the earlier ones left.
func TestOIDCProviders(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	r := e.root(acct)
	thumb := strings.Repeat("a", 40)
	get := func() (*iam.GetOpenIDConnectProviderOutput, error) {
		return r.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(ghARN)})
	}
	clientIDs := func(t *testing.T, want ...string) {
		t.Helper()
		out, err := get()
		noErr(t, err)
		if !slices.Equal(out.ClientIDList, want) {
			t.Fatalf("ClientIDList = %v, want %v", out.ClientIDList, want)
		}
	}
	steps := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"create without thumbprints", func(t *testing.T) {
			out, err := r.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String(ghURL),
				ClientIDList: []string{"sts.amazonaws.com"}, Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("ci")}}})
			noErr(t, err)
			if got := aws.ToString(out.OpenIDConnectProviderArn); got != ghARN {
				t.Fatalf("ARN = %s", got)
			}
			if len(out.Tags) != 1 {
				t.Fatalf("Tags = %v", out.Tags)
			}
		}},
		{"get returns the URL without scheme", func(t *testing.T) {
			out, err := get()
			noErr(t, err)
			if aws.ToString(out.Url) != "token.actions.githubusercontent.com" || out.CreateDate == nil || len(out.ThumbprintList) != 0 {
				t.Fatalf("got %+v", out)
			}
		}},
		{"duplicate URL", func(t *testing.T) {
			_, err := r.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String(ghURL + "/")})
			wantError(t, err, "EntityAlreadyExists", "Provider with url "+ghURL+" already exists.")
		}},
		{"URL with a path and thumbprints", func(t *testing.T) {
			out, err := r.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://Idp.Example.com/tenant/7"),
				ThumbprintList: []string{thumb}})
			noErr(t, err)
			if got := aws.ToString(out.OpenIDConnectProviderArn); got != "arn:aws:iam::"+acct+":oidc-provider/idp.example.com/tenant/7" {
				t.Fatalf("ARN = %s", got)
			}
		}},
		{"http URL", func(t *testing.T) {
			_, err := r.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("http://idp.example.com")})
			wantError(t, err, "InvalidInput", "")
		}},
		{"URL with a query", func(t *testing.T) {
			_, err := r.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://idp.example.com/?a=b")})
			wantError(t, err, "InvalidInput", "")
		}},
		{"URL too long", func(t *testing.T) {
			_, err := r.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://" + strings.Repeat("a", 250))})
			wantError(t, err, "ValidationError", "")
		}},
		{"thumbprint of 39 characters", func(t *testing.T) {
			_, err := r.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://x.example.com"),
				ThumbprintList: []string{thumb[:39]}})
			wantError(t, err, "ValidationError", "1 validation error detected: Value '"+thumb[:39]+
				"' at 'thumbprintList.1.member' failed to satisfy constraint: Member must have length greater than or equal to 40")
		}},
		{"six thumbprints", func(t *testing.T) {
			_, err := r.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://x.example.com"),
				ThumbprintList: []string{thumb, thumb, thumb, thumb, thumb, thumb}})
			wantError(t, err, "ValidationError", "")
		}},
		{"client ID too long", func(t *testing.T) {
			_, err := r.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://x.example.com"),
				ClientIDList: []string{strings.Repeat("c", 256)}})
			wantError(t, err, "ValidationError", "")
		}},
		{"list", func(t *testing.T) {
			out, err := r.ListOpenIDConnectProviders(ctx, &iam.ListOpenIDConnectProvidersInput{})
			noErr(t, err)
			var arns []string
			for _, p := range out.OpenIDConnectProviderList {
				arns = append(arns, aws.ToString(p.Arn))
			}
			if len(arns) != 2 || arns[1] != ghARN {
				t.Fatalf("list = %v", arns)
			}
		}},
		{"other accounts see none", func(t *testing.T) {
			out, err := e.root(otherAcct).ListOpenIDConnectProviders(ctx, &iam.ListOpenIDConnectProvidersInput{})
			noErr(t, err)
			if len(out.OpenIDConnectProviderList) != 0 {
				t.Fatalf("list = %v", out.OpenIDConnectProviderList)
			}
			_, err = e.root(otherAcct).GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(ghARN)})
			wantError(t, err, "NoSuchEntity", "")
		}},
		{"add client ID, twice", func(t *testing.T) {
			for range 2 {
				noErr(t, err2(r.AddClientIDToOpenIDConnectProvider(ctx, &iam.AddClientIDToOpenIDConnectProviderInput{
					OpenIDConnectProviderArn: aws.String(ghARN), ClientID: aws.String("my-app")})))
			}
			clientIDs(t, "sts.amazonaws.com", "my-app")
		}},
		{"remove client ID, twice", func(t *testing.T) {
			for range 2 {
				noErr(t, err2(r.RemoveClientIDFromOpenIDConnectProvider(ctx, &iam.RemoveClientIDFromOpenIDConnectProviderInput{
					OpenIDConnectProviderArn: aws.String(ghARN), ClientID: aws.String("sts.amazonaws.com")})))
			}
			clientIDs(t, "my-app")
		}},
		{"update thumbprints", func(t *testing.T) {
			noErr(t, err2(r.UpdateOpenIDConnectProviderThumbprint(ctx, &iam.UpdateOpenIDConnectProviderThumbprintInput{
				OpenIDConnectProviderArn: aws.String(ghARN), ThumbprintList: []string{thumb}})))
			out, err := get()
			noErr(t, err)
			if !slices.Equal(out.ThumbprintList, []string{thumb}) {
				t.Fatalf("ThumbprintList = %v", out.ThumbprintList)
			}
		}},
		{"tags", func(t *testing.T) {
			noErr(t, err2(r.TagOpenIDConnectProvider(ctx, &iam.TagOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(ghARN),
				Tags: []types.Tag{{Key: aws.String("Team"), Value: aws.String("platform")}, {Key: aws.String("env"), Value: aws.String("prod")}}})))
			noErr(t, err2(r.UntagOpenIDConnectProvider(ctx, &iam.UntagOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(ghARN),
				TagKeys: []string{"ENV"}})))
			out, err := r.ListOpenIDConnectProviderTags(ctx, &iam.ListOpenIDConnectProviderTagsInput{OpenIDConnectProviderArn: aws.String(ghARN)})
			noErr(t, err)
			if len(out.Tags) != 1 || aws.ToString(out.Tags[0].Key) != "Team" || aws.ToString(out.Tags[0].Value) != "platform" {
				t.Fatalf("tags = %+v", out.Tags)
			}
		}},
		{"not an OIDC provider ARN", func(t *testing.T) {
			_, err := r.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String("arn:aws:iam::" + acct + ":role/x")})
			wantError(t, err, "InvalidInput", "")
		}},
		{"delete, twice", func(t *testing.T) {
			for range 2 {
				noErr(t, err2(r.DeleteOpenIDConnectProvider(ctx, &iam.DeleteOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(ghARN)})))
			}
			_, err := get()
			wantError(t, err, "NoSuchEntity", "OpenIDConnect provider not found for arn "+ghARN)
			_, err = r.AddClientIDToOpenIDConnectProvider(ctx, &iam.AddClientIDToOpenIDConnectProviderInput{
				OpenIDConnectProviderArn: aws.String(ghARN), ClientID: aws.String("x")})
			wantError(t, err, "NoSuchEntity", "")
		}},
	}
	for _, s := range steps {
		if !t.Run(s.name, s.run) {
			return
		}
	}
}

// TestOIDCAuthorization: every operation asks the engine for its iam:
// action on the provider's ARN (or "*" for the list).
func TestOIDCAuthorization(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	noErr(t, err2(e.root(acct).CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String(ghURL),
		ClientIDList: []string{"sts.amazonaws.com"}})))
	reader := e.userClient(acct, "reader", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:GetOpenIDConnectProvider","iam:ListOpenIDConnectProviders"],"Resource":"*"}]}`)
	denied := func(action, resource string) string {
		return fmt.Sprintf("User: arn:aws:iam::%s:user/reader is not authorized to perform: %s on resource: %s because no identity-based policy allows the %s action",
			acct, action, resource, action)
	}
	tests := []struct {
		name string
		call func() error
		code string
		msg  string
	}{
		{"get allowed", func() error {
			return err2(reader.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(ghARN)}))
		}, "", ""},
		{"list allowed", func() error {
			return err2(reader.ListOpenIDConnectProviders(ctx, &iam.ListOpenIDConnectProvidersInput{}))
		}, "", ""},
		{"create denied", func() error {
			return err2(reader.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://idp.example.com")}))
		}, "AccessDenied", denied("iam:CreateOpenIDConnectProvider", "arn:aws:iam::"+acct+":oidc-provider/idp.example.com")},
		{"delete denied", func() error {
			return err2(reader.DeleteOpenIDConnectProvider(ctx, &iam.DeleteOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(ghARN)}))
		}, "AccessDenied", denied("iam:DeleteOpenIDConnectProvider", ghARN)},
		{"add client ID denied", func() error {
			return err2(reader.AddClientIDToOpenIDConnectProvider(ctx, &iam.AddClientIDToOpenIDConnectProviderInput{
				OpenIDConnectProviderArn: aws.String(ghARN), ClientID: aws.String("x")}))
		}, "AccessDenied", denied("iam:AddClientIDToOpenIDConnectProvider", ghARN)},
		{"denied before not found", func() error {
			return err2(reader.TagOpenIDConnectProvider(ctx, &iam.TagOpenIDConnectProviderInput{
				OpenIDConnectProviderArn: aws.String("arn:aws:iam::" + acct + ":oidc-provider/nobody.example.com"),
				Tags:                     []types.Tag{{Key: aws.String("a"), Value: aws.String("b")}}}))
		}, "AccessDenied", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if tc.code == "" {
				noErr(t, err)
				return
			}
			wantError(t, err, tc.code, tc.msg)
		})
	}
}

// TestOIDCGolden compares the bodies of the OIDC provider operations'
// responses with testdata/oidc_*.golden (-update rewrites them).
func TestOIDCGolden(t *testing.T) {
	hs := goldenServer(t)
	create := form("Action", "CreateOpenIDConnectProvider", "Url", ghURL, "ClientIDList.member.1", "sts.amazonaws.com",
		"ThumbprintList.member.1", strings.Repeat("0", 40))
	tests := []struct {
		name string
		form map[string][]string
	}{
		{"oidc_create", create},
		{"oidc_create_duplicate", create},
		{"oidc_get", form("Action", "GetOpenIDConnectProvider", "OpenIDConnectProviderArn", ghARN)},
		{"oidc_list", form("Action", "ListOpenIDConnectProviders")},
		{"oidc_delete", form("Action", "DeleteOpenIDConnectProvider", "OpenIDConnectProviderArn", ghARN)},
		{"oidc_get_missing", form("Action", "GetOpenIDConnectProvider", "OpenIDConnectProviderArn", ghARN)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := rawCall(t, hs, acct, rootSecret, tc.form)
			got := fmt.Sprintf("HTTP %d\n%s", status, requestIDs.ReplaceAllString(body, "<RequestId>REQUEST-ID</RequestId>"))
			path := filepath.Join("testdata", tc.name+".golden")
			if *update {
				noErr(t, os.WriteFile(path, []byte(got), 0o644))
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("body differs from %s\n got:\n%s\nwant:\n%s", path, got, want)
			}
		})
	}
}
