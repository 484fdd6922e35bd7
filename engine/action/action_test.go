package action

import (
	"reflect"
	"sort"
	"strings"
	"testing"
)

// TestTableInvariants checks what the transcription must keep true.
func TestTableInvariants(t *testing.T) {
	seen := map[string]bool{}
	for i, a := range s3Actions {
		if !strings.HasPrefix(a.Name, "s3:") {
			t.Errorf("%s: name without the s3: prefix", a.Name)
		}
		if i > 0 && s3Actions[i-1].Name >= a.Name {
			t.Errorf("%s: not sorted after %s", a.Name, s3Actions[i-1].Name)
		}
		if seen[strings.ToLower(a.Name)] {
			t.Errorf("%s: duplicate", a.Name)
		}
		seen[strings.ToLower(a.Name)] = true
		if len(a.Resources) == 0 {
			t.Errorf("%s: no resource type (want Account)", a.Name)
		}
		for _, r := range a.Resources {
			if _, ok := s3Types[r]; !ok && r != Account {
				t.Errorf("%s: unknown resource type %q", a.Name, r)
			}
		}
		for _, k := range a.Keys {
			if strings.HasPrefix(k, "s3:") && KeyType(k) == "" {
				t.Errorf("%s: key %s has no type", a.Name, k)
			}
		}
	}
	for s, names := range serviceActions {
		if !sort.StringsAreSorted(names) {
			t.Errorf("%s: names not sorted", s)
		}
		if len(names) == 0 {
			t.Errorf("%s: empty", s)
		}
	}
	for _, tt := range typeTemplates {
		if _, ok := s3Types[tt.t]; !ok && tt.t != Account {
			t.Errorf("template for unknown type %q", tt.t)
		}
	}
	if len(typeTemplates) != len(s3Types)+1 {
		t.Errorf("%d templates for %d resource types (+Account)", len(typeTemplates), len(s3Types))
	}
}

func TestS3(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		want      string
		resources []ResourceType
	}{
		{"exact", "s3:GetObject", "s3:GetObject", []ResourceType{AccessPointObject, Object}},
		{"case-insensitive", "S3:getobject", "s3:GetObject", []ResourceType{AccessPointObject, Object}},
		{"no prefix", "ListBucket", "s3:ListBucket", []ResourceType{AccessPoint, Bucket}},
		{"account-level", "s3:ListAllMyBuckets", "s3:ListAllMyBuckets", []ResourceType{Account}},
		{"bucket only", "s3:PutBucketPolicy", "s3:PutBucketPolicy", []ResourceType{Bucket}},
		{"job", "s3:DescribeJob", "s3:DescribeJob", []ResourceType{Job}},
		{"storage lens", "s3:GetStorageLensConfiguration", "s3:GetStorageLensConfiguration", []ResourceType{StorageLensConfiguration}},
		{"mrap", "s3:GetMultiRegionAccessPoint", "s3:GetMultiRegionAccessPoint", []ResourceType{MultiRegionAccessPoint}},
		{"unknown", "s3:GetObjects", "", nil},
		{"other service", "iam:GetUser", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := S3(tt.in)
			if ok != (tt.want != "") {
				t.Fatalf("S3(%q) ok = %v", tt.in, ok)
			}
			if got.Name != tt.want || !reflect.DeepEqual(got.Resources, tt.resources) {
				t.Errorf("S3(%q) = %s %v, want %s %v", tt.in, got.Name, got.Resources, tt.want, tt.resources)
			}
		})
	}
}

func TestSupportsKey(t *testing.T) {
	tests := []struct {
		name, action, key string
		want              bool
	}{
		{"action key", "s3:ListBucket", "s3:prefix", true},
		{"case-insensitive key", "s3:ListBucket", "S3:Prefix", true},
		{"not for objects", "s3:GetObject", "s3:prefix", false},
		{"tag template", "s3:GetObject", "s3:ExistingObjectTag/team", true},
		{"tag template needs a tag key", "s3:GetObject", "s3:ExistingObjectTag/", false},
		{"not on PutObject", "s3:PutObject", "s3:ExistingObjectTag/team", false},
		{"request tag on PutObject", "s3:PutObject", "s3:RequestObjectTag/team", true},
		{"resource-type key", "s3:GetObject", "s3:DataAccessPointArn", true},
		{"bucket tag via type", "s3:ListBucket", "s3:BucketTag/env", true},
		{"resource tag template", "s3:CreateAccessGrant", "aws:ResourceTag/x", true},
		{"retention has no object tags", "s3:GetObjectRetention", "s3:ExistingObjectTag/x", false},
		{"copy source on put", "s3:PutObject", "s3:x-amz-copy-source", true},
		{"acl not on get", "s3:GetObject", "s3:x-amz-acl", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, ok := S3(tt.action)
			if !ok {
				t.Fatalf("no action %s", tt.action)
			}
			if got := a.SupportsKey(tt.key); got != tt.want {
				t.Errorf("%s.SupportsKey(%q) = %v, want %v", tt.action, tt.key, got, tt.want)
			}
		})
	}
}

