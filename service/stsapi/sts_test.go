package stsapi_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"

	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

const appARN = "arn:aws:iam::111111111111:role/svc/app"

func TestGetCallerIdentity(t *testing.T) {
	e := newEnv(t, stsWorld)
	ctx := context.Background()
	roleSess, _ := e.assume(bob, &sts.AssumeRoleInput{RoleArn: aws.String(appARN), RoleSessionName: aws.String("build-42")})
	tok, err := e.sts(alice).GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	noErr(t, err)
	fed, err := e.sts(alice).GetFederationToken(ctx, &sts.GetFederationTokenInput{Name: aws.String("visitor")})
	noErr(t, err)
	appID := state.StableID("AROA", "111111111111/app")
	aliceID := state.StableID("AIDA", "111111111111/alice")
	tests := []struct {
		name        string
		c           creds
		userID, arn string
	}{
		{"root", root("111111111111"), "111111111111", "arn:aws:iam::111111111111:root"},
		{"user", alice, aliceID, "arn:aws:iam::111111111111:user/alice"},
		{"user on a path", bob, state.StableID("AIDA", "111111111111/bob"), "arn:aws:iam::111111111111:user/eng/bob"},
		{"role session", roleSess, appID + ":build-42", "arn:aws:sts::111111111111:assumed-role/app/build-42"},
		{"session token", fromSTS(tok.Credentials), aliceID, "arn:aws:iam::111111111111:user/alice"},
		{"federated user", fromSTS(fed.Credentials), "111111111111:visitor", "arn:aws:sts::111111111111:federated-user/visitor"},
		{"other account", dave, state.StableID("AIDA", "222222222222/dave"), "arn:aws:iam::222222222222:user/dave"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := e.sts(tc.c).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			noErr(t, err)
			acct := tc.arn[strings.Index(tc.arn, "::")+2 : strings.Index(tc.arn, "::")+14]
			if aws.ToString(out.UserId) != tc.userID || aws.ToString(out.Arn) != tc.arn || aws.ToString(out.Account) != acct {
				t.Errorf("got %s %s %s, want %s %s %s", aws.ToString(out.UserId), aws.ToString(out.Account), aws.ToString(out.Arn),
					tc.userID, acct, tc.arn)
			}
		})
	}
}

