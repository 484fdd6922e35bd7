package wildcard

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzMatch checks the matcher against a regular-expression model of the same
// glob, for any pattern and subject.
func FuzzMatch(f *testing.F) {
	f.Add("arn:aws:s3:::B/*/test/*", "arn:aws:s3:::B/1/test/x")
	f.Add("*a?b*", "xxayb")
	f.Add("??*", "é")
	f.Fuzz(func(t *testing.T, pattern, s string) {
		if len(pattern) > 64 || len(s) > 256 || !utf8.ValidString(pattern) || !utf8.ValidString(s) {
			return
		}
		var re strings.Builder
		re.WriteString("(?s)^")
		for _, r := range pattern {
			switch r {
			case '*':
				re.WriteString(".*")
			case '?':
				re.WriteString(".")
			default:
				re.WriteString(regexp.QuoteMeta(string(r)))
			}
		}
		re.WriteString("$")
		want := regexp.MustCompile(re.String()).MatchString(s)
		if got := Match(pattern, s); got != want {
			t.Fatalf("Match(%q, %q) = %v, regexp says %v", pattern, s, got, want)
		}
		wantFold := regexp.MustCompile("(?i)" + re.String()).MatchString(s)
		if got := MatchFold(pattern, s); got != wantFold {
			// Go's (?i) uses simple folding like strings.EqualFold; differences
			// would be a bug in our rune folding.
			t.Fatalf("MatchFold(%q, %q) = %v, regexp says %v", pattern, s, got, wantFold)
		}
	})
}