func TestKnown(t *testing.T) {
	tests := []struct {
		service, name string
		want          bool
	}{
		{"s3", "GetObject", true},
		{"S3", "getobject", true},
		{"iam", "CreateRole", true},
		{"IAM", "createrole", true},
		{"sts", "AssumeRole", true},
		{"sts", "AssumeRoleWithWebIdentity", true},
		{"kms", "Decrypt", true},
		{"kms", "GenerateDataKey", true},
		{"organizations", "CreatePolicy", true},
		{"ec2", "CreateVpcEndpoint", true},
		{"ec2", "RunInstances", false},
		{"iam", "NoSuchThing", false},
		{"dynamodb", "GetItem", false},
	}
	for _, tt := range tests {
		t.Run(tt.service+":"+tt.name, func(t *testing.T) {
			if got := Known(tt.service, tt.name); got != tt.want {
				t.Errorf("Known(%q, %q) = %v, want %v", tt.service, tt.name, got, tt.want)
			}
		})
	}
	if got := Services(); !reflect.DeepEqual(got, []string{"ec2", "iam", "kms", "organizations", "s3", "sts"}) {
		t.Errorf("Services() = %v", got)
	}
}

func TestExpand(t *testing.T) {
	tests := []struct {
		name     string
		pattern  string
		contains []string
		excludes []string
		count    int // 0: not checked
	}{
		{"all", "*", []string{"s3:GetObject", "s3:ListAllMyBuckets"}, nil, len(s3Actions)},
		{"service", "s3:*", []string{"s3:PutObject"}, nil, len(s3Actions)},
		{"prefix", "s3:Get*", []string{"s3:GetObject", "s3:GetBucketPolicy"}, []string{"s3:PutObject", "s3:ListBucket"}, 0},
		{"case-insensitive", "S3:getobject", []string{"s3:GetObject"}, nil, 1},
		{"question mark", "s3:?etObject", []string{"s3:GetObject"}, nil, 1},
		{"middle", "s3:*Object*Tagging", []string{"s3:GetObjectTagging", "s3:DeleteObjectVersionTagging"}, []string{"s3:GetObject"}, 0},
		{"other service", "iam:*", nil, []string{"s3:GetObject"}, 0},
		{"unknown", "s3:Nope", nil, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Expand(tt.pattern)
			set := map[string]bool{}
			for _, g := range got {
				set[g] = true
			}
			for _, c := range tt.contains {
				if !set[c] {
					t.Errorf("Expand(%q) lacks %s", tt.pattern, c)
				}
			}
			for _, c := range tt.excludes {
				if set[c] {
					t.Errorf("Expand(%q) has %s", tt.pattern, c)
				}
			}
			if tt.count > 0 && len(got) != tt.count {
				t.Errorf("Expand(%q) = %d actions, want %d", tt.pattern, len(got), tt.count)
			}
		})
	}
}

func TestResourceTypeOf(t *testing.T) {
	tests := []struct {
		arn  string
		want ResourceType
	}{
		{"*", Account},
		{"arn:aws:s3:::amzn-s3-demo-bucket", Bucket},
		{"arn:aws:s3:::amzn-s3-demo-bucket/photos/cat.jpg", Object},
		{"arn:aws:s3:::amzn-s3-demo-bucket/", ""},
		{"arn:aws:s3:us-west-2:111122223333:accesspoint/my-ap", AccessPoint},
		{"arn:aws:s3:us-west-2:111122223333:accesspoint/my-ap/object/a/b", AccessPointObject},
		{"arn:aws:s3:us-west-2:111122223333:job/0f3b", Job},
		{"arn:aws:s3:us-west-2:111122223333:storage-lens/default", StorageLensConfiguration},
		{"arn:aws:s3:us-west-2:111122223333:storage-lens-group/g1", StorageLensGroup},
		{"arn:aws:s3::111122223333:accesspoint/mfzwi23gnjvgw.mrap", MultiRegionAccessPoint},
		{"arn:aws:s3:us-west-2:111122223333:async-request/mrap/create/123", MultiRegionAccessPointRequest},
		{"arn:aws:s3-object-lambda:us-west-2:111122223333:accesspoint/olap", ObjectLambdaAccessPoint},
		{"arn:aws:s3:us-west-2:111122223333:access-grants/default", AccessGrantsInstance},
		{"arn:aws:s3:us-west-2:111122223333:access-grants/default/location/abc", AccessGrantsLocation},
		{"arn:aws:s3:us-west-2:111122223333:access-grants/default/grant/abc", AccessGrant},
		{"arn:aws-cn:s3:::bucket", Bucket},
		{"arn:aws:iam::111122223333:user/alice", ""},
		{"arn:aws:s3:::bucket*", ""},
		{"not an arn", ""},
	}
	for _, tt := range tests {
		t.Run(tt.arn, func(t *testing.T) {
			if got := ResourceTypeOf(tt.arn); got != tt.want {
				t.Errorf("ResourceTypeOf(%q) = %q, want %q", tt.arn, got, tt.want)
			}
		})
	}
}

