package s3xml

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/verdict-project/verdict/protocol/awserr"
)

// fakeS3 is an S3 endpoint on 127.0.0.1 that answers every request with one
// canned body and keeps the last request body, so the AWS SDK's own
// serializers and deserializers check the shapes of this package.
type fakeS3 struct {
	srv    *httptest.Server
	reply  []byte
	status int
	got    []byte
}

func newFakeS3(t *testing.T) (*fakeS3, *s3.Client) {
	t.Helper()
	f := &fakeS3{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.got, _ = io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/xml")
		w.Header().Set("x-amz-request-id", "REQ")
		status := f.status
		if status == 0 {
			status = http.StatusOK
		}
		w.WriteHeader(status)
		_, _ = w.Write(f.reply)
	}))
	t.Cleanup(f.srv.Close)
	client := s3.New(s3.Options{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		BaseEndpoint:     aws.String(f.srv.URL),
		UsePathStyle:     true,
		HTTPClient:       f.srv.Client(),
		RetryMaxAttempts: 1,
	})
	return f, client
}

func (f *fakeS3) respond(t *testing.T, v any) {
	t.Helper()
	b, err := Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	f.reply, f.status = b, 0
}

// TestSDKReadsResponses serves each response shape and reads it with the
// SDK's client, checking that every element arrives in the right field.
func TestSDKReadsResponses(t *testing.T) {
	f, c := newFakeS3(t)
	ctx := context.Background()
	b, k := aws.String("b"), aws.String("k")
	tests := []struct {
		name  string
		reply any
		call  func() (any, error)
		check func(t *testing.T, out any)
	}{
		{"ListBuckets", &ListAllMyBucketsResult{Owner: owner,
			Buckets: Buckets{{Name: "alpha", CreationDate: t1, BucketRegion: "eu-west-1", BucketArn: "arn:aws:s3:::alpha"}}, ContinuationToken: "tok", Prefix: "al"},
			func() (any, error) { return c.ListBuckets(ctx, &s3.ListBucketsInput{}) },
			func(t *testing.T, out any) {
				o := out.(*s3.ListBucketsOutput)
				eq(t, aws.ToString(o.Owner.ID), owner.ID)
				eq(t, aws.ToString(o.Owner.DisplayName), "alice")
				eq(t, len(o.Buckets), 1)
				eq(t, aws.ToString(o.Buckets[0].Name), "alpha")
				eq(t, aws.ToTime(o.Buckets[0].CreationDate), t1.Time)
				eq(t, aws.ToString(o.Buckets[0].BucketRegion), "eu-west-1")
				eq(t, aws.ToString(o.Buckets[0].BucketArn), "arn:aws:s3:::alpha")
				eq(t, aws.ToString(o.ContinuationToken), "tok")
				eq(t, aws.ToString(o.Prefix), "al")
			}},
		{"ListObjectsV2", responseNamed("list_objects_v2"),
			func() (any, error) { return c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: b}) },
			func(t *testing.T, out any) {
				o := out.(*s3.ListObjectsV2Output)
				eq(t, aws.ToString(o.Name), "b")
				eq(t, aws.ToString(o.Prefix), "E")
				eq(t, aws.ToString(o.ContinuationToken), "c1")
				eq(t, aws.ToString(o.NextContinuationToken), "c2")
				eq(t, aws.ToString(o.StartAfter), "ExampleGuide.pdf")
				eq(t, aws.ToInt32(o.KeyCount), int32(2))
				eq(t, aws.ToInt32(o.MaxKeys), int32(2))
				eq(t, aws.ToString(o.Delimiter), "/")
				eq(t, aws.ToBool(o.IsTruncated), true)
				eq(t, len(o.Contents), 2)
				c0, c1 := o.Contents[0], o.Contents[1]
				eq(t, aws.ToString(c0.Key), "ExampleObject.txt")
				eq(t, aws.ToString(c0.ETag), `"599bab3ed2c697f1d26842727561fd94"`)
				eq(t, aws.ToTime(c0.LastModified), t1.Time)
				eq(t, aws.ToInt64(c0.Size), int64(857))
				eq(t, c0.StorageClass, types.ObjectStorageClassStandard)
				eq(t, c0.ChecksumAlgorithm, []types.ChecksumAlgorithm{types.ChecksumAlgorithmCrc64nvme})
				eq(t, c0.ChecksumType, types.ChecksumTypeFullObject)
				eq(t, c0.Owner == nil, true)
				eq(t, aws.ToString(c1.Key), "Ex & <odd>")
				eq(t, aws.ToTime(c1.LastModified), t2.UTC())
				eq(t, aws.ToString(c1.Owner.ID), owner.ID)
				eq(t, c1.StorageClass, types.ObjectStorageClassGlacier)
				eq(t, len(o.CommonPrefixes), 2)
				eq(t, aws.ToString(o.CommonPrefixes[1].Prefix), "Eb/")
			}},
		{"ListObjectsV2 url", responseNamed("list_objects_v2_url"),
			func() (any, error) {
				return c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: b, EncodingType: types.EncodingTypeUrl})
			},
			func(t *testing.T, out any) {
				o := out.(*s3.ListObjectsV2Output)
				eq(t, o.EncodingType, types.EncodingTypeUrl)
				eq(t, aws.ToString(o.Contents[0].Key), "run+books/a%2Bb+100%25.txt")
			}},
		{"ListObjects", responseNamed("list_objects_v1"),
			func() (any, error) { return c.ListObjects(ctx, &s3.ListObjectsInput{Bucket: b}) },
			func(t *testing.T, out any) {
				o := out.(*s3.ListObjectsOutput)
				eq(t, aws.ToString(o.Marker), "m")
				eq(t, aws.ToString(o.NextMarker), "photos/2006/")
				eq(t, aws.ToInt32(o.MaxKeys), int32(2))
				eq(t, aws.ToBool(o.IsTruncated), true)
				eq(t, aws.ToString(o.Contents[0].Owner.DisplayName), "alice")
				eq(t, aws.ToInt64(o.Contents[0].Size), int64(434234))
				eq(t, aws.ToString(o.CommonPrefixes[0].Prefix), "photos/2006/")
			}},
		{"GetBucketAcl", responseNamed("acl"),
			func() (any, error) { return c.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: b}) },
			func(t *testing.T, out any) {
				o := out.(*s3.GetBucketAclOutput)
				eq(t, aws.ToString(o.Owner.ID), owner.ID)
				eq(t, len(o.Grants), 3)
				g0, g1, g2 := o.Grants[0], o.Grants[1], o.Grants[2]
				eq(t, g0.Grantee.Type, types.TypeCanonicalUser)
				eq(t, aws.ToString(g0.Grantee.ID), owner.ID)
				eq(t, aws.ToString(g0.Grantee.DisplayName), "alice")
				eq(t, g0.Permission, types.PermissionFullControl)
				eq(t, g1.Grantee.Type, types.TypeGroup)
				eq(t, aws.ToString(g1.Grantee.URI), "http://acs.amazonaws.com/groups/global/AllUsers")
				eq(t, g1.Permission, types.PermissionRead)
				eq(t, g2.Grantee.Type, types.TypeAmazonCustomerByEmail)
				eq(t, aws.ToString(g2.Grantee.EmailAddress), "bob@example.com")
				eq(t, g2.Permission, types.PermissionWriteAcp)
			}},
		{"GetObjectAcl empty", responseNamed("acl_empty"),
			func() (any, error) { return c.GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: b, Key: k}) },
			func(t *testing.T, out any) {
				o := out.(*s3.GetObjectAclOutput)
				eq(t, aws.ToString(o.Owner.ID), owner.ID)
				eq(t, len(o.Grants), 0)
			}},
		{"GetBucketLocation", &LocationConstraint{Region: "eu-west-1"},
			func() (any, error) { return c.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: b}) },
			func(t *testing.T, out any) {
				eq(t, out.(*s3.GetBucketLocationOutput).LocationConstraint, types.BucketLocationConstraintEuWest1)
			}},
		{"GetBucketLocation us-east-1", &LocationConstraint{},
			func() (any, error) { return c.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: b}) },
			func(t *testing.T, out any) {
				eq(t, out.(*s3.GetBucketLocationOutput).LocationConstraint, types.BucketLocationConstraint(""))
			}},
		{"GetBucketVersioning", responseNamed("versioning_enabled"),
			func() (any, error) { return c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: b}) },
			func(t *testing.T, out any) {
				o := out.(*s3.GetBucketVersioningOutput)
				eq(t, o.Status, types.BucketVersioningStatusEnabled)
				eq(t, o.MFADelete, types.MFADeleteStatusDisabled)
			}},
		{"GetBucketTagging", responseNamed("tagging"),
			func() (any, error) { return c.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: b}) },
			func(t *testing.T, out any) {
				o := out.(*s3.GetBucketTaggingOutput)
				eq(t, len(o.TagSet), 2)
				eq(t, aws.ToString(o.TagSet[1].Key), "env")
				eq(t, aws.ToString(o.TagSet[1].Value), "a&b")
			}},
		{"GetObjectTagging empty", responseNamed("tagging_empty"),
			func() (any, error) { return c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: b, Key: k}) },
			func(t *testing.T, out any) { eq(t, len(out.(*s3.GetObjectTaggingOutput).TagSet), 0) }},
		{"GetBucketEncryption", responseNamed("encryption_kms"),
			func() (any, error) { return c.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: b}) },
			func(t *testing.T, out any) {
				r := out.(*s3.GetBucketEncryptionOutput).ServerSideEncryptionConfiguration.Rules[0]
				eq(t, r.ApplyServerSideEncryptionByDefault.SSEAlgorithm, types.ServerSideEncryptionAwsKms)
				eq(t, aws.ToString(r.ApplyServerSideEncryptionByDefault.KMSMasterKeyID), "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")
				eq(t, aws.ToBool(r.BucketKeyEnabled), true)
			}},
		{"GetBucketOwnershipControls", responseNamed("ownership_controls"),
			func() (any, error) {
				return c.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: b})
			},
			func(t *testing.T, out any) {
				eq(t, out.(*s3.GetBucketOwnershipControlsOutput).OwnershipControls.Rules[0].ObjectOwnership, types.ObjectOwnershipBucketOwnerEnforced)
			}},
		{"GetPublicAccessBlock", responseNamed("public_access_block"),
			func() (any, error) { return c.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: b}) },
			func(t *testing.T, out any) {
				p := out.(*s3.GetPublicAccessBlockOutput).PublicAccessBlockConfiguration
				eq(t, []bool{aws.ToBool(p.BlockPublicAcls), aws.ToBool(p.IgnorePublicAcls), aws.ToBool(p.BlockPublicPolicy), aws.ToBool(p.RestrictPublicBuckets)},
					[]bool{true, true, false, true})
			}},
		{"GetBucketPolicyStatus", responseNamed("policy_status"),
			func() (any, error) { return c.GetBucketPolicyStatus(ctx, &s3.GetBucketPolicyStatusInput{Bucket: b}) },
			func(t *testing.T, out any) {
				eq(t, aws.ToBool(out.(*s3.GetBucketPolicyStatusOutput).PolicyStatus.IsPublic), true)
			}},
		{"GetBucketRequestPayment", responseNamed("request_payment"),
			func() (any, error) {
				return c.GetBucketRequestPayment(ctx, &s3.GetBucketRequestPaymentInput{Bucket: b})
			},
			func(t *testing.T, out any) {
				eq(t, out.(*s3.GetBucketRequestPaymentOutput).Payer, types.PayerRequester)
			}},
		{"DeleteObjects", responseNamed("delete_result"),
			func() (any, error) {
				return c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: b, Delete: &types.Delete{Objects: []types.ObjectIdentifier{{Key: k}}}})
			},
			func(t *testing.T, out any) {
				o := out.(*s3.DeleteObjectsOutput)
				eq(t, len(o.Deleted), 2)
				eq(t, aws.ToString(o.Deleted[1].VersionId), "v1")
				eq(t, aws.ToBool(o.Deleted[1].DeleteMarker), true)
				eq(t, aws.ToString(o.Deleted[1].DeleteMarkerVersionId), "dm1")
				eq(t, len(o.Errors), 1)
				eq(t, aws.ToString(o.Errors[0].Code), "AccessDenied")
				eq(t, aws.ToString(o.Errors[0].Key), "c")
			}},
		{"CopyObject", responseNamed("copy_object_checksum"),
			func() (any, error) {
				return c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: b, Key: k, CopySource: aws.String("src/k")})
			},
			func(t *testing.T, out any) {
				r := out.(*s3.CopyObjectOutput).CopyObjectResult
				eq(t, aws.ToString(r.ETag), `"e"`)
				eq(t, aws.ToTime(r.LastModified), t1.Time)
				eq(t, aws.ToString(r.ChecksumCRC32), "AAAAAA==")
				eq(t, r.ChecksumType, types.ChecksumTypeFullObject)
			}},
		{"UploadPartCopy", responseNamed("copy_part"),
			func() (any, error) {
				return c.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: b, Key: k, CopySource: aws.String("src/k"),
					PartNumber: aws.Int32(1), UploadId: aws.String("u")})
			},
			func(t *testing.T, out any) {
				r := out.(*s3.UploadPartCopyOutput).CopyPartResult
				eq(t, aws.ToString(r.ETag), `"b0c6f0e7e054ab8fa2536a2677f8734d"`)
				eq(t, aws.ToTime(r.LastModified), t2.UTC())
			}},
		{"CreateMultipartUpload", responseNamed("initiate_multipart"),
			func() (any, error) {
				return c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: b, Key: k})
			},
			func(t *testing.T, out any) {
				o := out.(*s3.CreateMultipartUploadOutput)
				eq(t, aws.ToString(o.Bucket), "example-bucket")
				eq(t, aws.ToString(o.UploadId), "VXBsb2FkIElE")
			}},
		{"CompleteMultipartUpload", responseNamed("complete_multipart"),
			func() (any, error) {
				return c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: b, Key: k, UploadId: aws.String("u"),
					MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: aws.String("e")}}}})
			},
			func(t *testing.T, out any) {
				o := out.(*s3.CompleteMultipartUploadOutput)
				eq(t, aws.ToString(o.Location), "http://example-bucket.s3.amazonaws.com/Example-Object")
				eq(t, aws.ToString(o.ETag), `"3858f62230ac3c915f300c664312c11f-9"`)
				eq(t, aws.ToString(o.ChecksumCRC32C), "abc=")
				eq(t, aws.ToString(o.ChecksumSHA256), "def=")
				eq(t, o.ChecksumType, types.ChecksumTypeComposite)
			}},
		{"ListParts", responseNamed("list_parts"),
			func() (any, error) {
				return c.ListParts(ctx, &s3.ListPartsInput{Bucket: b, Key: k, UploadId: aws.String("u")})
			},
			func(t *testing.T, out any) {
				o := out.(*s3.ListPartsOutput)
				eq(t, aws.ToString(o.Initiator.ID), "arn:aws:iam::111122223333:user/some-user")
				eq(t, aws.ToString(o.PartNumberMarker), "1")
				eq(t, aws.ToString(o.NextPartNumberMarker), "3")
				eq(t, aws.ToInt32(o.MaxParts), int32(2))
				eq(t, aws.ToBool(o.IsTruncated), true)
				eq(t, len(o.Parts), 2)
				eq(t, aws.ToInt32(o.Parts[1].PartNumber), int32(3))
				eq(t, aws.ToString(o.Parts[1].ChecksumSHA1), "sha=")
				eq(t, aws.ToInt64(o.Parts[0].Size), int64(10485760))
				eq(t, o.ChecksumAlgorithm, types.ChecksumAlgorithmSha1)
				eq(t, o.StorageClass, types.StorageClassStandard)
			}},
		{"ListMultipartUploads", responseNamed("list_multipart_uploads"),
			func() (any, error) { return c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: b}) },
			func(t *testing.T, out any) {
				o := out.(*s3.ListMultipartUploadsOutput)
				eq(t, aws.ToString(o.NextKeyMarker), "my-movie.m2ts")
				eq(t, aws.ToString(o.NextUploadIdMarker), "YW55IGlk")
				eq(t, aws.ToInt32(o.MaxUploads), int32(3))
				eq(t, len(o.Uploads), 1)
				eq(t, aws.ToString(o.Uploads[0].UploadId), "XMgbGlr")
				eq(t, aws.ToTime(o.Uploads[0].Initiated), t1.Time)
				eq(t, aws.ToString(o.Uploads[0].Owner.ID), owner.ID)
				eq(t, aws.ToString(o.CommonPrefixes[0].Prefix), "my-photos/")
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f.respond(t, tc.reply)
			out, err := tc.call()
			if err != nil {
				t.Fatalf("SDK call failed: %v", err)
			}
			tc.check(t, out)
		})
	}
}

