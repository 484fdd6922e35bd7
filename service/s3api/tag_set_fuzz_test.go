package s3api

import (
	"net/http"
	"testing"

	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/protocol/s3xml"
)

// FuzzTaggingBody feeds arbitrary bodies to the Tagging reader and the
// object and bucket tag rules: a body is refused with a typed 400, or its
// tags, once accepted, render and read back unchanged.
func FuzzTaggingBody(f *testing.F) {
	f.Add(taggingBody("tag1=tag1", "tag2="))
	f.Add(taggingBody("Key1=Val1", "Key1=Val2"))
	f.Add(taggingBody("aws:x=y"))
	f.Add(taggingBody("=v", "k"))
	f.Add([]byte(`<Tagging><TagSet/></Tagging>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		tags, err := decodeTagging(body)
		if err != nil {
			if e := awserr.As(err); e.Status != http.StatusBadRequest {
				t.Fatalf("error %v", err)
			}
			return
		}
		for _, kind := range []tagKind{objectTags, bucketTags(nil)} {
			if err := kind.check(tags); err != nil {
				if e := awserr.As(err); e.Status != http.StatusBadRequest {
					t.Fatalf("error %v", err)
				}
				continue
			}
			out, err := s3xml.Marshal(&s3xml.Tagging{TagSet: xmlTags(modelTags(tags))})
			if err != nil {
				t.Fatal(err)
			}
			back, err := decodeTagging(out)
			if err != nil || len(back) != len(tags) {
				t.Fatalf("round trip: %v, %v\n%s", back, err, out)
			}
			for i := range back {
				if back[i] != tags[i] {
					t.Fatalf("tag %d: %+v became %+v", i, tags[i], back[i])
				}
			}
		}
	})
}
