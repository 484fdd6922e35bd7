package s3xml

import (
	"reflect"
	"strings"
	"testing"

	"github.com/verdict-project/verdict/protocol/awserr"
)

func tags(n int) []Tag {
	out := make([]Tag, n)
	for i := range out {
		out[i] = Tag{Key: "k" + strings.Repeat("x", i), Value: "v"}
	}
	return out
}

func TestValidateTags(t *testing.T) {
	tests := []struct {
		name     string
		tags     []Tag
		bucket   bool
		code     string
		message  string
		fields   []awserr.Field
		okObject bool // the same set passes as object tags (only used when code == "")
	}{
		{name: "none", tags: nil},
		{name: "ten object tags", tags: tags(10)},
		{name: "eleven object tags", tags: tags(11), code: "BadRequest", message: "Object tags cannot be greater than 10"},
		{name: "fifty bucket tags", tags: tags(50), bucket: true},
		{name: "fifty-one bucket tags", tags: tags(51), bucket: true, code: "BadRequest", message: "Bucket tag count cannot be greater than 50"},
		{name: "allowed characters", tags: []Tag{{Key: "Ünïcode 名前 + - = . _ : / @ 42", Value: "\u00a0space"}}},
		{name: "empty value", tags: []Tag{{Key: "k", Value: ""}}},
		{name: "empty key", tags: []Tag{{Key: "", Value: "v"}}, code: "InvalidTag", message: "The TagKey you have provided is invalid"},
		{name: "key 128 runes", tags: []Tag{{Key: strings.Repeat("é", 128), Value: "v"}}},
		{name: "key 129", tags: []Tag{{Key: strings.Repeat("a", 129), Value: "v"}}, code: "InvalidTag", message: "The TagKey you have provided is invalid"},
		{name: "key bad char", tags: []Tag{{Key: "a&b", Value: "v"}}, code: "InvalidTag", message: "The TagKey you have provided is invalid"},
		{name: "key invalid utf-8", tags: []Tag{{Key: "a\xffb", Value: "v"}}, code: "InvalidTag", message: "The TagKey you have provided is invalid"},
		{name: "value 256", tags: []Tag{{Key: "k", Value: strings.Repeat("v", 256)}}},
		{name: "value 257", tags: []Tag{{Key: "k", Value: strings.Repeat("v", 257)}}, code: "InvalidTag",
			message: "The TagValue you have provided is invalid", fields: []awserr.Field{{Name: "TagKey", Value: "k"}, {Name: "TagValue", Value: strings.Repeat("v", 257)}}},
		{name: "value bad char", tags: []Tag{{Key: "k", Value: "inv&alid"}}, code: "InvalidTag",
			message: "The TagValue you have provided is invalid", fields: []awserr.Field{{Name: "TagKey", Value: "k"}, {Name: "TagValue", Value: "inv&alid"}}},
		{name: "duplicate key", tags: []Tag{{Key: "k", Value: "1"}, {Key: "k", Value: "2"}}, code: "InvalidTag",
			message: "Cannot provide multiple Tags with the same key", fields: []awserr.Field{{Name: "TagKey", Value: "k"}}},
		{name: "keys differ by case", tags: []Tag{{Key: "k", Value: "1"}, {Key: "K", Value: "2"}}},
		{name: "bad tag reported before count", tags: append(tags(11), Tag{Key: "", Value: ""}), code: "InvalidTag",
			message: "The TagKey you have provided is invalid"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			validate := ValidateObjectTags
			if tc.bucket {
				validate = ValidateBucketTags
			}
			err := validate(tc.tags)
			if tc.code == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			ae, ok := err.(*awserr.Error)
			if !ok {
				t.Fatalf("error = %v, want %s", err, tc.code)
			}
			if ae.Code != tc.code || ae.Message != tc.message || ae.Status != 400 {
				t.Errorf("got %s %d %q, want %s 400 %q", ae.Code, ae.Status, ae.Message, tc.code, tc.message)
			}
			if !reflect.DeepEqual(ae.Fields, tc.fields) {
				t.Errorf("fields = %v, want %v", ae.Fields, tc.fields)
			}
		})
	}
}

func TestParseTaggingHeader(t *testing.T) {
	tests := []struct {
		name string
		h    string
		want []Tag
		bad  bool
	}{
		{name: "empty", h: ""},
		{name: "two", h: "a=1&b=2", want: []Tag{{"a", "1"}, {"b", "2"}}},
		{name: "escapes", h: "k%20x=v+w&%C3%A9=%2B", want: []Tag{{"k x", "v w"}, {"é", "+"}}},
		{name: "no value", h: "a", want: []Tag{{"a", ""}}},
		{name: "empty pairs skipped", h: "&a=1&&", want: []Tag{{"a", "1"}}},
		{name: "duplicate", h: "a=&a=", bad: true},
		{name: "bad escape", h: "a=%zz", bad: true},
		{name: "invalid utf-8", h: "a=%ff", bad: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseTaggingHeader(tc.h)
			if tc.bad {
				if awserr.Code(err) != "InvalidArgument" {
					t.Fatalf("error = %v, want InvalidArgument", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}
