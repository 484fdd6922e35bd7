package s3api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/verdict-project/verdict/model"
)

// taggingBody returns a Tagging body; each tag is "key=value", "key" (no
// Value element) or "=value" (no Key element).
func taggingBody(tags ...string) []byte {
	var b strings.Builder
	b.WriteString(`<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet>`)
	for _, t := range tags {
		b.WriteString("<Tag>")
		k, v, hasValue := strings.Cut(t, "=")
		if k != "" || !hasValue {
			b.WriteString("<Key>" + k + "</Key>")
		}
		if hasValue {
			b.WriteString("<Value>" + v + "</Value>")
		}
		b.WriteString("</Tag>")
	}
	b.WriteString(`</TagSet></Tagging>`)
	return []byte(b.String())
}

func manyTags(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("k%d=v", i)
	}
	return out
}

// tagErrorCases are the refusals both tagging operations share, with S3's
// elements.
var tagErrorCases = []struct {
	name             string
	body             []byte
	code, msg        string
	tagKey, tagValue string
}{
	{"duplicate keys", taggingBody("Key1=Val1", "Key1=Val1"), "InvalidTag", "Cannot provide multiple Tags with the same key", "Key1", ""},
	{"invalid key", taggingBody("Key1,Key2=Val1"), "InvalidTag", "The TagKey you have provided is invalid", "Key1,Key2", ""},
	{"empty key", []byte(`<Tagging><TagSet><Tag><Key></Key><Value>v</Value></Tag></TagSet></Tagging>`), "InvalidTag", "The TagKey you have provided is invalid", "", ""},
	{"no Key element", taggingBody("=Val1"), "MalformedXML", "", "", ""},
	{"invalid value", taggingBody("Key1=Val1,Val2"), "InvalidTag", "The TagValue you have provided is invalid", "Key1", "Val1,Val2"},
	{"no Value element", taggingBody("key1"), "MalformedXML", "", "", ""},
	{"no TagSet", []byte(`<Tagging/>`), "MalformedXML", "", "", ""},
	{"not XML", []byte(`tags`), "MalformedXML", "", "", ""},
}

// TestObjectTagging: Put, Get and Delete of an object's tags, and the
// refusals.
func TestObjectTagging(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket(acctA, "otag-a")
	e.put(acctA, "otag-a", "k", "data")
	ctx := context.Background()
	c := e.client(acctA)
	get := func() []types.Tag {
		t.Helper()
		out, err := c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("otag-a"), Key: aws.String("k")})
		if err != nil {
			t.Fatal(err)
		}
		return out.TagSet
	}
	if tags := get(); len(tags) != 0 {
		t.Fatalf("new object has tags %v", tags)
	}
	if r := e.do(acctA, http.MethodGet, "/otag-a/k?tagging", nil, nil); !strings.Contains(r.body, "<TagSet></TagSet>") {
		t.Errorf("empty tag set body: %s", r.body)
	}
	_, err := c.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String("otag-a"), Key: aws.String("k"),
		Tagging: &types.Tagging{TagSet: []types.Tag{{Key: aws.String("tag1"), Value: aws.String("tag1")}, {Key: aws.String("tag2"), Value: aws.String("")}}}})
	if err != nil {
		t.Fatal(err)
	}
	if tags := get(); len(tags) != 2 || aws.ToString(tags[1].Key) != "tag2" || aws.ToString(tags[1].Value) != "" {
		t.Fatalf("tags %v", tags)
	}
	r := e.do(acctA, http.MethodGet, "/otag-a/k?tagging", nil, nil)
	golden(t, "get_object_tagging", r.body)

	for _, tt := range tagErrorCases {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(acctA, http.MethodPut, "/otag-a/k?tagging", nil, tt.body)
			checkTagError(t, r, tt.code, tt.msg, tt.tagKey, tt.tagValue)
		})
	}
	tests := []struct {
		name       string
		body       []byte
		code, msg  string
		tagKey     string
		wantStatus int
	}{
		{"aws prefix", taggingBody("aws:prefixed=Val1"), "InvalidTag", "Your TagKey cannot be prefixed with aws:", "aws:prefixed", 400},
		{"eleven tags", taggingBody(manyTags(11)...), "BadRequest", "Object tags cannot be greater than 10", "", 400},
		{"ten tags", taggingBody(manyTags(10)...), "", "", "", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(acctA, http.MethodPut, "/otag-a/k?tagging", nil, tt.body)
			if tt.code == "" {
				expectStatus(t, r, tt.wantStatus, "")
				return
			}
			checkTagError(t, r, tt.code, tt.msg, tt.tagKey, "")
		})
	}
	if tags := get(); len(tags) != 10 {
		t.Errorf("%d tags after the refusals, want the 10 set last", len(tags))
	}
	expectStatus(t, e.do(acctA, http.MethodDelete, "/otag-a/k?tagging", nil, nil), 204, "")
	if tags := get(); len(tags) != 0 {
		t.Errorf("tags after delete %v", tags)
	}
	// An empty tag set is accepted.
	expectStatus(t, e.do(acctA, http.MethodPut, "/otag-a/k?tagging", nil, taggingBody()), 200, "")

	// Missing keys: S3 names bucket/key in the Key element of GET's error.
	r = e.do(acctA, http.MethodGet, "/otag-a/fake-key?tagging", nil, nil)
	expectStatus(t, r, 404, "NoSuchKey")
	if element(r.body, "Key") != "otag-a/fake-key" {
		t.Errorf("GET NoSuchKey Key %q", element(r.body, "Key"))
	}
	for _, m := range []string{http.MethodPut, http.MethodDelete} {
		r = e.do(acctA, m, "/otag-a/fake-key?tagging", nil, taggingBody())
		expectStatus(t, r, 404, "NoSuchKey")
		if element(r.body, "Key") != "fake-key" {
			t.Errorf("%s NoSuchKey Key %q", m, element(r.body, "Key"))
		}
	}
	expectStatus(t, e.do(acctA, http.MethodPut, "/no-such-otag/k?tagging", nil, taggingBody()), 404, "NoSuchBucket")
	expectStatus(t, e.do(acctA, http.MethodGet, "/otag-a/k?tagging&versionId=null", nil, nil), 200, "")
	expectStatus(t, e.do(acctA, http.MethodGet, "/otag-a/k?tagging&versionId=abc", nil, nil), 400, "InvalidArgument")
	for _, m := range []string{http.MethodGet, http.MethodPut, http.MethodDelete} {
		expectStatus(t, e.do(acctB, m, "/otag-a/k?tagging", nil, taggingBody("a=b")), 403, "AccessDenied")
	}
}

