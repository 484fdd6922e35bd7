package s3api

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/verdict-project/verdict/engine/acl"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/state"
)

// setVersioning sets a bucket's versioning state through the API.
func setVersioning(t *testing.T, c *s3.Client, bucket string, status types.BucketVersioningStatus) {
	t.Helper()
	_, err := c.PutBucketVersioning(context.Background(), &s3.PutBucketVersioningInput{Bucket: aws.String(bucket),
		VersioningConfiguration: &types.VersioningConfiguration{Status: status}})
	if err != nil {
		t.Fatalf("PutBucketVersioning %s: %v", status, err)
	}
}

// putV stores an object and returns its version ID.
func putV(t *testing.T, c *s3.Client, bucket, key, body string) string {
	t.Helper()
	out, err := c.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: strings.NewReader(body)})
	if err != nil {
		t.Fatalf("PutObject %s: %v", key, err)
	}
	return aws.ToString(out.VersionId)
}

// getBody reads key (at version v when not "") and returns its body.
func getBody(t *testing.T, c *s3.Client, bucket, key, v string) (string, error) {
	t.Helper()
	in := &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}
	if v != "" {
		in.VersionId = aws.String(v)
	}
	out, err := c.GetObject(context.Background(), in)
	if err != nil {
		return "", err
	}
	defer out.Body.Close()
	b, _ := io.ReadAll(out.Body)
	return string(b), nil
}

// listVersions returns "key@version[*][D]" for each entry (* latest, D marker), in response order.
func listVersions(t *testing.T, e *testEnv, account, query string) (entries []string, body string) {
	t.Helper()
	r := e.do(account, http.MethodGet, query, nil, nil)
	if r.status != 200 {
		t.Fatalf("ListObjectVersions %s: %d %s", query, r.status, r.body)
	}
	re := mustRE(`<(Version|DeleteMarker)[^>]*><Key>([^<]*)</Key><VersionId>([^<]*)</VersionId><IsLatest>(true|false)</IsLatest>`)
	for _, m := range re.FindAllStringSubmatch(r.body, -1) {
		s := m[2] + "@" + m[3]
		if m[4] == "true" {
			s += "*"
		}
		if m[1] == "DeleteMarker" {
			s += "D"
		}
		entries = append(entries, s)
	}
	return entries, r.body
}

func TestPutBucketVersioning(t *testing.T) {
	e := newTestEnv(t)
	e.createBucket(acctA, "ver-a")
	cases := []struct {
		name    string
		account string
		body    string
		status  int
		code    string
		want    string // Status after
	}{
		{"never set", "", "", 0, "", ""},
		{"bad status", acctA, `<VersioningConfiguration><Status>On</Status></VersioningConfiguration>`, 400, "MalformedXML", ""},
		{"no status", acctA, `<VersioningConfiguration><MfaDelete>Disabled</MfaDelete></VersioningConfiguration>`, 400, "MalformedXML", ""},
		{"not xml", acctA, `<Versioning`, 400, "MalformedXML", ""},
		{"other account", acctB, `<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>`, 403, "AccessDenied", ""},
		{"mfa delete enabled", acctA, `<VersioningConfiguration><Status>Enabled</Status><MfaDelete>Enabled</MfaDelete></VersioningConfiguration>`, 501, "NotImplemented", ""},
		{"enabled", acctA, `<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>`, 200, "", "Enabled"},
		{"mfa delete disabled", acctA, `<VersioningConfiguration><Status>Enabled</Status><MfaDelete>Disabled</MfaDelete></VersioningConfiguration>`, 200, "", "Enabled"},
		{"suspended", acctA, `<VersioningConfiguration><Status>Suspended</Status></VersioningConfiguration>`, 200, "", "Suspended"},
		{"empty status cannot unversion", acctA, `<VersioningConfiguration><Status></Status></VersioningConfiguration>`, 400, "MalformedXML", "Suspended"},
		{"enabled again", acctA, `<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>`, 200, "", "Enabled"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.account != "" {
				r := e.do(tc.account, http.MethodPut, "/ver-a?versioning", nil, []byte(tc.body))
				if r.status != tc.status || errCode(r.body) != tc.code {
					t.Fatalf("PUT: %d %s, want %d %s", r.status, r.body, tc.status, tc.code)
				}
			}
			out, err := e.client(acctA).GetBucketVersioning(context.Background(), &s3.GetBucketVersioningInput{Bucket: aws.String("ver-a")})
			if err != nil {
				t.Fatal(err)
			}
			if string(out.Status) != tc.want {
				t.Fatalf("Status %q, want %q", out.Status, tc.want)
			}
		})
	}
	if _, err := e.client(acctB).GetBucketVersioning(context.Background(), &s3.GetBucketVersioningInput{Bucket: aws.String("ver-a")}); apiCode(err) != "AccessDenied" {
		t.Fatalf("GetBucketVersioning by another account: %v", err)
	}
}

