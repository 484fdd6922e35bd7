package s3xml

import (
	"encoding/xml"

	"github.com/verdict-project/verdict/protocol/awserr"
)

// BucketLoggingStatus is the PutBucketLogging body and the GetBucketLogging
// response. Without LoggingEnabled it turns server access logging off:
// "To disable logging, you use an empty BucketLoggingStatus request
// element".
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLogging.html
type BucketLoggingStatus struct {
	XMLName        xml.Name        `xml:"http://s3.amazonaws.com/doc/2006-03-01/ BucketLoggingStatus"`
	LoggingEnabled *LoggingEnabled `xml:"LoggingEnabled"`
}

// LoggingEnabled is where access logs go, in the order of S3's example.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_LoggingEnabled.html
type LoggingEnabled struct {
	TargetBucket          string                 `xml:"TargetBucket"`
	TargetPrefix          string                 `xml:"TargetPrefix"`
	TargetGrants          *TargetGrants          `xml:"TargetGrants"`
	TargetObjectKeyFormat *TargetObjectKeyFormat `xml:"TargetObjectKeyFormat"`
}

// TargetGrants is the TargetGrants wrapper.
type TargetGrants []TargetGrant

// MarshalXML writes the wrapper and one Grant element per grant.
func (g TargetGrants) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	return encodeList(e, start, "Grant", g)
}

// UnmarshalXML reads the Grant children of the wrapper.
func (g *TargetGrants) UnmarshalXML(d *xml.Decoder, _ xml.StartElement) error {
	return decodeList(d, "Grant", (*[]TargetGrant)(g))
}

// TargetGrant gives a grantee access to the log objects.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_TargetGrant.html
type TargetGrant struct {
	Grantee    *Grantee `xml:"Grantee"`
	Permission string   `xml:"Permission"`
}

// TargetObjectKeyFormat is how log object keys are made.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_TargetObjectKeyFormat.html
type TargetObjectKeyFormat struct {
	SimplePrefix      *struct{}          `xml:"SimplePrefix"`
	PartitionedPrefix *PartitionedPrefix `xml:"PartitionedPrefix"`
}

// PartitionedPrefix partitions log keys by date.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PartitionedPrefix.html
type PartitionedPrefix struct {
	PartitionDateSource string `xml:"PartitionDateSource,omitempty"`
}

// Validate applies the schema's rules: TargetBucket is required
// (API_LoggingEnabled), a grant has a grantee of a known type with its
// identifier and a Permission of FULL_CONTROL, READ or WRITE
// (API_TargetGrant), TargetObjectKeyFormat holds exactly one of
// SimplePrefix and PartitionedPrefix, and PartitionDateSource is
// EventTime or DeliveryTime (API_PartitionedPrefix). Violations are
// MalformedXML. Whether the target bucket exists and belongs to the same
// account is for the caller to check.
func (c *BucketLoggingStatus) Validate() error {
	l := c.LoggingEnabled
	if l == nil {
		return nil
	}
	if l.TargetBucket == "" {
		return MalformedXML()
	}
	if l.TargetGrants != nil {
		for _, g := range *l.TargetGrants {
			if g.Grantee == nil || !oneOf(g.Permission, PermFullControl, PermRead, PermWrite) || !granteeComplete(g.Grantee) {
				return MalformedXML()
			}
		}
	}
	if f := l.TargetObjectKeyFormat; f != nil {
		if (f.SimplePrefix != nil) == (f.PartitionedPrefix != nil) {
			return MalformedXML()
		}
		if p := f.PartitionedPrefix; p != nil && !oneOf(p.PartitionDateSource, "", "EventTime", "DeliveryTime") {
			return MalformedXML()
		}
	}
	return nil
}

// granteeComplete reports whether g has a known type and the identifier
// that type needs.
func granteeComplete(g *Grantee) bool {
	switch g.Type {
	case GranteeCanonicalUser:
		return g.ID != ""
	case GranteeGroup:
		return g.URI != ""
	case GranteeEmail:
		return g.EmailAddress != ""
	}
	return false
}

// AccelerateConfiguration is the PutBucketAccelerateConfiguration body and
// the GetBucketAccelerateConfiguration response; a bucket whose Transfer
// Acceleration state was never set has no Status. Acceleration is turned
// off by Suspended, not deleted.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketAccelerateConfiguration.html
type AccelerateConfiguration struct {
	XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ AccelerateConfiguration"`
	Status  string   `xml:"Status,omitempty"`
}

// Validate checks Status, Enabled or Suspended ("Valid Values: Enabled |
// Suspended", https://docs.aws.amazon.com/AmazonS3/latest/API/API_AccelerateConfiguration.html);
// anything else, or none, does not match S3's schema.
func (c *AccelerateConfiguration) Validate() error {
	if !oneOf(c.Status, "Enabled", "Suspended") {
		return MalformedXML()
	}
	return nil
}

// AccelerateBucketName checks that a bucket may use Transfer Acceleration:
// "The name of the bucket used for Transfer Acceleration must be
// DNS-compliant and must not contain periods". The error is the
// InvalidRequest of S3's list of error codes.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketAccelerateConfiguration.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList
func AccelerateBucketName(bucket string) error {
	for i := 0; i < len(bucket); i++ {
		if bucket[i] == '.' {
			return awserr.InvalidRequest("Amazon S3 Transfer Acceleration is not supported for buckets with periods (.) in their names.")
		}
	}
	return nil
}
