package s3xml

import (
	"bytes"
	"encoding/xml"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var (
	t1 = NewTimestamp(time.Date(2009, 10, 12, 17, 50, 30, 0, time.UTC))
	t2 = NewTimestamp(time.Date(2024, 2, 29, 8, 1, 2, 345_000_000, time.FixedZone("x", 3600)))
)

var owner = Owner{ID: "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a", DisplayName: "alice"}

// responses are the response bodies verdict encodes, one per shape and the
// interesting variants; each has a golden file testdata/<name>.golden.
func responses() []struct {
	name string
	v    any
} {
	return []struct {
		name string
		v    any
	}{
		{"list_buckets", &ListAllMyBucketsResult{Owner: owner, Buckets: Buckets{
			{Name: "alpha", CreationDate: t1, BucketRegion: "us-east-1"},
			{Name: "beta", CreationDate: t2, BucketRegion: "eu-west-1", BucketArn: "arn:aws:s3:::beta"},
		}, ContinuationToken: "tok", Prefix: "a"}},
		{"list_buckets_empty", &ListAllMyBucketsResult{Owner: Owner{ID: owner.ID}}},
		{"location_us_east_1", &LocationConstraint{}},
		{"location_eu_west_1", &LocationConstraint{Region: "eu-west-1"}},
		{"list_objects_v1", &ListBucketResult{Name: "b", Prefix: "photos/", Marker: "m", NextMarker: "photos/2006/",
			MaxKeys: 2, Delimiter: "/", IsTruncated: true,
			Contents: []Object{{Key: "photos/a.jpg", LastModified: t1, ETag: `"fba9dede5f27731c9771645a39863328"`,
				Size: 434234, Owner: &owner, StorageClass: "STANDARD"}},
			CommonPrefixes: []CommonPrefix{{Prefix: "photos/2006/"}}}},
		{"list_objects_v1_empty", &ListBucketResult{Name: "b", MaxKeys: 1000}},
		{"list_objects_v2", &ListBucketResultV2{Name: "b", Prefix: "E", ContinuationToken: "c1", NextContinuationToken: "c2",
			StartAfter: "ExampleGuide.pdf", KeyCount: 2, MaxKeys: 2, Delimiter: "/", IsTruncated: true,
			Contents: []Object{
				{Key: "ExampleObject.txt", LastModified: t1, ETag: `"599bab3ed2c697f1d26842727561fd94"`,
					ChecksumAlgorithm: []string{"CRC64NVME"}, ChecksumType: "FULL_OBJECT", Size: 857, StorageClass: "STANDARD"},
				{Key: "Ex & <odd>", LastModified: t2, ETag: `"x"`, Size: 0, Owner: &Owner{ID: owner.ID}, StorageClass: "GLACIER"},
			},
			CommonPrefixes: []CommonPrefix{{Prefix: "Ea/"}, {Prefix: "Eb/"}}}},
		{"list_objects_v2_url", func() any {
			l := &ListBucketResultV2{Name: "b", Prefix: "run books/", StartAfter: "k m", KeyCount: 1, MaxKeys: 1000, Delimiter: "/",
				Contents:       []Object{{Key: "run books/a+b 100%.txt", LastModified: t1, ETag: `"e"`, Size: 1, StorageClass: "STANDARD"}},
				CommonPrefixes: []CommonPrefix{{Prefix: "run books/한글/"}}}
			l.EncodeURL()
			return l
		}()},
		{"delete_result", &DeleteResult{
			Deleted: []DeletedObject{{Key: "a"}, {Key: "b", VersionID: "v1", DeleteMarker: true, DeleteMarkerVersionID: "dm1"}},
			Errors:  []DeleteError{{Key: "c", Code: "AccessDenied", Message: "Access Denied"}}}},
		{"delete_result_quiet", &DeleteResult{}},
		{"copy_object", &CopyObjectResult{LastModified: t1, ETag: `"9b2cf535f27731c974343645a3985328"`}},
		{"copy_object_checksum", &CopyObjectResult{LastModified: t1, ETag: `"e"`, ChecksumType: "FULL_OBJECT",
			Checksums: Checksums{ChecksumCRC32: "AAAAAA=="}}},
		{"copy_part", &CopyPartResult{LastModified: t2, ETag: `"b0c6f0e7e054ab8fa2536a2677f8734d"`}},
		{"initiate_multipart", &InitiateMultipartUploadResult{Bucket: "example-bucket", Key: "example-object", UploadID: "VXBsb2FkIElE"}},
		{"complete_multipart", &CompleteMultipartUploadResult{Location: "http://example-bucket.s3.amazonaws.com/Example-Object",
			Bucket: "example-bucket", Key: "Example-Object", ETag: `"3858f62230ac3c915f300c664312c11f-9"`,
			Checksums: Checksums{ChecksumCRC32C: "abc=", ChecksumSHA256: "def="}, ChecksumType: "COMPOSITE"}},
		{"list_parts", &ListPartsResult{Bucket: "example-bucket", Key: "example-object", UploadID: "XXBsb2FkIElE",
			Initiator: Owner{ID: "arn:aws:iam::111122223333:user/some-user", DisplayName: "some-user"}, Owner: owner,
			StorageClass: "STANDARD", PartNumberMarker: 1, NextPartNumberMarker: 3, MaxParts: 2, IsTruncated: true,
			Parts: []Part{
				{PartNumber: 2, LastModified: t1, ETag: `"7778aef83f66abc1fa1e8477f296d394"`, Size: 10485760},
				{PartNumber: 3, LastModified: t2, ETag: `"aaaa18db4cc2f85cedef654fccc4a4x8"`, Size: 10485760,
					Checksums: Checksums{ChecksumSHA1: "sha="}},
			}, ChecksumAlgorithm: "SHA1", ChecksumType: "COMPOSITE"}},
		{"list_multipart_uploads", &ListMultipartUploadsResult{Bucket: "bucket", NextKeyMarker: "my-movie.m2ts",
			NextUploadIDMarker: "YW55IGlk", Delimiter: "/", Prefix: "my-", MaxUploads: 3, IsTruncated: true,
			Uploads: []MultipartUpload{{Key: "my-divisor", UploadID: "XMgbGlr",
				Initiator: Owner{ID: "arn:aws:iam::111122223333:user/user1", DisplayName: "user1"}, Owner: owner,
				StorageClass: "STANDARD", Initiated: t1, ChecksumAlgorithm: "CRC32"}},
			CommonPrefixes: []CommonPrefix{{Prefix: "my-photos/"}}}},
		{"acl", &AccessControlPolicy{Owner: owner, AccessControlList: AccessControlList{
			{Grantee: &Grantee{Type: GranteeCanonicalUser, ID: owner.ID, DisplayName: "alice"}, Permission: PermFullControl},
			{Grantee: &Grantee{Type: GranteeGroup, URI: "http://acs.amazonaws.com/groups/global/AllUsers"}, Permission: PermRead},
			{Grantee: &Grantee{Type: GranteeEmail, EmailAddress: "bob@example.com"}, Permission: PermWriteACP},
		}}},
		{"acl_empty", &AccessControlPolicy{Owner: Owner{ID: owner.ID}}},
		{"ownership_controls", &OwnershipControls{Rules: []OwnershipControlsRule{{ObjectOwnership: "BucketOwnerEnforced"}}}},
		{"public_access_block", &PublicAccessBlockConfiguration{BlockPublicAcls: true, IgnorePublicAcls: true, RestrictPublicBuckets: true}},
		{"policy_status", &PolicyStatus{IsPublic: true}},
		{"request_payment", &RequestPaymentConfiguration{Payer: "Requester"}},
		{"tagging", &Tagging{TagSet: TagSet{{Key: "project", Value: "verdict"}, {Key: "env", Value: "a&b"}}}},
		{"tagging_empty", &Tagging{}},
		{"encryption_kms", &ServerSideEncryptionConfiguration{Rules: []ServerSideEncryptionRule{{
			ApplyServerSideEncryptionByDefault: &ServerSideEncryptionByDefault{SSEAlgorithm: "aws:kms",
				KMSMasterKeyID: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
			BucketKeyEnabled: true}}}},
		{"encryption_default", &ServerSideEncryptionConfiguration{Rules: []ServerSideEncryptionRule{{
			ApplyServerSideEncryptionByDefault: &ServerSideEncryptionByDefault{SSEAlgorithm: "AES256"}}}}},
		{"versioning_never", &VersioningConfiguration{}},
		{"versioning_enabled", &VersioningConfiguration{Status: "Enabled", MfaDelete: "Disabled"}},
	}
}

func TestGolden(t *testing.T) {
	for _, tc := range responses() {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Marshal(tc.v)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tc.name+".golden")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("body differs from %s\n got: %s\nwant: %s", path, got, want)
			}
		})
	}
}

