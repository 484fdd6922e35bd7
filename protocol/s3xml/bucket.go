package s3xml

import "encoding/xml"

// Owner is the canonical user that owns a bucket, object or upload. S3 no
// longer returns DisplayName in most Regions, so it is omitted when empty.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_Owner.html
type Owner struct {
	ID          string `xml:"ID"`
	DisplayName string `xml:"DisplayName,omitempty"`
}

// ListAllMyBucketsResult is the ListBuckets response. Owner comes before
// Buckets, as in S3's output.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html
type ListAllMyBucketsResult struct {
	XMLName           xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListAllMyBucketsResult"`
	Owner             Owner    `xml:"Owner"`
	Buckets           Buckets  `xml:"Buckets"`
	ContinuationToken string   `xml:"ContinuationToken,omitempty"`
	Prefix            string   `xml:"Prefix,omitempty"`
}

// Bucket is one entry of ListAllMyBucketsResult.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_Bucket.html
type Bucket struct {
	Name         string    `xml:"Name"`
	CreationDate Timestamp `xml:"CreationDate"`
	BucketRegion string    `xml:"BucketRegion,omitempty"`
	BucketArn    string    `xml:"BucketArn,omitempty"`
}

// Buckets is the Buckets element; it is written even when empty, as S3 does
// for an account without buckets.
type Buckets []Bucket

// MarshalXML writes the wrapper and one Bucket element per bucket.
func (b Buckets) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	return encodeList(e, start, "Bucket", b)
}

// UnmarshalXML reads the Bucket children of the wrapper.
func (b *Buckets) UnmarshalXML(d *xml.Decoder, _ xml.StartElement) error {
	return decodeList(d, "Bucket", (*[]Bucket)(b))
}

// CreateBucketConfiguration is the optional CreateBucket request body.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html
type CreateBucketConfiguration struct {
	XMLName            xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ CreateBucketConfiguration"`
	LocationConstraint string   `xml:"LocationConstraint,omitempty"`
}

// LocationConstraint is the GetBucketLocation response. Its text is empty for
// buckets in us-east-1.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html
type LocationConstraint struct {
	XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ LocationConstraint"`
	Region  string   `xml:",chardata"`
}

// VersioningConfiguration is the PutBucketVersioning body and the
// GetBucketVersioning response; both elements are absent for a bucket that
// never had versioning enabled.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketVersioning.html
type VersioningConfiguration struct {
	XMLName   xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ VersioningConfiguration"`
	Status    string   `xml:"Status,omitempty"`
	MfaDelete string   `xml:"MfaDelete,omitempty"`
}

// Validate checks Status (Enabled or Suspended) and MfaDelete (Enabled or
// Disabled); S3 rejects other values as not matching its schema.
func (c *VersioningConfiguration) Validate() error {
	if !oneOf(c.Status, "", "Enabled", "Suspended") || !oneOf(c.MfaDelete, "", "Enabled", "Disabled") {
		return MalformedXML()
	}
	return nil
}

// RequestPaymentConfiguration is the PutBucketRequestPayment body and the
// GetBucketRequestPayment response.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketRequestPayment.html
type RequestPaymentConfiguration struct {
	XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ RequestPaymentConfiguration"`
	Payer   string   `xml:"Payer"`
}

// Validate checks that Payer is Requester or BucketOwner.
func (c *RequestPaymentConfiguration) Validate() error {
	if !oneOf(c.Payer, "Requester", "BucketOwner") {
		return MalformedXML()
	}
	return nil
}

// OwnershipControls is the PutBucketOwnershipControls body and the
// GetBucketOwnershipControls response.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_OwnershipControls.html
type OwnershipControls struct {
	XMLName xml.Name                `xml:"http://s3.amazonaws.com/doc/2006-03-01/ OwnershipControls"`
	Rules   []OwnershipControlsRule `xml:"Rule"`
}

// OwnershipControlsRule holds one Object Ownership setting.
type OwnershipControlsRule struct {
	ObjectOwnership string `xml:"ObjectOwnership"`
}

// Validate checks that there is exactly one rule and that its value is one of
// BucketOwnerPreferred, ObjectWriter or BucketOwnerEnforced.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_OwnershipControlsRule.html
func (c *OwnershipControls) Validate() error {
	if len(c.Rules) != 1 {
		return MalformedXML()
	}
	if !oneOf(c.Rules[0].ObjectOwnership, "BucketOwnerPreferred", "ObjectWriter", "BucketOwnerEnforced") {
		return MalformedXML()
	}
	return nil
}

// PublicAccessBlockConfiguration is the PutPublicAccessBlock body and the
// GetPublicAccessBlock response. An element left out of a request is false.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PublicAccessBlockConfiguration.html
type PublicAccessBlockConfiguration struct {
	XMLName               xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ PublicAccessBlockConfiguration"`
	BlockPublicAcls       bool     `xml:"BlockPublicAcls"`
	IgnorePublicAcls      bool     `xml:"IgnorePublicAcls"`
	BlockPublicPolicy     bool     `xml:"BlockPublicPolicy"`
	RestrictPublicBuckets bool     `xml:"RestrictPublicBuckets"`
}

// PolicyStatus is the GetBucketPolicyStatus response.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicyStatus.html
type PolicyStatus struct {
	XMLName  xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ PolicyStatus"`
	IsPublic bool     `xml:"IsPublic"`
}

// ServerSideEncryptionConfiguration is the PutBucketEncryption body and the
// GetBucketEncryption response.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ServerSideEncryptionConfiguration.html
type ServerSideEncryptionConfiguration struct {
	XMLName xml.Name                   `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ServerSideEncryptionConfiguration"`
	Rules   []ServerSideEncryptionRule `xml:"Rule"`
}

// ServerSideEncryptionRule is one default-encryption rule. S3 always writes
// BucketKeyEnabled in responses.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ServerSideEncryptionRule.html
type ServerSideEncryptionRule struct {
	ApplyServerSideEncryptionByDefault *ServerSideEncryptionByDefault `xml:"ApplyServerSideEncryptionByDefault,omitempty"`
	BucketKeyEnabled                   bool                           `xml:"BucketKeyEnabled"`
}

// ServerSideEncryptionByDefault names the algorithm and, for SSE-KMS, the key.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ServerSideEncryptionByDefault.html
type ServerSideEncryptionByDefault struct {
	SSEAlgorithm   string `xml:"SSEAlgorithm"`
	KMSMasterKeyID string `xml:"KMSMasterKeyID,omitempty"`
}

// Validate checks that there is at least one rule and that every algorithm is
// AES256, aws:kms or aws:kms:dsse, the values the schema allows.
func (c *ServerSideEncryptionConfiguration) Validate() error {
	if len(c.Rules) == 0 {
		return MalformedXML()
	}
	for _, r := range c.Rules {
		if d := r.ApplyServerSideEncryptionByDefault; d != nil && !oneOf(d.SSEAlgorithm, "AES256", "aws:kms", "aws:kms:dsse") {
			return MalformedXML()
		}
	}
	return nil
}

func oneOf(s string, allowed ...string) bool {
	for _, a := range allowed {
		if s == a {
			return true
		}
	}
	return false
}
