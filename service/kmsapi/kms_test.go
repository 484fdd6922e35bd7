package kmsapi_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

var ctx = context.Background()

func TestKeyLifecycle(t *testing.T) {
	e := newEnv(t)
	c := e.kms(root(acctA))
	arn := e.createKey(root(acctA), "")
	id := arn[strings.LastIndexByte(arn, '/')+1:]
	if _, err := c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/app"), TargetKeyId: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{id, arn, "alias/app", "arn:aws:kms:us-east-1:" + acctA + ":alias/app"} {
		t.Run("describe "+name, func(t *testing.T) {
			out, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(name)})
			if err != nil {
				t.Fatal(err)
			}
			m := out.KeyMetadata
			if aws.ToString(m.Arn) != arn || m.KeyState != types.KeyStateEnabled || m.KeyManager != types.KeyManagerTypeCustomer {
				t.Errorf("metadata = %+v", m)
			}
		})
	}
	pol, err := c.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: aws.String(id)})
	if err != nil || !strings.Contains(aws.ToString(pol.Policy), `"arn:aws:iam::`+acctA+`:root"`) {
		t.Fatalf("GetKeyPolicy = %v, %v", pol, err)
	}
	keys, err := c.ListKeys(ctx, &kms.ListKeysInput{})
	if err != nil || len(keys.Keys) != 1 || aws.ToString(keys.Keys[0].KeyArn) != arn {
		t.Fatalf("ListKeys = %+v, %v", keys, err)
	}
	aliases, err := c.ListAliases(ctx, &kms.ListAliasesInput{})
	if err != nil || len(aliases.Aliases) != 1 || aws.ToString(aliases.Aliases[0].TargetKeyId) != id {
		t.Fatalf("ListAliases = %+v, %v", aliases, err)
	}
	if _, err := c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/app"), TargetKeyId: aws.String(id)}); errCode(err) != "AlreadyExistsException" {
		t.Errorf("duplicate alias: %v", err)
	}
	if _, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/none")}); errCode(err) != "NotFoundException" {
		t.Errorf("unknown alias: %v", err)
	}
	if _, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("00000000-0000-4000-8000-000000000000")}); errCode(err) != "NotFoundException" {
		t.Errorf("unknown key: %v", err)
	}
	if _, err := c.DeleteAlias(ctx, &kms.DeleteAliasInput{AliasName: aws.String("alias/app")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.TagResource(ctx, &kms.TagResourceInput{KeyId: aws.String(id), Tags: []types.Tag{{TagKey: aws.String("team"), TagValue: aws.String("x")}}}); err != nil {
		t.Fatal(err)
	}
	tags, err := c.ListResourceTags(ctx, &kms.ListResourceTagsInput{KeyId: aws.String(id)})
	if err != nil || len(tags.Tags) != 1 {
		t.Fatalf("tags = %+v, %v", tags, err)
	}
	if _, err := c.UntagResource(ctx, &kms.UntagResourceInput{KeyId: aws.String(id), TagKeys: []string{"team"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.TagResource(ctx, &kms.TagResourceInput{KeyId: aws.String(id), Tags: []types.Tag{{TagKey: aws.String("aws:x"), TagValue: aws.String("x")}}}); errCode(err) != "TagException" {
		t.Errorf("aws: tag: %v", err)
	}
}

func TestKeyStates(t *testing.T) {
	e := newEnv(t)
	c := e.kms(root(acctA))
	arn := e.createKey(root(acctA), "")
	enc := func() error {
		_, err := c.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(arn), Plaintext: []byte("x")})
		return err
	}
	steps := []struct {
		name string
		do   func() error
		want string // error code of Encrypt afterwards
	}{
		{"disable", func() error { _, err := c.DisableKey(ctx, &kms.DisableKeyInput{KeyId: aws.String(arn)}); return err }, "DisabledException"},
		{"enable", func() error { _, err := c.EnableKey(ctx, &kms.EnableKeyInput{KeyId: aws.String(arn)}); return err }, ""},
		{"schedule deletion", func() error {
			out, err := c.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(arn), PendingWindowInDays: aws.Int32(7)})
			if err == nil && out.KeyState != types.KeyStatePendingDeletion {
				t.Errorf("state = %s", out.KeyState)
			}
			return err
		}, "KMSInvalidStateException"},
		{"cancel deletion", func() error {
			_, err := c.CancelKeyDeletion(ctx, &kms.CancelKeyDeletionInput{KeyId: aws.String(arn)})
			return err
		}, "DisabledException"},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if err := s.do(); err != nil {
				t.Fatal(err)
			}
			if got := errCode(enc()); got != s.want {
				t.Errorf("Encrypt after %s: %q, want %q", s.name, got, s.want)
			}
		})
	}
	if _, err := c.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(arn), PendingWindowInDays: aws.Int32(3)}); errCode(err) != "ValidationException" {
		t.Errorf("window 3: %v", err)
	}
}

