package sigv4

import (
	"context"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/verdict-project/verdict/protocol/awserr"
)

var update = flag.Bool("update", false, "rewrite golden files and fuzz seed corpora")

// The S3 error bodies this package's errors render to, kept as golden files
// under testdata/errors so that a change in wording or element order shows
// in review.
func TestErrorBodiesGolden(t *testing.T) {
	signedAt := mustTime(t, exampleTime)
	mismatch := func() error {
		req, _ := http.NewRequest("GET", "http://examplebucket.s3.amazonaws.com/photos/a%20b.jpg?versionId=1", nil)
		req.Header.Set("X-Amz-Content-Sha256", EmptySHA256)
		if err := v4.NewSigner().SignHTTP(context.Background(), sdkCreds, req, EmptySHA256, "s3", "us-east-1", signedAt,
			func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true }); err != nil {
			t.Fatal(err)
		}
		r := overTheWire(t, req)
		s, err := Parse(r)
		if err != nil {
			t.Fatal(err)
		}
		return s.Verify(r, "wrong secret", signedAt)
	}
	verify := func(r *http.Request, now time.Time) error {
		s, err := Parse(r)
		if err != nil {
			return err
		}
		return s.Verify(r, exampleSecret, now)
	}
	good := exampleAuth + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=" + goodSignature
	tests := []struct {
		name string
		err  error
	}{
		{"SignatureDoesNotMatch", mismatch()},
		{"RequestTimeTooSkewed", verify(headerRequest(good), signedAt.Add(time.Hour))},
		{"RequestExpired", verify(presignedRequest(), signedAt.Add(25*time.Hour))},
		{"RequestNotYetValid", verify(presignedRequest(), signedAt.Add(-time.Hour))},
		{"HeadersNotSigned", verify(headerRequest(good, "X-Amz-Acl", "private", "X-Amz-Meta-A", "b"), signedAt)},
		{"AuthorizationHeaderMalformed", verify(headerRequest(strings.Replace(good, "aws4_request", "aws4", 1)), signedAt)},
		{"AuthorizationQueryParametersError", verify(presignedRequest("X-Amz-Expires", "604801"), signedAt)},
		{"WrongRegion", func() error { s, _ := Parse(headerRequest(good)); return s.CheckScope("eu-west-1", "s3") }()},
		{"XAmzContentSHA256Mismatch", errContentSHA256Mismatch(EmptySHA256, sha256Hex("x"))},
		{"InvalidChunkSizeError", errInvalidChunkSize(2, 1024)},
		{"BadDigest", errChecksumMismatch(MD5, "1B2M2Y8AsgTpgAmY7PhCfg==", "rL0Y20zC+Fzt72VPzMSk2A==")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := awsErr(tc.err)
			if e == nil {
				t.Fatalf("not an AWS error: %v", tc.err)
			}
			got := awserr.S3Body(e, "REQUESTID", "HOSTID", "/examplebucket/test.txt")
			path := filepath.Join("testdata", "errors", tc.name+".golden")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -run TestErrorBodiesGolden -update)", err)
			}
			if string(got)+"\n" != string(want) {
				t.Errorf("%s:\n got %s\nwant %s", path, got, want)
			}
		})
	}
}
