package orgsapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/verdict-project/verdict/engine/arn"
	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/inputs"
	"github.com/verdict-project/verdict/service"
	"github.com/verdict-project/verdict/store/memory"
)

// call serves one operation as the root user of account on env.
func call(env *service.Env, account, op, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	r.Header.Set("X-Amz-Target", TargetPrefix+"."+op)
	c := &service.Call{Env: env, RequestID: "REQ", Now: time.Unix(1700000000, 0), HTTP: r,
		Caller: &inputs.Caller{Principal: authz.Principal{Type: authz.Root, Account: account, ARN: arn.AccountRoot("aws", account)}}}
	w := httptest.NewRecorder()
	New().ServeAWS(w, c)
	return w
}

// FuzzOperation sends arbitrary bodies to every operation of an
// organization that exists: each answer must be JSON with a 200 or a 4xx
// status, never a panic or a 500.
func FuzzOperation(f *testing.F) {
	names := slices.Sorted(func(yield func(string) bool) {
		for k := range ops {
			if !yield(k) {
				return
			}
		}
	})
	f.Add(uint8(0), []byte(`{"ParentId":"r-abcd","Name":"eng"}`))
	f.Add(uint8(3), []byte(`{"Content":"{\"Version\":\"2012-10-17\",\"Statement\":[]}","Name":"p","Type":"SERVICE_CONTROL_POLICY"}`))
	f.Add(uint8(7), []byte(`{"RootId":"r-abcd","PolicyType":"RESOURCE_CONTROL_POLICY"}`))
	f.Add(uint8(9), []byte(`{"Target":{"Id":"222222222222","Type":"ACCOUNT"}}`))
	f.Fuzz(func(t *testing.T, opIndex uint8, body []byte) {
		env := &service.Env{Store: memory.New(), Compiler: inputs.NewCompiler(), Region: "us-east-1"}
		if w := call(env, "111111111111", "CreateOrganization", "{}"); w.Code != http.StatusOK {
			t.Fatalf("CreateOrganization: %d %s", w.Code, w.Body)
		}
		op := names[int(opIndex)%len(names)]
		w := call(env, "111111111111", op, string(body))
		if w.Code != http.StatusOK && (w.Code < 400 || w.Code >= 500) {
			t.Fatalf("%s %q: status %d %s", op, body, w.Code, w.Body)
		}
		if !json.Valid(bytes.TrimSpace(w.Body.Bytes())) {
			t.Fatalf("%s: response is not JSON: %q", op, w.Body)
		}
	})
}