func TestVersionedObjects(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	c := e.client(acctA)
	e.createBucket(acctA, "vo-a")
	putV(t, c, "vo-a", "k", "v0") // unversioned: the null version
	setVersioning(t, c, "vo-a", types.BucketVersioningStatusEnabled)
	v1 := putV(t, c, "vo-a", "k", "v1")
	v2 := putV(t, c, "vo-a", "k", "v2")
	if v1 == "" || v1 == v2 || v1 == "null" || !wellFormedVersionID(v1) {
		t.Fatalf("version IDs %q %q", v1, v2)
	}
	// Reads of the current version and of each version.
	for _, tc := range []struct {
		name, version, want, code string
	}{
		{"current", "", "v2", ""},
		{"first version", v1, "v1", ""},
		{"the null version", "null", "v0", ""},
		{"unknown version", strings.Repeat("0", 32), "", "NoSuchVersion"},
		{"malformed version", "not-a-version", "", "InvalidArgument"},
	} {
		t.Run("get "+tc.name, func(t *testing.T) {
			got, err := getBody(t, c, "vo-a", "k", tc.version)
			if apiCode(err) != tc.code || got != tc.want {
				t.Fatalf("got %q %v, want %q %s", got, err, tc.want, tc.code)
			}
		})
	}
	r := e.do(acctA, http.MethodHead, "/vo-a/k", nil, nil)
	if r.status != 200 || r.header.Get("x-amz-version-id") != v2 {
		t.Fatalf("HEAD: %d %v", r.status, r.header)
	}
	// A simple DELETE inserts a delete marker.
	d, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("vo-a"), Key: aws.String("k")})
	if err != nil || !aws.ToBool(d.DeleteMarker) || !wellFormedVersionID(aws.ToString(d.VersionId)) || aws.ToString(d.VersionId) == "null" {
		t.Fatalf("DeleteObject: %+v %v", d, err)
	}
	marker := aws.ToString(d.VersionId)
	for _, m := range []string{http.MethodGet, http.MethodHead} {
		r := e.do(acctA, m, "/vo-a/k", nil, nil)
		if r.status != 404 || r.header.Get("x-amz-delete-marker") != "true" || r.header.Get("x-amz-version-id") != marker {
			t.Fatalf("%s after delete: %d %v %s", m, r.status, r.header, r.body)
		}
		r = e.do(acctA, m, "/vo-a/k?versionId="+marker, nil, nil)
		if r.status != 405 || r.header.Get("x-amz-delete-marker") != "true" || r.header.Get("Last-Modified") == "" {
			t.Fatalf("%s of the marker: %d %v %s", m, r.status, r.header, r.body)
		}
	}
	if got, err := getBody(t, c, "vo-a", "k", v2); err != nil || got != "v2" {
		t.Fatalf("old version after delete: %q %v", got, err)
	}
	// ListObjects shows nothing; ListObjectVersions shows everything.
	lo, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("vo-a")})
	if err != nil || len(lo.Contents) != 0 {
		t.Fatalf("ListObjectsV2: %+v %v", lo, err)
	}
	got, _ := listVersions(t, e, acctA, "/vo-a?versions")
	want := []string{"k@" + marker + "*D", "k@" + v2, "k@" + v1, "k@null"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("versions %v, want %v", got, want)
	}
	// Removing the marker makes v2 current again.
	r = e.do(acctA, http.MethodDelete, "/vo-a/k?versionId="+marker, nil, nil)
	if r.status != 204 || r.header.Get("x-amz-delete-marker") != "true" || r.header.Get("x-amz-version-id") != marker {
		t.Fatalf("delete marker version: %d %v", r.status, r.header)
	}
	if got, err := getBody(t, c, "vo-a", "k", ""); err != nil || got != "v2" {
		t.Fatalf("current after marker removal: %q %v", got, err)
	}
	// Removing the current version makes the next newest current; its
	// bytes go.
	before := e.countData()
	if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("vo-a"), Key: aws.String("k"), VersionId: aws.String(v2)}); err != nil {
		t.Fatal(err)
	}
	if after := e.countData(); after != before-1 {
		t.Fatalf("data records %d -> %d", before, after)
	}
	if got, err := getBody(t, c, "vo-a", "k", ""); err != nil || got != "v1" {
		t.Fatalf("current after version removal: %q %v", got, err)
	}
	if _, err := getBody(t, c, "vo-a", "k", v2); apiCode(err) != "NoSuchVersion" {
		t.Fatalf("removed version: %v", err)
	}
	// Deleting an unknown version changes nothing.
	if r := e.do(acctA, http.MethodDelete, "/vo-a/k?versionId="+strings.Repeat("a", 32), nil, nil); r.status != 204 {
		t.Fatalf("delete unknown version: %d", r.status)
	}
	if r := e.do(acctA, http.MethodDelete, "/vo-a/k?versionId=xyz", nil, nil); r.status != 400 || errCode(r.body) != "InvalidArgument" {
		t.Fatalf("delete malformed version: %d %s", r.status, r.body)
	}
	// The bucket cannot be deleted while versions remain.
	if _, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("vo-a")}); apiCode(err) != "BucketNotEmpty" {
		t.Fatalf("DeleteBucket: %v", err)
	}
	for _, v := range []string{v1, "null"} {
		if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("vo-a"), Key: aws.String("k"), VersionId: aws.String(v)}); err != nil {
			t.Fatal(err)
		}
	}
	if n := e.countData(); n != 0 {
		t.Fatalf("%d data records left", n)
	}
	if _, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("vo-a")}); err != nil {
		t.Fatalf("DeleteBucket when empty: %v", err)
	}
}

