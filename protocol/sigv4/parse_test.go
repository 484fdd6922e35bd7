package sigv4

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

const (
	goodCredential = "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request"
	goodSignature  = "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
)

// headerRequest is the S3 documentation's GET object request with the given
// Authorization header and headers replaced (an empty value deletes).
func headerRequest(auth string, kv ...string) *http.Request {
	r, _ := http.NewRequest("GET", "http://examplebucket.s3.amazonaws.com/test.txt", nil)
	r.Header.Set("Authorization", auth)
	r.Header.Set("Range", "bytes=0-9")
	r.Header.Set("X-Amz-Content-Sha256", EmptySHA256)
	r.Header.Set("X-Amz-Date", exampleTime)
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			r.Header.Del(kv[i])
		} else {
			r.Header.Set(kv[i], kv[i+1])
		}
	}
	return r
}

func TestParseAuthorizationHeader(t *testing.T) {
	good := "AWS4-HMAC-SHA256 Credential=" + goodCredential + ", SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=" + goodSignature
	malformed := "The authorization header is malformed; "
	tests := []struct {
		name     string
		r        *http.Request
		wantCode string
		wantMsg  string
	}{
		{"documented form", headerRequest(good), "", ""},
		{"no spaces after commas", headerRequest(strings.ReplaceAll(good, ", ", ",")), "", ""},
		{"several spaces", headerRequest(strings.Replace(strings.ReplaceAll(good, ", ", " ,  "), " ", "   ", 1)), "", ""},
		{"Date header instead of x-amz-date", headerRequest(good, "X-Amz-Date", "", "Date", "Fri, 24 May 2013 00:00:00 GMT"), "", ""},
		{"missing Signature", headerRequest("AWS4-HMAC-SHA256 Credential=" + goodCredential + ", SignedHeaders=host"),
			"AuthorizationHeaderMalformed", malformed + "the authorization header requires three components: Credential, SignedHeaders, and Signature."},
		{"only the algorithm", headerRequest("AWS4-HMAC-SHA256"),
			"AuthorizationHeaderMalformed", malformed + "the authorization header requires three components: Credential, SignedHeaders, and Signature."},
		{"empty Signature", headerRequest("AWS4-HMAC-SHA256 Credential=" + goodCredential + ", SignedHeaders=host, Signature="),
			"AuthorizationHeaderMalformed", malformed + `the authorization component " Signature=" is malformed.`},
		{"component without =", headerRequest(good + ", Extra"),
			"AuthorizationHeaderMalformed", malformed + `the authorization component " Extra" is malformed.`},
		{"unknown component", headerRequest(good + ", Foo=bar"),
			"AuthorizationHeaderMalformed", malformed + `the authorization component " Foo=bar" is malformed.`},
		{"repeated component", headerRequest(good + ", Signature=" + goodSignature),
			"AuthorizationHeaderMalformed", malformed + `the authorization component " Signature=` + goodSignature + `" is malformed.`},
		{"empty signed header name", headerRequest(strings.Replace(good, "host;range", "host;;range", 1)),
			"AuthorizationHeaderMalformed", malformed + `the authorization component "SignedHeaders=host;;range;x-amz-content-sha256;x-amz-date" is malformed.`},
		{"credential with four parts", headerRequest(strings.Replace(good, "/s3/aws4_request", "/aws4_request", 1)),
			"AuthorizationHeaderMalformed", malformed + `the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`},
		{"credential without key id", headerRequest(strings.Replace(good, "AKIAIOSFODNN7EXAMPLE/", "/", 1)),
			"AuthorizationHeaderMalformed", malformed + `the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`},
		{"credential date format", headerRequest(strings.Replace(good, "/20130524/", "/2013-05-24/", 1)),
			"AuthorizationHeaderMalformed", malformed + `incorrect date format "2013-05-24". This date in the credential must be in the format "yyyyMMdd".`},
		{"credential date not a day", headerRequest(strings.Replace(good, "/20130524/", "/20131324/", 1)),
			"AuthorizationHeaderMalformed", malformed + `incorrect date format "20131324". This date in the credential must be in the format "yyyyMMdd".`},
		{"credential terminal", headerRequest(strings.Replace(good, "aws4_request", "aws4_reques", 1)),
			"AuthorizationHeaderMalformed", malformed + `incorrect terminal "aws4_reques". This endpoint uses "aws4_request".`},
		{"credential date is not the request date", headerRequest(strings.Replace(good, "/20130524/", "/20130523/", 1)),
			"AuthorizationHeaderMalformed", malformed + `Invalid credential date "20130523". This date is not the same as X-Amz-Date: "20130524".`},
		{"no date", headerRequest(good, "X-Amz-Date", ""),
			"AccessDenied", "AWS authentication requires a valid Date or x-amz-date header"},
		{"unreadable x-amz-date", headerRequest(good, "X-Amz-Date", "2013-05-24T00:00:00Z"),
			"AccessDenied", "AWS authentication requires a valid Date or x-amz-date header"},
		{"unreadable Date", headerRequest(good, "X-Amz-Date", "", "Date", "yesterday"),
			"AccessDenied", "AWS authentication requires a valid Date or x-amz-date header"},
		{"no x-amz-content-sha256 for S3", headerRequest(good, "X-Amz-Content-Sha256", ""),
			"InvalidRequest", "Missing required header for this request: x-amz-content-sha256"},
		{"bad x-amz-content-sha256", headerRequest(good, "X-Amz-Content-Sha256", "abc"),
			"InvalidArgument", "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value."},
		{"no x-amz-content-sha256 for IAM", headerRequest(strings.Replace(good, "/s3/", "/iam/", 1), "X-Amz-Content-Sha256", ""), "", ""},
		{"Signature Version 2", headerRequest("AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg="),
			"InvalidRequest", "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256."},
		{"SigV4a", headerRequest(strings.Replace(good, "AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256", 1)),
			"InvalidRequest", "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256."},
		{"unknown scheme", headerRequest("Bearer abc"), "InvalidArgument", "Unsupported Authorization Type"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse(tc.r)
			if awsCode(err) != tc.wantCode {
				t.Fatalf("err = %v, want code %q", err, tc.wantCode)
			}
			if err != nil {
				if got := strings.TrimPrefix(err.Error(), tc.wantCode+": "); got != tc.wantMsg {
					t.Errorf("message:\n got %s\nwant %s", got, tc.wantMsg)
				}
				if tc.wantCode == "AuthorizationHeaderMalformed" && asStatus(err) != http.StatusBadRequest {
					t.Errorf("status %d", asStatus(err))
				}
				return
			}
			if s == nil || s.AccessKeyID != "AKIAIOSFODNN7EXAMPLE" || s.Region != "us-east-1" ||
				s.ScopeDate() != "20130524" || !s.Date.Equal(mustTime(t, exampleTime)) {
				t.Errorf("parsed %+v", s)
			}
		})
	}
}

