package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// tfScenario is the Terraform configuration of TestTerraformCrossAccount,
// under testdata/terraform.
const tfScenario = "crossaccount"

// bucketKeyGap was set while S3 Bucket Keys were "stored but not used":
// PutObject ignored BucketKeyEnabled of the bucket's default encryption, so
// GET did not send x-amz-server-side-encryption-bucket-key-enabled. S3
// Bucket Keys are implemented (service/s3api/sse_kms.go, useBucketKey), so
// it is clear and the test checks the header.
const bucketKeyGap = false

// terraform runs the terraform CLI in one working directory against one
// verdict, offline: the AWS provider comes from a local filesystem mirror.
type terraform struct {
	t   *testing.T
	bin string
	dir string   // working directory: a copy of the scenario
	env []string // the whole environment of every run
	s   *server
}

// tfPluginMirror returns a filesystem mirror holding an AWS provider 5.x
// for this platform: $VERDICT_TF_PLUGINS, /opt/tf-plugins, or one of the
// directories Terraform searches by itself, in that order.
// https://developer.hashicorp.com/terraform/cli/config/config-file#implied-local-mirror-directories
func tfPluginMirror() (string, bool) {
	dirs := []string{os.Getenv("VERDICT_TF_PLUGINS"), "/opt/tf-plugins"}
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, ".terraform.d", "plugins"))
	}
	return findPluginMirror(append(dirs, "/usr/local/share/terraform/plugins", "/usr/share/terraform/plugins"))
}

// findPluginMirror returns the first of dirs that holds hashicorp/aws 5.x
// for this platform, in either layout `terraform providers mirror` writes:
// unpacked (VERSION/PLATFORM/binary) or packed (a zip per version).
// https://developer.hashicorp.com/terraform/cli/commands/providers/mirror
func findPluginMirror(dirs []string) (string, bool) {
	platform := runtime.GOOS + "_" + runtime.GOARCH
	for _, d := range dirs {
		if d == "" {
			continue
		}
		aws := filepath.Join(d, "registry.terraform.io", "hashicorp", "aws")
		unpacked, _ := filepath.Glob(filepath.Join(aws, "5.*", platform, "terraform-provider-aws_*"))
		packed, _ := filepath.Glob(filepath.Join(aws, "terraform-provider-aws_5.*_"+platform+".zip"))
		if len(unpacked)+len(packed) > 0 {
			return d, true
		}
	}
	return "", false
}

// newTerraform copies the scenario to a temporary working directory and
// writes a CLI configuration that installs providers from the mirror only.
// It skips the test when terraform or a mirror with the AWS provider is
// missing: CI installs neither, and the provider cannot be downloaded there.
func newTerraform(t *testing.T, s *server, scenario string) *terraform {
	t.Helper()
	bin, err := exec.LookPath("terraform")
	if err != nil {
		t.Skip("terraform is not installed (needs terraform >= 1.5 on PATH)")
	}
	mirror, ok := tfPluginMirror()
	if !ok {
		t.Skip("no filesystem mirror with hashicorp/aws 5.x for " + runtime.GOOS + "_" + runtime.GOARCH +
			" (set VERDICT_TF_PLUGINS, or fill /opt/tf-plugins with `terraform providers mirror`)")
	}
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "work")
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("testdata", "terraform", scenario))); err != nil {
		t.Fatal(err)
	}
	cli := filepath.Join(tmp, "cli.tfrc")
	mirrorJSON, _ := json.Marshal(mirror)
	writeFile(t, cli, "provider_installation {\n  filesystem_mirror {\n    path = "+string(mirrorJSON)+"\n  }\n}\n")
	// TF_DATA_DIR keeps .terraform out of the working directory. No plugin
	// cache: from an unpacked mirror, init links the provider rather than
	// copying its 700 MB. CHECKPOINT_DISABLE stops the version check, the
	// one call terraform itself would make to the internet.
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + tmp, "TF_CLI_CONFIG_FILE=" + cli,
		"TF_DATA_DIR=" + filepath.Join(tmp, "data"), "TF_IN_AUTOMATION=1", "TF_INPUT=0", "CHECKPOINT_DISABLE=1",
		"AWS_EC2_METADATA_DISABLED=true", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
		"TF_VAR_endpoint=" + s.endpoint}
	if v, ok := os.LookupEnv("TF_LOG"); ok {
		env = append(env, "TF_LOG="+v, "TF_LOG_PATH="+filepath.Join(os.TempDir(), "verdict-terraform-"+filepath.Base(tmp)+".log"))
	}
	return &terraform{t: t, bin: bin, dir: dir, env: env, s: s}
}

