package s3api

import (
	"strings"

	"github.com/verdict-project/verdict/engine/condition"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/s3xml"
)

// requestTags reads x-amz-tagging (PutObject, CreateMultipartUpload,
// CopyObject with TaggingDirective REPLACE), validates the tag set and adds
// the s3:RequestObjectTag/<key> and s3:RequestObjectTagKeys condition keys
// to ctx.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/tagging-and-policies.html
func requestTags(h string, ctx condition.Map) ([]model.Tag, error) {
	if h == "" {
		return nil, nil
	}
	list, err := s3xml.ParseTaggingHeader(h)
	if err != nil {
		return nil, err
	}
	if err := s3xml.ValidateObjectTags(list); err != nil {
		return nil, err
	}
	tags := make([]model.Tag, 0, len(list))
	for _, t := range list {
		tags = append(tags, model.Tag{Key: t.Key, Value: t.Value})
		k := "s3:requestobjecttag/" + strings.ToLower(t.Key)
		ctx[k] = append(ctx[k], t.Value)
		ctx["s3:requestobjecttagkeys"] = append(ctx["s3:requestobjecttagkeys"], t.Key)
	}
	return tags, nil
}
