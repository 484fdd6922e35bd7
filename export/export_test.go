package export

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/verdict-project/verdict/engine/acl"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
	"github.com/verdict-project/verdict/store/memory"
)

const acct = "123456789012"

// base is a single-account export in the aws CLI's shapes.
var base = map[string]string{
	"caller-identity.json": `{"UserId":"AIDAX","Account":"123456789012","Arn":"arn:aws:iam::123456789012:user/admin"}`,
	"iam-authorization-details.json": `{
  "UserDetailList": [
    {"Path":"/","UserName":"alice","UserId":"AIDAALICE","Arn":"arn:aws:iam::123456789012:user/alice","CreateDate":"2024-01-02T03:04:05+00:00",
     "UserPolicyList":[{"PolicyName":"Read","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}}],
     "GroupList":["ops"],"AttachedManagedPolicies":[],"Tags":[{"Key":"team","Value":"data"}]},
    {"Path":"/dev/","UserName":"bob","UserId":"AIDABOB","Arn":"arn:aws:iam::123456789012:user/dev/bob","CreateDate":"2024-01-02T03:04:05+00:00",
     "UserPolicyList":[],"GroupList":[],"AttachedManagedPolicies":[{"PolicyName":"Mine","PolicyArn":"arn:aws:iam::123456789012:policy/Mine"}],
     "PermissionsBoundary":{"PermissionsBoundaryType":"Policy","PermissionsBoundaryArn":"arn:aws:iam::123456789012:policy/Mine"}}
  ],
  "GroupDetailList": [
    {"Path":"/","GroupName":"ops","GroupId":"AGPAOPS","Arn":"arn:aws:iam::123456789012:group/ops","CreateDate":"2024-01-02T03:04:05+00:00",
     "GroupPolicyList":[{"PolicyName":"List","PolicyDocument":"%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3AListBucket%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D"}],
     "AttachedManagedPolicies":[]}
  ],
  "RoleDetailList": [
    {"Path":"/","RoleName":"reader","RoleId":"AROAREADER","Arn":"arn:aws:iam::123456789012:role/reader","CreateDate":"2024-01-02T03:04:05+00:00",
     "AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]},
     "InstanceProfileList":[],"RolePolicyList":[{"PolicyName":"Get","PolicyDocument":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}"}],
     "AttachedManagedPolicies":[],"Tags":[],"RoleLastUsed":{}}
  ],
  "Policies": [
    {"PolicyName":"Mine","PolicyId":"ANPAMINE","Arn":"arn:aws:iam::123456789012:policy/Mine","Path":"/","DefaultVersionId":"v2","AttachmentCount":1,
     "PermissionsBoundaryUsageCount":1,"IsAttachable":true,"CreateDate":"2024-01-02T03:04:05+00:00","UpdateDate":"2024-01-02T03:04:05+00:00",
     "PolicyVersionList":[
       {"Document":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]},"VersionId":"v2","IsDefaultVersion":true,"CreateDate":"2024-01-02T03:04:05+00:00"},
       {"Document":{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]},"VersionId":"v1","IsDefaultVersion":false,"CreateDate":"2024-01-02T03:04:05+00:00"}]},
    {"PolicyName":"ReadOnlyAccess","PolicyId":"ANPAAWS","Arn":"arn:aws:iam::aws:policy/ReadOnlyAccess","Path":"/","DefaultVersionId":"v1",
     "PolicyVersionList":[{"Document":{"Version":"2012-10-17","Statement":[]},"VersionId":"v1","IsDefaultVersion":true}]}
  ]
}`,
	"s3control-public-access-block.json":                                 `{"PublicAccessBlockConfiguration":{"BlockPublicAcls":false,"IgnorePublicAcls":false,"BlockPublicPolicy":false,"RestrictPublicBuckets":false}}`,
	"s3/logs/policy.json":                                                `{"Policy":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"NoBob\",\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:user/dev/bob\"},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::logs/*\"}]}"}`,
	"s3/logs/acl.json":                                                   `{"Owner":{"DisplayName":"me","ID":"aaaa000000000000000000000000000000000000000000000000000000000001"},"Grants":[{"Grantee":{"DisplayName":"me","ID":"aaaa000000000000000000000000000000000000000000000000000000000001","Type":"CanonicalUser"},"Permission":"FULL_CONTROL"},{"Grantee":{"Type":"Group","URI":"http://acs.amazonaws.com/groups/global/AllUsers"},"Permission":"READ"}]}`,
	"s3/logs/ownership.json":                                             `{"OwnershipControls":{"Rules":[{"ObjectOwnership":"BucketOwnerPreferred"}]}}`,
	"s3/logs/public-access-block.json":                                   `{}`,
	"s3/logs/request-payment.json":                                       `{"Payer":"BucketOwner"}`,
	"s3/logs/encryption.json":                                            `{"ServerSideEncryptionConfiguration":{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"AES256"},"BucketKeyEnabled":false}]}}`,
	"s3/logs/location.json":                                              `{"LocationConstraint":"eu-west-1"}`,
	"s3/logs/objects/2024/app.log.acl.json":                              `{"Owner":{"ID":"aaaa000000000000000000000000000000000000000000000000000000000001"},"Grants":[]}`,
	"s3/logs/objects/2024/app.log.head.json":                             `{"ContentLength":12,"ContentType":"text/plain","ETag":"\"x\"","LastModified":"2024-05-01T12:00:00+00:00","Metadata":{"a":"b"}}`,
	"kms/1234abcd-12ab-34cd-56ef-1234567890ab/key.json":                  `{"KeyMetadata":{"AWSAccountId":"123456789012","KeyId":"1234abcd-12ab-34cd-56ef-1234567890ab","Arn":"arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab","KeyState":"Enabled","KeyManager":"CUSTOMER","CreationDate":"2024-01-02T03:04:05+00:00"}}`,
	"kms/1234abcd-12ab-34cd-56ef-1234567890ab/policy.json":               `{"PolicyName":"default","Policy":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Root\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}"}`,
	"kms/1234abcd-12ab-34cd-56ef-1234567890ab/grants.json":               `{"Grants":[{"KeyId":"arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab","GrantId":"g1","Name":"","GranteePrincipal":"arn:aws:iam::123456789012:role/reader","IssuingAccount":"arn:aws:iam::123456789012:root","Operations":["Decrypt"],"Constraints":{"EncryptionContextSubset":{"app":"x"}}}]}`,
	"ec2-vpc-endpoints.json":                                             `{"VpcEndpoints":[{"VpcEndpointId":"vpce-0abc","VpcEndpointType":"Gateway","VpcId":"vpc-1","ServiceName":"com.amazonaws.us-east-1.s3","State":"available","PolicyDocument":"{\"Version\":\"2008-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}]}","OwnerId":"123456789012"}]}`,
	"organizations/describe-organization.json":                           `{"Organization":{"Id":"o-abc123","Arn":"arn:aws:organizations::123456789012:organization/o-abc123","FeatureSet":"ALL","MasterAccountArn":"arn:aws:organizations::123456789012:account/o-abc123/123456789012","MasterAccountId":"123456789012","MasterAccountEmail":"a@example.com"}}`,
	"organizations/list-roots.json":                                      `{"Roots":[{"Id":"r-ab12","Arn":"arn:aws:organizations::123456789012:root/o-abc123/r-ab12","Name":"Root","PolicyTypes":[{"Type":"SERVICE_CONTROL_POLICY","Status":"ENABLED"}]}]}`,
	"organizations/ous/r-ab12.json":                                      `{"OrganizationalUnits":[{"Id":"ou-ab12-11111111","Arn":"x","Name":"prod"}]}`,
	"organizations/accounts/r-ab12.json":                                 `{"Accounts":[{"Id":"123456789012","Arn":"x","Email":"a@example.com","Name":"mgmt","Status":"ACTIVE","JoinedMethod":"INVITED","JoinedTimestamp":"2024-01-02T03:04:05+00:00"}]}`,
	"organizations/accounts/ou-ab12-11111111.json":                       `{"Accounts":[{"Id":"210987654321","Arn":"x","Email":"b@example.com","Name":"prod","Status":"ACTIVE","JoinedMethod":"CREATED"}]}`,
	"organizations/targets/r-ab12.SERVICE_CONTROL_POLICY.json":           `{"Policies":[{"Id":"p-FullAWSAccess","Arn":"x","Name":"FullAWSAccess","Type":"SERVICE_CONTROL_POLICY","AwsManaged":true}]}`,
	"organizations/targets/ou-ab12-11111111.SERVICE_CONTROL_POLICY.json": `{"Policies":[{"Id":"p-denys3","Arn":"x","Name":"DenyS3","Type":"SERVICE_CONTROL_POLICY","AwsManaged":false}]}`,
	"organizations/policies/p-denys3.json":                               `{"Policy":{"PolicySummary":{"Id":"p-denys3","Arn":"x","Name":"DenyS3","Description":"","Type":"SERVICE_CONTROL_POLICY","AwsManaged":false},"Content":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"}}`,
}

