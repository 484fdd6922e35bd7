package s3xml

import (
	"encoding/xml"

	"github.com/verdict-project/verdict/protocol/awserr"
)

// Lifecycle limits.
const (
	// MaxLifecycleRules: "An Amazon S3 Lifecycle configuration can have up
	// to 1,000 rules."
	// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html
	MaxLifecycleRules = 1000
	// MaxLifecycleRuleID is the longest rule ID: "The value cannot be
	// longer than 255 characters."
	// https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleRule.html
	MaxLifecycleRuleID = 255
	// MaxLifecycleBody bounds a lifecycle body. S3 documents no size, only
	// the rule count; 1,000 rules of a few hundred bytes fit in 1 MiB.
	MaxLifecycleBody = 1 << 20
)

// LifecycleConfiguration is the PutBucketLifecycleConfiguration body and the
// GetBucketLifecycleConfiguration response.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleConfiguration.html
type LifecycleConfiguration struct {
	XMLName xml.Name        `xml:"http://s3.amazonaws.com/doc/2006-03-01/ LifecycleConfiguration"`
	Rules   []LifecycleRule `xml:"Rule"`
}

// LifecycleRule is one rule, in the order of S3's example responses (ID,
// Filter, Status, then the actions).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleRule.html
type LifecycleRule struct {
	ID string `xml:"ID,omitempty"`
	// Prefix is the deprecated rule-level prefix, kept when sent.
	Prefix                         *string                         `xml:"Prefix"`
	Filter                         *LifecycleRuleFilter            `xml:"Filter"`
	Status                         string                          `xml:"Status"`
	Transitions                    []Transition                    `xml:"Transition"`
	Expiration                     *LifecycleExpiration            `xml:"Expiration"`
	NoncurrentVersionTransitions   []NoncurrentVersionTransition   `xml:"NoncurrentVersionTransition"`
	NoncurrentVersionExpiration    *NoncurrentVersionExpiration    `xml:"NoncurrentVersionExpiration"`
	AbortIncompleteMultipartUpload *AbortIncompleteMultipartUpload `xml:"AbortIncompleteMultipartUpload"`
}

// LifecycleRuleFilter picks the objects a rule applies to; an empty filter
// picks every object.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleRuleFilter.html
type LifecycleRuleFilter struct {
	Prefix                *string                   `xml:"Prefix"`
	Tag                   *Tag                      `xml:"Tag"`
	ObjectSizeGreaterThan *int64                    `xml:"ObjectSizeGreaterThan"`
	ObjectSizeLessThan    *int64                    `xml:"ObjectSizeLessThan"`
	And                   *LifecycleRuleAndOperator `xml:"And"`
}

// LifecycleRuleAndOperator combines several filter conditions.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleRuleAndOperator.html
type LifecycleRuleAndOperator struct {
	Prefix                *string `xml:"Prefix"`
	Tags                  []Tag   `xml:"Tag"`
	ObjectSizeGreaterThan *int64  `xml:"ObjectSizeGreaterThan"`
	ObjectSizeLessThan    *int64  `xml:"ObjectSizeLessThan"`
}

// LifecycleExpiration says when current objects expire.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleExpiration.html
type LifecycleExpiration struct {
	Date                      *Timestamp `xml:"Date"`
	Days                      *int       `xml:"Days"`
	ExpiredObjectDeleteMarker *bool      `xml:"ExpiredObjectDeleteMarker"`
}

// Transition moves current objects to another storage class.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_Transition.html
type Transition struct {
	Date         *Timestamp `xml:"Date"`
	Days         *int       `xml:"Days"`
	StorageClass string     `xml:"StorageClass"`
}

// NoncurrentVersionTransition moves noncurrent versions.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_NoncurrentVersionTransition.html
type NoncurrentVersionTransition struct {
	NoncurrentDays          *int   `xml:"NoncurrentDays"`
	StorageClass            string `xml:"StorageClass"`
	NewerNoncurrentVersions *int   `xml:"NewerNoncurrentVersions"`
}

// NoncurrentVersionExpiration deletes noncurrent versions.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_NoncurrentVersionExpiration.html
type NoncurrentVersionExpiration struct {
	NoncurrentDays          *int `xml:"NoncurrentDays"`
	NewerNoncurrentVersions *int `xml:"NewerNoncurrentVersions"`
}

// AbortIncompleteMultipartUpload aborts uploads left incomplete.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_AbortIncompleteMultipartUpload.html
type AbortIncompleteMultipartUpload struct {
	DaysAfterInitiation *int `xml:"DaysAfterInitiation"`
}

// transitionClasses are the storage classes of Transition and
// NoncurrentVersionTransition.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_Transition.html
var transitionClasses = []string{"GLACIER", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "DEEP_ARCHIVE", "GLACIER_IR"}

