package wildcard

import "testing"

func TestMatch(t *testing.T) {
	tests := []struct {
		name    string
		pattern string
		s       string
		want    bool
		fold    bool
	}{
		{"exact", "s3:GetObject", "s3:GetObject", true, false},
		{"exact differs", "s3:GetObject", "s3:GetObjects", false, false},
		{"star alone", "*", "", true, false},
		{"star any", "s3:*", "s3:PutObject", true, false},
		{"star empty run", "s3:*Object", "s3:Object", true, false},
		{"star middle", "iam:*AccessKey*", "iam:ListAccessKeys", true, false},
		{"question one", "s3:GetObjec?", "s3:GetObject", true, false},
		{"question not zero", "s3:GetObject?", "s3:GetObject", false, false},
		{"question one rune", "a?c", "a\u00e9c", true, false},
		{"case sensitive", "arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/x", false, false},
		{"fold", "S3:getobject", "s3:GetObject", true, true},
		{"fold star", "s3:get*", "S3:GETOBJECT", true, true},
		// The S3 page's example: '*' spans '/', and '/' has no special meaning.
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
		{"spans slash", "arn:aws:s3:::B/*/test/*", "arn:aws:s3:::B/1/2/test/3/x.jpg", true, false},
		{"double slash", "arn:aws:s3:::B/*/test/*", "arn:aws:s3:::B//test/x.jpg", true, false},
		{"empty tail", "arn:aws:s3:::B/*/test/*", "arn:aws:s3:::B/1/test/", true, false},
		{"needs segment", "arn:aws:s3:::B/*/test/*", "arn:aws:s3:::B/test/x.jpg", false, false},
		{"no partial", "arn:aws:s3:::B/*/test/*", "arn:aws:s3:::B/1-test/x.jpg", false, false},
		{"trailing stars", "ab**", "ab", true, false},
		{"backtrack", "*a*b*c", "xxaxxbxxbxxc", true, false},
		{"backtrack fail", "*a*b*c", "xxaxxbxxbxx", false, false},
		{"empty pattern", "", "", true, false},
		{"empty pattern nonempty", "", "a", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := Match
			if tt.fold {
				m = MatchFold
			}
			if got := m(tt.pattern, tt.s); got != tt.want {
				t.Fatalf("match(%q, %q) = %v, want %v", tt.pattern, tt.s, got, tt.want)
			}
		})
	}
}

func BenchmarkMatch(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Match("arn:aws:s3:::bucket-*/home/*/reports/*.csv", "arn:aws:s3:::bucket-prod/home/alice/reports/2024/q1.csv")
	}
}
