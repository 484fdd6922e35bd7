package export

import (
	"strings"
)

// Commands returns the aws CLI commands that gather an export directory
// for questions about bucket (and object key, when not "") asked by
// principal, run with credentials of the bucket owner's account. Commands
// whose API fails when a setting is absent write {} instead, which Load
// reads as "not configured".
func Commands(bucket, principalARN, key string) []string {
	dir := "s3/" + bucket
	out := []string{
		"mkdir -p " + shellQuote(dir+"/objects"),
		"aws sts get-caller-identity --output json > " + fileCallerIdentity,
		"aws iam get-account-authorization-details --output json > " + fileAuthDetails,
		"aws s3api list-buckets --output json > " + fileListBuckets,
		"aws s3control get-public-access-block --account-id \"$(aws sts get-caller-identity --query Account --output text)\" --output json > " +
			fileAccountPAB + " || echo '{}' > " + fileAccountPAB,
	}
	for _, f := range append(append([]string(nil), BucketFiles...), "encryption.json", "location.json") {
		out = append(out, bucketCommand(f, bucket, dir))
	}
	if key != "" {
		f := dir + "/objects/" + key
		if i := strings.LastIndexByte(key, '/'); i >= 0 {
			out = append(out, "mkdir -p "+shellQuote(dir+"/objects/"+key[:i]))
		}
		out = append(out,
			"aws s3api get-object-acl --bucket "+bucket+" --key "+shellQuote(key)+" --output json > "+shellQuote(f+".acl.json"),
			"aws s3api head-object --bucket "+bucket+" --key "+shellQuote(key)+" --output json > "+shellQuote(f+".head.json"))
	}
	out = append(out,
		"aws ec2 describe-vpc-endpoints --output json > "+fileEndpoints,
		"# organizations (from the management account): see export/README.md",
		"mkdir -p organizations/ous organizations/accounts organizations/targets organizations/policies",
		"aws organizations describe-organization --output json > organizations/describe-organization.json",
		"aws organizations list-roots --output json > organizations/list-roots.json")
	if a, err := parsePrincipal(principalARN); err == nil && a.account != "" {
		out = append(out, "# the caller's account "+a.account+": run the IAM and organizations commands with its credentials into "+a.account+"/ when it differs from the bucket owner's")
	}
	return out
}