// run runs terraform with args and returns its exit code and output,
// failing the test when it cannot run at all.
func (tf *terraform) run(args ...string) (int, string) {
	tf.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, tf.bin, args...)
	cmd.Dir, cmd.Env = tf.dir, tf.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	began := time.Now()
	err := cmd.Run()
	tf.t.Logf("terraform %s: %s", args[0], time.Since(began).Round(100*time.Millisecond))
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), out.String()
	}
	if err != nil {
		tf.t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out.String())
	}
	return 0, out.String()
}

// must runs terraform and fails the test unless it exits 0.
func (tf *terraform) must(args ...string) string {
	tf.t.Helper()
	code, out := tf.run(args...)
	if code != 0 {
		tf.t.Fatalf("terraform %s exited %d:\n%s\nserver log:\n%s", strings.Join(args, " "), code, out, tf.s.log)
	}
	return out
}

// outputs returns the root module's outputs, sensitive ones included.
func (tf *terraform) outputs() map[string]string {
	tf.t.Helper()
	var raw map[string]struct {
		Value any `json:"value"`
	}
	if err := json.Unmarshal([]byte(tf.must("output", "-json", "-no-color")), &raw); err != nil {
		tf.t.Fatal(err)
	}
	out := map[string]string{}
	for k, v := range raw {
		if s, ok := v.Value.(string); ok {
			out[k] = s
		}
	}
	return out
}

// TestTerraformCrossAccount applies testdata/terraform/crossaccount with
// the Terraform AWS provider, as a platform team does in CI: account B's
// bucket, encrypted by default under a KMS key (with a key policy and an
// alias), with ownership controls, Block Public Access, a policy granting
// account A's user and one object; that user with an access key and an
// identity policy; default tags everywhere; the accounts read back with
// aws_caller_identity. Then:
//   - a second plan finds nothing to change: every read of the provider's
//     refresh returns what its writes stored;
//   - the user reads the object with the key Terraform made (S3 and KMS
//     both checked across accounts);
//   - without the identity policy the same read is AccessDenied, because a
//     cross-account request needs both sides to allow it
//     (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html);
//   - destroy removes everything and leaves the key pending deletion.
func TestTerraformCrossAccount(t *testing.T) {
	s := start(t)
	tf := newTerraform(t, s, tfScenario)
	began := time.Now()
	tf.must("init", "-input=false", "-no-color")
	tf.must("apply", "-auto-approve", "-input=false", "-no-color")

	code, out := tf.run("plan", "-detailed-exitcode", "-input=false", "-no-color")
	if code != 0 {
		t.Fatalf("plan after apply exited %d, want 0 (no changes): a read does not return what was written\n%s\nserver log:\n%s", code, out, s.log)
	}

	o := tf.outputs()
	reader := creds{id: o["reader_access_key_id"], secret: o["reader_secret_access_key"]}
	bucketName, keyARN := o["bucket"], o["kms_key_arn"]
	if reader.id == "" || reader.secret == "" || bucketName == "" || keyARN == "" || o["reader_name"] == "" {
		t.Fatalf("missing outputs: %v", o)
	}
	// data.aws_caller_identity: STS names the account of each root key.
	if o["account_a"] != accountA || o["account_b"] != accountB {
		t.Errorf("caller identities %s and %s, want %s and %s", o["account_a"], o["account_b"], accountA, accountB)
	}
	ctx := context.Background()
	get := func() (*s3.GetObjectOutput, string, error) {
		out, err := s.s3(reader).GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucketName), Key: aws.String("q1.csv")})
		if err != nil {
			return nil, "", err
		}
		defer out.Body.Close()
		b, err := io.ReadAll(out.Body)
		return out, string(b), err
	}
	obj, body, err := get()
	if err != nil || body != "q1,42\n" {
		t.Fatalf("reader's GetObject: %q, %v\nserver log:\n%s", body, err, s.log)
	}
	if obj.ServerSideEncryption != s3types.ServerSideEncryptionAwsKms || aws.ToString(obj.SSEKMSKeyId) != keyARN {
		t.Errorf("object encryption %q under %q, want aws:kms under %s", obj.ServerSideEncryption, aws.ToString(obj.SSEKMSKeyId), keyARN)
	}
	// The bucket's default encryption enables an S3 Bucket Key, which S3
	// applies to every new object that does not say otherwise and reports
	// in x-amz-server-side-encryption-bucket-key-enabled.
	// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html
	if !aws.ToBool(obj.BucketKeyEnabled) {
		if bucketKeyGap {
			t.Log("known gap: the object does not report its S3 Bucket Key (see bucketKeyGap)")
		} else {
			t.Error("object does not report the S3 Bucket Key its bucket's default encryption enables")
		}
	}

	// Dropping the identity policy changes that one resource and nothing
	// else.
	out = tf.must("apply", "-auto-approve", "-input=false", "-no-color", "-var", "grant_identity_policy=false")
	if !strings.Contains(out, "Resources: 0 added, 0 changed, 1 destroyed.") {
		t.Fatalf("apply without the identity policy did more than remove it:\n%s", out)
	}
	if _, _, err := get(); apiCode(err) != "AccessDenied" {
		t.Fatalf("reader's GetObject without an identity policy: err = %v, want AccessDenied", err)
	}

	tf.must("destroy", "-auto-approve", "-input=false", "-no-color")
	if _, err := s.s3(root(accountB)).HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucketName)}); apiCode(err) != "NotFound" {
		t.Errorf("HeadBucket after destroy: err = %v, want NotFound", err)
	}
	if l, err := s.s3(root(accountB)).ListBuckets(ctx, &s3.ListBucketsInput{}); err != nil || len(l.Buckets) != 0 {
		t.Errorf("account B still lists buckets after destroy: %v", err)
	}
	// KMS never deletes a key at once: destroy schedules its deletion.
	// https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html
	k, err := kms.NewFromConfig(s.cfg(root(accountB))).DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(keyARN)})
	if err != nil || k.KeyMetadata.KeyState != kmstypes.KeyStatePendingDeletion {
		t.Errorf("key after destroy: %+v, %v; want PendingDeletion", k, err)
	}
	if _, err := s.iam(root(accountA)).GetUser(ctx, &iam.GetUserInput{UserName: aws.String(o["reader_name"])}); apiCode(err) != "NoSuchEntity" {
		t.Errorf("GetUser after destroy: err = %v, want NoSuchEntity", err)
	}
	if _, err := s.s3(reader).ListBuckets(ctx, &s3.ListBucketsInput{}); apiCode(err) != "InvalidAccessKeyId" {
		t.Errorf("the deleted access key still signs: err = %v, want InvalidAccessKeyId", err)
	}
	t.Logf("terraform scenario: %s", time.Since(began).Round(100*time.Millisecond))
}