func TestCrypto(t *testing.T) {
	e := newEnv(t)
	c := e.kms(root(acctA))
	k1 := e.createKey(root(acctA), "")
	k2 := e.createKey(root(acctA), "")
	ec := map[string]string{"purpose": "test", "b": "2"}
	out, err := c.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(k1), Plaintext: []byte("secret"), EncryptionContext: ec})
	if err != nil {
		t.Fatal(err)
	}
	blob := out.CiphertextBlob
	if bytes.Contains(blob, []byte("secret")) {
		t.Error("ciphertext holds the plaintext")
	}
	tampered := bytes.Clone(blob)
	tampered[len(tampered)-1] ^= 1
	tests := []struct {
		name  string
		blob  []byte
		ec    map[string]string
		keyID string
		want  string
	}{
		{name: "right context", blob: blob, ec: ec},
		{name: "context in another order", blob: blob, ec: map[string]string{"b": "2", "purpose": "test"}},
		{name: "wrong context", blob: blob, ec: map[string]string{"purpose": "other", "b": "2"}, want: "InvalidCiphertextException"},
		{name: "no context", blob: blob, want: "InvalidCiphertextException"},
		{name: "tampered", blob: tampered, ec: ec, want: "InvalidCiphertextException"},
		{name: "garbage", blob: []byte("not a blob"), want: "InvalidCiphertextException"},
		{name: "right key id", blob: blob, ec: ec, keyID: k1},
		{name: "other key id", blob: blob, ec: ec, keyID: k2, want: "IncorrectKeyException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := &kms.DecryptInput{CiphertextBlob: tt.blob, EncryptionContext: tt.ec}
			if tt.keyID != "" {
				in.KeyId = aws.String(tt.keyID)
			}
			d, err := c.Decrypt(ctx, in)
			if got := errCode(err); got != tt.want {
				t.Fatalf("Decrypt: %q (%v), want %q", got, err, tt.want)
			}
			if err == nil && (string(d.Plaintext) != "secret" || aws.ToString(d.KeyId) != k1) {
				t.Errorf("Decrypt = %q, %s", d.Plaintext, aws.ToString(d.KeyId))
			}
		})
	}
	t.Run("data keys", func(t *testing.T) {
		dk, err := c.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{KeyId: aws.String(k1), KeySpec: types.DataKeySpecAes256})
		if err != nil || len(dk.Plaintext) != 32 {
			t.Fatalf("GenerateDataKey = %v, %v", dk, err)
		}
		d, err := c.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: dk.CiphertextBlob})
		if err != nil || !bytes.Equal(d.Plaintext, dk.Plaintext) {
			t.Fatalf("Decrypt data key: %v", err)
		}
		wp, err := c.GenerateDataKeyWithoutPlaintext(ctx, &kms.GenerateDataKeyWithoutPlaintextInput{KeyId: aws.String(k1), NumberOfBytes: aws.Int32(16)})
		if err != nil {
			t.Fatal(err)
		}
		d, err = c.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: wp.CiphertextBlob})
		if err != nil || len(d.Plaintext) != 16 {
			t.Fatalf("Decrypt = %v, %v", d, err)
		}
		if _, err := c.GenerateDataKey(ctx, &kms.GenerateDataKeyInput{KeyId: aws.String(k1)}); errCode(err) != "ValidationException" {
			t.Errorf("no size: %v", err)
		}
	})
	t.Run("re-encrypt", func(t *testing.T) {
		re, err := c.ReEncrypt(ctx, &kms.ReEncryptInput{CiphertextBlob: blob, SourceEncryptionContext: ec, DestinationKeyId: aws.String(k2)})
		if err != nil {
			t.Fatal(err)
		}
		d, err := c.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: re.CiphertextBlob})
		if err != nil || string(d.Plaintext) != "secret" || aws.ToString(d.KeyId) != k2 {
			t.Fatalf("Decrypt re-encrypted = %v, %v", d, err)
		}
	})
	t.Run("validation", func(t *testing.T) {
		if _, err := c.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(k1), Plaintext: make([]byte, 4097)}); errCode(err) != "ValidationException" {
			t.Errorf("4097 bytes: %v", err)
		}
	})
}