// TestSDKRequestBodiesDecode sends each request body with the SDK and decodes
// what arrived, proving Decode reads what real clients write.
func TestSDKRequestBodiesDecode(t *testing.T) {
	f, c := newFakeS3(t)
	ctx := context.Background()
	b, k := aws.String("b"), aws.String("k")
	tests := []struct {
		name string
		call func() error
		into any
		want any
	}{
		{"PutBucketAcl", func() error {
			_, err := c.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: b, AccessControlPolicy: &types.AccessControlPolicy{
				Owner: &types.Owner{ID: aws.String("o")},
				Grants: []types.Grant{
					{Grantee: &types.Grantee{Type: types.TypeCanonicalUser, ID: aws.String("o")}, Permission: types.PermissionFullControl},
					{Grantee: &types.Grantee{Type: types.TypeGroup, URI: aws.String("http://acs.amazonaws.com/groups/s3/LogDelivery")}, Permission: types.PermissionWrite},
					{Grantee: &types.Grantee{Type: types.TypeAmazonCustomerByEmail, EmailAddress: aws.String("e@example.com")}, Permission: types.PermissionReadAcp},
				}}})
			return err
		}, &AccessControlPolicy{}, &AccessControlPolicy{Owner: Owner{ID: "o"}, AccessControlList: AccessControlList{
			{Grantee: &Grantee{Type: GranteeCanonicalUser, ID: "o"}, Permission: PermFullControl},
			{Grantee: &Grantee{Type: GranteeGroup, URI: "http://acs.amazonaws.com/groups/s3/LogDelivery"}, Permission: PermWrite},
			{Grantee: &Grantee{Type: GranteeEmail, EmailAddress: "e@example.com"}, Permission: PermReadACP},
		}}},
		{"PutObjectTagging", func() error {
			_, err := c.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: b, Key: k, Tagging: &types.Tagging{
				TagSet: []types.Tag{{Key: aws.String("a"), Value: aws.String("1")}, {Key: aws.String("b"), Value: aws.String("")}}}})
			return err
		}, &Tagging{}, &Tagging{TagSet: TagSet{{"a", "1"}, {"b", ""}}}},
		{"PutBucketVersioning", func() error {
			_, err := c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: b,
				VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusSuspended}})
			return err
		}, &VersioningConfiguration{}, &VersioningConfiguration{Status: "Suspended"}},
		{"PutBucketEncryption", func() error {
			_, err := c.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: b,
				ServerSideEncryptionConfiguration: &types.ServerSideEncryptionConfiguration{Rules: []types.ServerSideEncryptionRule{{
					ApplyServerSideEncryptionByDefault: &types.ServerSideEncryptionByDefault{SSEAlgorithm: types.ServerSideEncryptionAwsKms, KMSMasterKeyID: aws.String("key")},
					BucketKeyEnabled:                   aws.Bool(true)}}}})
			return err
		}, &ServerSideEncryptionConfiguration{}, &ServerSideEncryptionConfiguration{Rules: []ServerSideEncryptionRule{{
			ApplyServerSideEncryptionByDefault: &ServerSideEncryptionByDefault{SSEAlgorithm: "aws:kms", KMSMasterKeyID: "key"}, BucketKeyEnabled: true}}}},
		{"PutBucketOwnershipControls", func() error {
			_, err := c.PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{Bucket: b,
				OwnershipControls: &types.OwnershipControls{Rules: []types.OwnershipControlsRule{{ObjectOwnership: types.ObjectOwnershipBucketOwnerPreferred}}}})
			return err
		}, &OwnershipControls{}, &OwnershipControls{Rules: []OwnershipControlsRule{{"BucketOwnerPreferred"}}}},
		{"PutPublicAccessBlock", func() error {
			_, err := c.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: b,
				PublicAccessBlockConfiguration: &types.PublicAccessBlockConfiguration{BlockPublicAcls: aws.Bool(true), RestrictPublicBuckets: aws.Bool(true)}})
			return err
		}, &PublicAccessBlockConfiguration{}, &PublicAccessBlockConfiguration{BlockPublicAcls: true, RestrictPublicBuckets: true}},
		{"PutBucketRequestPayment", func() error {
			_, err := c.PutBucketRequestPayment(ctx, &s3.PutBucketRequestPaymentInput{Bucket: b,
				RequestPaymentConfiguration: &types.RequestPaymentConfiguration{Payer: types.PayerRequester}})
			return err
		}, &RequestPaymentConfiguration{}, &RequestPaymentConfiguration{Payer: "Requester"}},
		{"CreateBucket", func() error {
			_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: b,
				CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraintEuWest1}})
			return err
		}, &CreateBucketConfiguration{}, &CreateBucketConfiguration{LocationConstraint: "eu-west-1"}},
		{"DeleteObjects", func() error {
			_, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: b, Delete: &types.Delete{Quiet: aws.Bool(true),
				Objects: []types.ObjectIdentifier{{Key: aws.String("a & b")}, {Key: aws.String("c"), VersionId: aws.String("v"), ETag: aws.String(`"e"`)}}}})
			return err
		}, &Delete{}, &Delete{Quiet: true, Objects: []ObjectIdentifier{{Key: "a & b"}, {Key: "c", VersionID: "v", ETag: `"e"`}}}},
		{"CompleteMultipartUpload", func() error {
			_, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: b, Key: k, UploadId: aws.String("u"),
				MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{
					{PartNumber: aws.Int32(1), ETag: aws.String(`"a"`), ChecksumCRC32: aws.String("x=")},
					{PartNumber: aws.Int32(2), ETag: aws.String(`"b"`)}}}})
			return err
		}, &CompleteMultipartUpload{}, &CompleteMultipartUpload{Parts: []CompletedPart{
			{ETag: `"a"`, PartNumber: 1, Checksums: Checksums{ChecksumCRC32: "x="}}, {ETag: `"b"`, PartNumber: 2}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Any well-formed answer will do; CompleteMultipartUpload needs
			// its result document.
			f.respond(t, &CompleteMultipartUploadResult{})
			if err := tc.call(); err != nil {
				t.Fatalf("SDK call failed: %v", err)
			}
			if err := Decode(bytes.NewReader(f.got), 0, tc.into); err != nil {
				t.Fatalf("Decode(%s): %v", f.got, err)
			}
			reflect.ValueOf(tc.into).Elem().FieldByName("XMLName").SetZero()
			if !reflect.DeepEqual(tc.into, tc.want) {
				t.Errorf("decoded %+v\nwant    %+v\nbody: %s", tc.into, tc.want, f.got)
			}
		})
	}
}

// TestSDKReadsError checks that awserr's S3 body, with the codes this package
// returns, reaches the SDK as the same code and message.
func TestSDKReadsError(t *testing.T) {
	f, c := newFakeS3(t)
	e := InvalidPartOrder()
	f.reply, f.status = awserr.S3Body(e, "REQ", "HOST", "/b/k"), e.Status
	_, err := c.CompleteMultipartUpload(context.Background(), &s3.CompleteMultipartUploadInput{Bucket: aws.String("b"), Key: aws.String("k"),
		UploadId: aws.String("u"), MultipartUpload: &types.CompletedMultipartUpload{}})
	var api interface {
		ErrorCode() string
		ErrorMessage() string
	}
	if !errors.As(err, &api) || api.ErrorCode() != e.Code || api.ErrorMessage() != e.Message {
		t.Fatalf("error = %v", err)
	}
}

func responseNamed(name string) any {
	for _, r := range responses() {
		if r.name == name {
			return r.v
		}
	}
	panic("no response named " + name)
}

func eq[T any](t *testing.T, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v, want %#v", got, want)
	}
}