func TestSuspendedVersioning(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	c := e.client(acctA)
	e.createBucket(acctA, "vs-a")
	setVersioning(t, c, "vs-a", types.BucketVersioningStatusEnabled)
	v1 := putV(t, c, "vs-a", "k", "v1")
	setVersioning(t, c, "vs-a", types.BucketVersioningStatusSuspended)
	// A PUT to a suspended bucket writes the null version and names no
	// version in its response (as recorded against AWS); listings call it
	// "null".
	if v := putV(t, c, "vs-a", "k", "n1"); v != "" {
		t.Fatalf("suspended PUT answered version %q, want none", v)
	}
	n := e.countData()
	if v := putV(t, c, "vs-a", "k", "n2"); v != "" {
		t.Fatalf("suspended PUT answered version %q, want none", v)
	}
	if got := e.countData(); got != n {
		t.Fatalf("replacing the null version: data %d -> %d", n, got)
	}
	got, _ := listVersions(t, e, acctA, "/vs-a?versions")
	if strings.Join(got, " ") != "k@null* k@"+v1 {
		t.Fatalf("versions %v", got)
	}
	// DELETE inserts a null delete marker, removing the null version.
	d, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("vs-a"), Key: aws.String("k")})
	if err != nil || !aws.ToBool(d.DeleteMarker) || aws.ToString(d.VersionId) != "null" {
		t.Fatalf("DeleteObject: %+v %v", d, err)
	}
	if got := e.countData(); got != n-1 {
		t.Fatalf("null delete marker: data %d -> %d", n, got)
	}
	got, _ = listVersions(t, e, acctA, "/vs-a?versions")
	if strings.Join(got, " ") != "k@null*D k@"+v1 {
		t.Fatalf("versions %v", got)
	}
	if b, err := getBody(t, c, "vs-a", "k", v1); err != nil || b != "v1" {
		t.Fatalf("enabled-era version: %q %v", b, err)
	}
	// A new null version replaces the null marker.
	putV(t, c, "vs-a", "k", "n3")
	got, _ = listVersions(t, e, acctA, "/vs-a?versions")
	if strings.Join(got, " ") != "k@null* k@"+v1 {
		t.Fatalf("versions %v", got)
	}
}