// writeExport writes files (base with changes; "" removes a file) to a
// temporary directory.
func writeExport(t testing.TB, changes map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{}
	for k, v := range base {
		files[k] = v
	}
	for k, v := range changes {
		if v == "" {
			delete(files, k)
		} else {
			files[k] = v
		}
	}
	for rel, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoad(t *testing.T) {
	ex, err := Load(writeExport(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.Accounts) != 1 || ex.Accounts[0].ID != acct {
		t.Fatalf("accounts = %+v", ex.Accounts)
	}
	a := ex.Accounts[0]
	if len(a.Users) != 2 || a.Users[1].ARN() != "arn:aws:iam::123456789012:user/dev/bob" || a.Users[1].Boundary == "" {
		t.Errorf("users = %+v", a.Users)
	}
	if got := a.Groups[0].Inline["List"]; !strings.Contains(got, `"s3:ListBucket"`) {
		t.Errorf("URL-encoded group policy decoded to %q", got)
	}
	if len(a.Policies) != 1 || !strings.Contains(a.Policies[0].Document(), `"s3:*"`) {
		t.Errorf("policies = %+v (AWS managed ones are skipped, v2 is the default)", a.Policies)
	}
	b := ex.Bucket("logs")
	if b == nil || b.Record.Region != "eu-west-1" || b.Record.Ownership != acl.BucketOwnerPreferred || b.Record.Policy == "" || len(b.Missing) != 0 {
		t.Fatalf("bucket = %+v", b)
	}
	if b.Record.ACL.Owner.ID != model.CanonicalID(acct) {
		t.Errorf("bucket ACL owner %s, want verdict's canonical ID of %s", b.Record.ACL.Owner.ID, acct)
	}
	if o := b.Object("2024/app.log"); o == nil || !o.HasACL || !o.HasHead || o.Record.Owner != acct || o.Record.ContentType != "text/plain" {
		t.Errorf("object = %+v", o)
	}
	if len(a.Keys) != 1 || a.Keys[0].Region != "us-west-2" || len(a.Keys[0].Grants) != 1 {
		t.Errorf("keys = %+v", a.Keys)
	}
	if len(a.Endpoints) != 1 || a.Endpoints[0].Policy == "" {
		t.Errorf("endpoints = %+v", a.Endpoints)
	}
	if len(ex.Orgs) != 1 || len(ex.Orgs[0].Accounts) != 2 || len(ex.Orgs[0].Attachments) != 2 || ex.Orgs[0].Policies["p-FullAWSAccess"] == nil {
		t.Errorf("orgs = %+v", ex.Orgs)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, file, body, want string
	}{
		{"auth details not JSON", "iam-authorization-details.json", `{"UserDetailList": [`, "iam-authorization-details.json"},
		{"auth details empty", "iam-authorization-details.json", " \n", "empty file"},
		{"inline policy invalid", "iam-authorization-details.json", `{"UserDetailList":[{"UserName":"x","Arn":"arn:aws:iam::123456789012:user/x","UserPolicyList":[{"PolicyName":"P","PolicyDocument":{"Statement":"nope"}}]}]}`, "user x inline policy P"},
		{"user in other account", "iam-authorization-details.json", `{"UserDetailList":[{"UserName":"x","Arn":"arn:aws:iam::999999999999:user/x"}]}`, "not in account"},
		{"managed without default", "iam-authorization-details.json", `{"Policies":[{"PolicyName":"P","Arn":"arn:aws:iam::123456789012:policy/P","DefaultVersionId":"v3","PolicyVersionList":[]}]}`, "default version"},
		{"caller identity bad", "caller-identity.json", `{"Account":"12"}`, "caller-identity.json"},
		{"bucket policy not JSON", "s3/logs/policy.json", `{"Policy":"{nope"}`, "s3/logs/policy.json"},
		{"bucket policy wrong type", "s3/logs/policy.json", `{"Policy":42}`, "s3/logs/policy.json"},
		{"acl bad permission", "s3/logs/acl.json", `{"Owner":{"ID":"a"},"Grants":[{"Grantee":{"Type":"Group","URI":"u"},"Permission":"ALL"}]}`, "unknown Permission"},
		{"acl no owner", "s3/logs/acl.json", `{"Grants":[]}`, "no Owner.ID"},
		{"acl bad grantee", "s3/logs/acl.json", `{"Owner":{"ID":"a"},"Grants":[{"Grantee":{"Type":"Robot"},"Permission":"READ"}]}`, "unknown grantee Type"},
		{"ownership unknown", "s3/logs/ownership.json", `{"OwnershipControls":{"Rules":[{"ObjectOwnership":"Mine"}]}}`, "unknown ObjectOwnership"},
		{"payer unknown", "s3/logs/request-payment.json", `{"Payer":"Nobody"}`, "unknown Payer"},
		{"encryption unknown", "s3/logs/encryption.json", `{"ServerSideEncryptionConfiguration":{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"rot13"}}]}}`, "unknown SSEAlgorithm"},
		{"head bad time", "s3/logs/objects/2024/app.log.head.json", `{"LastModified":"yesterday"}`, "app.log.head.json"},
		{"grant without id", "kms/1234abcd-12ab-34cd-56ef-1234567890ab/grants.json", `{"Grants":[{"Operations":["Decrypt"]}]}`, "grants.json"},
		{"key of other account", "kms/1234abcd-12ab-34cd-56ef-1234567890ab/key.json", `{"KeyMetadata":{"AWSAccountId":"999999999999"}}`, "key.json"},
		{"endpoint bad id", "ec2-vpc-endpoints.json", `{"VpcEndpoints":[{"VpcEndpointId":"x"}]}`, "vpce-"},
		{"org policy missing", "organizations/targets/r-ab12.SERVICE_CONTROL_POLICY.json", `{"Policies":[{"Id":"p-gone"}]}`, "aws organizations describe-policy --policy-id p-gone"},
		{"org without roots", "organizations/list-roots.json", `{"Roots":[]}`, "list-roots"},
		{"org account bad", "organizations/accounts/r-ab12.json", `{"Accounts":[{"Id":"x"}]}`, "12-digit"},
		{"canonical map bad", "canonical-ids.json", `{"abc":"me"}`, "not a 12-digit account ID"},
		{"list buckets bad", "list-buckets.json", `{"Owner":[]}`, "list-buckets.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(writeExport(t, map[string]string{tt.file: tt.body}))
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want *Error", err)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), filepath.Base(tt.file)) {
				t.Errorf("err = %q, want it to name %s and say %q", err, tt.file, tt.want)
			}
		})
	}
}

