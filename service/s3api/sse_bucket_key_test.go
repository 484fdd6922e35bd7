package s3api

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// putDefaultKMS sets bucket's default encryption to SSE-KMS under keyARN,
// with or without S3 Bucket Keys.
func (e *sseEnv) putDefaultKMS(account, bucket, keyARN string, bucketKey bool) {
	e.t.Helper()
	if _, err := e.s3(rootOf(account)).PutBucketEncryption(context.Background(), &s3.PutBucketEncryptionInput{Bucket: aws.String(bucket),
		ServerSideEncryptionConfiguration: &types.ServerSideEncryptionConfiguration{Rules: []types.ServerSideEncryptionRule{{
			ApplyServerSideEncryptionByDefault: &types.ServerSideEncryptionByDefault{SSEAlgorithm: types.ServerSideEncryptionAwsKms, KMSMasterKeyID: aws.String(keyARN)},
			BucketKeyEnabled:                   aws.Bool(bucketKey)}}}}); err != nil {
		e.t.Fatal(err)
	}
}

// putKeyPolicy replaces the key policy of keyARN (owned by account).
func (e *sseEnv) putKeyPolicy(account, keyARN, policy string) {
	e.t.Helper()
	if _, err := e.kms(rootOf(account)).PutKeyPolicy(context.Background(), &kms.PutKeyPolicyInput{KeyId: aws.String(keyARN),
		PolicyName: aws.String("default"), Policy: aws.String(policy)}); err != nil {
		e.t.Fatal(err)
	}
}

