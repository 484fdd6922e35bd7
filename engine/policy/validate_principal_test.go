package policy

import "testing"

func TestPrincipalShapes(t *testing.T) {
	tests := []struct {
		name  string
		check func(string) bool
		value string
		want  bool
	}{
		{"account id", validAWSPrincipal, "111122223333", true},
		{"short account id", validAWSPrincipal, "11112222333", false},
		{"root", validAWSPrincipal, "arn:aws:iam::111122223333:root", true},
		{"user with path", validAWSPrincipal, "arn:aws:iam::111122223333:user/division/alice", true},
		{"role", validAWSPrincipal, "arn:aws:iam::111122223333:role/r", true},
		{"role without name", validAWSPrincipal, "arn:aws:iam::111122223333:role/", false},
		{"group", validAWSPrincipal, "arn:aws:iam::111122223333:group/g", false},
		{"iam bad account", validAWSPrincipal, "arn:aws:iam::me:root", false},
		{"iam region", validAWSPrincipal, "arn:aws:iam:us-east-1:111122223333:root", false},
		{"bad partition", validAWSPrincipal, "arn:aws-moon:iam::111122223333:root", false},
		{"china", validAWSPrincipal, "arn:aws-cn:iam::111122223333:root", true},
		{"session", validAWSPrincipal, "arn:aws:sts::111122223333:assumed-role/r/s", true},
		{"session without name", validAWSPrincipal, "arn:aws:sts::111122223333:assumed-role/r", false},
		{"session with slash", validAWSPrincipal, "arn:aws:sts::111122223333:assumed-role/r/s/t", false},
		{"federated user", validAWSPrincipal, "arn:aws:sts::111122223333:federated-user/bob", true},
		{"sts bad account", validAWSPrincipal, "arn:aws:sts::x:federated-user/bob", false},
		{"cloudfront oai", validAWSPrincipal, "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E1", true},
		{"cloudfront other", validAWSPrincipal, "arn:aws:iam::cloudfront:user/other", false},
		{"other service", validAWSPrincipal, "arn:aws:s3:::bucket", false},
		{"unique id", validAWSPrincipal, "AROADBQP57FF2AEXAMPLE", true},
		{"unique id lower", validAWSPrincipal, "AROAdbqp57ff2aexample", false},
		{"unique id short", validAWSPrincipal, "AIDA1234", false},
		{"wildcard", validAWSPrincipal, "arn:aws:iam::111122223333:user/*", false},
		{"spaces", validAWSPrincipal, " 111122223333", false},
		{"empty", validAWSPrincipal, "", false},
		{"garbage", validAWSPrincipal, "user", false},
		{"service", validServicePrincipal, "logging.s3.amazonaws.com", true},
		{"service china", validServicePrincipal, "ec2.amazonaws.com.cn", true},
		{"service no dot", validServicePrincipal, "ec2", false},
		{"service leading dot", validServicePrincipal, ".amazonaws.com", false},
		{"service space", validServicePrincipal, "ec2 .amazonaws.com", false},
		{"service empty", validServicePrincipal, "", false},
		{"federated web", validFederatedPrincipal, "accounts.google.com", true},
		{"federated saml", validFederatedPrincipal, "arn:aws:iam::111122223333:saml-provider/Okta", true},
		{"federated oidc", validFederatedPrincipal, "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com", true},
		{"federated other arn", validFederatedPrincipal, "arn:aws:iam::111122223333:role/r", false},
		{"federated word", validFederatedPrincipal, "google", false},
		{"federated wildcard", validFederatedPrincipal, "*.google.com", false},
		{"federated empty", validFederatedPrincipal, "", false},
		{"canonical", validCanonicalUser, "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be", true},
		{"canonical upper", validCanonicalUser, "79A59DF900B949E55D96A1E698FBACEDFD6E09D98EACF8F8D5218E7CD47EF2BE", false},
		{"canonical short", validCanonicalUser, "79a59df9", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.check(tt.value); got != tt.want {
				t.Errorf("check(%q) = %v, want %v", tt.value, got, tt.want)
			}
		})
	}
}

func TestSizes(t *testing.T) {
	tests := []struct {
		doc               string
		noSpace, minified int
	}{
		{`{ "a" : "b c" }`, 10, 11},
		{"{\n\t\"k\": \"x\\\" y\"\r\n}", 12, 13},
		{`{"é": 1}`, 7, 8},
	}
	for _, tt := range tests {
		if got := sizeNoSpace([]byte(tt.doc)); got != tt.noSpace {
			t.Errorf("sizeNoSpace(%q) = %d, want %d", tt.doc, got, tt.noSpace)
		}
		if got := sizeMinified([]byte(tt.doc)); got != tt.minified {
			t.Errorf("sizeMinified(%q) = %d, want %d", tt.doc, got, tt.minified)
		}
	}
	if v, ok := versionOf([]byte(`[]`)); ok || v != "" {
		t.Error("versionOf of an array")
	}
	if v, ok := versionOf([]byte(`{"Version":1}`)); ok || v != "" {
		t.Error("versionOf of a number")
	}
	if equalFoldASCII("Allow", "Allo") || !equalFoldASCII("aLLoW", "Allow") || equalFoldASCII("Allow", "Alloy") {
		t.Error("equalFoldASCII")
	}
	if conditionCode(&Error{Code: ErrInvalidCondition}) != "" {
		t.Error("conditionCode without a condition error")
	}
	if caseOfOperator(&Error{}) != "" {
		t.Error("caseOfOperator without a condition error")
	}
	for r, want := range map[string]bool{"arn:aws:s3:::b": false, "arn:a:b:c": true, "arn:a:b": false, "x:a:b:c": false, "arn:aws::r:a:b": true} {
		if got := legacyARN(r); got != want {
			t.Errorf("legacyARN(%q) = %v, want %v", r, got, want)
		}
	}
	if trustAction("sts:Nope*") || !trustAction("STS:assumerole") {
		t.Error("trustAction")
	}
}
