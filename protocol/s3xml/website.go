package s3xml

import (
	"encoding/xml"
	"strings"

	"github.com/verdict-project/verdict/protocol/awserr"
)

// MaxRoutingRules is how many routing rules a website configuration holds:
// "You can add up to 50 routing rules."
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-to-page-redirect.html
const MaxRoutingRules = 50

// WebsiteConfiguration is the PutBucketWebsite body and the GetBucketWebsite
// response: either RedirectAllRequestsTo alone, or IndexDocument with an
// optional ErrorDocument and RoutingRules.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketWebsite.html
type WebsiteConfiguration struct {
	XMLName               xml.Name               `xml:"http://s3.amazonaws.com/doc/2006-03-01/ WebsiteConfiguration"`
	RedirectAllRequestsTo *RedirectAllRequestsTo `xml:"RedirectAllRequestsTo"`
	IndexDocument         *IndexDocument         `xml:"IndexDocument"`
	ErrorDocument         *ErrorDocument         `xml:"ErrorDocument"`
	RoutingRules          *RoutingRules          `xml:"RoutingRules"`
}

// RedirectAllRequestsTo sends every request to another host.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_RedirectAllRequestsTo.html
type RedirectAllRequestsTo struct {
	HostName string `xml:"HostName"`
	Protocol string `xml:"Protocol,omitempty"`
}

// IndexDocument names the document served for a directory.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_IndexDocument.html
type IndexDocument struct {
	Suffix string `xml:"Suffix"`
}

// ErrorDocument names the object served on a 4XX error.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ErrorDocument.html
type ErrorDocument struct {
	Key string `xml:"Key"`
}

// RoutingRules is the RoutingRules wrapper.
type RoutingRules []RoutingRule

// MarshalXML writes the wrapper and one RoutingRule element per rule.
func (r RoutingRules) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	return encodeList(e, start, "RoutingRule", r)
}

// UnmarshalXML reads the RoutingRule children of the wrapper.
func (r *RoutingRules) UnmarshalXML(d *xml.Decoder, _ xml.StartElement) error {
	return decodeList(d, "RoutingRule", (*[]RoutingRule)(r))
}

// RoutingRule redirects the requests that meet its Condition.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_RoutingRule.html
type RoutingRule struct {
	Condition *RoutingCondition `xml:"Condition"`
	Redirect  *Redirect         `xml:"Redirect"`
}

// RoutingCondition is when a routing rule applies.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_Condition.html
type RoutingCondition struct {
	HTTPErrorCodeReturnedEquals string `xml:"HttpErrorCodeReturnedEquals,omitempty"`
	KeyPrefixEquals             string `xml:"KeyPrefixEquals,omitempty"`
}

// Redirect is where a routing rule sends a request.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_Redirect.html
type Redirect struct {
	HostName             string  `xml:"HostName,omitempty"`
	HTTPRedirectCode     string  `xml:"HttpRedirectCode,omitempty"`
	Protocol             string  `xml:"Protocol,omitempty"`
	ReplaceKeyPrefixWith *string `xml:"ReplaceKeyPrefixWith"`
	ReplaceKeyWith       *string `xml:"ReplaceKeyWith"`
}

// badProtocol is S3's answer to a Protocol other than http or https
// (API_RedirectAllRequestsTo, API_Redirect: "Valid Values: http | https").
func badProtocol() *awserr.Error {
	return awserr.InvalidRequest("Invalid protocol, protocol can be http or https. If not defined the protocol will be selected automatically.")
}

// Validate applies S3's rules, with S3's messages as recorded against AWS by
// LocalStack's validated snapshots:
//   - RedirectAllRequestsTo excludes every other element, and needs a
//     HostName (API_RedirectAllRequestsTo: HostName required);
//   - otherwise IndexDocument is required and its Suffix must be non-empty
//     without a slash (API_IndexDocument: "The suffix must not be empty and
//     must not include a slash character");
//   - ErrorDocument needs a Key (API_ErrorDocument: required);
//   - RoutingRules holds 1 to MaxRoutingRules rules, each with a Redirect
//     (API_RoutingRule: Redirect required), a non-empty Condition when one
//     is present, and not both ReplaceKeyPrefixWith and ReplaceKeyWith
//     (API_Redirect: "Can be present only if ReplaceKeyPrefixWith is not
//     provided");
//   - a Protocol is http or https.
func (c *WebsiteConfiguration) Validate() error {
	if r := c.RedirectAllRequestsTo; r != nil {
		if c.IndexDocument != nil || c.ErrorDocument != nil || c.RoutingRules != nil {
			return awserr.InvalidArgument("RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules.").
				With("ArgumentName", "RedirectAllRequestsTo").With("ArgumentValue", "not null")
		}
		if r.HostName == "" {
			return MalformedXML()
		}
		if !oneOf(r.Protocol, "", "http", "https") {
			return badProtocol()
		}
		return nil
	}
	if c.IndexDocument == nil {
		return awserr.InvalidArgument("A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty").
			With("ArgumentName", "IndexDocument").With("ArgumentValue", "null")
	}
	if s := c.IndexDocument.Suffix; s == "" || strings.Contains(s, "/") {
		return awserr.InvalidArgument("The IndexDocument Suffix is not well formed").
			With("ArgumentName", "IndexDocument").With("ArgumentValue", s)
	}
	if c.ErrorDocument != nil && c.ErrorDocument.Key == "" {
		return MalformedXML()
	}
	if c.RoutingRules == nil {
		return nil
	}
	if len(*c.RoutingRules) == 0 || len(*c.RoutingRules) > MaxRoutingRules {
		return MalformedXML()
	}
	for _, r := range *c.RoutingRules {
		if r.Redirect == nil {
			return MalformedXML()
		}
		if r.Condition != nil && *r.Condition == (RoutingCondition{}) {
			return awserr.InvalidRequest("Condition cannot be empty. To redirect all requests without a condition, the condition element shouldn't be present.")
		}
		if r.Redirect.ReplaceKeyPrefixWith != nil && r.Redirect.ReplaceKeyWith != nil {
			return awserr.InvalidRequest("You can only define ReplaceKeyPrefix or ReplaceKey but not both.")
		}
		if !oneOf(r.Redirect.Protocol, "", "http", "https") {
			return badProtocol()
		}
	}
	return nil
}