// contextKeyPolicy is a key policy of owner's key that lets user's
// account generate data keys and decrypt only when the encryption context
// aws:s3:arn is arn, through S3.
func contextKeyPolicy(owner, user, arn string) string {
	return `{"Version":"2012-10-17","Statement":[
 {"Sid":"Owner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + owner + `:root"},"Action":"kms:*","Resource":"*"},
 {"Sid":"User via S3 with this context","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + user + `:root"},
  "Action":["kms:GenerateDataKey","kms:Decrypt"],"Resource":"*",
  "Condition":{"StringEquals":{"kms:EncryptionContext:aws:s3:arn":"` + arn + `","kms:ViaService":"s3.us-east-1.amazonaws.com"}}}]}`
}

// readWritePolicyFor lets account put and get every object of bucket.
func readWritePolicyFor(account, bucket string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + account +
		`:root"},"Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::` + bucket + `/*"}]}`
}

// TestSSEBucketKeyContext: the encryption context a key policy condition
// on kms:EncryptionContext:aws:s3:arn sees is the bucket ARN for an object
// with an S3 Bucket Key and the object ARN without; the request header
// overrides the bucket default both ways. A (another account) writes and
// reads in B's bucket under B's key.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/configuring-bucket-key-object.html
func TestSSEBucketKeyContext(t *testing.T) {
	const (
		bucketARN = "arn:aws:s3:::bkt"
		objectARN = "arn:aws:s3:::bkt/o"
	)
	tests := []struct {
		name          string
		bucketDefault bool
		header        *bool
		condition     string // the only aws:s3:arn the key policy allows
		wantPut       string // error code, "" for success
		wantBucketKey bool
	}{
		{name: "default on, no header: bucket ARN", bucketDefault: true, condition: bucketARN, wantBucketKey: true},
		{name: "default on, no header: object ARN refused", bucketDefault: true, condition: objectARN, wantPut: "AccessDenied"},
		{name: "default off, no header: object ARN", condition: objectARN},
		{name: "default off, no header: bucket ARN refused", condition: bucketARN, wantPut: "AccessDenied"},
		{name: "header true overrides default off", header: aws.Bool(true), condition: bucketARN, wantBucketKey: true},
		{name: "header true overrides default off: object ARN refused", header: aws.Bool(true), condition: objectARN, wantPut: "AccessDenied"},
		{name: "header false overrides default on", bucketDefault: true, header: aws.Bool(false), condition: objectARN},
		{name: "header false overrides default on: bucket ARN refused", bucketDefault: true, header: aws.Bool(false), condition: bucketARN, wantPut: "AccessDenied"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			e := newSSEEnv(t, true)
			e.bucket(acctB, "bkt", readWritePolicyFor(acctA, "bkt"))
			keyARN := e.key(acctB)
			e.putDefaultKMS(acctB, "bkt", keyARN, tt.bucketDefault)
			e.putKeyPolicy(acctB, keyARN, contextKeyPolicy(acctB, acctA, tt.condition))
			a := e.s3(rootOf(acctA))
			put, err := a.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bkt"), Key: aws.String("o"), Body: strings.NewReader("hello"),
				BucketKeyEnabled: tt.header})
			if got := apiCode(err); got != tt.wantPut {
				t.Fatalf("PutObject: %q (%v), want %q", got, err, tt.wantPut)
			}
			if err != nil {
				return
			}
			if aws.ToBool(put.BucketKeyEnabled) != tt.wantBucketKey || aws.ToString(put.SSEKMSKeyId) != keyARN {
				t.Errorf("PutObject: bucket key %v under %s, want %v under %s", aws.ToBool(put.BucketKeyEnabled), aws.ToString(put.SSEKMSKeyId), tt.wantBucketKey, keyARN)
			}
			if body, err := e.get(rootOf(acctA), "bkt", "o"); err != nil || body != "hello" {
				t.Fatalf("GetObject = %q, %v", body, err)
			}
			// kms:Decrypt on read sees the same context: allowing only the
			// other ARN refuses the read.
			other := bucketARN
			if tt.condition == bucketARN {
				other = objectARN
			}
			e.putKeyPolicy(acctB, keyARN, contextKeyPolicy(acctB, acctA, other))
			if _, err := e.get(rootOf(acctA), "bkt", "o"); apiCode(err) != "AccessDenied" {
				t.Errorf("GetObject with only %s allowed: %v", other, err)
			}
		})
	}
}

// TestSSEBucketKeyResponses: every response about an object with an S3
// Bucket Key says so, and none about one without.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html#API_PutObject_ResponseSyntax
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html#API_GetObject_ResponseSyntax
func TestSSEBucketKeyResponses(t *testing.T) {
	ctx := context.Background()
	e := newSSEEnv(t, true)
	e.bucket(acctA, "bkt", "")
	keyARN := e.key(acctA)
	e.putDefaultKMS(acctA, "bkt", keyARN, true)
	c := e.s3(rootOf(acctA))
	put := func(key string, in *s3.PutObjectInput) (*s3.PutObjectOutput, error) {
		in.Bucket, in.Key, in.Body = aws.String("bkt"), aws.String(key), strings.NewReader("hello")
		return c.PutObject(ctx, in)
	}
	head := func(key string) (types.ServerSideEncryption, bool, error) {
		out, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("bkt"), Key: aws.String(key)})
		if err != nil {
			return "", false, err
		}
		return out.ServerSideEncryption, aws.ToBool(out.BucketKeyEnabled), nil
	}
	get := func(key string) (types.ServerSideEncryption, bool, error) {
		out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bkt"), Key: aws.String(key)})
		if err != nil {
			return "", false, err
		}
		defer out.Body.Close()
		return out.ServerSideEncryption, aws.ToBool(out.BucketKeyEnabled), nil
	}
	var mpID *string
	var part1 *string
	tests := []struct {
		name string
		do   func() (types.ServerSideEncryption, bool, error)
		sse  types.ServerSideEncryption
		bk   bool
	}{
		{name: "PutObject under bucket default", do: func() (types.ServerSideEncryption, bool, error) {
			out, err := put("bk", &s3.PutObjectInput{})
			if err != nil {
				return "", false, err
			}
			return out.ServerSideEncryption, aws.ToBool(out.BucketKeyEnabled), nil
		}, sse: types.ServerSideEncryptionAwsKms, bk: true},
		{name: "GetObject", do: func() (types.ServerSideEncryption, bool, error) { return get("bk") }, sse: types.ServerSideEncryptionAwsKms, bk: true},
		{name: "HeadObject", do: func() (types.ServerSideEncryption, bool, error) { return head("bk") }, sse: types.ServerSideEncryptionAwsKms, bk: true},
		{name: "CopyObject", do: func() (types.ServerSideEncryption, bool, error) {
			out, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("bkt"), Key: aws.String("bk-copy"), CopySource: aws.String("bkt/bk")})
			if err != nil {
				return "", false, err
			}
			return out.ServerSideEncryption, aws.ToBool(out.BucketKeyEnabled), nil
		}, sse: types.ServerSideEncryptionAwsKms, bk: true},
		{name: "HeadObject of the copy", do: func() (types.ServerSideEncryption, bool, error) { return head("bk-copy") }, sse: types.ServerSideEncryptionAwsKms, bk: true},
		{name: "CopyObject with header false", do: func() (types.ServerSideEncryption, bool, error) {
			out, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("bkt"), Key: aws.String("no-bk-copy"), CopySource: aws.String("bkt/bk"),
				BucketKeyEnabled: aws.Bool(false)})
			if err != nil {
				return "", false, err
			}
			return out.ServerSideEncryption, aws.ToBool(out.BucketKeyEnabled), nil
		}, sse: types.ServerSideEncryptionAwsKms},
		{name: "GetObject of that copy", do: func() (types.ServerSideEncryption, bool, error) { return get("no-bk-copy") }, sse: types.ServerSideEncryptionAwsKms},
		{name: "CreateMultipartUpload", do: func() (types.ServerSideEncryption, bool, error) {
			out, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("bkt"), Key: aws.String("mp")})
			if err != nil {
				return "", false, err
			}
			mpID = out.UploadId
			return out.ServerSideEncryption, aws.ToBool(out.BucketKeyEnabled), nil
		}, sse: types.ServerSideEncryptionAwsKms, bk: true},
		{name: "UploadPart", do: func() (types.ServerSideEncryption, bool, error) {
			out, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("bkt"), Key: aws.String("mp"), UploadId: mpID, PartNumber: aws.Int32(1),
				Body: strings.NewReader("part")})
			if err != nil {
				return "", false, err
			}
			part1 = out.ETag
			return out.ServerSideEncryption, aws.ToBool(out.BucketKeyEnabled), nil
		}, sse: types.ServerSideEncryptionAwsKms, bk: true},
		{name: "CompleteMultipartUpload", do: func() (types.ServerSideEncryption, bool, error) {
			out, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("bkt"), Key: aws.String("mp"), UploadId: mpID,
				MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: part1}}}})
			if err != nil {
				return "", false, err
			}
			return out.ServerSideEncryption, aws.ToBool(out.BucketKeyEnabled), nil
		}, sse: types.ServerSideEncryptionAwsKms, bk: true},
		{name: "GetObject of the multipart object", do: func() (types.ServerSideEncryption, bool, error) { return get("mp") }, sse: types.ServerSideEncryptionAwsKms, bk: true},
		{name: "PutObject with header false", do: func() (types.ServerSideEncryption, bool, error) {
			out, err := put("no-bk", &s3.PutObjectInput{BucketKeyEnabled: aws.Bool(false)})
			if err != nil {
				return "", false, err
			}
			return out.ServerSideEncryption, aws.ToBool(out.BucketKeyEnabled), nil
		}, sse: types.ServerSideEncryptionAwsKms},
		{name: "HeadObject without a bucket key", do: func() (types.ServerSideEncryption, bool, error) { return head("no-bk") }, sse: types.ServerSideEncryptionAwsKms},
		// S3 Bucket Keys apply to SSE-KMS only: SSE-S3 has no use for one
		// and DSSE-KMS does not support it.
		// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html
		{name: "SSE-S3 with header true", do: func() (types.ServerSideEncryption, bool, error) {
			out, err := put("s3", &s3.PutObjectInput{ServerSideEncryption: types.ServerSideEncryptionAes256, BucketKeyEnabled: aws.Bool(true)})
			if err != nil {
				return "", false, err
			}
			return out.ServerSideEncryption, aws.ToBool(out.BucketKeyEnabled), nil
		}, sse: types.ServerSideEncryptionAes256},
		{name: "HeadObject of the SSE-S3 object", do: func() (types.ServerSideEncryption, bool, error) { return head("s3") }, sse: types.ServerSideEncryptionAes256},
		{name: "DSSE-KMS in a bucket with bucket keys", do: func() (types.ServerSideEncryption, bool, error) {
			out, err := put("dsse", &s3.PutObjectInput{ServerSideEncryption: types.ServerSideEncryptionAwsKmsDsse, SSEKMSKeyId: aws.String(keyARN)})
			if err != nil {
				return "", false, err
			}
			return out.ServerSideEncryption, aws.ToBool(out.BucketKeyEnabled), nil
		}, sse: types.ServerSideEncryptionAwsKmsDsse},
		{name: "DSSE-KMS with header true", do: func() (types.ServerSideEncryption, bool, error) {
			out, err := put("dsse2", &s3.PutObjectInput{ServerSideEncryption: types.ServerSideEncryptionAwsKmsDsse, SSEKMSKeyId: aws.String(keyARN),
				BucketKeyEnabled: aws.Bool(true)})
			if err != nil {
				return "", false, err
			}
			return out.ServerSideEncryption, aws.ToBool(out.BucketKeyEnabled), nil
		}, sse: types.ServerSideEncryptionAwsKmsDsse},
		{name: "GetObject of the DSSE-KMS object", do: func() (types.ServerSideEncryption, bool, error) { return get("dsse2") }, sse: types.ServerSideEncryptionAwsKmsDsse},
	}
	// Steps depend on earlier ones (copy source, upload ID): stop at the
	// first failure.
	for _, tt := range tests {
		if !t.Run(tt.name, func(t *testing.T) {
			sse, bk, err := tt.do()
			if err != nil {
				t.Fatal(err)
			}
			if sse != tt.sse || bk != tt.bk {
				t.Errorf("SSE %q, bucket key %v; want %q, %v", sse, bk, tt.sse, tt.bk)
			}
		}) {
			return
		}
	}
}

// TestSSEBucketKeyBadHeader: a bucket key header that is not a boolean is
// refused. UNCONFIRMED against AWS (see useBucketKey).
func TestSSEBucketKeyBadHeader(t *testing.T) {
	e := newSSEEnv(t, true)
	e.bucket(acctA, "bkt", "")
	c := s3.NewFromConfig(e.cfg(rootOf(acctA)), func(o *s3.Options) { o.UsePathStyle = true },
		s3.WithAPIOptions(smithyhttp.SetHeaderValue(bucketKeyHeader, "maybe")))
	_, err := c.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String("bkt"), Key: aws.String("o"), Body: strings.NewReader("hello"),
		ServerSideEncryption: types.ServerSideEncryptionAwsKms})
	if apiCode(err) != "InvalidArgument" {
		t.Errorf("PutObject: %v", err)
	}
}

// TestSSEBucketKeyRecorded: an object keeps the S3 Bucket Key setting and
// encryption context it was written with. Changing the bucket default
// affects new objects only; objects (and multipart uploads) from before
// still read back under their recorded context; a copy source is read
// under its own context while the copy takes its destination's.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/configuring-bucket-key.html
func TestSSEBucketKeyRecorded(t *testing.T) {
	ctx := context.Background()
	e := newSSEEnv(t, true)
	e.bucket(acctA, "bkt", "")
	e.bucket(acctA, "dst", "")
	keyARN := e.key(acctA)
	c := e.s3(rootOf(acctA))
	putObj := func(key string) {
		t.Helper()
		if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bkt"), Key: aws.String(key), Body: strings.NewReader("body of " + key)}); err != nil {
			t.Fatal(err)
		}
	}
	e.putDefaultKMS(acctA, "bkt", keyARN, true)
	putObj("before")
	// A multipart upload started with a Bucket Key keeps it for its parts
	// and the completed object, whatever the default is by then.
	mp, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("bkt"), Key: aws.String("mp")})
	if err != nil {
		t.Fatal(err)
	}
	e.putDefaultKMS(acctA, "bkt", keyARN, false)
	putObj("after")
	p1, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("bkt"), Key: aws.String("mp"), UploadId: mp.UploadId, PartNumber: aws.Int32(1), Body: strings.NewReader("body of mp")})
	if err != nil {
		t.Fatal(err)
	}
	if !aws.ToBool(p1.BucketKeyEnabled) {
		t.Error("UploadPart after the default changed lost the upload's bucket key")
	}
	if _, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("bkt"), Key: aws.String("mp"), UploadId: mp.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: p1.ETag}}}}); err != nil {
		t.Fatal(err)
	}
	// Copy "before" (read under arn:aws:s3:::bkt) into a bucket without
	// bucket keys (written under the object ARN): the key policy allows
	// exactly those two contexts for the caller's uses.
	e.putDefaultKMS(acctA, "dst", keyARN, false)
	copier := e.user(acctA, "copier", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"*"},
 {"Effect":"Allow","Action":"kms:Decrypt","Resource":"`+keyARN+`","Condition":{"StringEquals":{"kms:EncryptionContext:aws:s3:arn":"arn:aws:s3:::bkt"}}},
 {"Effect":"Allow","Action":"kms:GenerateDataKey","Resource":"`+keyARN+`","Condition":{"StringEquals":{"kms:EncryptionContext:aws:s3:arn":"arn:aws:s3:::dst/copy"}}}]}`, true)
	cp, err := e.s3(copier).CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("dst"), Key: aws.String("copy"), CopySource: aws.String("bkt/before")})
	if err != nil {
		t.Fatalf("CopyObject: %v", err)
	}
	if aws.ToBool(cp.BucketKeyEnabled) {
		t.Error("copy into a bucket without bucket keys reports one")
	}
	tests := []struct {
		bucket, key string
		bucketKey   bool
	}{
		{bucket: "bkt", key: "before", bucketKey: true},
		{bucket: "bkt", key: "after"},
		{bucket: "bkt", key: "mp", bucketKey: true},
		{bucket: "dst", key: "copy"},
	}
	for _, tt := range tests {
		t.Run(tt.bucket+"/"+tt.key, func(t *testing.T) {
			out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(tt.bucket), Key: aws.String(tt.key)})
			if err != nil {
				t.Fatal(err)
			}
			defer out.Body.Close()
			b, err := io.ReadAll(out.Body)
			if err != nil {
				t.Fatal(err)
			}
			want := "body of " + tt.key
			if tt.key == "copy" {
				want = "body of before"
			}
			if string(b) != want {
				t.Errorf("body %q, want %q", string(b), want)
			}
			if aws.ToBool(out.BucketKeyEnabled) != tt.bucketKey {
				t.Errorf("bucket key %v, want %v", aws.ToBool(out.BucketKeyEnabled), tt.bucketKey)
			}
		})
	}
}