func TestAssumeRoleDecisions(t *testing.T) {
	e := newEnv(t, stsWorld)
	ctx := context.Background()
	denied := func(who, role, why string) string {
		msg := "User: " + who + " is not authorized to perform: sts:AssumeRole on resource: " + role
		if why != "" {
			msg += " " + why
		}
		return msg
	}
	tests := []struct {
		name string
		c    creds
		in   sts.AssumeRoleInput
		msg  string // "" when allowed
	}{
		{"same account, trust names the user, no identity policy needed", bob,
			sts.AssumeRoleInput{RoleArn: aws.String(appARN), RoleSessionName: aws.String("s1")}, ""},
		{"same account, trust names the account, identity policy allows", alice,
			sts.AssumeRoleInput{RoleArn: aws.String(appARN), RoleSessionName: aws.String("s1")}, ""},
		{"trust names only another user", alice,
			sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::111111111111:role/only-bob"), RoleSessionName: aws.String("s1")},
			denied("arn:aws:iam::111111111111:user/alice", "arn:aws:iam::111111111111:role/only-bob", "because no role trust policy allows the sts:AssumeRole action")},
		{"explicit deny in the trust policy", alice,
			sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::111111111111:role/denied"), RoleSessionName: aws.String("s1")},
			denied("arn:aws:iam::111111111111:user/alice", "arn:aws:iam::111111111111:role/denied", "with an explicit deny in the role trust policy")},
		{"role that does not exist", alice,
			sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::111111111111:role/ghost"), RoleSessionName: aws.String("s1")},
			denied("arn:aws:iam::111111111111:user/alice", "arn:aws:iam::111111111111:role/ghost", "because no role trust policy allows the sts:AssumeRole action")},
		{"path must match", bob,
			sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::111111111111:role/app"), RoleSessionName: aws.String("s1")},
			denied("arn:aws:iam::111111111111:user/eng/bob", "arn:aws:iam::111111111111:role/app", "because no role trust policy allows the sts:AssumeRole action")},
		{"cross account, trust and identity allow", alice,
			sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::222222222222:role/open"), RoleSessionName: aws.String("s1")}, ""},
		{"cross account, identity policy missing", bob,
			sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::222222222222:role/open"), RoleSessionName: aws.String("s1")},
			denied("arn:aws:iam::111111111111:user/eng/bob", "arn:aws:iam::222222222222:role/open", "")},
		{"cross account, trust does not name the caller's account", dave,
			sts.AssumeRoleInput{RoleArn: aws.String(appARN), RoleSessionName: aws.String("s1")},
			denied("arn:aws:iam::222222222222:user/dave", appARN, "")},
		{"ExternalId right", alice,
			sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::222222222222:role/partner"), RoleSessionName: aws.String("s1"), ExternalId: aws.String("ext-123")}, ""},
		{"ExternalId wrong", alice,
			sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::222222222222:role/partner"), RoleSessionName: aws.String("s1"), ExternalId: aws.String("ext-999")},
			denied("arn:aws:iam::111111111111:user/alice", "arn:aws:iam::222222222222:role/partner", "")},
		{"ExternalId missing", alice,
			sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::222222222222:role/partner"), RoleSessionName: aws.String("s1")},
			denied("arn:aws:iam::111111111111:user/alice", "arn:aws:iam::222222222222:role/partner", "")},
		{"tags need sts:TagSession", alice,
			sts.AssumeRoleInput{RoleArn: aws.String(appARN), RoleSessionName: aws.String("s1"), Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("blue")}}},
			"User: arn:aws:iam::111111111111:user/alice is not authorized to perform: sts:TagSession on resource: " + appARN + " because no role trust policy allows the sts:TagSession action"},
		{"root user", root("111111111111"),
			sts.AssumeRoleInput{RoleArn: aws.String(appARN), RoleSessionName: aws.String("s1")}, "Roles may not be assumed by root accounts."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := e.sts(tc.c).AssumeRole(ctx, &tc.in)
			if tc.msg != "" {
				wantError(t, err, "AccessDenied", tc.msg)
				return
			}
			noErr(t, err)
			acct, name, _ := strings.Cut(strings.TrimPrefix(aws.ToString(tc.in.RoleArn), "arn:aws:iam::"), ":role/")
			name = name[strings.LastIndexByte(name, '/')+1:]
			wantARN := "arn:aws:sts::" + acct + ":assumed-role/" + name + "/s1"
			if aws.ToString(out.AssumedRoleUser.Arn) != wantARN || !strings.HasPrefix(aws.ToString(out.AssumedRoleUser.AssumedRoleId), "AROA") ||
				!strings.HasSuffix(aws.ToString(out.AssumedRoleUser.AssumedRoleId), ":s1") ||
				!strings.HasPrefix(aws.ToString(out.Credentials.AccessKeyId), "ASIA") || aws.ToString(out.Credentials.SessionToken) == "" {
				t.Errorf("AssumeRole = %+v %+v", out.AssumedRoleUser, out.Credentials)
			}
			if d := time.Until(aws.ToTime(out.Credentials.Expiration)); d < 59*time.Minute || d > 61*time.Minute {
				t.Errorf("expiration in %v, want one hour", d)
			}
		})
	}
}

