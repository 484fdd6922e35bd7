package acl

import "testing"

var (
	owner  = Owner{ID: "owner-id", DisplayName: "owner"}
	bucket = Owner{ID: "bucket-owner-id"}
)

// TestCanned checks every canned ACL's grants.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl
func TestCanned(t *testing.T) {
	type g struct {
		who  string
		perm Permission
	}
	tests := []struct {
		name     string
		onBucket bool
		want     []g
	}{
		{"private", false, []g{{"owner-id", FullControl}}},
		{"public-read", false, []g{{"owner-id", FullControl}, {AllUsers, Read}}},
		{"public-read-write", true, []g{{"owner-id", FullControl}, {AllUsers, Read}, {AllUsers, Write}}},
		{"authenticated-read", false, []g{{"owner-id", FullControl}, {AuthenticatedUsers, Read}}},
		{"aws-exec-read", false, []g{{"owner-id", FullControl}, {EC2CanonicalID, Read}}},
		{"bucket-owner-read", false, []g{{"owner-id", FullControl}, {"bucket-owner-id", Read}}},
		{"bucket-owner-full-control", false, []g{{"owner-id", FullControl}, {"bucket-owner-id", FullControl}}},
		// S3 ignores the bucket-owner-* ACLs when creating a bucket.
		{"bucket-owner-full-control", true, []g{{"owner-id", FullControl}}},
		{"log-delivery-write", true, []g{{"owner-id", FullControl}, {LogDelivery, Write}, {LogDelivery, ReadACP}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Canned(tt.name, owner, bucket, tt.onBucket)
			if err != nil {
				t.Fatal(err)
			}
			if len(a.Grants) != len(tt.want) {
				t.Fatalf("grants %+v", a.Grants)
			}
			for i, w := range tt.want {
				gr := a.Grants[i]
				who := gr.Grantee.ID
				if gr.Grantee.Type == Group {
					who = gr.Grantee.URI
				}
				if who != w.who || gr.Permission != w.perm {
					t.Errorf("grant %d = %s %s, want %s %s", i, who, gr.Permission, w.who, w.perm)
				}
			}
		})
	}
	if _, err := Canned("public", owner, bucket, false); err != ErrUnknownCanned {
		t.Fatal("unknown canned ACL accepted")
	}
	// When the writer is the bucket owner there is nothing to add.
	if a, _ := Canned("bucket-owner-full-control", owner, owner, false); len(a.Grants) != 1 {
		t.Fatal(a)
	}
}

func TestAllowsAndPublic(t *testing.T) {
	pub, _ := Canned("public-read", owner, bucket, false)
	auth, _ := Canned("authenticated-read", owner, bucket, false)
	logw, _ := Canned("log-delivery-write", owner, bucket, true)
	priv := Private(owner)
	tests := []struct {
		name         string
		a            ACL
		r            Requester
		perm         Permission
		ignorePublic bool
		want         Level
	}{
		{"owner full control covers read", priv, Requester{CanonicalID: "owner-id", Authenticated: true}, Read, false, AccountGrant},
		{"stranger nothing", priv, Requester{CanonicalID: "x", Authenticated: true}, Read, false, NoGrant},
		{"anonymous public read", pub, Requester{}, Read, false, GroupGrant},
		{"public read not write", pub, Requester{}, Write, false, NoGrant},
		{"ignore public acls", pub, Requester{}, Read, true, NoGrant},
		{"authenticated users need a signature", auth, Requester{}, Read, false, NoGrant},
		{"authenticated users", auth, Requester{CanonicalID: "x", Authenticated: true}, Read, false, GroupGrant},
		{"log delivery", logw, Requester{LogDelivery: true, Authenticated: true}, Write, true, GroupGrant},
		{"log delivery not others", logw, Requester{CanonicalID: "x", Authenticated: true}, Write, false, NoGrant},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, _ := tt.a.Allows(tt.r, tt.perm, tt.ignorePublic); got != tt.want {
				t.Fatalf("got %v want %v", got, tt.want)
			}
		})
	}
	if !pub.IsPublic() || !auth.IsPublic() || priv.IsPublic() || logw.IsPublic() {
		t.Error("IsPublic")
	}
	if !priv.OnlyOwner() || pub.OnlyOwner() {
		t.Error("OnlyOwner")
	}
}

// TestNeeded maps actions to the ACL permission that grants them.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#permissions
func TestNeeded(t *testing.T) {
	tests := []struct {
		action   string
		onBucket bool
		want     Permission
	}{
		{"s3:ListBucket", true, Read}, {"s3:ListBucketVersions", true, Read}, {"s3:ListBucketMultipartUploads", true, Read},
		{"s3:PutObject", true, Write}, {"s3:DeleteObject", true, Write}, {"s3:GetBucketAcl", true, ReadACP},
		{"s3:PutBucketAcl", true, WriteACP}, {"s3:GetBucketPolicy", true, ""}, {"s3:GetObject", true, ""},
		{"s3:GetObject", false, Read}, {"s3:GetObjectVersion", false, Read}, {"s3:GetObjectAcl", false, ReadACP},
		{"s3:PutObjectAcl", false, WriteACP}, {"s3:PutObjectVersionAcl", false, WriteACP}, {"s3:GetObjectTagging", false, ""},
	}
	for _, tt := range tests {
		if got := Needed(tt.action, tt.onBucket); got != tt.want {
			t.Errorf("Needed(%s, %v) = %q, want %q", tt.action, tt.onBucket, got, tt.want)
		}
	}
	for _, p := range []Permission{Read, Write, ReadACP, WriteACP, FullControl} {
		if !p.Valid() {
			t.Error(p)
		}
	}
	if Permission("READ_WRITE").Valid() {
		t.Error("invalid permission accepted")
	}
}

// TestOwnership covers who owns a new object under each setting.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
func TestOwnership(t *testing.T) {
	for _, tt := range []struct {
		o      Ownership
		canned string
		want   bool
	}{
		{BucketOwnerEnforced, "", true}, {BucketOwnerPreferred, "bucket-owner-full-control", true},
		{BucketOwnerPreferred, "", false}, {ObjectWriter, "bucket-owner-full-control", false},
	} {
		if got := tt.o.NewObjectOwnerIsBucketOwner(tt.canned); got != tt.want {
			t.Errorf("%s %q = %v", tt.o, tt.canned, got)
		}
	}
	if _, ok := ParseOwnership("ObjectWriter"); !ok {
		t.Error("ParseOwnership")
	}
	if _, ok := ParseOwnership("objectwriter"); ok {
		t.Error("ownership values are case-sensitive")
	}
	if !BucketOwnerEnforced.ACLsDisabled() || ObjectWriter.ACLsDisabled() {
		t.Error("ACLsDisabled")
	}
	m := PublicAccessBlock{BlockPublicAcls: true}.Merge(PublicAccessBlock{RestrictPublicBuckets: true})
	if !m.BlockPublicAcls || !m.RestrictPublicBuckets || m.IgnorePublicAcls || AllOn() != (PublicAccessBlock{true, true, true, true}) {
		t.Error("Merge/AllOn")
	}
}