// Validate applies S3's rules to a lifecycle configuration. Schema
// violations are MalformedXML: no rule or more than MaxLifecycleRules
// (API_PutBucketLifecycleConfiguration), a Status other than Enabled or
// Disabled, a rule with both a rule-level Prefix and a Filter or with
// neither ("Filter is required if the LifecycleRule does not contain a
// Prefix element", API_LifecycleRule), a Filter with more than one
// condition ("exactly one of Prefix, Tag, ObjectSizeGreaterThan,
// ObjectSizeLessThan, or And", API_LifecycleRuleFilter), an Expiration
// without exactly one of Date, Days and ExpiredObjectDeleteMarker
// (API_LifecycleExpiration), a transition without exactly one of Date and
// Days or with an unknown StorageClass (API_Transition), and an action
// without its required number of days. The other errors, with S3's
// messages as recorded against AWS by the emulators' tests, are listed on
// the checks below.
func (c *LifecycleConfiguration) Validate() error {
	if len(c.Rules) == 0 || len(c.Rules) > MaxLifecycleRules {
		return MalformedXML()
	}
	ids := make(map[string]bool, len(c.Rules))
	for i := range c.Rules {
		r := &c.Rules[i]
		// https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleRule.html (ID: at most 255 characters)
		if len(r.ID) > MaxLifecycleRuleID {
			return awserr.InvalidArgument("ID length should not exceed allowed limit of 255")
		}
		// Rule IDs name rules; S3 refuses two with the same one.
		if r.ID != "" {
			if ids[r.ID] {
				return awserr.InvalidArgument("Rule ID must be unique. Found same ID for more than one rule")
			}
			ids[r.ID] = true
		}
		if err := r.validate(); err != nil {
			return err
		}
	}
	return nil
}

func (r *LifecycleRule) validate() error {
	if !oneOf(r.Status, "Enabled", "Disabled") || (r.Prefix != nil) == (r.Filter != nil) {
		return MalformedXML()
	}
	if r.Filter != nil && !r.Filter.valid() {
		return MalformedXML()
	}
	// https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleRule.html:
	// a rule holds at least one action.
	if r.Expiration == nil && len(r.Transitions) == 0 && len(r.NoncurrentVersionTransitions) == 0 &&
		r.NoncurrentVersionExpiration == nil && r.AbortIncompleteMultipartUpload == nil {
		return awserr.InvalidRequest("At least one action needs to be specified in a rule")
	}
	if e := r.Expiration; e != nil {
		n := 0
		for _, set := range []bool{e.Date != nil, e.Days != nil, e.ExpiredObjectDeleteMarker != nil} {
			if set {
				n++
			}
		}
		if n != 1 {
			return MalformedXML()
		}
		if e.Days != nil && *e.Days <= 0 {
			return awserr.InvalidArgument("'Days' for Expiration action must be a positive integer")
		}
		if e.Date != nil && !midnight(*e.Date) {
			return awserr.InvalidArgument("'Date' must be at midnight GMT")
		}
	}
	for _, t := range r.Transitions {
		if (t.Date != nil) == (t.Days != nil) || !oneOf(t.StorageClass, transitionClasses...) {
			return MalformedXML()
		}
		if t.Date != nil && !midnight(*t.Date) {
			return awserr.InvalidArgument("'Date' must be at midnight GMT")
		}
		if t.Days != nil {
			if *t.Days < 0 {
				return MalformedXML()
			}
			// Objects must stay 30 days in S3 Standard before moving to
			// S3 Standard-IA or S3 One Zone-IA.
			// https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html
			if *t.Days < 30 && oneOf(t.StorageClass, "STANDARD_IA", "ONEZONE_IA") {
				return awserr.InvalidArgument("'Days' in Transition action must be greater than or equal to 30 for storageClass '" +
					t.StorageClass + "'")
			}
		}
	}
	for _, t := range r.NoncurrentVersionTransitions {
		if t.NoncurrentDays == nil || !oneOf(t.StorageClass, transitionClasses...) {
			return MalformedXML()
		}
		if *t.NoncurrentDays < 0 || (t.NewerNoncurrentVersions != nil && *t.NewerNoncurrentVersions <= 0) {
			return MalformedXML()
		}
	}
	if e := r.NoncurrentVersionExpiration; e != nil {
		if e.NoncurrentDays == nil {
			return MalformedXML()
		}
		if *e.NoncurrentDays <= 0 {
			return awserr.InvalidArgument("'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer")
		}
		if e.NewerNoncurrentVersions != nil && *e.NewerNoncurrentVersions <= 0 {
			return MalformedXML()
		}
	}
	if a := r.AbortIncompleteMultipartUpload; a != nil {
		if a.DaysAfterInitiation == nil {
			return MalformedXML()
		}
		if *a.DaysAfterInitiation <= 0 {
			return awserr.InvalidArgument("'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer")
		}
	}
	return nil
}

// valid reports whether the filter holds at most one condition; an And
// holds two or more.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleRuleFilter.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleRuleAndOperator.html
func (f *LifecycleRuleFilter) valid() bool {
	n := 0
	for _, set := range []bool{f.Prefix != nil, f.Tag != nil, f.ObjectSizeGreaterThan != nil, f.ObjectSizeLessThan != nil, f.And != nil} {
		if set {
			n++
		}
	}
	if n > 1 {
		return false
	}
	if a := f.And; a != nil {
		m := len(a.Tags)
		for _, set := range []bool{a.Prefix != nil, a.ObjectSizeGreaterThan != nil, a.ObjectSizeLessThan != nil} {
			if set {
				m++
			}
		}
		if m < 2 {
			return false
		}
	}
	return true
}

// midnight reports whether t is at midnight UTC: lifecycle dates are days.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleExpiration.html
// ("The date value must conform to the ISO 8601 format. The time is always midnight UTC.")
func midnight(t Timestamp) bool {
	u := t.UTC()
	return u.Hour() == 0 && u.Minute() == 0 && u.Second() == 0 && u.Nanosecond() == 0
}

// TransitionMinimumSizes are the values of the
// x-amz-transition-default-minimum-object-size header, the first being the
// default S3 applies when the request has none.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html
var TransitionMinimumSizes = []string{"all_storage_classes_128K", "varies_by_storage_class"}

// ValidTransitionMinimumSize reports whether v is a value of the
// x-amz-transition-default-minimum-object-size header.
func ValidTransitionMinimumSize(v string) bool { return oneOf(v, TransitionMinimumSizes...) }
