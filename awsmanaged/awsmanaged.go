// Package awsmanaged holds the AWS managed policies verdict puts in every
// account: the ones people attach most for S3, IAM and KMS work. Their ARNs are
// arn:aws:iam::aws:policy/NAME, as in AWS.
//
// The documents are AWS's published ones
// (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/policy-list.html)
// except ReadOnlyAccess, whose real document lists hundreds of services;
// verdict's is abridged to the services verdict serves, which grants the same
// within them.
package awsmanaged

import "sort"

// Policy is an AWS managed policy.
type Policy struct {
	Name        string
	Path        string
	Description string
	Document    string
}

// ARN returns the policy's ARN.
func (p *Policy) ARN() string { return "arn:aws:iam::aws:policy" + p.Path + p.Name }

var policies = map[string]*Policy{}

func add(name, path, desc, doc string) {
	p := &Policy{Name: name, Path: path, Description: desc, Document: doc}
	policies[p.ARN()] = p
}

func init() {
	add("AdministratorAccess", "/", "Provides full access to AWS services and resources.",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)
	add("PowerUserAccess", "/", "Provides full access to AWS services and resources, but does not allow management of Users and groups.",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":["iam:*","organizations:*","account:*"],"Resource":"*"},{"Effect":"Allow","Action":["iam:CreateServiceLinkedRole","iam:DeleteServiceLinkedRole","iam:ListRoles","organizations:DescribeOrganization","account:ListRegions","account:GetAccountInformation"],"Resource":"*"}]}`)
	add("AmazonS3FullAccess", "/", "Provides full access to all buckets via the AWS Management Console.",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","s3-object-lambda:*"],"Resource":"*"}]}`)
	add("AmazonS3ReadOnlyAccess", "/", "Provides read only access to all buckets via the AWS Management Console.",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*","s3:Describe*","s3-object-lambda:Get*","s3-object-lambda:List*"],"Resource":"*"}]}`)
	add("IAMFullAccess", "/", "Provides full access to IAM via the AWS Management Console.",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:*","organizations:DescribeAccount","organizations:DescribeOrganization","organizations:DescribeOrganizationalUnit","organizations:DescribePolicy","organizations:ListChildren","organizations:ListParents","organizations:ListPoliciesForTarget","organizations:ListRoots","organizations:ListPolicies","organizations:ListTargetsForPolicy"],"Resource":"*"}]}`)
	add("IAMReadOnlyAccess", "/", "Provides read only access to IAM via the AWS Management Console.",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:GenerateCredentialReport","iam:GenerateServiceLastAccessedDetails","iam:Get*","iam:List*","iam:SimulateCustomPolicy","iam:SimulatePrincipalPolicy"],"Resource":"*"}]}`)
	add("ReadOnlyAccess", "/", "Provides read-only access to AWS services and resources (abridged by verdict to the services it serves).",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Describe*","s3:Get*","s3:List*","iam:Generate*","iam:Get*","iam:List*","iam:Simulate*","kms:Describe*","kms:Get*","kms:List*","ec2:Describe*","ec2:Get*","organizations:Describe*","organizations:List*","sts:GetCallerIdentity","sts:GetSessionToken"],"Resource":"*"}]}`)
	add("AWSKeyManagementServicePowerUser", "/", "Provides access to AWS Key Management Service (AWS KMS).",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:CreateAlias","kms:CreateKey","kms:DeleteAlias","kms:Describe*","kms:GenerateRandom","kms:Get*","kms:List*","kms:TagResource","kms:UntagResource","iam:ListGroups","iam:ListRoles","iam:ListUsers"],"Resource":"*"}]}`)
}

// Get returns the managed policy with this ARN.
func Get(arn string) (*Policy, bool) {
	p, ok := policies[arn]
	return p, ok
}

// All returns every AWS managed policy, sorted by name.
func All() []*Policy {
	out := make([]*Policy, 0, len(policies))
	for _, p := range policies {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