func TestListObjectVersionsPaging(t *testing.T) {
	e := newTestEnv(t)
	c := e.client(acctA)
	e.createBucket(acctA, "vl-a")
	setVersioning(t, c, "vl-a", types.BucketVersioningStatusEnabled)
	ids := map[string][]string{}
	for _, k := range []string{"a", "b", "d/x", "d/y", "e"} {
		for i := 0; i < 2; i++ {
			ids[k] = append([]string{putV(t, c, "vl-a", k, k)}, ids[k]...)
		}
	}
	// All entries, by key then newest first.
	all, _ := listVersions(t, e, acctA, "/vl-a?versions")
	if len(all) != 10 || all[0] != "a@"+ids["a"][0]+"*" || all[1] != "a@"+ids["a"][1] {
		t.Fatalf("all: %v", all)
	}
	// Page through with max-keys=3 and the markers; the pages add up to all.
	var paged []string
	q := "/vl-a?versions&max-keys=3"
	for i := 0; i < 10; i++ {
		got, body := listVersions(t, e, acctA, q)
		paged = append(paged, got...)
		if !strings.Contains(body, "<IsTruncated>true</IsTruncated>") {
			break
		}
		km := mustRE(`<NextKeyMarker>([^<]*)</NextKeyMarker>`).FindStringSubmatch(body)
		vm := mustRE(`<NextVersionIdMarker>([^<]*)</NextVersionIdMarker>`).FindStringSubmatch(body)
		q = "/vl-a?versions&max-keys=3&key-marker=" + km[1] + "&version-id-marker=" + vm[1]
	}
	if strings.Join(paged, " ") != strings.Join(all, " ") {
		t.Fatalf("paged %v\nall   %v", paged, all)
	}
	cases := []struct {
		name, query string
		want        []string
		prefixes    string
		status      int
		code        string
	}{
		{"key marker", "/vl-a?versions&key-marker=d/y", []string{"e@" + ids["e"][0] + "*", "e@" + ids["e"][1]}, "", 200, ""},
		{"prefix", "/vl-a?versions&prefix=d/", []string{"d/x@" + ids["d/x"][0] + "*", "d/x@" + ids["d/x"][1], "d/y@" + ids["d/y"][0] + "*", "d/y@" + ids["d/y"][1]}, "", 200, ""},
		{"delimiter", "/vl-a?versions&delimiter=/&key-marker=b", []string{"e@" + ids["e"][0] + "*", "e@" + ids["e"][1]}, "<CommonPrefixes><Prefix>d/</Prefix></CommonPrefixes>", 200, ""},
		{"after a common prefix", "/vl-a?versions&delimiter=/&key-marker=d/", []string{"e@" + ids["e"][0] + "*", "e@" + ids["e"][1]}, "", 200, ""},
		{"version marker without key marker", "/vl-a?versions&version-id-marker=null", nil, "", 400, "InvalidArgument"},
		{"malformed version marker", "/vl-a?versions&key-marker=a&version-id-marker=zz", nil, "", 400, "InvalidArgument"},
		{"bad max-keys", "/vl-a?versions&max-keys=-1", nil, "", 400, "InvalidArgument"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do(acctA, http.MethodGet, tc.query, nil, nil)
			if r.status != tc.status || errCode(r.body) != tc.code {
				t.Fatalf("%d %s", r.status, r.body)
			}
			if tc.status != 200 {
				return
			}
			got, body := listVersions(t, e, acctA, tc.query)
			if strings.Join(got, " ") != strings.Join(tc.want, " ") || (tc.prefixes != "" && !strings.Contains(body, tc.prefixes)) {
				t.Fatalf("got %v %s\nwant %v", got, body, tc.want)
			}
		})
	}
	// Through the SDK, with encoding-type=url.
	out, err := c.ListObjectVersions(context.Background(), &s3.ListObjectVersionsInput{Bucket: aws.String("vl-a"), Prefix: aws.String("d/"),
		EncodingType: types.EncodingTypeUrl})
	if err != nil || len(out.Versions) != 4 || aws.ToString(out.Versions[0].Key) != "d/x" || !aws.ToBool(out.Versions[0].IsLatest) {
		t.Fatalf("SDK ListObjectVersions: %+v %v", out, err)
	}
	// Listing versions needs s3:ListBucketVersions.
	if r := e.do(acctB, http.MethodGet, "/vl-a?versions", nil, nil); r.status != 403 {
		t.Fatalf("other account: %d", r.status)
	}
}