func TestAssumeRoleParameters(t *testing.T) {
	e := newEnv(t, stsWorld)
	ctx := context.Background()
	app := aws.String(appARN)
	tests := []struct {
		name      string
		c         creds
		in        sts.AssumeRoleInput
		code, msg string
	}{
		{"session name too short", bob, sts.AssumeRoleInput{RoleArn: app, RoleSessionName: aws.String("s")}, "", ""},
		{"session name with a space", bob, sts.AssumeRoleInput{RoleArn: app, RoleSessionName: aws.String("my session")}, "ValidationError",
			`1 validation error detected: Value 'my session' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`},
		{"duration below 900", bob, sts.AssumeRoleInput{RoleArn: app, RoleSessionName: aws.String("ss"), DurationSeconds: aws.Int32(600)}, "ValidationError",
			"1 validation error detected: Value '600' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"},
		{"duration above the role's maximum", bob, sts.AssumeRoleInput{RoleArn: app, RoleSessionName: aws.String("ss"), DurationSeconds: aws.Int32(7201)},
			"ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."},
		{"duration at the role's maximum", bob, sts.AssumeRoleInput{RoleArn: app, RoleSessionName: aws.String("ss"), DurationSeconds: aws.Int32(7200)}, "", ""},
		{"malformed session policy", bob, sts.AssumeRoleInput{RoleArn: app, RoleSessionName: aws.String("ss"),
			Policy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*"}]}`)},
			"MalformedPolicyDocument", "Policy statement must contain resources."},
		{"not a role ARN", bob, sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::111111111111:user/eng/bob"), RoleSessionName: aws.String("ss")},
			"ValidationError", ""},
		{"too many session tags for the packed space", bob, sts.AssumeRoleInput{RoleArn: app, RoleSessionName: aws.String("ss"), Tags: bigTags(40)},
			"PackedPolicyTooLarge", ""},
	}
	tests[0].code, tests[0].msg = "ValidationError",
		"1 validation error detected: Value 's' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2"
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.sts(tc.c).AssumeRole(ctx, &tc.in)
			if tc.code == "" {
				noErr(t, err)
				return
			}
			wantError(t, err, tc.code, tc.msg)
		})
	}
}

// bigTags returns n tags with long random-looking keys and values.
func bigTags(n int) []types.Tag {
	var out []types.Tag
	for i := range n {
		k := state.NewSecret()[:30]
		k = strings.NewReplacer("+", "a", "/", "b").Replace(k)
		v := strings.NewReplacer("+", "a", "/", "b").Replace(state.NewSecret() + state.NewSecret())
		out = append(out, types.Tag{Key: aws.String(k + string(rune('a'+i%26))), Value: aws.String(v)})
	}
	return out
}

