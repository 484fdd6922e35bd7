package s3api

import (
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/verdict-project/verdict/decisionlog"
	"github.com/verdict-project/verdict/inputs"
	"github.com/verdict-project/verdict/server"
	"github.com/verdict-project/verdict/service"
	"github.com/verdict-project/verdict/service/iamapi"
	"github.com/verdict-project/verdict/service/kmsapi"
	"github.com/verdict-project/verdict/store/blob"
	"github.com/verdict-project/verdict/store/memory"
)

// sseEnv is a server with S3, IAM and KMS whose blobs are encrypted.
type sseEnv struct {
	t     testing.TB
	raw   *memory.Blobs
	blobs blob.Store
	srv   *httptest.Server
}

type sseCreds struct{ id, secret string }

func newSSEEnv(t testing.TB, encrypt bool) *sseEnv {
	t.Helper()
	master := make([]byte, 32)
	_, _ = rand.Read(master)
	k, err := kmsapi.New(master)
	if err != nil {
		t.Fatal(err)
	}
	raw := memory.NewBlobs()
	var blobs blob.Store = raw
	if encrypt {
		blobs = ObjectBlobs(raw, k.Keyring(), SealAll)
	}
	env := &service.Env{Store: memory.New(), Blobs: blobs, Compiler: inputs.NewCompiler(), Log: decisionlog.New(100),
		Region: "us-east-1", RootSecret: rootSecret}
	UseKMS(env, k)
	s := server.New(env, time.Now)
	s.Register("s3", New())
	s.Register("iam", iamapi.New())
	s.Register("kms", k)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return &sseEnv{t: t, raw: raw, blobs: blobs, srv: ts}
}

func (e *sseEnv) cfg(c sseCreds) aws.Config {
	return aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider(c.id, c.secret, ""),
		BaseEndpoint: aws.String(e.srv.URL), HTTPClient: e.srv.Client(), RetryMaxAttempts: 1}
}

func rootOf(account string) sseCreds { return sseCreds{account, rootSecret} }

func (e *sseEnv) s3(c sseCreds) *s3.Client {
	return s3.NewFromConfig(e.cfg(c), func(o *s3.Options) { o.UsePathStyle = true })
}

func (e *sseEnv) kms(c sseCreds) *kms.Client { return kms.NewFromConfig(e.cfg(c)) }

// user creates (or updates the policy of) an IAM user and returns its keys
// on creation.
func (e *sseEnv) user(account, name, policy string, create bool) sseCreds {
	e.t.Helper()
	ctx := context.Background()
	c := iam.NewFromConfig(e.cfg(rootOf(account)))
	if create {
		if _, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}); err != nil {
			e.t.Fatal(err)
		}
	}
	if _, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(name), PolicyName: aws.String("p"), PolicyDocument: aws.String(policy)}); err != nil {
		e.t.Fatal(err)
	}
	if !create {
		return sseCreds{}
	}
	out, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})
	if err != nil {
		e.t.Fatal(err)
	}
	return sseCreds{aws.ToString(out.AccessKey.AccessKeyId), aws.ToString(out.AccessKey.SecretAccessKey)}
}

func (e *sseEnv) bucket(account, name, policy string) {
	e.t.Helper()
	ctx := context.Background()
	c := e.s3(rootOf(account))
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		e.t.Fatal(err)
	}
	if policy != "" {
		if _, err := c.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: aws.String(name), PublicAccessBlockConfiguration: &types.PublicAccessBlockConfiguration{
			BlockPublicAcls: aws.Bool(false), BlockPublicPolicy: aws.Bool(false), IgnorePublicAcls: aws.Bool(false), RestrictPublicBuckets: aws.Bool(false)}}); err != nil {
			e.t.Fatal(err)
		}
		if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(name), Policy: aws.String(policy)}); err != nil {
			e.t.Fatal(err)
		}
	}
}

func (e *sseEnv) key(account string) string {
	e.t.Helper()
	out, err := e.kms(rootOf(account)).CreateKey(context.Background(), &kms.CreateKeyInput{})
	if err != nil {
		e.t.Fatal(err)
	}
	return aws.ToString(out.KeyMetadata.Arn)
}