func TestParseMechanisms(t *testing.T) {
	t.Run("anonymous", func(t *testing.T) {
		r, _ := http.NewRequest("GET", "http://examplebucket.s3.amazonaws.com/test.txt?prefix=a", nil)
		if s, err := Parse(r); s != nil || err != nil {
			t.Fatalf("%v %v", s, err)
		}
		r.Header.Set("Authorization", "")
		if s, err := Parse(r); s != nil || err != nil {
			t.Fatalf("empty header: %v %v", s, err)
		}
	})
	t.Run("header and query", func(t *testing.T) {
		r, _ := http.NewRequest("GET", "http://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256", nil)
		r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+goodCredential)
		_, err := Parse(r)
		if awsCode(err) != "InvalidArgument" || !strings.Contains(err.Error(), "Only one auth mechanism allowed") {
			t.Fatal(err)
		}
	})
	t.Run("Signature Version 2 query", func(t *testing.T) {
		r, _ := http.NewRequest("GET", "http://examplebucket.s3.amazonaws.com/test.txt?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1141889120&Signature=vjbyPxybdZaNmGa%2ByT272YEAiv4%3D", nil)
		if _, err := Parse(r); awsCode(err) != "InvalidRequest" {
			t.Fatal(err)
		}
	})
}

// presignedQuery is the S3 documentation's presigned URL with parameters
// replaced (an empty value deletes).
func presignedRequest(kv ...string) *http.Request {
	q := url.Values{
		"X-Amz-Algorithm":     {"AWS4-HMAC-SHA256"},
		"X-Amz-Credential":    {goodCredential},
		"X-Amz-Date":          {exampleTime},
		"X-Amz-Expires":       {"86400"},
		"X-Amz-SignedHeaders": {"host"},
		"X-Amz-Signature":     {"aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"},
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			q.Del(kv[i])
		} else {
			q.Set(kv[i], kv[i+1])
		}
	}
	r, _ := http.NewRequest("GET", "http://examplebucket.s3.amazonaws.com/test.txt?"+q.Encode(), nil)
	return r
}

