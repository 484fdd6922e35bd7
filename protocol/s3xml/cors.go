package s3xml

import (
	"encoding/xml"
	"strings"

	"github.com/verdict-project/verdict/protocol/awserr"
)

// MaxCORSRules is how many rules a CORS configuration may hold.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CORSConfiguration.html
const MaxCORSRules = 100

// MaxCORSBody is the largest CORS configuration document S3 takes: "The
// document is limited to 64 KB in size."
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketCors.html
const MaxCORSBody = 64 << 10

// CORSConfiguration is the PutBucketCors body and the GetBucketCors
// response.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketCors.html
type CORSConfiguration struct {
	XMLName xml.Name   `xml:"http://s3.amazonaws.com/doc/2006-03-01/ CORSConfiguration"`
	Rules   []CORSRule `xml:"CORSRule"`
}

// CORSRule is one rule of a CORS configuration, its members in the order of
// the API reference.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CORSRule.html
type CORSRule struct {
	ID             string   `xml:"ID,omitempty"`
	AllowedHeaders []string `xml:"AllowedHeader"`
	AllowedMethods []string `xml:"AllowedMethod"`
	AllowedOrigins []string `xml:"AllowedOrigin"`
	ExposeHeaders  []string `xml:"ExposeHeader"`
	MaxAgeSeconds  *int     `xml:"MaxAgeSeconds"`
}

// corsMethods are the methods a rule may allow.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/ManageCorsUsing.html#cors-allowed-methods
var corsMethods = []string{"GET", "PUT", "POST", "DELETE", "HEAD"}

// Validate applies S3's rules:
//   - one to MaxCORSRules rules (API_CORSConfiguration), else MalformedXML;
//   - every rule has an AllowedMethod and an AllowedOrigin, both required
//     (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CORSRule.html),
//     else MalformedXML;
//   - each method is GET, PUT, POST, DELETE or HEAD, else InvalidRequest
//     "Found unsupported HTTP method in CORS config. Unsupported method is M"
//     (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ManageCorsUsing.html#cors-allowed-methods);
//   - an AllowedOrigin or AllowedHeader holds at most one "*", else
//     InvalidRequest `AllowedOrigin "o" can not have more than one wildcard.`
//     (ManageCorsUsing.html#cors-allowed-origin and #cors-allowed-headers).
//
// The messages are S3's as recorded against AWS by the emulators' tests
// (LocalStack, moto); the rules are those of the pages cited.
func (c *CORSConfiguration) Validate() error {
	if len(c.Rules) == 0 || len(c.Rules) > MaxCORSRules {
		return MalformedXML()
	}
	for _, r := range c.Rules {
		if len(r.AllowedMethods) == 0 || len(r.AllowedOrigins) == 0 {
			return MalformedXML()
		}
		for _, m := range r.AllowedMethods {
			if !oneOf(m, corsMethods...) {
				return awserr.InvalidRequest("Found unsupported HTTP method in CORS config. Unsupported method is " + m)
			}
		}
		for _, o := range r.AllowedOrigins {
			if strings.Count(o, "*") > 1 {
				return awserr.InvalidRequest(`AllowedOrigin "` + o + `" can not have more than one wildcard.`)
			}
		}
		for _, h := range r.AllowedHeaders {
			if strings.Count(h, "*") > 1 {
				return awserr.InvalidRequest(`AllowedHeader "` + h + `" can not have more than one wildcard.`)
			}
		}
	}
	return nil
}
