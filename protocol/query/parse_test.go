package query

import (
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/verdict-project/verdict/protocol/awserr"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name        string
		method      string
		target      string
		contentType string
		body        string
		limit       int64
		want        Values
		code        string
	}{
		{name: "get", method: "GET", target: "/?Action=GetUser&Version=2010-05-08&UserName=bob",
			want: Values{"Action": {"GetUser"}, "Version": {"2010-05-08"}, "UserName": {"bob"}}},
		{name: "post form", method: "POST", target: "/", contentType: "application/x-www-form-urlencoded; charset=utf-8",
			body: "Action=CreateUser&Version=2010-05-08&UserName=a%2Bb+c&Path=%2F",
			want: Values{"Action": {"CreateUser"}, "Version": {"2010-05-08"}, "UserName": {"a+b c"}, "Path": {"/"}}},
		{name: "post without content type", method: "POST", target: "/", body: "Action=GetCallerIdentity",
			want: Values{"Action": {"GetCallerIdentity"}}},
		{name: "post merges query string after body", method: "POST", target: "/?Action=Ignored&X-Amz-Date=20240101T000000Z",
			contentType: "application/x-www-form-urlencoded", body: "Action=GetUser",
			want: Values{"Action": {"GetUser", "Ignored"}, "X-Amz-Date": {"20240101T000000Z"}}},
		{name: "post json body not read", method: "POST", target: "/?Action=A", contentType: "application/json", body: `{"Action":"B"}`,
			want: Values{"Action": {"A"}}},
		{name: "empty", method: "GET", target: "/", want: Values{}},
		{name: "empty value kept", method: "GET", target: "/?Tags=&Marker", want: Values{"Tags": {""}, "Marker": {""}}},
		{name: "bad escape in body", method: "POST", target: "/", body: "Action=Get%ZZUser", code: "MalformedQueryString"},
		{name: "bad escape in query", method: "GET", target: "/?Action=%", code: "MalformedQueryString"},
		{name: "semicolon", method: "POST", target: "/", body: "Action=GetUser;UserName=x", code: "MalformedQueryString"},
		{name: "body over limit", method: "POST", target: "/", body: "Action=GetUser", limit: 10, code: "InvalidQueryParameter"},
		{name: "largest limit", method: "POST", target: "/", body: "Action=Get", limit: math.MaxInt64, want: Values{"Action": {"Get"}}},
		{name: "body at limit", method: "POST", target: "/", body: "Action=Get", limit: 10, want: Values{"Action": {"Get"}}},
		{name: "query over limit", method: "GET", target: "/?Action=GetUser", limit: 10, code: "InvalidQueryParameter"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var body io.Reader
			if tc.body != "" {
				body = strings.NewReader(tc.body)
			}
			r := httptest.NewRequest(tc.method, tc.target, body)
			if tc.contentType != "" {
				r.Header.Set("Content-Type", tc.contentType)
			}
			got, err := Parse(r, tc.limit)
			if tc.code != "" {
				if awserr.Code(err) != tc.code {
					t.Fatalf("error = %v, want %s", err, tc.code)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestParseBodyReaderError(t *testing.T) {
	tests := []struct {
		name string
		err  error
		code string
	}{
		{"awserr passes through", awserr.SignatureDoesNotMatch(), "SignatureDoesNotMatch"},
		{"other read error", io.ErrUnexpectedEOF, "MalformedQueryString"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/", nil)
			r.Body = io.NopCloser(failing{tc.err})
			if _, err := Parse(r, 0); awserr.Code(err) != tc.code {
				t.Errorf("error = %v, want %s", err, tc.code)
			}
		})
	}
}

type failing struct{ err error }

func (f failing) Read([]byte) (int, error) { return 0, f.err }

func TestValuesAccessors(t *testing.T) {
	v := Values{"Action": {"AssumeRole", "x"}, "Version": {"2011-06-15"}, "Empty": {""}}
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"Action", v.Action(), "AssumeRole"},
		{"Version", v.Version(), "2011-06-15"},
		{"Get missing", v.Get("Nope"), ""},
		{"Has empty", v.Has("Empty"), true},
		{"Has missing", v.Has("Nope"), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %v, want %v", tc.got, tc.want)
			}
		})
	}
}