func TestDeleteObjectsVersioned(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	c := e.client(acctA)
	e.createBucket(acctA, "vd-a")
	setVersioning(t, c, "vd-a", types.BucketVersioningStatusEnabled)
	v1 := putV(t, c, "vd-a", "a", "1")
	putV(t, c, "vd-a", "b", "2")
	out, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("vd-a"), Delete: &types.Delete{Objects: []types.ObjectIdentifier{
		{Key: aws.String("a"), VersionId: aws.String(v1)},
		{Key: aws.String("b")},
		{Key: aws.String("c"), VersionId: aws.String("bad")},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Deleted) != 2 || len(out.Errors) != 1 {
		t.Fatalf("DeleteObjects: %+v", out)
	}
	for _, d := range out.Deleted {
		switch aws.ToString(d.Key) {
		case "a":
			if aws.ToString(d.VersionId) != v1 || aws.ToBool(d.DeleteMarker) {
				t.Errorf("a: %+v", d)
			}
		case "b":
			if !aws.ToBool(d.DeleteMarker) || !wellFormedVersionID(aws.ToString(d.DeleteMarkerVersionId)) {
				t.Errorf("b: %+v", d)
			}
		}
	}
	got, _ := listVersions(t, e, acctA, "/vd-a?versions")
	if len(got) != 2 || !strings.HasPrefix(got[0], "b@") || !strings.HasSuffix(got[0], "*D") {
		t.Fatalf("versions after DeleteObjects: %v", got)
	}
}

func TestCopyObjectVersions(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	c := e.client(acctA)
	e.createBucket(acctA, "vc-a")
	setVersioning(t, c, "vc-a", types.BucketVersioningStatusEnabled)
	v1 := putV(t, c, "vc-a", "k", "one")
	putV(t, c, "vc-a", "k", "two")
	// Restore v1 by copying it onto its own key.
	out, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("vc-a"), Key: aws.String("k"),
		CopySource: aws.String("vc-a/k?versionId=" + v1)})
	if err != nil || aws.ToString(out.CopySourceVersionId) != v1 || !wellFormedVersionID(aws.ToString(out.VersionId)) {
		t.Fatalf("CopyObject: %+v %v", out, err)
	}
	if b, err := getBody(t, c, "vc-a", "k", ""); err != nil || b != "one" {
		t.Fatalf("after restore: %q %v", b, err)
	}
	d, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("vc-a"), Key: aws.String("k")})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, src, code string }{
		{"current is a marker", "vc-a/k", "NoSuchKey"},
		{"a marker by version", "vc-a/k?versionId=" + aws.ToString(d.VersionId), "InvalidRequest"},
		{"unknown version", "vc-a/k?versionId=" + strings.Repeat("b", 32), "NoSuchVersion"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("vc-a"), Key: aws.String("dst"), CopySource: aws.String(tc.src)})
			if apiCode(err) != tc.code {
				t.Fatalf("got %v, want %s", err, tc.code)
			}
		})
	}
}

