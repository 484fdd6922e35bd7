package awsjson

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"math"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/verdict-project/verdict/protocol/awserr"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// Shapes modelled on KMS's; the kmsapi service defines its own.
type tag struct {
	TagKey   string `json:"TagKey"`
	TagValue string `json:"TagValue"`
}

type encryptInput struct {
	KeyID             string            `json:"KeyId"`
	Plaintext         []byte            `json:"Plaintext"`
	EncryptionContext map[string]string `json:"EncryptionContext,omitempty"`
	GrantTokens       []string          `json:"GrantTokens,omitempty"`
	Limit             *int32            `json:"Limit,omitempty"`
	ValidTo           *Timestamp        `json:"ValidTo,omitempty"`
	Tags              []tag             `json:"Tags,omitempty"`
	Nested            map[string][]tag  `json:"Nested,omitempty"`
	DryRun            bool              `json:"DryRun,omitempty"`
}

func TestDecode(t *testing.T) {
	lim := int32(5)
	tests := []struct {
		name    string
		body    string
		limit   int64
		want    *encryptInput
		message string // for SerializationException; "-" for any
	}{
		{name: "full", body: `{"KeyId":"alias/app","Plaintext":"aGVsbG8=","EncryptionContext":{"k":"v"},"GrantTokens":["g"],` +
			`"Limit":5,"ValidTo":1558042829.767,"Tags":[{"TagKey":"a","TagValue":"b"}],"DryRun":true}`,
			want: &encryptInput{KeyID: "alias/app", Plaintext: []byte("hello"), EncryptionContext: map[string]string{"k": "v"},
				GrantTokens: []string{"g"}, Limit: &lim, ValidTo: &Timestamp{time.UnixMilli(1558042829767).UTC()},
				Tags: []tag{{"a", "b"}}, DryRun: true}},
		{name: "largest limit", body: `{"KeyId":"k"}`, limit: math.MaxInt64, want: &encryptInput{KeyID: "k"}},
		{name: "empty body is {}", body: "", want: &encryptInput{}},
		{name: "white space body is {}", body: " \n ", want: &encryptInput{}},
		{name: "null members are absent", body: `{"KeyId":null,"Tags":null}`, want: &encryptInput{}},
		{name: "unknown members ignored", body: `{"KeyId":"k","Unknown":{"deep":[1,2]}}`, want: &encryptInput{KeyID: "k"}},
		{name: "member names are case-sensitive", body: `{"keyId":"k","PLAINTEXT":"aGk=","KeyId":"K"}`, want: &encryptInput{KeyID: "K"}},
		{name: "nested names are case-sensitive", body: `{"Tags":[{"tagKey":"a","TagValue":"b"}],"Nested":{"x":[{"TAGKEY":"c","TagKey":"d"}]}}`,
			want: &encryptInput{Tags: []tag{{"", "b"}}, Nested: map[string][]tag{"x": {{TagKey: "d"}}}}},
		{name: "escaped member name", body: `{"Key\u0049d":"k"}`, want: &encryptInput{KeyID: "k"}},
		{name: "duplicate member last wins", body: `{"KeyId":"a","KeyId":"b"}`, want: &encryptInput{KeyID: "b"}},
		{name: "array body", body: `[]`, message: ""},
		{name: "string body", body: `"x"`, message: ""},
		{name: "null body", body: `null`, message: ""},
		{name: "syntax error", body: `{"KeyId":}`, message: ""},
		{name: "unterminated", body: `{"KeyId":"k"`, message: ""},
		{name: "trailing data", body: `{"KeyId":"k"} {}`, message: ""},
		{name: "over limit", body: `{"KeyId":"k"}`, limit: 5, message: "Request body is larger than 5 bytes"},
		{name: "number for string", body: `{"KeyId":5}`, message: "NUMBER_VALUE can not be converted to a String"},
		{name: "string for integer", body: `{"Limit":"5"}`, message: "STRING_VALUE can not be converted to an Integer"},
		{name: "bool for list", body: `{"GrantTokens":true}`, message: "BOOL_VALUE can not be converted to a List"},
		{name: "list for string", body: `{"KeyId":["k"]}`, message: "Start of list found where not expected"},
		{name: "object for string", body: `{"KeyId":{"a":1}}`, message: "Start of structure or map found where not expected."},
		{name: "integer overflow", body: `{"Limit":4294967296}`, message: "NUMBER_VALUE can not be converted to an Integer"},
		{name: "bad base64", body: `{"Plaintext":"not base64!"}`, message: "-"},
		{name: "timestamp as string", body: `{"ValidTo":"2019-05-16T21:40:29Z"}`, message: "-"},
		{name: "timestamp out of range", body: `{"ValidTo":1e300}`, message: "-"},
		{name: "bad nested value", body: `{"Tags":[{"TagKey":1}]}`, message: "NUMBER_VALUE can not be converted to a String"},
		{name: "invalid utf-8 string", body: "{\"KeyId\":\"\xff\"}", want: &encryptInput{KeyID: "\ufffd"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got encryptInput
			err := Decode(strings.NewReader(tc.body), tc.limit, &got)
			if tc.want == nil {
				var ae *awserr.Error
				if !errors.As(err, &ae) || ae.Code != "SerializationException" || ae.Status != 400 {
					t.Fatalf("error = %v, want SerializationException", err)
				}
				if tc.message != "-" && ae.Message != tc.message {
					t.Errorf("message = %q, want %q", ae.Message, tc.message)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(&got, tc.want) {
				t.Errorf("got %+v\nwant %+v", got, *tc.want)
			}
		})
	}
}

func TestDecodeReadErrors(t *testing.T) {
	tests := []struct {
		name string
		r    io.Reader
		code string
	}{
		{"verifier error passes through", failing{awserr.SignatureDoesNotMatch()}, "SignatureDoesNotMatch"},
		{"other read error", failing{io.ErrUnexpectedEOF}, "SerializationException"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := awserr.Code(Decode(tc.r, 0, &encryptInput{})); got != tc.code {
				t.Errorf("code = %q, want %q", got, tc.code)
			}
		})
	}
	if got := awserr.Code(Decode(strings.NewReader("{}"), 0, encryptInput{})); got != "InternalError" {
		t.Errorf("non-pointer: code %q, want InternalError", got)
	}
}

type failing struct{ err error }

func (f failing) Read([]byte) (int, error) { return 0, f.err }

func TestParseTarget(t *testing.T) {
	tests := []struct {
		header string
		want   Target
		ok     bool
	}{
		{"TrentService.Encrypt", Target{"TrentService", "Encrypt"}, true},
		{"AWSOrganizationsV20161128.ListAccounts", Target{"AWSOrganizationsV20161128", "ListAccounts"}, true},
		{"", Target{}, false},
		{"TrentService", Target{}, false},
		{".Encrypt", Target{}, false},
		{"TrentService.", Target{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.header, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/", nil)
			if tc.header != "" {
				r.Header.Set("X-Amz-Target", tc.header)
			}
			got, err := ParseTarget(r)
			if !tc.ok {
				if awserr.Code(err) != "UnknownOperationException" {
					t.Fatalf("error = %v, want UnknownOperationException", err)
				}
				return
			}
			if err != nil || got != tc.want || got.String() != tc.header {
				t.Errorf("ParseTarget = %v, %v", got, err)
			}
		})
	}
}

func TestJavaDouble(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{1558042829.767, "1.558042829767E9"},
		{1e9, "1.0E9"},
		{1.7e9, "1.7E9"},
		{0, "0.0"},
		{1234.5, "1234.5"},
		{1, "1.0"},
		{9999999, "9999999.0"},
		{1e7, "1.0E7"},
		{0.001, "0.001"},
		{0.0001, "1.0E-4"},
		{-1.5e9, "-1.5E9"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			if got := javaDouble(tc.in); got != tc.want {
				t.Errorf("javaDouble(%v) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestTimestampJSON(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want time.Time
		bad  bool
	}{
		{"fraction", "1558042829.767", time.UnixMilli(1558042829767), false},
		{"java spelling", "1.558042829767E9", time.UnixMilli(1558042829767), false},
		{"whole", "1700000000", time.Unix(1700000000, 0), false},
		{"rounds to ms", "1.0004", time.UnixMilli(1000), false},
		{"string", `"1700000000"`, time.Time{}, true},
		{"nan", "NaN", time.Time{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var ts Timestamp
			err := ts.UnmarshalJSON([]byte(tc.in))
			if tc.bad {
				if err == nil {
					t.Fatalf("accepted %s", tc.in)
				}
				return
			}
			if err != nil || !ts.Equal(tc.want) {
				t.Errorf("got %v, %v; want %v", ts.Time, err, tc.want)
			}
		})
	}
	ts := Timestamp{time.Unix(5, 0)}
	if err := ts.UnmarshalJSON([]byte("null")); err != nil || ts.Unix() != 5 {
		t.Errorf("null changed the time: %v %v", ts.Time, err)
	}
}

// Response shapes modelled on KMS's and Organizations' documented outputs.
type keyMetadata struct {
	AWSAccountID         string     `json:"AWSAccountId"`
	KeyID                string     `json:"KeyId"`
	Arn                  string     `json:"Arn"`
	CreationDate         Timestamp  `json:"CreationDate"`
	DeletionDate         *Timestamp `json:"DeletionDate,omitempty"`
	Enabled              bool       `json:"Enabled"`
	Description          string     `json:"Description"`
	KeyUsage             string     `json:"KeyUsage"`
	KeyState             string     `json:"KeyState"`
	Origin               string     `json:"Origin"`
	KeyManager           string     `json:"KeyManager"`
	KeySpec              string     `json:"KeySpec"`
	EncryptionAlgorithms []string   `json:"EncryptionAlgorithms"`
	MultiRegion          bool       `json:"MultiRegion"`
}

type describeKeyOutput struct {
	KeyMetadata keyMetadata `json:"KeyMetadata"`
}

type encryptOutput struct {
	CiphertextBlob      []byte `json:"CiphertextBlob"`
	KeyID               string `json:"KeyId"`
	EncryptionAlgorithm string `json:"EncryptionAlgorithm"`
}

type account struct {
	ID              string    `json:"Id"`
	Arn             string    `json:"Arn"`
	Email           string    `json:"Email"`
	Name            string    `json:"Name"`
	Status          string    `json:"Status"`
	JoinedMethod    string    `json:"JoinedMethod"`
	JoinedTimestamp Timestamp `json:"JoinedTimestamp"`
}

type listAccountsOutput struct {
	Accounts  []account `json:"Accounts"`
	NextToken *string   `json:"NextToken,omitempty"`
}

var created = Timestamp{time.UnixMilli(1558042829767)}

func sampleKey() keyMetadata {
	return keyMetadata{AWSAccountID: "111122223333", KeyID: "1234abcd-12ab-34cd-56ef-1234567890ab",
		Arn: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", CreationDate: created,
		Enabled: true, Description: "<app> & key", KeyUsage: "ENCRYPT_DECRYPT", KeyState: "Enabled", Origin: "AWS_KMS",
		KeyManager: "CUSTOMER", KeySpec: "SYMMETRIC_DEFAULT", EncryptionAlgorithms: []string{"SYMMETRIC_DEFAULT"}}
}

func TestGolden(t *testing.T) {
	tests := []struct {
		name string
		v    any
	}{
		{"kms_describe_key", describeKeyOutput{sampleKey()}},
		{"kms_encrypt", encryptOutput{CiphertextBlob: []byte{0, 1, 2, 0xfe, 0xff}, KeyID: sampleKey().Arn, EncryptionAlgorithm: "SYMMETRIC_DEFAULT"}},
		{"orgs_list_accounts", listAccountsOutput{Accounts: []account{{ID: "111111111111", Arn: "arn:aws:organizations::111111111111:account/o-exampleorgid/111111111111",
			Email: "bill@example.com", Name: "Production Account", Status: "ACTIVE", JoinedMethod: "INVITED",
			JoinedTimestamp: Timestamp{time.Unix(1481835741, 44_000_000)}}}}},
		{"empty", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Marshal(tc.v)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tc.name+".golden")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("body differs from %s\n got: %s\nwant: %s", path, got, want)
			}
		})
	}
}

