package kmsapi

import (
	"slices"
	"strings"

	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awsjson"
)

// checkTags applies KMS's tag rules: key 1-128 characters, value up to 256,
// no aws: prefix, at most 50 tags.
// https://docs.aws.amazon.com/kms/latest/developerguide/tagging-keys.html
func checkTags(in []tag) ([]model.Tag, error) {
	out := make([]model.Tag, 0, len(in))
	for _, t := range in {
		if t.TagKey == "" || len(t.TagKey) > 128 || len(t.TagValue) > 256 {
			return nil, kmsErr("TagException", "Tag keys must be 1 to 128 characters and tag values at most 256 characters.")
		}
		if strings.HasPrefix(strings.ToLower(t.TagKey), "aws:") {
			return nil, kmsErr("TagException", "Tags beginning with aws: are reserved.")
		}
		out = append(out, model.Tag{Key: t.TagKey, Value: t.TagValue})
	}
	return out, nil
}

func mergeTags(have, add []model.Tag) ([]model.Tag, error) {
	for _, t := range add {
		if i := slices.IndexFunc(have, func(h model.Tag) bool { return h.Key == t.Key }); i >= 0 {
			have[i].Value = t.Value
		} else {
			have = append(have, t)
		}
	}
	if len(have) > 50 {
		return nil, kmsErr("LimitExceededException", "Tag limit exceeded")
	}
	return have, nil
}

func (s *Service) tagResource(r *request) (any, error) {
	var in struct {
		KeyId string `json:"KeyId"`
		Tags  []tag  `json:"Tags"`
	}
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	if in.Tags == nil {
		return nil, awsjson.ValidationException(awsjson.NotNull("tags"))
	}
	tags, err := checkTags(in.Tags)
	if err != nil {
		return nil, err
	}
	k, err := s.key(r, in.KeyId, "kms:TagResource", false)
	if err != nil {
		return nil, err
	}
	if k.Manager == "AWS" {
		return nil, errUnsupported(keyARN(k) + " is an AWS managed key.")
	}
	_, err = s.mutate(r, k.ID, func(k *model.KMSKey) error {
		var err error
		k.Tags, err = mergeTags(k.Tags, tags)
		return err
	})
	return struct{}{}, err
}

func (s *Service) untagResource(r *request) (any, error) {
	var in struct {
		KeyId   string   `json:"KeyId"`
		TagKeys []string `json:"TagKeys"`
	}
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	if in.TagKeys == nil {
		return nil, awsjson.ValidationException(awsjson.NotNull("tagKeys"))
	}
	k, err := s.key(r, in.KeyId, "kms:UntagResource", false)
	if err != nil {
		return nil, err
	}
	_, err = s.mutate(r, k.ID, func(k *model.KMSKey) error {
		k.Tags = slices.DeleteFunc(k.Tags, func(t model.Tag) bool { return slices.Contains(in.TagKeys, t.Key) })
		return nil
	})
	return struct{}{}, err
}

func (s *Service) listResourceTags(r *request) (any, error) {
	var in struct {
		KeyId  string `json:"KeyId"`
		Limit  int    `json:"Limit"`
		Marker string `json:"Marker"`
	}
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	k, err := s.key(r, in.KeyId, "kms:ListResourceTags", false)
	if err != nil {
		return nil, err
	}
	out := make([]tag, 0, len(k.Tags))
	for _, t := range k.Tags {
		out = append(out, tag{t.Key, t.Value})
	}
	lo, hi, next, err := page(len(out), in.Limit, in.Marker)
	if err != nil {
		return nil, err
	}
	return struct {
		Tags       []tag  `json:"Tags"`
		NextMarker string `json:"NextMarker,omitempty"`
		Truncated  bool   `json:"Truncated"`
	}{out[lo:hi], next, next != ""}, nil
}