func TestVersionAuthorization(t *testing.T) {
	e := newTestEnv(t)
	c := e.client(acctA)
	e.createBucket(acctA, "vz-a")
	e.setBucket("vz-a", func(b *model.Bucket) { b.Ownership = acl.ObjectWriter })
	setVersioning(t, c, "vz-a", types.BucketVersioningStatusEnabled)
	v1 := putV(t, c, "vz-a", "k", "secret")
	// B may read the current object but not versions (s3:GetObjectVersion
	// is another action).
	e.setPolicy("vz-a", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::`+acctB+`:root"},
		"Action":["s3:GetObject","s3:DeleteObject","s3:PutObject"],"Resource":"arn:aws:s3:::vz-a/*"}]}`)
	cases := []struct {
		name, method, path string
		status             int
	}{
		{"get current", http.MethodGet, "/vz-a/k", 200},
		{"get version", http.MethodGet, "/vz-a/k?versionId=" + v1, 403},
		{"delete version", http.MethodDelete, "/vz-a/k?versionId=" + v1, 403},
		{"object acl of the current version", http.MethodGet, "/vz-a/k?acl&versionId=" + v1, 403},
		{"get versions", http.MethodGet, "/vz-a?versions", 403},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if r := e.do(acctB, tc.method, tc.path, nil, nil); r.status != tc.status {
				t.Fatalf("%d %s", r.status, r.body)
			}
		})
	}
	// B's version belongs to B: the object context of a version is its own.
	vb := putV(t, e.client(acctB), "vz-a", "k", "from-b")
	if r := e.do(acctA, http.MethodGet, "/vz-a/k?versionId="+vb, nil, nil); r.status != 403 {
		t.Fatalf("A reading B's version: %d", r.status)
	}
	if r := e.do(acctA, http.MethodGet, "/vz-a/k?versionId="+v1, nil, nil); r.status != 200 {
		t.Fatalf("A reading its own version: %d %s", r.status, r.body)
	}
}

// TestNoncurrentVersionSubresources: every version has its own ACL and
// tags; ?acl and ?tagging with a versionId read and change those of that
// version (current or not) and leave the others alone.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/VersionedObjectACL.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-tagging.html
func TestNoncurrentVersionSubresources(t *testing.T) {
	e := newTestEnv(t)
	c := e.client(acctA)
	ctx := context.Background()
	e.createBucket(acctA, "vsub-a")
	e.setBucket("vsub-a", func(b *model.Bucket) { b.Ownership = acl.ObjectWriter })
	setVersioning(t, c, "vsub-a", types.BucketVersioningStatusEnabled)
	v1 := putV(t, c, "vsub-a", "k", "one")
	v2 := putV(t, c, "vsub-a", "k", "two") // current
	bCanonical := model.CanonicalID(acctB)
	e.createBucket(acctB, "vsub-b") // account B exists, so its canonical ID is a valid grantee

	// Grant B read on v1 only.
	if _, err := c.PutObjectAcl(ctx, &s3.PutObjectAclInput{Bucket: aws.String("vsub-a"), Key: aws.String("k"), VersionId: aws.String(v1),
		GrantRead: aws.String(`id="` + bCanonical + `"`)}); err != nil {
		t.Fatalf("PutObjectAcl on v1: %v", err)
	}
	// readers returns the canonical IDs granted READ or FULL_CONTROL.
	readers := func(v string) string {
		t.Helper()
		in := &s3.GetObjectAclInput{Bucket: aws.String("vsub-a"), Key: aws.String("k")}
		if v != "" {
			in.VersionId = aws.String(v)
		}
		out, err := c.GetObjectAcl(ctx, in)
		if err != nil {
			t.Fatalf("GetObjectAcl %q: %v", v, err)
		}
		var ids []string
		for _, g := range out.Grants {
			ids = append(ids, aws.ToString(g.Grantee.ID)+":"+string(g.Permission))
		}
		return strings.Join(ids, ",")
	}
	// Grant headers replace the whole ACL of the version they name.
	aCanonical := model.CanonicalID(acctA)
	if got1, got2, cur := readers(v1), readers(v2), readers(""); got1 != bCanonical+":READ" || got2 != aCanonical+":FULL_CONTROL" || cur != got2 {
		t.Errorf("grants: v1 %s, v2 %s, current %s", got1, got2, cur)
	}
	// The grant lets B read v1 (the ACL's READ covers s3:GetObjectVersion)
	// but not v2.
	if r := e.do(acctB, http.MethodGet, "/vsub-a/k?versionId="+v1, nil, nil); r.status != 200 || r.body != "one" {
		t.Errorf("B reading v1: %d %q", r.status, r.body)
	}
	if r := e.do(acctB, http.MethodGet, "/vsub-a/k?versionId="+v2, nil, nil); r.status != 403 {
		t.Errorf("B reading v2: %d", r.status)
	}

	// Tags of v1 only.
	if _, err := c.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String("vsub-a"), Key: aws.String("k"), VersionId: aws.String(v1),
		Tagging: &types.Tagging{TagSet: []types.Tag{{Key: aws.String("stage"), Value: aws.String("old")}}}}); err != nil {
		t.Fatalf("PutObjectTagging on v1: %v", err)
	}
	tagsOf := func(v string) int {
		t.Helper()
		out, err := c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("vsub-a"), Key: aws.String("k"), VersionId: aws.String(v)})
		if err != nil {
			t.Fatalf("GetObjectTagging %s: %v", v, err)
		}
		if got := aws.ToString(out.VersionId); got != v {
			t.Errorf("GetObjectTagging %s answered for version %q", v, got)
		}
		return len(out.TagSet)
	}
	if n1, n2 := tagsOf(v1), tagsOf(v2); n1 != 1 || n2 != 0 {
		t.Errorf("tags: v1 %d, v2 %d; want 1, 0", n1, n2)
	}
	if _, err := c.DeleteObjectTagging(ctx, &s3.DeleteObjectTaggingInput{Bucket: aws.String("vsub-a"), Key: aws.String("k"), VersionId: aws.String(v1)}); err != nil {
		t.Fatalf("DeleteObjectTagging on v1: %v", err)
	}
	if n := tagsOf(v1); n != 0 {
		t.Errorf("v1 has %d tags after DeleteObjectTagging", n)
	}
	// v1 is still a version of its own: listing shows both, and v1's body
	// is intact after its record was rewritten.
	if got, err := getBody(t, c, "vsub-a", "k", v1); err != nil || got != "one" {
		t.Errorf("v1 after its ACL and tags changed: %q %v", got, err)
	}
	if entries, _ := listVersions(t, e, acctA, "/vsub-a?versions"); len(entries) != 2 {
		t.Errorf("versions after sub-resource changes: %v", entries)
	}
	// An unknown version is NoSuchVersion.
	unknown := strings.Repeat("0", versionIDLen)
	if r := e.do(acctA, http.MethodGet, "/vsub-a/k?tagging&versionId="+unknown, nil, nil); r.status != 404 || errCode(r.body) != "NoSuchVersion" {
		t.Errorf("tagging of an unknown version: %d %s", r.status, r.body)
	}
}

func TestVersionedMultipartAndBlobs(t *testing.T) {
	e, bs := newDiskEnv(t, SealKMS)
	ctx := context.Background()
	c := e.client(acctA)
	e.createBucket(acctA, "vm-a")
	setVersioning(t, c, "vm-a", types.BucketVersioningStatusEnabled)
	big := strings.Repeat("x", inlineMax+1)
	v1 := putV(t, c, "vm-a", "k", big)
	up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("vm-a"), Key: aws.String("k")})
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("vm-a"), Key: aws.String("k"), UploadId: up.UploadId,
		PartNumber: aws.Int32(1), Body: strings.NewReader("part")})
	if err != nil {
		t.Fatal(err)
	}
	done, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("vm-a"), Key: aws.String("k"), UploadId: up.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: p.ETag, ChecksumCRC32: p.ChecksumCRC32}}}})
	if err != nil || !wellFormedVersionID(aws.ToString(done.VersionId)) || aws.ToString(done.VersionId) == v1 {
		t.Fatalf("CompleteMultipartUpload: %+v %v", done, err)
	}
	if b, err := getBody(t, c, "vm-a", "k", v1); err != nil || b != big {
		t.Fatalf("noncurrent blob version: %d bytes, %v", len(b), err)
	}
	// The orphan collector keeps the noncurrent version's blob file.
	res, err := CollectOrphanBlobs(ctx, e.env.Store, bs, time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	_ = res
	if b, err := getBody(t, c, "vm-a", "k", v1); err != nil || b != big {
		t.Fatalf("after CollectOrphanBlobs: %d bytes, %v", len(b), err)
	}
	files := countBlobFiles(t, bs)
	if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("vm-a"), Key: aws.String("k"), VersionId: aws.String(v1)}); err != nil {
		t.Fatal(err)
	}
	if got := countBlobFiles(t, bs); got != files-1 {
		t.Fatalf("blob files %d -> %d", files, got)
	}
}

// TestUnversionedUnchanged checks that a bucket whose versioning was never
// set keeps one record per key and reports no version IDs.
func TestUnversionedUnchanged(t *testing.T) {
	e := newTestEnv(t)
	c := e.client(acctA)
	e.createBucket(acctA, "vu-a")
	if v := putV(t, c, "vu-a", "k", "1"); v != "" {
		t.Fatalf("version ID %q in an unversioned bucket", v)
	}
	putV(t, c, "vu-a", "k", "2")
	if n := e.count(state.Versions, ""); n != 0 {
		t.Fatalf("%d version records", n)
	}
	r := e.do(acctA, http.MethodDelete, "/vu-a/k", nil, nil)
	if r.status != 204 || r.header.Get("x-amz-delete-marker") != "" || r.header.Get("x-amz-version-id") != "" {
		t.Fatalf("DELETE: %d %v", r.status, r.header)
	}
	if n := e.count(state.Objects, ""); n != 0 {
		t.Fatalf("%d object records", n)
	}
	got, _ := listVersions(t, e, acctA, "/vu-a?versions")
	if len(got) != 0 {
		t.Fatalf("versions %v", got)
	}
	putV(t, c, "vu-a", "n", "1")
	got, _ = listVersions(t, e, acctA, "/vu-a?versions")
	if strings.Join(got, " ") != "n@null*" {
		t.Fatalf("versions %v", got)
	}
}
