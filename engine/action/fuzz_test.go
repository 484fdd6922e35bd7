package action

import "testing"

// FuzzTypesOf checks that resource patterns of any shape are analysed
// without panicking, and that a concrete ARN's type is among the types its
// own pattern covers.
func FuzzTypesOf(f *testing.F) {
	for _, s := range []string{"*", "arn:aws:s3:::b", "arn:aws:s3:::b/*", "arn:aws:s3:us-west-2:1:accesspoint/a/object/k",
		"arn:*:s3:*:*:*", "*bucket*", "arn:aws:s3", "arn:aws:s3:::?*/**?", "s3:Get*"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		types := TypesOf(s)
		if rt := ResourceTypeOf(s); rt != "" {
			found := false
			for _, x := range types {
				found = found || x == rt
			}
			if !found {
				t.Fatalf("ResourceTypeOf(%q) = %q, not in TypesOf = %v", s, rt, types)
			}
		}
		Expand(s)
		S3(s)
		KeyType(s)
	})
}