// TestRoundTrip decodes the bodies that are both responses and request
// bodies and checks that Decode gives back what Encode was given.
func TestRoundTrip(t *testing.T) {
	both := map[string]bool{"acl": true, "acl_empty": true, "ownership_controls": true, "public_access_block": true,
		"request_payment": true, "tagging": true, "tagging_empty": true, "encryption_kms": true,
		"encryption_default": true, "versioning_never": true, "versioning_enabled": true}
	for _, tc := range responses() {
		if !both[tc.name] {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			b, err := Marshal(tc.v)
			if err != nil {
				t.Fatal(err)
			}
			got := reflect.New(reflect.TypeOf(tc.v).Elem())
			if err := Decode(bytes.NewReader(b), 0, got.Interface()); err != nil {
				t.Fatalf("Decode: %v", err)
			}
			got.Elem().FieldByName("XMLName").SetZero()
			if !reflect.DeepEqual(got.Interface(), tc.v) {
				t.Errorf("round trip\n got: %+v\nwant: %+v", got.Interface(), tc.v)
			}
		})
	}
}

func BenchmarkMarshalListV2(b *testing.B) {
	l := &ListBucketResultV2{Name: "bucket", MaxKeys: 1000, KeyCount: 1000}
	for i := range 1000 {
		l.Contents = append(l.Contents, Object{Key: "photos/2024/IMG_" + strconv.Itoa(i) + ".jpg", LastModified: t1,
			ETag: `"fba9dede5f27731c9771645a39863328"`, Size: int64(i), StorageClass: "STANDARD"})
	}
	for b.Loop() {
		if _, err := Marshal(l); err != nil {
			b.Fatal(err)
		}
	}
}

func TestWrite(t *testing.T) {
	w := httptest.NewRecorder()
	if err := Write(w, http.StatusOK, &PolicyStatus{IsPublic: true}); err != nil {
		t.Fatal(err)
	}
	want, _ := Marshal(&PolicyStatus{IsPublic: true})
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/xml" ||
		w.Header().Get("Content-Length") != strconv.Itoa(len(want)) || !bytes.Equal(w.Body.Bytes(), want) {
		t.Errorf("status %d headers %v body %s", w.Code, w.Header(), w.Body)
	}
	if err := Write(httptest.NewRecorder(), http.StatusOK, make(chan int)); err == nil {
		t.Error("Write accepted an unencodable value")
	}
	var buf bytes.Buffer
	if err := Encode(&buf, &PolicyStatus{}); err != nil || !bytes.HasPrefix(buf.Bytes(), []byte(xml.Header)) {
		t.Errorf("Encode: %v %s", err, buf.Bytes())
	}
}
