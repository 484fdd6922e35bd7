package s3controlapi

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/verdict-project/verdict/protocol/awserr"
)

func TestDecodePublicAccessBlock(t *testing.T) {
	tests := []struct {
		name string
		body string
		want *PublicAccessBlockConfiguration
	}{
		{"all four", `<PublicAccessBlockConfiguration xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/"><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>false</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>`,
			&PublicAccessBlockConfiguration{BlockPublicAcls: true, IgnorePublicAcls: true, RestrictPublicBuckets: true}},
		{"left out is false", `<PublicAccessBlockConfiguration><BlockPublicPolicy>true</BlockPublicPolicy></PublicAccessBlockConfiguration>`,
			&PublicAccessBlockConfiguration{BlockPublicPolicy: true}},
		{"empty element", `<PublicAccessBlockConfiguration/>`, &PublicAccessBlockConfiguration{}},
		{"declaration, BOM, comments and spaces", "\xef\xbb\xbf<?xml version=\"1.0\"?>\n<!-- c --><PublicAccessBlockConfiguration> <IgnorePublicAcls> true </IgnorePublicAcls></PublicAccessBlockConfiguration>\n<!-- d -->\n",
			&PublicAccessBlockConfiguration{IgnorePublicAcls: true}},
		{"unknown elements are skipped", `<PublicAccessBlockConfiguration><Other>x</Other></PublicAccessBlockConfiguration>`, &PublicAccessBlockConfiguration{}},
		{"empty body", ``, nil},
		{"not a boolean", `<PublicAccessBlockConfiguration><BlockPublicAcls>1</BlockPublicAcls></PublicAccessBlockConfiguration>`, nil},
		{"wrong root", `<PublicAccessBlock/>`, nil},
		{"S3's namespace", `<PublicAccessBlockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>`, nil},
		{"second root", `<PublicAccessBlockConfiguration/><PublicAccessBlockConfiguration/>`, nil},
		{"text after the root", `<PublicAccessBlockConfiguration/>x`, nil},
		{"text before the root", `x<PublicAccessBlockConfiguration/>`, nil},
		{"doctype", `<!DOCTYPE x><PublicAccessBlockConfiguration/>`, nil},
		{"unclosed", `<PublicAccessBlockConfiguration>`, nil},
		{"too long", `<PublicAccessBlockConfiguration>` + strings.Repeat(" ", maxBody) + `</PublicAccessBlockConfiguration>`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodePublicAccessBlock(strings.NewReader(tt.body))
			if tt.want == nil {
				if awserr.Code(err) != "MalformedXML" {
					t.Fatalf("got %+v, %v; want MalformedXML", got, err)
				}
				return
			}
			if err != nil || *got != *tt.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

// errReader fails like a verifying body reader on a bad signature.
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

func TestDecodePublicAccessBlockReaderErrors(t *testing.T) {
	sig := awserr.SignatureDoesNotMatch()
	if _, err := DecodePublicAccessBlock(errReader{sig}); !errors.Is(err, sig) {
		t.Errorf("signature error: %v", err)
	}
	if _, err := DecodePublicAccessBlock(errReader{errors.New("reset")}); awserr.Code(err) != "IncompleteBody" {
		t.Errorf("broken body: %v", err)
	}
}

func TestErrorBody(t *testing.T) {
	e := awserr.New("NoSuchPublicAccessBlockConfiguration", 404, "The public access block configuration was not found").With("AccountId", "111111111111")
	want := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<ErrorResponse><Error><Code>NoSuchPublicAccessBlockConfiguration</Code><Message>The public access block configuration was not found</Message>` +
		`<AccountId>111111111111</AccountId></Error><RequestId>R&amp;1</RequestId><HostId>H</HostId></ErrorResponse>`
	if got := string(ErrorBody(e, "R&1", "H")); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestIsControlRequest(t *testing.T) {
	tests := []struct {
		name, target, account string
		want                  bool
	}{
		{"control", "/v20180820/configuration/publicAccessBlock", "111111111111", true},
		{"no account header", "/v20180820/configuration/publicAccessBlock", "", false},
		{"other path", "/bucket/v20180820/x", "111111111111", false},
		{"bare version", "/v20180820", "111111111111", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, tt.target, nil)
			if tt.account != "" {
				r.Header.Set("x-amz-account-id", tt.account)
			}
			if got := IsControlRequest(r); got != tt.want {
				t.Errorf("got %v", got)
			}
		})
	}
}

// FuzzDecodePublicAccessBlock: any body is decoded or refused with a typed
// MalformedXML, never a panic; a decoded one encodes and decodes back to
// itself.
func FuzzDecodePublicAccessBlock(f *testing.F) {
	f.Add([]byte(`<PublicAccessBlockConfiguration xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/"><BlockPublicAcls>true</BlockPublicAcls></PublicAccessBlockConfiguration>`))
	f.Add([]byte(`<PublicAccessBlockConfiguration/>`))
	f.Add([]byte(`<?xml version="1.0"?><!DOCTYPE x><x/>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := DecodePublicAccessBlock(strings.NewReader(string(body)))
		if err != nil {
			if awserr.Code(err) != "MalformedXML" {
				t.Fatalf("error %v", err)
			}
			return
		}
		out, err := xmlMarshal(c)
		if err != nil {
			t.Fatal(err)
		}
		back, err := DecodePublicAccessBlock(strings.NewReader(string(out)))
		if err != nil || *back != *c {
			t.Fatalf("round trip: %+v, %v", back, err)
		}
	})
}