func TestKeyPolicy(t *testing.T) {
	e := newEnv(t)
	c := e.kms(root(acctA))
	arn := e.createKey(root(acctA), "")
	tests := []struct {
		name, policy string
		bypass       bool
		want         string
	}{
		{name: "malformed", policy: `{"Version":"2012-10-17","Statement":[`, want: "MalformedPolicyDocumentException"},
		{name: "lockout", policy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acctB + `:root"},"Action":"kms:*","Resource":"*"}]}`, want: "MalformedPolicyDocumentException"},
		{name: "valid", policy: `{"Version":"2012-10-17","Statement":[{"Sid":"root","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acctA + `:root"},"Action":"kms:*","Resource":"*"}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: aws.String(arn), Policy: aws.String(tt.policy), PolicyName: aws.String("default"), BypassPolicyLockoutSafetyCheck: tt.bypass})
			if got := errCode(err); got != tt.want {
				t.Errorf("PutKeyPolicy: %q (%v), want %q", got, err, tt.want)
			}
		})
	}
	names, err := c.ListKeyPolicies(ctx, &kms.ListKeyPoliciesInput{KeyId: aws.String(arn)})
	if err != nil || len(names.PolicyNames) != 1 || names.PolicyNames[0] != "default" {
		t.Errorf("ListKeyPolicies = %v, %v", names, err)
	}
}