func TestSessionPolicyLimitsS3(t *testing.T) {
	e := newEnv(t, stsWorld)
	ctx := context.Background()
	full, _ := e.assume(bob, &sts.AssumeRoleInput{RoleArn: aws.String(appARN), RoleSessionName: aws.String("full")})
	noErr(t, err2(e.s3(full).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("app-bucket")})))

	limited, out := e.assume(bob, &sts.AssumeRoleInput{RoleArn: aws.String(appARN), RoleSessionName: aws.String("limited"),
		Policy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}`)})
	if out.PackedPolicySize == nil || aws.ToInt32(out.PackedPolicySize) <= 0 || aws.ToInt32(out.PackedPolicySize) > 100 {
		t.Errorf("PackedPolicySize = %v", out.PackedPolicySize)
	}
	noErr(t, err2(e.s3(limited).ListBuckets(ctx, &s3.ListBucketsInput{})))
	_, err := e.s3(limited).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("other-bucket")})
	wantError(t, err, "AccessDenied", `User: arn:aws:sts::111111111111:assumed-role/app/limited is not authorized to perform: s3:CreateBucket on resource: "arn:aws:s3:::other-bucket" because no session policy allows the s3:CreateBucket action`)

	t.Run("managed session policy", func(t *testing.T) {
		ro, _ := e.assume(bob, &sts.AssumeRoleInput{RoleArn: aws.String(appARN), RoleSessionName: aws.String("ro"),
			PolicyArns: []types.PolicyDescriptorType{{Arn: aws.String("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")}}})
		noErr(t, err2(e.s3(ro).ListBuckets(ctx, &s3.ListBucketsInput{})))
		_, err := e.s3(ro).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("third-bucket")})
		wantError(t, err, "AccessDenied", "")
	})
}

func TestRoleChaining(t *testing.T) {
	e := newEnv(t, stsWorld)
	ctx := context.Background()
	first, _ := e.assume(bob, &sts.AssumeRoleInput{RoleArn: aws.String(appARN), RoleSessionName: aws.String("first"),
		Tags:              []types.Tag{{Key: aws.String("team"), Value: aws.String("blue")}, {Key: aws.String("tmp"), Value: aws.String("x")}},
		TransitiveTagKeys: []string{"team"}, SourceIdentity: aws.String("bob-human")})

	_, err := e.sts(first).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(appARN), RoleSessionName: aws.String("second"),
		DurationSeconds: aws.Int32(3601)})
	wantError(t, err, "ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")

	second, out := e.assume(first, &sts.AssumeRoleInput{RoleArn: aws.String(appARN), RoleSessionName: aws.String("second")})
	if aws.ToString(out.SourceIdentity) != "bob-human" {
		t.Errorf("SourceIdentity = %q, want the first session's", aws.ToString(out.SourceIdentity))
	}
	// The transitive tag team=blue reaches the second session, where the
	// role's policy allows iam:ListUsers on aws:PrincipalTag/team.
	noErr(t, err2(e.iam(second).ListUsers(ctx, &iam.ListUsersInput{})))
	var sess *model.Session
	noErr(t, e.store.View(ctx, func(tx store.Tx) error {
		var err error
		sess, err = state.Session(tx, second.id)
		return err
	}))
	if !sess.Chained || len(sess.Tags) != 1 || sess.Tags[0].Key != "team" {
		t.Errorf("chained session = %+v", sess)
	}
	// Without the tag the same call is refused.
	plain, _ := e.assume(bob, &sts.AssumeRoleInput{RoleArn: aws.String(appARN), RoleSessionName: aws.String("plain")})
	_, err = e.iam(plain).ListUsers(ctx, &iam.ListUsersInput{})
	wantError(t, err, "AccessDenied", "User: arn:aws:sts::111111111111:assumed-role/app/plain is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::111111111111:user/ because no identity-based policy allows the iam:ListUsers action")
}

func TestExpiredSession(t *testing.T) {
	e := newEnv(t, stsWorld)
	ctx := context.Background()
	c, _ := e.assume(bob, &sts.AssumeRoleInput{RoleArn: aws.String(appARN), RoleSessionName: aws.String("old"), DurationSeconds: aws.Int32(900)})
	noErr(t, e.store.Update(ctx, func(tx store.Tx) error {
		s, err := state.Session(tx, c.id)
		if err != nil {
			return err
		}
		s.Expiration = time.Now().Add(-time.Minute)
		return state.PutSession(tx, s)
	}))
	_, err := e.sts(c).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantError(t, err, "ExpiredToken", "The security token included in the request is expired")
	bad := c
	bad.token = "not-the-token"
	_, err = e.sts(bad).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantError(t, err, "InvalidClientTokenId", "The security token included in the request is invalid.")
}

func TestGetSessionToken(t *testing.T) {
	e := newEnv(t, stsWorld)
	ctx := context.Background()
	out, err := e.sts(alice).GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(1800)})
	noErr(t, err)
	if d := time.Until(aws.ToTime(out.Credentials.Expiration)); d < 29*time.Minute || d > 31*time.Minute {
		t.Errorf("expiration in %v", d)
	}
	tok := fromSTS(out.Credentials)
	// The credentials act as alice, with her policies.
	noErr(t, err2(e.s3(tok).ListBuckets(ctx, &s3.ListBucketsInput{})))
	_, err = e.sts(tok).GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	wantError(t, err, "AccessDenied", "Cannot call GetSessionToken with session credentials")
	_, err = e.sts(alice).GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(129601)})
	wantError(t, err, "ValidationError", "1 validation error detected: Value '129601' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 129600")
	t.Run("root", func(t *testing.T) {
		out, err := e.sts(root("111111111111")).GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(7200)})
		noErr(t, err)
		if d := time.Until(aws.ToTime(out.Credentials.Expiration)); d > 61*time.Minute {
			t.Errorf("root session lasts %v, want at most an hour", d)
		}
	})
}

func TestGetFederationToken(t *testing.T) {
	e := newEnv(t, stsWorld)
	ctx := context.Background()
	listOnly := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}`
	out, err := e.sts(alice).GetFederationToken(ctx, &sts.GetFederationTokenInput{Name: aws.String("web-user"), Policy: aws.String(listOnly)})
	noErr(t, err)
	if aws.ToString(out.FederatedUser.Arn) != "arn:aws:sts::111111111111:federated-user/web-user" ||
		aws.ToString(out.FederatedUser.FederatedUserId) != "111111111111:web-user" || out.PackedPolicySize == nil {
		t.Errorf("GetFederationToken = %+v", out.FederatedUser)
	}
	fed := fromSTS(out.Credentials)
	noErr(t, err2(e.s3(fed).ListBuckets(ctx, &s3.ListBucketsInput{})))
	_, err = e.s3(fed).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("fed-bucket")})
	wantError(t, err, "AccessDenied", `User: arn:aws:sts::111111111111:federated-user/web-user is not authorized to perform: s3:CreateBucket on resource: "arn:aws:s3:::fed-bucket" because no session policy allows the s3:CreateBucket action`)

	t.Run("no session policy, no permissions", func(t *testing.T) {
		out, err := e.sts(alice).GetFederationToken(ctx, &sts.GetFederationTokenInput{Name: aws.String("bare")})
		noErr(t, err)
		_, err = e.s3(fromSTS(out.Credentials)).ListBuckets(ctx, &s3.ListBucketsInput{})
		wantError(t, err, "AccessDenied", "User: arn:aws:sts::111111111111:federated-user/bare is not authorized to perform: s3:ListAllMyBuckets because no session policy allows the s3:ListAllMyBuckets action")
	})
	tests := []struct {
		name      string
		c         creds
		fedName   string
		code, msg string
	}{
		{"allowed name", carol, "ok-1", "", ""},
		{"name outside the caller's policy", carol, "other", "AccessDenied",
			"User: arn:aws:iam::111111111111:user/carol is not authorized to perform: sts:GetFederationToken on resource: arn:aws:sts::111111111111:federated-user/other because no identity-based policy allows the sts:GetFederationToken action"},
		{"name too short", carol, "x", "ValidationError",
			"1 validation error detected: Value 'x' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 2"},
		{"session credentials", fed, "ok-2", "AccessDenied", "Cannot call GetFederationToken with session credentials"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.sts(tc.c).GetFederationToken(ctx, &sts.GetFederationTokenInput{Name: aws.String(tc.fedName), Policy: aws.String(listOnly)})
			if tc.code == "" {
				noErr(t, err)
				return
			}
			wantError(t, err, tc.code, tc.msg)
		})
	}
}