func TestTypesOf(t *testing.T) {
	all := make([]ResourceType, len(typeTemplates))
	for i, tt := range typeTemplates {
		all[i] = tt.t
	}
	tests := []struct {
		pattern string
		want    []ResourceType
	}{
		{"*", all},
		{"arn:aws:s3:::*", []ResourceType{Account, Bucket, Object}},
		{"arn:aws:s3:::amzn-s3-demo-bucket", []ResourceType{Bucket}},
		{"arn:aws:s3:::amzn-s3-demo-bucket/*", []ResourceType{Object}},
		{"arn:aws:s3:::amzn-s3-demo-bucket*", []ResourceType{Bucket, Object}},
		{"arn:aws:s3:::amzn-s3-demo-bucket/${aws:username}/*", []ResourceType{Object}},
		{"arn:aws:s3:::amzn-s3-demo-b?cket", []ResourceType{Bucket, Object}}, // '?' may be '/'
		{"arn:aws:s3:::amzn-s3-demo-bucke?", []ResourceType{Bucket}},
		{"arn:*:s3:::b", []ResourceType{Bucket}},
		{"arn:aws:s3:*:*:*", without(all, ObjectLambdaAccessPoint)},
		{"arn:aws:s3:us-west-2:111122223333:accesspoint/*", []ResourceType{AccessPoint, AccessPointObject}},
		{"arn:aws:s3:us-west-2:111122223333:accesspoint/ap", []ResourceType{AccessPoint}},
		{"arn:aws:s3", nil},
		{"arn:aws:iam::111122223333:root", nil},
		{"*bucket*", all}, // a plain glob may match any partition
		{"arn:aws:s3:::a/b", []ResourceType{Object}},
		{"arn:aws:s3:::/b", nil},
	}
	for _, tt := range tests {
		t.Run(tt.pattern, func(t *testing.T) {
			got := TypesOf(tt.pattern)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("TypesOf(%q) = %v, want %v", tt.pattern, got, tt.want)
			}
		})
	}
}

func TestARNFormatAndKeyType(t *testing.T) {
	if got := ARNFormat(Bucket); got != "arn:${Partition}:s3:::${BucketName}" {
		t.Errorf("ARNFormat(Bucket) = %q", got)
	}
	if got := ARNFormat(Account); got != "" {
		t.Errorf("ARNFormat(Account) = %q", got)
	}
	tests := map[string]string{
		"s3:prefix":                        "String",
		"S3:MAX-KEYS":                      "Numeric",
		"s3:ExistingObjectTag/team":        "String",
		"s3:RequestObjectTagKeys":          "ArrayOfString",
		"s3:object-lock-retain-until-date": "Date",
		"s3:nope":                          "",
		"aws:SourceIp":                     "",
	}
	for k, want := range tests {
		if got := KeyType(k); got != want {
			t.Errorf("KeyType(%q) = %q, want %q", k, got, want)
		}
	}
	if n := len(All()); n != len(s3Actions) {
		t.Errorf("All() = %d actions", n)
	}
	info, _ := S3("s3:GetObject")
	if !info.AppliesTo(Object) || info.AppliesTo(Bucket) {
		t.Errorf("GetObject AppliesTo wrong")
	}
}

func TestIntersects(t *testing.T) {
	tests := []struct {
		p, t string
		want bool
	}{
		{"", "", true},
		{"*", "", true},
		{"", "\x01", false},
		{"a*", "\x01", true},
		{"a/b", "\x01", false},
		{"a/b", "\x01/\x02", true},
		{"*/*", "\x01", false},
		{"*", "\x01/\x02", true},
		{"?", "\x01", true},
		{"??", "x", false},
		{"x*y", "x\x02", true},
		{"x*/", "\x01/\x02", true}, // x/a/
		{"x/", "\x01/\x02", false},
	}
	for _, tt := range tests {
		if got := intersects(tt.p, tt.t); got != tt.want {
			t.Errorf("intersects(%q, %q) = %v, want %v", tt.p, tt.t, got, tt.want)
		}
	}
}

func without(types []ResourceType, drop ResourceType) []ResourceType {
	var out []ResourceType
	for _, t := range types {
		if t != drop {
			out = append(out, t)
		}
	}
	return out
}

func BenchmarkExpand(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Expand("s3:Get*")
	}
}

func BenchmarkTypesOf(b *testing.B) {
	for i := 0; i < b.N; i++ {
		TypesOf("arn:aws:s3:::amzn-s3-demo-bucket/home/${aws:username}/*")
	}
}
