package authz

import (
	"testing"

	"github.com/verdict-project/verdict/engine/acl"
	"github.com/verdict-project/verdict/engine/policy"
)

// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
func TestWriteTimeBlocks(t *testing.T) {
	owner := acl.Owner{ID: "o"}
	pub, _ := acl.Canned("public-read", owner, owner, true)
	priv := acl.Private(owner)
	on := acl.PublicAccessBlock{BlockPublicAcls: true, BlockPublicPolicy: true}
	if !PublicACLBlocked(on, &pub) || PublicACLBlocked(on, &priv) || PublicACLBlocked(acl.PublicAccessBlock{}, &pub) {
		t.Error("PublicACLBlocked")
	}
	public, _ := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`))
	scoped, _ := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`))
	if !PublicPolicyBlocked(on, public) || PublicPolicyBlocked(on, scoped) || PublicPolicyBlocked(acl.PublicAccessBlock{}, public) {
		t.Error("PublicPolicyBlocked")
	}
	req := &Request{Principal: Principal{Type: User, ARN: "arn:aws:iam::111122223333:user/a"}, Action: "s3:PutBucketPolicy", Resource: "arn:aws:s3:::b"}
	want := `User: arn:aws:iam::111122223333:user/a is not authorized to perform: s3:PutBucketPolicy on resource: "arn:aws:s3:::b" because public policies are prevented by the BlockPublicPolicy setting in S3 Block Public Access.`
	if got := PublicPolicyMessage(req, true); got != want {
		t.Errorf("got %s", got)
	}
	if PublicACLMessage(req, false) != "Access Denied" {
		t.Error("plain message outside the account")
	}
}