func (e *sseEnv) get(c sseCreds, bucket, key string) (string, error) {
	out, err := e.s3(c).GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return "", err
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	return string(b), err
}

// readPolicyFor lets account read every object of bucket.
func readPolicyFor(account, bucket string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + account +
		`:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::` + bucket + `/*"}]}`
}

// TestSSEKMSCrossAccountRead: an SSE-KMS object in B's bucket is readable
// by A's user only when B's key policy allows A and A's IAM policy allows
// kms:Decrypt on the key.
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
func TestSSEKMSCrossAccountRead(t *testing.T) {
	ctx := context.Background()
	e := newSSEEnv(t, true)
	e.bucket(acctB, "bkt", readPolicyFor(acctA, "bkt"))
	keyARN := e.key(acctB)
	put, err := e.s3(rootOf(acctB)).PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bkt"), Key: aws.String("o"), Body: strings.NewReader("hello"),
		ServerSideEncryption: types.ServerSideEncryptionAwsKms, SSEKMSKeyId: aws.String(keyARN)})
	if err != nil {
		t.Fatal(err)
	}
	if put.ServerSideEncryption != types.ServerSideEncryptionAwsKms || aws.ToString(put.SSEKMSKeyId) != keyARN {
		t.Errorf("PutObject SSE = %s %s", put.ServerSideEncryption, aws.ToString(put.SSEKMSKeyId))
	}
	s3Only := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	withKMS := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Effect":"Allow","Action":"kms:Decrypt","Resource":"` + keyARN + `"}]}`
	alice := e.user(acctA, "alice", s3Only, true)
	keyPolicy := `{"Version":"2012-10-17","Statement":[
 {"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acctB + `:root"},"Action":"kms:*","Resource":"*"},
 {"Sid":"A may decrypt","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acctA + `:root"},"Action":"kms:Decrypt","Resource":"*"}]}`
	steps := []struct {
		name string
		do   func()
		want string
	}{
		{name: "neither allows", do: func() {}, want: "AccessDenied"},
		{name: "IAM allows, key policy does not", do: func() { e.user(acctA, "alice", withKMS, false) }, want: "AccessDenied"},
		{name: "IAM and key policy allow", do: func() {
			if _, err := e.kms(rootOf(acctB)).PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: aws.String(keyARN), PolicyName: aws.String("default"), Policy: aws.String(keyPolicy)}); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "key policy allows, IAM does not", do: func() { e.user(acctA, "alice", s3Only, false) }, want: "AccessDenied"},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			s.do()
			body, err := e.get(alice, "bkt", "o")
			if got := apiCode(err); got != s.want {
				t.Fatalf("GetObject: %q (%v), want %q", got, err, s.want)
			}
			if err == nil && body != "hello" {
				t.Errorf("body = %q", body)
			}
		})
	}
}

// TestSSEAWSManagedKey: an object under aws/s3 is readable in its own
// account and never from another, whatever the bucket policy says.
// https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key
func TestSSEAWSManagedKey(t *testing.T) {
	ctx := context.Background()
	e := newSSEEnv(t, true)
	e.bucket(acctB, "bkt", readPolicyFor(acctA, "bkt"))
	put, err := e.s3(rootOf(acctB)).PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bkt"), Key: aws.String("o"), Body: strings.NewReader("hello"),
		ServerSideEncryption: types.ServerSideEncryptionAwsKms})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(aws.ToString(put.SSEKMSKeyId), "arn:aws:kms:us-east-1:"+acctB+":key/") {
		t.Errorf("key = %s", aws.ToString(put.SSEKMSKeyId))
	}
	if body, err := e.get(rootOf(acctB), "bkt", "o"); err != nil || body != "hello" {
		t.Fatalf("owner GetObject = %q, %v", body, err)
	}
	if _, err := e.get(rootOf(acctA), "bkt", "o"); apiCode(err) != "AccessDenied" {
		t.Errorf("cross-account GetObject: %v", err)
	}
	if _, err := e.s3(rootOf(acctA)).HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("bkt"), Key: aws.String("o")}); err == nil {
		t.Error("cross-account HeadObject succeeded")
	}
}

// TestSSEDisabledKey: a disabled key makes its objects unreadable and
// refuses new uploads with KMS's DisabledException (S3 prefixes "KMS.").
func TestSSEDisabledKey(t *testing.T) {
	ctx := context.Background()
	e := newSSEEnv(t, true)
	e.bucket(acctB, "bkt", "")
	keyARN := e.key(acctB)
	c := e.s3(rootOf(acctB))
	putKMS := func(key string) error {
		_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bkt"), Key: aws.String(key), Body: strings.NewReader("hello"),
			ServerSideEncryption: types.ServerSideEncryptionAwsKms, SSEKMSKeyId: aws.String(keyARN)})
		return err
	}
	if err := putKMS("o"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.kms(rootOf(acctB)).DisableKey(ctx, &kms.DisableKeyInput{KeyId: aws.String(keyARN)}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.get(rootOf(acctB), "bkt", "o"); apiCode(err) != "KMS.DisabledException" {
		t.Errorf("GetObject: %v", err)
	}
	if err := putKMS("p"); apiCode(err) != "KMS.DisabledException" {
		t.Errorf("PutObject: %v", err)
	}
}

// TestSSEAtRest: stored bytes are never the plaintext, SSE-S3 by default,
// bucket default SSE-KMS applies to uploads without headers, and ranges and
// multipart uploads still read back right.
func TestSSEAtRest(t *testing.T) {
	ctx := context.Background()
	e := newSSEEnv(t, true)
	e.bucket(acctA, "bkt", "")
	c := e.s3(rootOf(acctA))
	marker := strings.Repeat("PLAINTEXT-MARKER-", 10000)
	put, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bkt"), Key: aws.String("plain"), Body: strings.NewReader(marker)})
	if err != nil {
		t.Fatal(err)
	}
	if put.ServerSideEncryption != types.ServerSideEncryptionAes256 {
		t.Errorf("default SSE = %q", put.ServerSideEncryption)
	}
	keyARN := e.key(acctA)
	if _, err := c.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: aws.String("bkt"), ServerSideEncryptionConfiguration: &types.ServerSideEncryptionConfiguration{
		Rules: []types.ServerSideEncryptionRule{{ApplyServerSideEncryptionByDefault: &types.ServerSideEncryptionByDefault{SSEAlgorithm: types.ServerSideEncryptionAwsKms, KMSMasterKeyID: aws.String(keyARN)}}}}}); err != nil {
		t.Fatal(err)
	}
	put, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bkt"), Key: aws.String("kms"), Body: strings.NewReader(marker)})
	if err != nil {
		t.Fatal(err)
	}
	if put.ServerSideEncryption != types.ServerSideEncryptionAwsKms || aws.ToString(put.SSEKMSKeyId) != keyARN {
		t.Errorf("bucket default SSE = %q %q", put.ServerSideEncryption, aws.ToString(put.SSEKMSKeyId))
	}
	// Multipart under the bucket default.
	mp, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("bkt"), Key: aws.String("mp")})
	if err != nil {
		t.Fatal(err)
	}
	part1 := strings.Repeat("a", 5<<20)
	p1, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("bkt"), Key: aws.String("mp"), UploadId: mp.UploadId, PartNumber: aws.Int32(1), Body: strings.NewReader(part1)})
	if err != nil {
		t.Fatal(err)
	}
	p2, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("bkt"), Key: aws.String("mp"), UploadId: mp.UploadId, PartNumber: aws.Int32(2), Body: strings.NewReader("tail")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("bkt"), Key: aws.String("mp"), UploadId: mp.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: p1.ETag}, {PartNumber: aws.Int32(2), ETag: p2.ETag}}}}); err != nil {
		t.Fatal(err)
	}
	// Copies between SSE-KMS and SSE-S3, both ways.
	if _, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("bkt"), Key: aws.String("kms-to-s3"), CopySource: aws.String("bkt/kms"),
		ServerSideEncryption: types.ServerSideEncryptionAes256}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("bkt"), Key: aws.String("s3-to-kms"), CopySource: aws.String("bkt/plain")}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, key, rng, want string
		sse                  types.ServerSideEncryption
	}{
		{name: "copy SSE-KMS to SSE-S3", key: "kms-to-s3", want: marker, sse: types.ServerSideEncryptionAes256},
		{name: "copy SSE-S3 to bucket default SSE-KMS", key: "s3-to-kms", want: marker, sse: types.ServerSideEncryptionAwsKms},
		{name: "SSE-S3 whole", key: "plain", want: marker, sse: types.ServerSideEncryptionAes256},
		{name: "SSE-S3 range across chunks", key: "plain", rng: "bytes=65530-65560", want: marker[65530:65561], sse: types.ServerSideEncryptionAes256},
		{name: "SSE-KMS whole", key: "kms", want: marker, sse: types.ServerSideEncryptionAwsKms},
		{name: "SSE-KMS suffix range", key: "kms", rng: "bytes=-5", want: marker[len(marker)-5:], sse: types.ServerSideEncryptionAwsKms},
		{name: "multipart", key: "mp", want: part1 + "tail", sse: types.ServerSideEncryptionAwsKms},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := &s3.GetObjectInput{Bucket: aws.String("bkt"), Key: aws.String(tt.key)}
			if tt.rng != "" {
				in.Range = aws.String(tt.rng)
			}
			out, err := c.GetObject(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			defer out.Body.Close()
			b, _ := io.ReadAll(out.Body)
			if string(b) != tt.want {
				t.Errorf("body of %d bytes, want %d", len(b), len(tt.want))
			}
			if out.ServerSideEncryption != tt.sse {
				t.Errorf("SSE = %q, want %q", out.ServerSideEncryption, tt.sse)
			}
		})
	}
	t.Run("stored bytes", func(t *testing.T) {
		n, keyed := 0, 0
		err := e.raw.List(func(info blob.Info) (bool, error) {
			r, err := e.raw.Open(info.ID)
			if err != nil {
				return false, err
			}
			defer r.Close()
			b, _ := io.ReadAll(r)
			if bytes.Contains(b, []byte("PLAINTEXT-MARKER")) || bytes.Contains(b, []byte("aaaaaaaaaaaaaaaa")) {
				t.Errorf("blob %s holds plaintext", info.ID)
			}
			if len(b) > 4 && b[4] == sseKeyed {
				// SSE-KMS bytes need the KMS data key: the master key
				// alone does not open them.
				keyed++
				if _, err := e.blobs.Open(info.ID); err != errSSEKeyRequired {
					t.Errorf("keyed blob opened without its data key: %v", err)
				}
			}
			n++
			return true, nil
		})
		if err != nil || n < 5 || keyed < 3 {
			t.Errorf("inspected %d blobs (%d keyed), %v", n, keyed, err)
		}
	})
}

func benchPutGet(b *testing.B, encrypt bool, sse types.ServerSideEncryption) {
	ctx := context.Background()
	e := newSSEEnv(b, encrypt)
	e.bucket(acctA, "bkt", "")
	c := e.s3(rootOf(acctA))
	var keyARN *string
	if sse == types.ServerSideEncryptionAwsKms {
		keyARN = aws.String(e.key(acctA))
	}
	data := make([]byte, 1<<20)
	_, _ = rand.Read(data)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bkt"), Key: aws.String("o"), Body: bytes.NewReader(data),
			ServerSideEncryption: sse, SSEKMSKeyId: keyARN}); err != nil {
			b.Fatal(err)
		}
		out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bkt"), Key: aws.String("o")})
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, out.Body)
		out.Body.Close()
	}
}

// BenchmarkSSEKMSPutGet1MiB puts and gets a 1 MiB SSE-KMS object.
func BenchmarkSSEKMSPutGet1MiB(b *testing.B) {
	benchPutGet(b, true, types.ServerSideEncryptionAwsKms)
}

// BenchmarkUnencryptedPutGet1MiB is the same with blobs stored in the clear.
func BenchmarkUnencryptedPutGet1MiB(b *testing.B) { benchPutGet(b, false, "") }
