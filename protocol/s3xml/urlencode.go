package s3xml

import (
	"net/http"
	"strings"

	"github.com/verdict-project/verdict/protocol/awserr"
)

// ParseEncodingType reads the encoding-type query parameter of the listing
// operations and reports whether URL encoding was asked for. Any value other
// than "" or "url" is S3's InvalidArgument with the ArgumentName and
// ArgumentValue elements S3 adds.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html#AmazonS3-ListObjectsV2-request-querystring-EncodingType
func ParseEncodingType(v string) (bool, error) {
	switch v {
	case "":
		return false, nil
	case "url":
		return true, nil
	}
	return false, awserr.New("InvalidArgument", http.StatusBadRequest, "Invalid Encoding Method specified in Request").
		With("ArgumentName", "encoding-type").With("ArgumentValue", v)
}

// URLEncode encodes s the way S3 encodes key names for encoding-type=url:
// form encoding of the UTF-8 bytes (a space becomes '+', other bytes outside
// A-Z a-z 0-9 and - _ . * become %XX in upper-case hex), except that '/' is
// left as it is. S3 documents only that it URL-encodes; the exact alphabet is
// what S3 returns, for example "a b/c+d" comes back as "a+b/c%2Bd", which is
// why clients decode these values with form-decoding (boto's unquote_plus).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html#AmazonS3-ListObjectsV2-response-EncodingType
func URLEncode(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if !urlSafe(s[i]) && s[i] != ' ' {
			n++
		}
	}
	if n == 0 && !strings.Contains(s, " ") {
		return s
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) + 2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case urlSafe(c):
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

func urlSafe(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '*' || c == '/'
}
