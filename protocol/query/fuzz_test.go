package query

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/verdict-project/verdict/protocol/awserr"
)

// FuzzQueryParse parses arbitrary forms as a POST body and a query string.
// Bad input must be a *awserr.Error; good input must re-encode to a form that
// parses to the same values, and the list helpers must only return values
// that were sent.
func FuzzQueryParse(f *testing.F) {
	f.Add("Action=GetUser&Version=2010-05-08&UserName=Bob", "")
	f.Add("Action=TagUser&Tags.member.1.Key=a&Tags.member.1.Value=1&Tags.member.2.Key=b", "X-Amz-Date=20240101T000000Z")
	f.Add("Action=DescribeVpcEndpoints&Filter.1.Name=vpc-id&Filter.1.Value.1=vpc-1&VpcEndpointId.1=vpce-1", "")
	f.Add("", "Action=AssumeRole&PolicyArns.member.1.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FX")
	f.Add("a=%zz", "b=;")
	f.Fuzz(func(t *testing.T, body, rawQuery string) {
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		r.URL.RawQuery = rawQuery
		v, err := Parse(r, 4096)
		if err != nil {
			if _, ok := err.(*awserr.Error); !ok {
				t.Fatalf("error %v (%T) is not *awserr.Error", err, err)
			}
			return
		}
		r2 := httptest.NewRequest(http.MethodGet, "/?"+url.Values(v).Encode(), nil)
		v2, err := Parse(r2, 1<<20)
		if err != nil {
			t.Fatalf("re-encoded form %q: %v", r2.URL.RawQuery, err)
		}
		if !reflect.DeepEqual(v, v2) {
			t.Fatalf("re-encoded form differs:\n%v\n%v", v, v2)
		}
		sent := map[string]bool{}
		for _, vals := range v {
			for _, s := range vals {
				sent[s] = true
			}
		}
		for _, prefix := range []string{"Tags.member", "Filter", "VpcEndpointId", "a", ""} {
			for _, s := range v.List(prefix) {
				if !sent[s] {
					t.Fatalf("List(%q) returned %q, which was not sent", prefix, s)
				}
			}
			structs := v.Structs(prefix)
			if len(structs) > len(v) {
				t.Fatalf("Structs(%q) made %d structs from %d names", prefix, len(structs), len(v))
			}
			for _, s := range structs {
				if len(s) == 0 {
					t.Fatalf("Structs(%q) returned an empty struct", prefix)
				}
			}
			_ = v.Map(prefix, "Key", "Value")
		}
	})
}