// TestTerraformMirrorLookup: the mirror search accepts both layouts of
// `terraform providers mirror`, skips directories without the provider and
// ignores other providers, versions and platforms.
func TestTerraformMirrorLookup(t *testing.T) {
	platform := runtime.GOOS + "_" + runtime.GOARCH
	tests := []struct {
		name  string
		files []string
		want  bool
	}{
		{"unpacked 5.x", []string{"registry.terraform.io/hashicorp/aws/5.100.0/" + platform + "/terraform-provider-aws_v5.100.0_x5"}, true},
		{"packed 5.x", []string{"registry.terraform.io/hashicorp/aws/terraform-provider-aws_5.99.1_" + platform + ".zip"}, true},
		{"6.x only", []string{"registry.terraform.io/hashicorp/aws/6.0.0/" + platform + "/terraform-provider-aws_v6.0.0_x5"}, false},
		{"other platform", []string{"registry.terraform.io/hashicorp/aws/5.100.0/plan9_386/terraform-provider-aws_v5.100.0_x5"}, false},
		{"other provider", []string{"registry.terraform.io/hashicorp/random/3.6.0/" + platform + "/terraform-provider-random_v3.6.0_x5"}, false},
		{"empty", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range tt.files {
				p := filepath.Join(dir, filepath.FromSlash(f))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				writeFile(t, p, "")
			}
			empty := t.TempDir()
			got, ok := findPluginMirror([]string{"", empty, dir})
			if want := map[bool]string{true: dir}[tt.want]; ok != tt.want || got != want {
				t.Errorf("findPluginMirror() = %q, %v; want %q, %v", got, ok, want, tt.want)
			}
		})
	}
}