// TestCrossAccount: a key in B is usable from A only when B's key policy
// allows A and A's IAM policy allows the key.
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
func TestCrossAccount(t *testing.T) {
	e := newEnv(t)
	arn := e.createKey(root(acctB), "")
	kb := e.kms(root(acctB))
	out, err := kb.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(arn), Plaintext: []byte("x")})
	if err != nil {
		t.Fatal(err)
	}
	alice := e.user(acctA, "alice", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"`+arn+`"}]}`)
	ka := e.kms(alice)
	decrypt := func() error {
		_, err := ka.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: out.CiphertextBlob})
		return err
	}
	err = decrypt()
	if errCode(err) != "AccessDeniedException" {
		t.Fatalf("before key policy: %v", err)
	}
	want := "User: arn:aws:iam::" + acctA + ":user/alice is not authorized to perform: kms:Decrypt on resource: " + arn
	if !strings.HasPrefix(errMessage(err), want) {
		t.Errorf("message = %q, want prefix %q", errMessage(err), want)
	}
	pol := `{"Version":"2012-10-17","Statement":[
 {"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acctB + `:root"},"Action":"kms:*","Resource":"*"},
 {"Sid":"Allow A","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acctA + `:root"},"Action":"kms:Decrypt","Resource":"*"}]}`
	if _, err := kb.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: aws.String(arn), Policy: aws.String(pol), PolicyName: aws.String("default")}); err != nil {
		t.Fatal(err)
	}
	if err := decrypt(); err != nil {
		t.Fatalf("after key policy: %v", err)
	}
	bob := e.user(acctA, "bob", "")
	if _, err := e.kms(bob).Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: out.CiphertextBlob}); errCode(err) != "AccessDeniedException" {
		t.Errorf("bob without IAM policy: %v", err)
	}
	// Management operations do not work across accounts.
	if _, err := e.kms(root(acctA)).GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: aws.String(arn)}); errCode(err) != "NotFoundException" {
		t.Errorf("cross-account GetKeyPolicy: %v", err)
	}
}

func TestAWSManagedKey(t *testing.T) {
	e := newEnv(t)
	c := e.kms(root(acctA))
	d, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/aws/s3")})
	if err != nil {
		t.Fatal(err)
	}
	if d.KeyMetadata.KeyManager != types.KeyManagerTypeAws {
		t.Errorf("manager = %s", d.KeyMetadata.KeyManager)
	}
	// AWS managed keys are used through their service only.
	// https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key
	if _, err := c.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String("alias/aws/s3"), Plaintext: []byte("x")}); errCode(err) != "AccessDeniedException" {
		t.Errorf("direct Encrypt: %v", err)
	}
	if _, err := c.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: d.KeyMetadata.KeyId, Policy: aws.String(`{}`), PolicyName: aws.String("default")}); err == nil {
		t.Error("PutKeyPolicy on the AWS managed key succeeded")
	}
	if _, err := c.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/aws/mine"), TargetKeyId: d.KeyMetadata.KeyId}); err == nil {
		t.Error("alias/aws/ alias created")
	}
}

func TestGrants(t *testing.T) {
	e := newEnv(t)
	arn := e.createKey(root(acctA), "")
	ca := e.kms(root(acctA))
	carol := e.user(acctA, "carol", "")
	kc := e.kms(carol)
	encrypt := func() error {
		_, err := kc.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(arn), Plaintext: []byte("x"), EncryptionContext: map[string]string{"app": "a"}})
		return err
	}
	if err := encrypt(); errCode(err) != "AccessDeniedException" {
		t.Fatalf("before grant: %v", err)
	}
	g, err := ca.CreateGrant(ctx, &kms.CreateGrantInput{KeyId: aws.String(arn), GranteePrincipal: aws.String("arn:aws:iam::" + acctA + ":user/carol"),
		Operations: []types.GrantOperation{types.GrantOperationEncrypt}, Constraints: &types.GrantConstraints{EncryptionContextSubset: map[string]string{"app": "a"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := encrypt(); err != nil {
		t.Fatalf("with grant: %v", err)
	}
	if _, err := kc.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(arn), Plaintext: []byte("x"), EncryptionContext: map[string]string{"app": "b"}}); errCode(err) != "AccessDeniedException" {
		t.Errorf("context outside the grant's constraint: %v", err)
	}
	list, err := ca.ListGrants(ctx, &kms.ListGrantsInput{KeyId: aws.String(arn)})
	if err != nil || len(list.Grants) != 1 || aws.ToString(list.Grants[0].GrantId) != aws.ToString(g.GrantId) {
		t.Fatalf("ListGrants = %+v, %v", list, err)
	}
	if _, err := ca.RevokeGrant(ctx, &kms.RevokeGrantInput{KeyId: aws.String(arn), GrantId: g.GrantId}); err != nil {
		t.Fatal(err)
	}
	if err := encrypt(); errCode(err) != "AccessDeniedException" {
		t.Errorf("after revoke: %v", err)
	}
	g2, err := ca.CreateGrant(ctx, &kms.CreateGrantInput{KeyId: aws.String(arn), GranteePrincipal: aws.String("arn:aws:iam::" + acctA + ":user/carol"),
		RetiringPrincipal: aws.String("arn:aws:iam::" + acctA + ":user/carol"), Operations: []types.GrantOperation{types.GrantOperationEncrypt}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kc.RetireGrant(ctx, &kms.RetireGrantInput{GrantToken: g2.GrantToken}); err != nil {
		t.Fatalf("RetireGrant by the retiring principal: %v", err)
	}
	if err := encrypt(); errCode(err) != "AccessDeniedException" {
		t.Errorf("after retire: %v", err)
	}
}
