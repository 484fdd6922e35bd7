package s3api

import (
	"context"
	"net/http"
	"reflect"
	"sort"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func TestDeleteObject(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket(acctB, "del-b")
	e.put(acctB, "del-b", "k", "v")
	e.put(acctB, "del-b", "cond", "v")
	tests := []struct {
		name, account, target string
		headers               map[string]string
		status                int
		code                  string
	}{
		{"other account", acctA, "/del-b/k", nil, 403, "AccessDenied"},
		{"anonymous", "", "/del-b/k", nil, 403, "AccessDenied"},
		{"existing", acctB, "/del-b/k", nil, 204, ""},
		{"missing is still 204", acctB, "/del-b/k", nil, 204, ""},
		{"missing bucket", acctB, "/nope-b/k", nil, 404, "NoSuchBucket"},
		{"unknown version", acctB, "/del-b/k?versionId=abc", nil, 400, "InvalidArgument"},
		{"if-match differs", acctB, "/del-b/cond", map[string]string{"If-Match": `"nope"`}, 412, "PreconditionFailed"},
		{"if-match matches", acctB, "/del-b/cond", map[string]string{"If-Match": `"` + md5hex("v") + `"`}, 204, ""},
		{"if-match on a missing key", acctB, "/del-b/cond", map[string]string{"If-Match": `"x"`}, 404, "NoSuchKey"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tt.headers {
				h.Set(k, v)
			}
			r := e.do(tt.account, http.MethodDelete, tt.target, h, nil)
			if r.status != tt.status || errCode(r.body) != tt.code {
				t.Errorf("got %d %s, want %d %s: %s", r.status, errCode(r.body), tt.status, tt.code, r.body)
			}
		})
	}
	if n := e.countData(); n != 0 {
		t.Errorf("%d blobs left after deleting every object", n)
	}
}

func TestDeleteObjects(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket(acctB, "multi-b")
	for _, k := range []string{"tmp/1", "tmp/2", "keep/1"} {
		e.put(acctB, "multi-b", k, "v")
	}
	// Account A may delete only under tmp/.
	e.setPolicy("multi-b", allowPolicy(acctA, []string{"s3:DeleteObject"}, []string{"arn:aws:s3:::multi-b/tmp/*"}, ""))
	ca := e.client(acctA)
	out, err := ca.DeleteObjects(context.Background(), &s3.DeleteObjectsInput{Bucket: aws.String("multi-b"), Delete: &types.Delete{
		Objects: []types.ObjectIdentifier{{Key: aws.String("tmp/1")}, {Key: aws.String("keep/1")}, {Key: aws.String("tmp/missing")}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	var deleted, failed []string
	for _, d := range out.Deleted {
		deleted = append(deleted, *d.Key)
	}
	for _, f := range out.Errors {
		failed = append(failed, *f.Key+":"+*f.Code)
	}
	sort.Strings(deleted)
	if !reflect.DeepEqual(deleted, []string{"tmp/1", "tmp/missing"}) || !reflect.DeepEqual(failed, []string{"keep/1:AccessDenied"}) {
		t.Errorf("deleted %q, errors %q", deleted, failed)
	}
	// Quiet mode reports only the errors.
	out, err = ca.DeleteObjects(context.Background(), &s3.DeleteObjectsInput{Bucket: aws.String("multi-b"), Delete: &types.Delete{
		Quiet: aws.Bool(true), Objects: []types.ObjectIdentifier{{Key: aws.String("tmp/2")}, {Key: aws.String("keep/1")}},
	}})
	if err != nil || len(out.Deleted) != 0 || len(out.Errors) != 1 {
		t.Errorf("quiet: %v deleted %d errors %d", err, len(out.Deleted), len(out.Errors))
	}
	if r := e.do(acctB, http.MethodHead, "/multi-b/keep/1", nil, nil); r.status != 200 {
		t.Errorf("keep/1 was deleted")
	}
	if r := e.do(acctB, http.MethodHead, "/multi-b/tmp/2", nil, nil); r.status != 404 {
		t.Errorf("tmp/2 was not deleted")
	}

	body := `<Delete><Object><Key>keep/1</Key></Object></Delete>`
	tests := []struct {
		name    string
		account string
		headers map[string]string
		body    string
		status  int
		code    string
	}{
		{"no content-md5", acctB, nil, body, 400, "InvalidRequest"},
		{"wrong content-md5", acctB, map[string]string{"Content-MD5": md5b64("x")}, body, 400, "BadDigest"},
		{"flexible checksum instead", acctB, map[string]string{"x-amz-checksum-crc32": sum("CRC32", `<Delete><Object><Key>nothing</Key></Object></Delete>`)},
			`<Delete><Object><Key>nothing</Key></Object></Delete>`, 200, ""},
		{"malformed xml", acctB, map[string]string{"Content-MD5": md5b64("<Delete>")}, "<Delete>", 400, "MalformedXML"},
		{"no objects", acctB, map[string]string{"Content-MD5": md5b64("<Delete></Delete>")}, "<Delete></Delete>", 400, "MalformedXML"},
		{"empty body", acctB, map[string]string{"Content-MD5": md5b64("")}, "", 400, "MissingRequestBodyError"},
		{"missing bucket", acctB, map[string]string{"Content-MD5": md5b64(body)}, body, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tt.headers {
				h.Set(k, v)
			}
			target := "/multi-b?delete"
			if tt.status == 0 {
				target, tt.status, tt.code = "/nope-b?delete", 404, "NoSuchBucket"
			}
			r := e.do(tt.account, http.MethodPost, target, h, []byte(tt.body))
			if r.status != tt.status || errCode(r.body) != tt.code {
				t.Errorf("got %d %s, want %d %s: %s", r.status, errCode(r.body), tt.status, tt.code, r.body)
			}
		})
	}
	// The raw response shape.
	e.put(acctB, "multi-b", "tmp/3", "v")
	raw := `<Delete><Object><Key>tmp/3</Key></Object><Object><Key>keep/1</Key></Object></Delete>`
	r := e.do(acctA, http.MethodPost, "/multi-b?delete", http.Header{"Content-MD5": {md5b64(raw)}}, []byte(raw))
	golden(t, "delete_objects_mixed", r.body)
}
