package query

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"

	"github.com/verdict-project/verdict/protocol/awserr"
)

// fakeQuery is a Query endpoint on 127.0.0.1: it parses each request with
// Parse, keeps the values, and answers with what reply renders.
type fakeQuery struct {
	srv   *httptest.Server
	got   Values
	reply func(w http.ResponseWriter, v Values)
}

func newFakeQuery(t *testing.T) *fakeQuery {
	t.Helper()
	f := &fakeQuery{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, err := Parse(r, 0)
		if err != nil {
			awserr.WriteQuery(w, awserr.As(err), "rid")
			return
		}
		f.got = v
		f.reply(w, v)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeQuery) config() aws.Config {
	return aws.Config{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		BaseEndpoint:     aws.String(f.srv.URL),
		HTTPClient:       f.srv.Client(),
		RetryMaxAttempts: 1,
	}
}

// TestIAMClient reads IAM-shaped responses with the SDK's IAM client and
// parses the requests it sends, member lists included.
func TestIAMClient(t *testing.T) {
	f := newFakeQuery(t)
	c := iam.NewFromConfig(f.config())
	ctx := context.Background()

	t.Run("GetUser", func(t *testing.T) {
		f.reply = func(w http.ResponseWriter, v Values) {
			_ = WriteResponse(w, v.Action(), IAMNamespace, getUserResult{bob}, "rid-1")
		}
		out, err := c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("Bob")})
		if err != nil {
			t.Fatal(err)
		}
		if f.got.Action() != "GetUser" || f.got.Version() != "2010-05-08" || f.got.Get("UserName") != "Bob" {
			t.Errorf("request = %v", f.got)
		}
		u := out.User
		if aws.ToString(u.UserName) != "Bob" || aws.ToString(u.UserId) != bob.UserID || aws.ToString(u.Arn) != bob.Arn ||
			aws.ToString(u.Path) != bob.Path || !aws.ToTime(u.CreateDate).Equal(created.Time) {
			t.Errorf("user = %+v", u)
		}
		if len(u.Tags) != 1 || aws.ToString(u.Tags[0].Key) != "Dept" || aws.ToString(u.Tags[0].Value) != "R&D <1>" {
			t.Errorf("tags = %+v", u.Tags)
		}
	})

	t.Run("ListUsers", func(t *testing.T) {
		f.reply = func(w http.ResponseWriter, v Values) {
			_ = WriteResponse(w, v.Action(), IAMNamespace, listUsersResult{Users: []iamUser{bob, {UserName: "Ann", CreateDate: created,
				PasswordLastUsed: &created}}, IsTruncated: true, Marker: "m1"}, "rid-2")
		}
		out, err := c.ListUsers(ctx, &iam.ListUsersInput{MaxItems: aws.Int32(2)})
		if err != nil {
			t.Fatal(err)
		}
		if f.got.Get("MaxItems") != "2" {
			t.Errorf("request = %v", f.got)
		}
		if len(out.Users) != 2 || !out.IsTruncated || aws.ToString(out.Marker) != "m1" ||
			!aws.ToTime(out.Users[1].PasswordLastUsed).Equal(created.Time) {
			t.Errorf("output = %+v", out)
		}
	})

	t.Run("TagUser request", func(t *testing.T) {
		f.reply = func(w http.ResponseWriter, v Values) { _ = WriteResponse(w, v.Action(), IAMNamespace, nil, "rid-3") }
		_, err := c.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("Bob"), Tags: []iamtypes.Tag{
			{Key: aws.String("a"), Value: aws.String("1")}, {Key: aws.String("b c"), Value: aws.String("x&y=z")}}})
		if err != nil {
			t.Fatal(err)
		}
		var got [][2]string
		for _, s := range f.got.Structs("Tags.member") {
			got = append(got, [2]string{s.Get("Key"), s.Get("Value")})
		}
		if want := [][2]string{{"a", "1"}, {"b c", "x&y=z"}}; !reflect.DeepEqual(got, want) {
			t.Errorf("tags = %v, want %v (request %v)", got, want, f.got)
		}
	})

	t.Run("list of strings request", func(t *testing.T) {
		f.reply = func(w http.ResponseWriter, v Values) {
			_ = WriteResponse(w, v.Action(), IAMNamespace, struct {
				OpenIDConnectProviderArn string `xml:"OpenIDConnectProviderArn"`
			}{"arn:aws:iam::123456789012:oidc-provider/example.com"}, "rid-4")
		}
		out, err := c.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://example.com"),
			ClientIDList: []string{"c1", "c2"}, ThumbprintList: []string{"t1"}})
		if err != nil {
			t.Fatal(err)
		}
		if got := f.got.List("ClientIDList.member"); !reflect.DeepEqual(got, []string{"c1", "c2"}) {
			t.Errorf("ClientIDList = %v", got)
		}
		if aws.ToString(out.OpenIDConnectProviderArn) != "arn:aws:iam::123456789012:oidc-provider/example.com" {
			t.Errorf("output = %+v", out)
		}
	})

	t.Run("error", func(t *testing.T) {
		f.reply = func(w http.ResponseWriter, v Values) {
			awserr.WriteQuery(w, ValidationError(NotNull("userName")), "rid-5")
		}
		_, err := c.GetUser(ctx, &iam.GetUserInput{})
		var api interface {
			ErrorCode() string
			ErrorMessage() string
		}
		if !errors.As(err, &api) || api.ErrorCode() != "ValidationError" ||
			api.ErrorMessage() != "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null" {
			t.Errorf("error = %v", err)
		}
	})
}

