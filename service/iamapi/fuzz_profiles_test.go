package iamapi

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/inputs"
	"github.com/verdict-project/verdict/service"
)

// FuzzProfilesCall sends arbitrary instance profile and login profile
// requests to the IAM service as the root user, one form after another on
// one store (form is split at '\n'), so that profiles created by one call
// meet the others: whatever the parameters, the answer is a response or an
// AWS error other than InternalError, and the service never panics.
func FuzzProfilesCall(f *testing.F) {
	for _, s := range []string{
		"Action=CreateInstanceProfile&Version=2010-05-08&InstanceProfileName=p&Path=%2Fa%2F&Tags.member.1.Key=k&Tags.member.1.Value=v\n" +
			"Action=AddRoleToInstanceProfile&Version=2010-05-08&InstanceProfileName=p&RoleName=r\n" +
			"Action=DeleteRole&Version=2010-05-08&RoleName=r",
		"Action=ListInstanceProfiles&Version=2010-05-08&PathPrefix=%2Fa&MaxItems=1&Marker=cA",
		"Action=CreateLoginProfile&Version=2010-05-08&UserName=alice&Password=Abcdefg1%21&PasswordResetRequired=true\n" +
			"Action=UpdateLoginProfile&Version=2010-05-08&UserName=alice&Password=x\n" +
			"Action=DeleteUser&Version=2010-05-08&UserName=alice",
		"Action=UntagInstanceProfile&Version=2010-05-08&InstanceProfileName=p&TagKeys.member.1=k",
	} {
		f.Add(s)
	}
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	svc := New()
	caller := &inputs.Caller{Principal: authz.Principal{Type: authz.Root, Account: "111111111111", ARN: "arn:aws:iam::111111111111:root"}}
	f.Fuzz(func(t *testing.T, forms string) {
		env := &service.Env{Store: fuzzStore(t, now), Compiler: inputs.NewCompiler(), Region: "us-east-1"}
		calls := strings.Split(forms, "\n")
		if len(calls) > 8 {
			calls = calls[:8]
		}
		for _, form := range calls {
			r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(form))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			w := httptest.NewRecorder()
			svc.ServeAWS(w, &service.Call{Env: env, RequestID: "rid", Now: now, Caller: caller, HTTP: r})
			if w.Code >= 500 {
				t.Fatalf("status %d for %q: %s", w.Code, form, w.Body)
			}
		}
	})
}