// TestTemporaryCredentialLimits checks what each kind of temporary
// credentials may not call.
func TestTemporaryCredentialLimits(t *testing.T) {
	e := newEnv(t, stsWorld)
	ctx := context.Background()
	tok, err := e.sts(alice).GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	noErr(t, err)
	mfa, err := e.sts(alice).GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String("arn:aws:iam::111111111111:mfa/alice"),
		TokenCode: aws.String("123456")})
	noErr(t, err)
	fed, err := e.sts(alice).GetFederationToken(ctx, &sts.GetFederationTokenInput{Name: aws.String("visitor"),
		Policy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)})
	noErr(t, err)
	invalid := "The security token included in the request is invalid."
	tests := []struct {
		name      string
		call      func() error
		code, msg string
	}{
		{"IAM with a session token without MFA", func() error { return err2(e.iam(fromSTS(tok.Credentials)).ListUsers(ctx, &iam.ListUsersInput{})) },
			"InvalidClientTokenId", invalid},
		{"IAM with a session token with MFA", func() error { return err2(e.iam(fromSTS(mfa.Credentials)).ListUsers(ctx, &iam.ListUsersInput{})) },
			"AccessDenied", ""},
		{"IAM with federated credentials", func() error { return err2(e.iam(fromSTS(fed.Credentials)).ListUsers(ctx, &iam.ListUsersInput{})) },
			"InvalidClientTokenId", invalid},
		{"AssumeRole with a session token", func() error {
			return err2(e.sts(fromSTS(tok.Credentials)).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(appARN), RoleSessionName: aws.String("s1")}))
		}, "", ""},
		{"AssumeRole with federated credentials", func() error {
			return err2(e.sts(fromSTS(fed.Credentials)).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(appARN), RoleSessionName: aws.String("s1")}))
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