func TestList(t *testing.T) {
	v := Values{
		"PolicyArns.member.2.arn":  {"arn:b"},
		"PolicyArns.member.1.arn":  {"arn:a"},
		"VpcEndpointId.10":         {"vpce-10"},
		"VpcEndpointId.2":          {"vpce-2"},
		"VpcEndpointId.1":          {"vpce-1"},
		"VpcEndpointId.01":         {"leading zero"},
		"VpcEndpointId.0":          {"zero"},
		"VpcEndpointId.-1":         {"negative"},
		"VpcEndpointId.x":          {"word"},
		"VpcEndpointId.1.Extra":    {"deeper"},
		"VpcEndpointIdX.1":         {"other"},
		"VpcEndpointId.9999999999": {"too long"},
		"ThumbprintList.member.3":  {"c"},
		"ThumbprintList.member.1":  {"a"},
	}
	tests := []struct {
		prefix string
		want   []string
	}{
		{"VpcEndpointId", []string{"vpce-1", "vpce-2", "vpce-10"}},
		{"ThumbprintList.member", []string{"a", "c"}},
		{"Missing.member", []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.prefix, func(t *testing.T) {
			if got := v.List(tc.prefix); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("List(%q) = %v, want %v", tc.prefix, got, tc.want)
			}
		})
	}
}

func TestStructs(t *testing.T) {
	v := Values{
		"Tags.member.1.Key":       {"project"},
		"Tags.member.1.Value":     {"verdict"},
		"Tags.member.2.Key":       {"env"},
		"Tags.member.2.Value":     {""},
		"Tags.member.x.Key":       {"ignored"},
		"Tags.member.3":           {"no field"},
		"Filter.2.Name":           {"vpc-id"},
		"Filter.2.Value.1":        {"vpc-1"},
		"Filter.2.Value.2":        {"vpc-2"},
		"Filter.1.Name":           {"service-name"},
		"Filter.1.Value.1":        {"com.amazonaws.us-east-1.s3"},
		"PolicyArns.member.1.arn": {"arn:aws:iam::aws:policy/ReadOnlyAccess"},
	}
	tags := v.Structs("Tags.member")
	if len(tags) != 2 || tags[0].Get("Key") != "project" || tags[0].Get("Value") != "verdict" ||
		tags[1].Get("Key") != "env" || !tags[1].Has("Value") {
		t.Errorf("Structs(Tags.member) = %v", tags)
	}
	filters := v.Structs("Filter")
	if len(filters) != 2 || filters[0].Get("Name") != "service-name" ||
		!reflect.DeepEqual(filters[1].List("Value"), []string{"vpc-1", "vpc-2"}) {
		t.Errorf("Structs(Filter) = %v", filters)
	}
	arns := v.Structs("PolicyArns.member")
	if len(arns) != 1 || arns[0].Get("arn") != "arn:aws:iam::aws:policy/ReadOnlyAccess" {
		t.Errorf("Structs(PolicyArns.member) = %v", arns)
	}
	if got := v.Structs("Nothing"); len(got) != 0 {
		t.Errorf("Structs(Nothing) = %v", got)
	}
}

func TestMap(t *testing.T) {
	v := Values{
		"Attributes.entry.1.key":   {"a"},
		"Attributes.entry.1.value": {"1"},
		"Attributes.entry.2.key":   {"b"},
		"Attributes.entry.2.value": {"2"},
		"Attributes.entry.3.key":   {"a"},
		"Attributes.entry.3.value": {"3"},
	}
	want := map[string]string{"a": "3", "b": "2"}
	if got := v.Map("Attributes.entry", "key", "value"); !reflect.DeepEqual(got, want) {
		t.Errorf("Map = %v, want %v", got, want)
	}
	if got := v.Map("None.entry", "key", "value"); got != nil {
		t.Errorf("Map(None) = %v, want nil", got)
	}
}

func BenchmarkStructs(b *testing.B) {
	v := Values{}
	for i := 1; i <= 50; i++ {
		n := strings.Repeat("x", i%7)
		v["Tags.member."+strconv.Itoa(i)+".Key"] = []string{"k" + n}
		v["Tags.member."+strconv.Itoa(i)+".Value"] = []string{"v"}
	}
	for b.Loop() {
		v.Structs("Tags.member")
	}
}