// checkTagError checks a tagging refusal's code, message and elements.
func checkTagError(t *testing.T, r rawResponse, code, msg, tagKey, tagValue string) {
	t.Helper()
	expectStatus(t, r, 400, code)
	if msg != "" && element(r.body, "Message") != msg {
		t.Errorf("message %q, want %q", element(r.body, "Message"), msg)
	}
	if element(r.body, "TagKey") != tagKey || element(r.body, "TagValue") != tagValue {
		t.Errorf("TagKey %q TagValue %q, want %q %q", element(r.body, "TagKey"), element(r.body, "TagValue"), tagKey, tagValue)
	}
}

// TestBucketTagging: Put (204), Get, Delete, NoSuchTagSet, and the bucket
// rules (50 tags, no new aws: tags).
func TestBucketTagging(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket(acctA, "btag-a")
	get := func() rawResponse { return e.do(acctA, http.MethodGet, "/btag-a?tagging", nil, nil) }
	r := get()
	expectStatus(t, r, 404, "NoSuchTagSet")
	if element(r.body, "Message") != "The TagSet does not exist" || element(r.body, "BucketName") != "btag-a" {
		t.Errorf("body %s", r.body)
	}
	expectStatus(t, e.do(acctA, http.MethodPut, "/btag-a?tagging", nil, taggingBody("tag1=tag1", "tag2=")), 204, "")
	out, err := e.client(acctA).GetBucketTagging(context.Background(), &s3.GetBucketTaggingInput{Bucket: aws.String("btag-a")})
	if err != nil || len(out.TagSet) != 2 || aws.ToString(out.TagSet[0].Key) != "tag1" {
		t.Fatalf("tags %v, %v", out, err)
	}
	for _, tt := range tagErrorCases {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(acctA, http.MethodPut, "/btag-a?tagging", nil, tt.body)
			checkTagError(t, r, tt.code, tt.msg, tt.tagKey, tt.tagValue)
		})
	}
	r = e.do(acctA, http.MethodPut, "/btag-a?tagging", nil, taggingBody("aws:prefixed=Val1"))
	checkTagError(t, r, "InvalidTag", "System tags cannot be added/updated by requester", "aws:prefixed", "")
	checkTagError(t, e.do(acctA, http.MethodPut, "/btag-a?tagging", nil, taggingBody(manyTags(51)...)), "BadRequest", "Bucket tag count cannot be greater than 50", "", "")
	expectStatus(t, e.do(acctA, http.MethodPut, "/btag-a?tagging", nil, taggingBody(manyTags(50)...)), 204, "")
	// A system tag the bucket already has may be sent back unchanged.
	e.setBucket("btag-a", func(b *model.Bucket) { b.Tags = []model.Tag{{Key: "aws:cloudformation:stack-name", Value: "s"}} })
	expectStatus(t, e.do(acctA, http.MethodPut, "/btag-a?tagging", nil, taggingBody("aws:cloudformation:stack-name=s", "x=y")), 204, "")
	checkTagError(t, e.do(acctA, http.MethodPut, "/btag-a?tagging", nil, taggingBody("aws:cloudformation:stack-name=t")),
		"InvalidTag", "System tags cannot be added/updated by requester", "aws:cloudformation:stack-name", "")

	expectStatus(t, e.do(acctB, http.MethodPut, "/btag-a?tagging", nil, taggingBody("a=b")), 403, "AccessDenied")
	expectStatus(t, e.do(acctB, http.MethodGet, "/btag-a?tagging", nil, nil), 403, "AccessDenied")
	expectStatus(t, e.do(acctB, http.MethodDelete, "/btag-a?tagging", nil, nil), 403, "AccessDenied")
	expectStatus(t, e.do(acctA, http.MethodPut, "/no-such-btag?tagging", nil, []byte("junk")), 404, "NoSuchBucket")

	// An empty tag set removes the tags, as Delete does.
	expectStatus(t, e.do(acctA, http.MethodPut, "/btag-a?tagging", nil, taggingBody()), 204, "")
	expectStatus(t, get(), 404, "NoSuchTagSet")
	expectStatus(t, e.do(acctA, http.MethodPut, "/btag-a?tagging", nil, taggingBody("a=b")), 204, "")
	expectStatus(t, e.do(acctA, http.MethodDelete, "/btag-a?tagging", nil, nil), 204, "")
	expectStatus(t, get(), 404, "NoSuchTagSet")
}