func TestLoadNoAccount(t *testing.T) {
	_, err := Load(writeExport(t, map[string]string{"caller-identity.json": "", "iam-authorization-details.json": ""}))
	if err == nil || !strings.Contains(err.Error(), "aws sts get-caller-identity") {
		t.Fatalf("err = %v", err)
	}
}

func TestApply(t *testing.T) {
	ex, err := Load(writeExport(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	st := memory.New()
	ctx := context.Background()
	if err := ex.Apply(ctx, st, time.Unix(1e9, 0)); err != nil {
		t.Fatal(err)
	}
	// Applying twice is harmless.
	if err := ex.Apply(ctx, st, time.Unix(1e9, 0)); err != nil {
		t.Fatal(err)
	}
	err = st.View(ctx, func(tx store.Tx) error {
		u, err := state.User(tx, acct, "alice")
		if err != nil {
			return err
		}
		if u.Inline["Read"] == "" || len(u.Groups) != 1 {
			t.Errorf("alice = %+v", u)
		}
		k, err := state.AccessKey(tx, UserAccessKeyID(acct, "alice"))
		if err != nil {
			return err
		}
		if k.Secret != UserSecret(acct, "alice") || k.User != "alice" || k.Status != "Active" {
			t.Errorf("key = %+v", k)
		}
		p, err := state.Policy(tx, "arn:aws:iam::123456789012:policy/Mine")
		if err != nil {
			return err
		}
		if p.Attachments != 1 {
			t.Errorf("Mine attachments = %d, want 1 (boundaries do not count)", p.Attachments)
		}
		o, err := state.Object(tx, "logs", "2024/app.log")
		if err != nil {
			return err
		}
		if o.Size != 0 || o.ETag != EmptyETag || !o.Inline {
			t.Errorf("object = %+v", o)
		}
		// Every object has its own empty body (deleting one must not take
		// another's), and applying twice left no body behind.
		objects, bodies := 0, 0
		if err := tx.Scan(state.Objects, "", "", func(_ string, v []byte) (bool, error) { objects++; return true, nil }); err != nil {
			return err
		}
		if err := tx.Scan(state.ObjectData, "", "", func(_ string, v []byte) (bool, error) { bodies++; return true, nil }); err != nil {
			return err
		}
		if objects == 0 || bodies != objects {
			t.Errorf("%d objects, %d inline bodies; want one each", objects, bodies)
		}
		if _, err := state.KMSKey(tx, "1234abcd-12ab-34cd-56ef-1234567890ab"); err != nil {
			return err
		}
		org, err := state.OrgOfAccount(tx, "210987654321")
		if err != nil {
			return err
		}
		if org.ID != "o-abc123" {
			t.Errorf("org = %+v", org)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestUserSecret(t *testing.T) {
	if got := UserSecret(acct, "alice"); len(got) != 40 || got != UserSecret(acct, "alice") || got == UserSecret(acct, "bob") {
		t.Errorf("UserSecret = %q", got)
	}
	if id := UserAccessKeyID(acct, "alice"); !strings.HasPrefix(id, "AKIA") || len(id) != 20 {
		t.Errorf("UserAccessKeyID = %q", id)
	}
}