func TestParsePresigned(t *testing.T) {
	missing := "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters."
	cred := "Error parsing the X-Amz-Credential parameter; "
	tests := []struct {
		name     string
		r        *http.Request
		wantCode string
		wantMsg  string
	}{
		{"documented URL", presignedRequest(), "", ""},
		{"seven days", presignedRequest("X-Amz-Expires", "604800"), "", ""},
		{"zero seconds", presignedRequest("X-Amz-Expires", "0"), "", ""},
		{"missing algorithm", presignedRequest("X-Amz-Algorithm", ""), "AuthorizationQueryParametersError", missing},
		{"missing credential", presignedRequest("X-Amz-Credential", ""), "AuthorizationQueryParametersError", missing},
		{"missing signature", presignedRequest("X-Amz-Signature", ""), "AuthorizationQueryParametersError", missing},
		{"missing date", presignedRequest("X-Amz-Date", ""), "AuthorizationQueryParametersError", missing},
		{"missing signed headers", presignedRequest("X-Amz-SignedHeaders", ""), "AuthorizationQueryParametersError", missing},
		{"missing expires", presignedRequest("X-Amz-Expires", ""), "AuthorizationQueryParametersError", missing},
		{"other algorithm", presignedRequest("X-Amz-Algorithm", "HMAC-SHA1"), "AuthorizationQueryParametersError", `X-Amz-Algorithm only supports "AWS4-HMAC-SHA256 and AWS4-ECDSA-P256-SHA256"`},
		{"SigV4a", presignedRequest("X-Amz-Algorithm", "AWS4-ECDSA-P256-SHA256"), "InvalidRequest", "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256."},
		{"credential malformed", presignedRequest("X-Amz-Credential", "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3"), "AuthorizationQueryParametersError",
			cred + `the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`},
		{"credential terminal", presignedRequest("X-Amz-Credential", "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_reque"), "AuthorizationQueryParametersError",
			cred + `incorrect terminal "aws4_reque". This endpoint uses "aws4_request".`},
		{"credential date format", presignedRequest("X-Amz-Credential", "AKIAIOSFODNN7EXAMPLE/2013524/us-east-1/s3/aws4_request"), "AuthorizationQueryParametersError",
			cred + `incorrect date format "2013524". This date in the credential must be in the format "yyyyMMdd".`},
		{"date format", presignedRequest("X-Amz-Date", "2013-05-24T00:00:00Z"), "AuthorizationQueryParametersError", `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`},
		{"credential date is not X-Amz-Date's", presignedRequest("X-Amz-Date", "20130525T000000Z"), "AuthorizationQueryParametersError",
			`Invalid credential date "20130524". This date is not the same as X-Amz-Date: "20130525".`},
		{"expires not a number", presignedRequest("X-Amz-Expires", "soon"), "AuthorizationQueryParametersError", "X-Amz-Expires should be a number"},
		{"expires negative", presignedRequest("X-Amz-Expires", "-1"), "AuthorizationQueryParametersError", "X-Amz-Expires must be non-negative"},
		{"expires a second over a week", presignedRequest("X-Amz-Expires", "604801"), "AuthorizationQueryParametersError",
			"X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds"},
		{"expires overflowing", presignedRequest("X-Amz-Expires", "99999999999999999999999"), "AuthorizationQueryParametersError",
			"X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds"},
		{"bad X-Amz-Content-Sha256", presignedRequest("X-Amz-Content-Sha256", "xyz"), "InvalidArgument", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse(tc.r)
			if awsCode(err) != tc.wantCode {
				t.Fatalf("err = %v, want code %q", err, tc.wantCode)
			}
			if err != nil {
				if got := strings.TrimPrefix(err.Error(), tc.wantCode+": "); tc.wantMsg != "" && got != tc.wantMsg {
					t.Errorf("message:\n got %s\nwant %s", got, tc.wantMsg)
				}
				return
			}
			if !s.Presigned || s.PayloadHash != UnsignedPayload || s.SignedHeaders[0] != "host" {
				t.Errorf("parsed %+v", s)
			}
		})
	}
}

