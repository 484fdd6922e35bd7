package s3api

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"strings"

	"github.com/verdict-project/verdict/engine/condition"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/protocol/s3xml"
)

// This file holds what PutObjectTagging and PutBucketTagging share: reading
// a Tagging body and checking a tag set with S3's codes and messages, as
// S3 returns them (recorded against AWS by LocalStack's validated snapshot
// test test_tagging_validation).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectTagging.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketTagging.html

// taggingShape mirrors a Tagging body with pointers, to tell a missing Key,
// Value or TagSet element (which S3 refuses as MalformedXML) from an empty
// one (an empty Value is a valid tag, an empty TagSet a valid set).
type taggingShape struct {
	TagSet *struct {
		Tags []struct {
			Key   *string `xml:"Key"`
			Value *string `xml:"Value"`
		} `xml:"Tag"`
	} `xml:"TagSet"`
}

// decodeTagging reads a Tagging body: well-formed, with a TagSet whose
// every Tag has a Key and a Value element.
func decodeTagging(body []byte) ([]s3xml.Tag, error) {
	var t s3xml.Tagging
	if err := decodeConfig(body, &t); err != nil {
		return nil, err
	}
	var shape taggingShape
	if err := xml.NewDecoder(bytes.NewReader(body)).Decode(&shape); err != nil || shape.TagSet == nil {
		return nil, s3xml.MalformedXML()
	}
	for _, tg := range shape.TagSet.Tags {
		if tg.Key == nil || tg.Value == nil {
			return nil, s3xml.MalformedXML()
		}
	}
	return t.TagSet, nil
}

// tagKind is what a tag set is for: objects and buckets differ in their
// limit and in how they refuse keys starting with "aws:".
type tagKind struct {
	validate func([]s3xml.Tag) error
	// system returns the error for an aws: key, or nil when the key is
	// acceptable.
	system func(t s3xml.Tag) *awserr.Error
}

// objectTags are checked with S3's object rules: at most 10 tags, and no
// key starting with "aws:".
var objectTags = tagKind{
	validate: s3xml.ValidateObjectTags,
	system: func(t s3xml.Tag) *awserr.Error {
		if strings.HasPrefix(strings.ToLower(t.Key), "aws:") {
			return awserr.New("InvalidTag", http.StatusBadRequest, "Your TagKey cannot be prefixed with aws:").With("TagKey", t.Key)
		}
		return nil
	},
}

// bucketTags returns the bucket rules: at most 50 tags, and aws: tags
// (system tags, such as CloudFormation's) only as the bucket already has
// them.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/CostAllocTagging.html
func bucketTags(current []model.Tag) tagKind {
	return tagKind{
		validate: s3xml.ValidateBucketTags,
		system: func(t s3xml.Tag) *awserr.Error {
			if !strings.HasPrefix(strings.ToLower(t.Key), "aws:") {
				return nil
			}
			for _, c := range current {
				if c.Key == t.Key && c.Value == t.Value {
					return nil
				}
			}
			return awserr.New("InvalidTag", http.StatusBadRequest, "System tags cannot be added/updated by requester").With("TagKey", t.Key)
		},
	}
}

// check validates a tag set tag by tag, in order, then its size. An
// invalid key is reported with its TagKey, as S3 does.
func (k tagKind) check(tags []s3xml.Tag) error {
	seen := make(map[string]bool, len(tags))
	for _, t := range tags {
		if err := k.validate([]s3xml.Tag{t}); err != nil {
			e := awserr.As(err)
			if e.Code == "InvalidTag" && len(e.Fields) == 0 {
				e = e.With("TagKey", t.Key)
			}
			return e
		}
		if seen[t.Key] {
			return awserr.New("InvalidTag", http.StatusBadRequest, "Cannot provide multiple Tags with the same key").With("TagKey", t.Key)
		}
		seen[t.Key] = true
		if e := k.system(t); e != nil {
			return e
		}
	}
	return k.validate(tags)
}

// modelTags converts a tag set for storage (nil when empty).
func modelTags(tags []s3xml.Tag) []model.Tag {
	if len(tags) == 0 {
		return nil
	}
	out := make([]model.Tag, len(tags))
	for i, t := range tags {
		out[i] = model.Tag{Key: t.Key, Value: t.Value}
	}
	return out
}

// xmlTags converts stored tags for a response (never nil: S3 writes an
// empty TagSet).
func xmlTags(tags []model.Tag) s3xml.TagSet {
	out := make(s3xml.TagSet, len(tags))
	for i, t := range tags {
		out[i] = s3xml.Tag{Key: t.Key, Value: t.Value}
	}
	return out
}

// requestTagContext adds the s3:RequestObjectTag/<key> and
// s3:RequestObjectTagKeys condition keys of the tags a request sets.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/tagging-and-policies.html
func requestTagContext(tags []s3xml.Tag, ctx condition.Map) {
	for _, t := range tags {
		k := "s3:requestobjecttag/" + strings.ToLower(t.Key)
		ctx[k] = append(ctx[k], t.Value)
		ctx["s3:requestobjecttagkeys"] = append(ctx["s3:requestobjecttagkeys"], t.Key)
	}
}