// TestSTSClient reads STS-shaped responses with the SDK's STS client and
// parses AssumeRole's nested member lists.
func TestSTSClient(t *testing.T) {
	f := newFakeQuery(t)
	c := sts.NewFromConfig(f.config())
	ctx := context.Background()

	t.Run("AssumeRole", func(t *testing.T) {
		f.reply = func(w http.ResponseWriter, v Values) {
			_ = WriteResponse(w, v.Action(), STSNamespace, assumeRoleSample(), "rid-6")
		}
		out, err := c.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/demo"),
			RoleSessionName:   aws.String("Bob"),
			PolicyArns:        []ststypes.PolicyDescriptorType{{Arn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")}},
			Tags:              []ststypes.Tag{{Key: aws.String("Project"), Value: aws.String("Unicorn")}},
			TransitiveTagKeys: []string{"Project"}})
		if err != nil {
			t.Fatal(err)
		}
		if f.got.Version() != "2011-06-15" || f.got.Get("RoleSessionName") != "Bob" {
			t.Errorf("request = %v", f.got)
		}
		if arns := f.got.Structs("PolicyArns.member"); len(arns) != 1 || arns[0].Get("arn") != "arn:aws:iam::aws:policy/ReadOnlyAccess" {
			t.Errorf("PolicyArns = %v (request %v)", arns, f.got)
		}
		if tags := f.got.Structs("Tags.member"); len(tags) != 1 || tags[0].Get("Key") != "Project" || tags[0].Get("Value") != "Unicorn" {
			t.Errorf("Tags = %v", tags)
		}
		if keys := f.got.List("TransitiveTagKeys.member"); !reflect.DeepEqual(keys, []string{"Project"}) {
			t.Errorf("TransitiveTagKeys = %v", keys)
		}
		want := assumeRoleSample()
		cr := out.Credentials
		if aws.ToString(cr.AccessKeyId) != want.Credentials.AccessKeyID || aws.ToString(cr.SessionToken) != want.Credentials.SessionToken ||
			!aws.ToTime(cr.Expiration).Equal(expires.Truncate(1e9)) {
			t.Errorf("credentials = %+v", cr)
		}
		if aws.ToString(out.AssumedRoleUser.Arn) != want.AssumedRoleUser.Arn || aws.ToInt32(out.PackedPolicySize) != 8 ||
			aws.ToString(out.SourceIdentity) != "Alice" {
			t.Errorf("output = %+v", out)
		}
	})

	t.Run("GetCallerIdentity", func(t *testing.T) {
		f.reply = func(w http.ResponseWriter, v Values) {
			_ = WriteResponse(w, v.Action(), STSNamespace, callerIdentity{"AIDAEXAMPLE", "123456789012",
				"arn:aws:iam::123456789012:user/Alice"}, "rid-7")
		}
		out, err := c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(out.Account) != "123456789012" || aws.ToString(out.UserId) != "AIDAEXAMPLE" {
			t.Errorf("output = %+v", out)
		}
	})
}