func TestWriteResponse(t *testing.T) {
	w := httptest.NewRecorder()
	if err := WriteResponse(w, encryptOutput{KeyID: "k"}, "rid"); err != nil {
		t.Fatal(err)
	}
	if w.Code != 200 || w.Header().Get("Content-Type") != ContentType || w.Header().Get("x-amzn-RequestId") != "rid" {
		t.Errorf("status %d headers %v", w.Code, w.Header())
	}
	if err := WriteResponse(httptest.NewRecorder(), make(chan int), "rid"); err == nil {
		t.Error("WriteResponse accepted an unencodable value")
	}
}

func TestValidationException(t *testing.T) {
	tests := []struct {
		name string
		vs   []Violation
		want string
	}{
		{"null", []Violation{NotNull("keyId")},
			"1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null"},
		{"sensitive and plain", []Violation{
			{Member: "plaintext", Value: "secret", Sensitive: true, Constraint: "Member must have length less than or equal to 4096"},
			{Member: "keyId", Value: "", Constraint: "Member must have length greater than or equal to 1"}},
			"2 validation errors detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096; " +
				"Value '' at 'keyId' failed to satisfy constraint: Member must have length greater than or equal to 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := ValidationException(tc.vs...)
			if e.Code != "ValidationException" || e.Status != 400 || e.Message != tc.want {
				t.Errorf("got %s %d %q\nwant %q", e.Code, e.Status, e.Message, tc.want)
			}
		})
	}
}

func BenchmarkDecode(b *testing.B) {
	body := []byte(`{"KeyId":"alias/app","Plaintext":"aGVsbG8gd29ybGQ=","EncryptionContext":{"purpose":"test","app":"verdict"},"GrantTokens":["g1","g2"]}`)
	for b.Loop() {
		var v encryptInput
		if err := Decode(bytes.NewReader(body), 0, &v); err != nil {
			b.Fatal(err)
		}
	}
}
