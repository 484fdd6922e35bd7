package s3xml

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/verdict-project/verdict/protocol/awserr"
)

// Tag limits for S3 resources.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-tagging.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/tagging-managing.html
const (
	MaxObjectTags  = 10
	MaxBucketTags  = 50
	MaxTagKeyLen   = 128
	MaxTagValueLen = 256
)

// Tagging is the Put/GetObjectTagging and Put/GetBucketTagging body.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_Tagging.html
type Tagging struct {
	XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ Tagging"`
	TagSet  TagSet   `xml:"TagSet"`
}

// TagSet is the list of tags; S3 writes <TagSet></TagSet> for an object
// without tags.
type TagSet []Tag

// MarshalXML writes the wrapper and one Tag element per tag.
func (s TagSet) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	return encodeList(e, start, "Tag", s)
}

// UnmarshalXML reads the Tag children of the wrapper.
func (s *TagSet) UnmarshalXML(d *xml.Decoder, _ xml.StartElement) error {
	return decodeList(d, "Tag", (*[]Tag)(s))
}

// Tag is one key-value pair.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_Tag.html
type Tag struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

// ValidateObjectTags applies S3's rules for an object's tag set.
func ValidateObjectTags(tags []Tag) error {
	return validateTags(tags, MaxObjectTags, "Object tags cannot be greater than 10")
}

// ValidateBucketTags applies S3's rules for a bucket's tag set. Whether keys
// starting with "aws:" may be changed depends on the bucket's current tags and
// is left to the caller.
func ValidateBucketTags(tags []Tag) error {
	return validateTags(tags, MaxBucketTags, "Bucket tag count cannot be greater than 50")
}

// validateTags checks each tag in order, then the count, which is the order in
// which S3 reports problems: a set with both a bad tag and too many tags fails
// on the bad tag. Codes and messages are S3's:
//   - InvalidTag "The TagKey you have provided is invalid" for an empty key, one
//     over 128 characters, or one with a character outside the tag alphabet;
//   - InvalidTag "The TagValue you have provided is invalid" (with TagKey and
//     TagValue elements) for a value over 256 characters or with such a
//     character;
//   - InvalidTag "Cannot provide multiple Tags with the same key" (with TagKey);
//   - BadRequest with tooMany for more than limit tags.
//
// Lengths count Unicode characters. The alphabet is letters, numbers, spaces
// and + - = . _ : / @, per
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-tagging.html.
func validateTags(tags []Tag, limit int, tooMany string) error {
	seen := make(map[string]bool, len(tags))
	for _, t := range tags {
		if n := utf8.RuneCountInString(t.Key); n == 0 || n > MaxTagKeyLen || !tagText(t.Key) {
			return awserr.New("InvalidTag", http.StatusBadRequest, "The TagKey you have provided is invalid")
		}
		if utf8.RuneCountInString(t.Value) > MaxTagValueLen || !tagText(t.Value) {
			return awserr.New("InvalidTag", http.StatusBadRequest, "The TagValue you have provided is invalid").
				With("TagKey", t.Key).With("TagValue", t.Value)
		}
		if seen[t.Key] {
			return awserr.New("InvalidTag", http.StatusBadRequest, "Cannot provide multiple Tags with the same key").
				With("TagKey", t.Key)
		}
		seen[t.Key] = true
	}
	if len(tags) > limit {
		return awserr.New("BadRequest", http.StatusBadRequest, tooMany)
	}
	return nil
}

// tagText reports whether s is valid UTF-8 made only of tag characters.
func tagText(s string) bool {
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			return false
		case unicode.IsLetter(r), unicode.IsNumber(r), unicode.Is(unicode.Z, r):
		case r == '+', r == '-', r == '=', r == '.', r == '_', r == ':', r == '/', r == '@':
		default:
			return false
		}
	}
	return true
}

// ParseTaggingHeader reads the x-amz-tagging header of PutObject,
// CreateMultipartUpload and CopyObject: URL query syntax, UTF-8, no repeated
// key. A malformed header or a repeated key is S3's InvalidArgument with the
// header's wording; the tags are not otherwise validated (use
// ValidateObjectTags).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html#AmazonS3-PutObject-request-header-Tagging
func ParseTaggingHeader(h string) ([]Tag, error) {
	bad := awserr.InvalidArgument("The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.")
	if h == "" {
		return nil, nil
	}
	var tags []Tag
	seen := map[string]bool{}
	for h != "" {
		var pair string
		pair, h, _ = strings.Cut(h, "&")
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		key, err1 := url.QueryUnescape(k)
		val, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil || !utf8.ValidString(key) || !utf8.ValidString(val) || seen[key] {
			return nil, bad
		}
		seen[key] = true
		tags = append(tags, Tag{Key: key, Value: val})
	}
	return tags, nil
}