func TestCheckScope(t *testing.T) {
	tests := []struct {
		name            string
		r               *http.Request
		region, service string
		wantMsg         string
		wantRegion      string
	}{
		{"header, right scope", headerRequest("AWS4-HMAC-SHA256 Credential=" + goodCredential + ",SignedHeaders=host,Signature=x"), "us-east-1", "s3", "", ""},
		{"header, unchecked", headerRequest("AWS4-HMAC-SHA256 Credential=" + goodCredential + ",SignedHeaders=host,Signature=x"), "", "", "", ""},
		{"header, wrong region", headerRequest("AWS4-HMAC-SHA256 Credential=" + goodCredential + ",SignedHeaders=host,Signature=x"), "eu-west-1", "s3",
			"AuthorizationHeaderMalformed: The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-west-1'", "eu-west-1"},
		{"header, wrong service", headerRequest("AWS4-HMAC-SHA256 Credential=" + goodCredential + ",SignedHeaders=host,Signature=x"), "us-east-1", "iam",
			`AuthorizationHeaderMalformed: The authorization header is malformed; incorrect service "s3". This endpoint belongs to "iam".`, ""},
		{"query, wrong region", presignedRequest(), "eu-west-1", "s3",
			"AuthorizationQueryParametersError: Error parsing the X-Amz-Credential parameter; the region 'us-east-1' is wrong; expecting 'eu-west-1'", "eu-west-1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse(tc.r)
			if err != nil {
				t.Fatal(err)
			}
			err = s.CheckScope(tc.region, tc.service)
			if tc.wantMsg == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || err.Error() != tc.wantMsg || field(err, "Region") != tc.wantRegion {
				t.Fatalf("err = %v", err)
			}
		})
	}
}

// The skew limits of the header form, for S3 and for other services.
func TestVerifyClockSkew(t *testing.T) {
	signedAt := mustTime(t, exampleTime)
	good := "AWS4-HMAC-SHA256 Credential=" + goodCredential + ", SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=" + goodSignature
	tests := []struct {
		name     string
		now      time.Time
		service  string
		wantCode string
		wantMsg  string
	}{
		{"15 minutes late", signedAt.Add(15 * time.Minute), "s3", "", ""},
		{"15 minutes early", signedAt.Add(-15 * time.Minute), "s3", "", ""},
		{"16 minutes late", signedAt.Add(16 * time.Minute), "s3", "RequestTimeTooSkewed", "The difference between the request time and the current time is too large."},
		{"16 minutes early", signedAt.Add(-16 * time.Minute), "s3", "RequestTimeTooSkewed", "The difference between the request time and the current time is too large."},
		{"IAM, late", signedAt.Add(30 * time.Minute), "iam", "SignatureDoesNotMatch",
			"Signature expired: 20130524T000000Z is now earlier than 20130524T001500Z (20130524T003000Z - 15 min.)"},
		{"IAM, early", signedAt.Add(-30 * time.Minute), "iam", "SignatureDoesNotMatch",
			"Signature not yet current: 20130524T000000Z is still later than 20130523T234500Z (20130523T233000Z + 15 min.)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := headerRequest(strings.Replace(good, "/s3/", "/"+tc.service+"/", 1))
			s, err := Parse(r)
			if err != nil {
				t.Fatal(err)
			}
			err = s.Verify(r, exampleSecret, tc.now)
			if tc.wantCode == "" {
				if err != nil && tc.service == "s3" {
					t.Fatal(err)
				}
				return
			}
			if awsCode(err) != tc.wantCode || err.Error() != tc.wantCode+": "+tc.wantMsg {
				t.Fatalf("err = %v", err)
			}
			if tc.wantCode == "RequestTimeTooSkewed" && (field(err, "RequestTime") != exampleTime ||
				field(err, "ServerTime") != tc.now.UTC().Format(serverTimeFormat) || field(err, "MaxAllowedSkewMilliseconds") != "900000") {
				t.Errorf("fields %+v", err)
			}
		})
	}
}

func asStatus(err error) int {
	if e := awsErr(err); e != nil {
		return e.Status
	}
	return 0
}
