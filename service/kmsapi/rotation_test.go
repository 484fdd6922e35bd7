package kmsapi_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
)

// TestGetKeyRotationStatus: customer managed keys report no automatic
// rotation (verdict has no EnableKeyRotation), AWS managed keys report a
// yearly one, a key pending deletion reports none, and the call works
// across accounts with the key ARN when the key policy allows it.
// https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyRotationStatus.html
func TestGetKeyRotationStatus(t *testing.T) {
	e := newEnv(t)
	own := e.createKey(root(acctA), "")
	doomed := e.createKey(root(acctA), "")
	if _, err := e.kms(root(acctA)).ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(doomed)}); err != nil {
		t.Fatal(err)
	}
	managed, err := e.kms(root(acctA)).DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/aws/s3")})
	if err != nil {
		t.Fatal(err)
	}
	shared := e.createKey(root(acctB), `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::`+acctB+`:root"},"Action":"kms:*","Resource":"*"},
 {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::`+acctA+`:root"},"Action":"kms:GetKeyRotationStatus","Resource":"*"}]}`)
	private := e.createKey(root(acctB), "")
	idOf := func(arn string) string { return arn[len(arn)-36:] }
	tests := []struct {
		name    string
		caller  creds
		keyID   string
		wantARN string
		enabled bool
		code    string
	}{
		{"customer key by ID", root(acctA), idOf(own), own, false, ""},
		{"customer key by ARN", root(acctA), own, own, false, ""},
		{"AWS managed key", root(acctA), aws.ToString(managed.KeyMetadata.Arn), aws.ToString(managed.KeyMetadata.Arn), true, ""},
		{"pending deletion", root(acctA), doomed, doomed, false, ""},
		{"other account by ARN, allowed", root(acctA), shared, shared, false, ""},
		{"other account by ARN, not allowed", root(acctA), private, "", false, "AccessDeniedException"},
		{"other account by ID", root(acctA), idOf(shared), "", false, "NotFoundException"},
		{"no such key", root(acctA), "11111111-2222-3333-4444-555555555555", "", false, "NotFoundException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := e.kms(tt.caller).GetKeyRotationStatus(ctx, &kms.GetKeyRotationStatusInput{KeyId: aws.String(tt.keyID)})
			if errCode(err) != tt.code {
				t.Fatalf("err = %v, want %q", err, tt.code)
			}
			if err != nil {
				return
			}
			if aws.ToString(out.KeyId) != tt.wantARN || out.KeyRotationEnabled != tt.enabled {
				t.Errorf("KeyId %q enabled %v, want %q %v", aws.ToString(out.KeyId), out.KeyRotationEnabled, tt.wantARN, tt.enabled)
			}
			if !tt.enabled {
				if out.RotationPeriodInDays != nil || out.NextRotationDate != nil {
					t.Errorf("rotation period %v next %v on a key without rotation", out.RotationPeriodInDays, out.NextRotationDate)
				}
				return
			}
			now := time.Now()
			if aws.ToInt32(out.RotationPeriodInDays) != 365 || out.NextRotationDate == nil ||
				!out.NextRotationDate.After(now) || out.NextRotationDate.After(now.AddDate(0, 0, 365)) {
				t.Errorf("period %v next %v, want 365 days and a date within the coming year", out.RotationPeriodInDays, out.NextRotationDate)
			}
		})
	}
}
