package arn

import "testing"

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    ARN
		wantErr bool
	}{
		{"s3 object", "arn:aws:s3:::bucket/key/with:colon", ARN{"aws", "s3", "", "", "bucket/key/with:colon"}, false},
		{"iam user", "arn:aws:iam::111122223333:user/path/alice", ARN{"aws", "iam", "", "111122223333", "user/path/alice"}, false},
		{"kms key", "arn:aws:kms:us-east-1:111122223333:key/1234", ARN{"aws", "kms", "us-east-1", "111122223333", "key/1234"}, false},
		{"too few parts", "arn:aws:s3::bucket", ARN{}, true},
		{"wrong prefix", "urn:aws:s3:::b", ARN{}, true},
		{"empty service", "arn:aws::::x", ARN{}, true},
		{"empty", "", ARN{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			if err == nil && got.String() != tt.in {
				t.Fatalf("String() = %q, want %q", got.String(), tt.in)
			}
		})
	}
}

func TestLike(t *testing.T) {
	tests := []struct {
		name           string
		pattern, value string
		want           bool
	}{
		// The documented difference between ArnLike and StringLike: the first '*'
		// may not swallow the colons of the following parts.
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
		{"segment star", "arn:aws:someservice:*:111122223333:finance/*", "arn:aws:someservice:us-east-1:111122223333:finance/x", true},
		{"star cannot span colon", "arn:aws:someservice:*:111122223333:finance/*", "arn:aws:someservice:us-east-1:444455556666:111122223333:finance/x", false},
		{"exact", "arn:aws:iam::111122223333:role/r", "arn:aws:iam::111122223333:role/r", true},
		{"case sensitive", "arn:aws:iam::111122223333:role/R", "arn:aws:iam::111122223333:role/r", false},
		{"resource keeps colons", "arn:aws:sns:*:*:topic:*", "arn:aws:sns:us-east-1:111122223333:topic:sub", true},
		{"lone star", "*", "arn:aws:s3:::b", true},
		{"value not arn", "arn:aws:s3:::*", "bucket", false},
		{"account wildcard", "arn:aws:iam::*:role/admin", "arn:aws:iam::444455556666:role/admin", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Like(tt.pattern, tt.value); got != tt.want {
				t.Fatalf("Like(%q, %q) = %v, want %v", tt.pattern, tt.value, got, tt.want)
			}
		})
	}
}

func TestIsAccountID(t *testing.T) {
	for s, want := range map[string]bool{"111122223333": true, "11112222333": false, "11112222333a": false, "": false} {
		if got := IsAccountID(s); got != want {
			t.Errorf("IsAccountID(%q) = %v", s, got)
		}
	}
	if got := AccountRoot("aws", "111122223333"); got != "arn:aws:iam::111122223333:root" {
		t.Fatal(got)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"arn:aws:s3:::b/k", "arn:aws:iam::111122223333:user/a", "arn:::::", "arn:aws:kms:us-east-1:1:key/x:y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Parse(s)
		if err != nil {
			return
		}
		if a.String() != s {
			t.Fatalf("round trip: %q -> %q", s, a.String())
		}
		if !Like(s, s) && !containsWildcard(s) {
			t.Fatalf("an ARN without wildcards must match itself: %q", s)
		}
	})
}

func containsWildcard(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '*' || s[i] == '?' {
			return true
		}
	}
	return false
}
