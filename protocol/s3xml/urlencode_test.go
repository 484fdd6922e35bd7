package s3xml

import (
	"net/url"
	"testing"

	"github.com/verdict-project/verdict/protocol/awserr"
)

func TestURLEncode(t *testing.T) {
	// The first rows are values measured against S3 by other S3-compatible
	// projects (a space is '+', a literal '+' is %2B, '/' stays).
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain-key_1.txt", "plain-key_1.txt"},
		{"a b.txt", "a+b.txt"},
		{"a+b.txt", "a%2Bb.txt"},
		{"a+ b.txt", "a%2B+b.txt"},
		{"100%.csv", "100%25.csv"},
		{"한글/x.txt", "%ED%95%9C%EA%B8%80/x.txt"},
		{"run books/x", "run+books/x"},
		{"star*", "star*"},
		{"~tilde", "%7Etilde"},
		{"ctl\x01\n", "ctl%01%0A"},
		{"q?&=#", "q%3F%26%3D%23"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got := URLEncode(tc.in)
			if got != tc.want {
				t.Errorf("URLEncode(%q) = %q, want %q", tc.in, got, tc.want)
			}
			// Clients decode with form decoding; it must give the key back.
			if back, err := url.QueryUnescape(got); err != nil || back != tc.in {
				t.Errorf("QueryUnescape(%q) = %q, %v; want %q", got, back, err, tc.in)
			}
		})
	}
}

func TestParseEncodingType(t *testing.T) {
	tests := []struct {
		in      string
		want    bool
		errCode string
	}{
		{"", false, ""},
		{"url", true, ""},
		{"URL", false, "InvalidArgument"},
		{"base64", false, "InvalidArgument"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseEncodingType(tc.in)
			if awserr.Code(err) != tc.errCode || got != tc.want {
				t.Fatalf("ParseEncodingType(%q) = %v, %v", tc.in, got, err)
			}
			if err != nil {
				ae := err.(*awserr.Error)
				want := []awserr.Field{{Name: "ArgumentName", Value: "encoding-type"}, {Name: "ArgumentValue", Value: tc.in}}
				if ae.Message != "Invalid Encoding Method specified in Request" || len(ae.Fields) != 2 || ae.Fields[0] != want[0] || ae.Fields[1] != want[1] {
					t.Errorf("error = %+v", ae)
				}
			}
		})
	}
}

func BenchmarkURLEncode(b *testing.B) {
	for b.Loop() {
		URLEncode("photos/2024/summer holiday/IMG 0001 (copy).jpg")
	}
}
