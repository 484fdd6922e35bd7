package action

import "strings"

// Template markers: in a template segment, markOne stands for one or more
// characters other than '/', markAny for one or more characters of any kind.
// Every other character is literal.
const (
	markOne = '\x01'
	markAny = '\x02'
)

// typeTemplates gives, per resource type, the shape of its ARNs: partition,
// service, region, account and resource parts, from the ARN formats of the
// reference's Resource types table
// (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html#amazons3-resources-for-iam-policies).
// Bucket names cannot contain '/', access point names neither.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
var typeTemplates = []struct {
	t     ResourceType
	parts [5]string
}{
	// Account-level actions are granted with Resource "*"; "arn:aws:s3:::*"
	// also covers them.
	{Account, [5]string{"\x02", "s3", "", "", "*"}},
	{Bucket, [5]string{"\x02", "s3", "", "", "\x01"}},
	{Object, [5]string{"\x02", "s3", "", "", "\x01/\x02"}},
	{AccessPoint, [5]string{"\x02", "s3", "\x01", "\x01", "accesspoint/\x01"}},
	{AccessPointObject, [5]string{"\x02", "s3", "\x01", "\x01", "accesspoint/\x01/object/\x02"}},
	{Job, [5]string{"\x02", "s3", "\x01", "\x01", "job/\x01"}},
	{StorageLensConfiguration, [5]string{"\x02", "s3", "\x01", "\x01", "storage-lens/\x01"}},
	{StorageLensGroup, [5]string{"\x02", "s3", "\x01", "\x01", "storage-lens-group/\x01"}},
	{MultiRegionAccessPoint, [5]string{"\x02", "s3", "", "\x01", "accesspoint/\x01"}},
	{MultiRegionAccessPointRequest, [5]string{"\x02", "s3", "\x01", "\x01", "async-request/mrap/\x02"}},
	{ObjectLambdaAccessPoint, [5]string{"\x02", "s3-object-lambda", "\x01", "\x01", "accesspoint/\x01"}},
	{AccessGrantsInstance, [5]string{"\x02", "s3", "\x01", "\x01", "access-grants/default"}},
	{AccessGrantsLocation, [5]string{"\x02", "s3", "\x01", "\x01", "access-grants/default/location/\x02"}},
	{AccessGrant, [5]string{"\x02", "s3", "\x01", "\x01", "access-grants/default/grant/\x02"}},
}

// TypesOf returns the S3 resource types whose ARNs the Resource pattern can
// match, in a fixed order. The pattern is read as policy evaluation reads it:
// an ARN-shaped pattern is matched part by part, so a wildcard never spans a
// ':' of the first five; anything else is a plain glob over the whole ARN.
// "*" covers every type, Account included.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
func TypesOf(pattern string) []ResourceType {
	var out []ResourceType
	parts, arnShaped := splitARN(pattern)
	if strings.HasPrefix(pattern, "arn:") && !arnShaped {
		// arn.Like matches such a pattern against nothing.
		return nil
	}
	for _, tt := range typeTemplates {
		var ok bool
		if arnShaped {
			ok = true
			for i := 0; i < 5 && ok; i++ {
				ok = intersects(parts[i+1], tt.parts[i])
			}
		} else {
			ok = intersects(pattern, "arn:"+strings.Join(tt.parts[:], ":"))
		}
		if ok {
			out = append(out, tt.t)
		}
	}
	return out
}

// ResourceTypeOf returns the resource type of a concrete S3 ARN: Bucket for
// arn:aws:s3:::bucket, Object for arn:aws:s3:::bucket/key, AccessPoint for
// arn:aws:s3:region:account:accesspoint/name, and so on; Account for "*".
// It returns "" for anything that is not an S3 resource.
func ResourceTypeOf(s3ARN string) ResourceType {
	if s3ARN == "*" {
		return Account
	}
	if strings.ContainsAny(s3ARN, "*?") {
		return ""
	}
	types := TypesOf(s3ARN)
	if len(types) != 1 {
		return ""
	}
	return types[0]
}

// splitARN cuts s at its first five colons; ok is false unless there are five
// and the first part is "arn".
func splitARN(s string) (parts [6]string, ok bool) {
	for i := 0; i < 5; i++ {
		j := strings.IndexByte(s, ':')
		if j < 0 {
			return parts, false
		}
		parts[i] = s[:j]
		s = s[j+1:]
	}
	parts[5] = s
	return parts, parts[0] == "arn"
}

// elem is one element of a glob: a single character of some class, or a star
// (zero or more characters of some class).
type elem struct {
	star bool
	// class: 0 literal r, 1 any character, 2 any character but '/'.
	class uint8
	r     rune
}

// patternElems reads a policy glob: '*' and '?' are wildcards.
func patternElems(p string) []elem {
	out := make([]elem, 0, len(p))
	for _, r := range p {
		switch r {
		case '*':
			out = append(out, elem{star: true, class: 1})
		case '?':
			out = append(out, elem{class: 1})
		default:
			out = append(out, elem{r: r})
		}
	}
	return out
}

// templateElems reads a template: markOne and markAny are one-or-more runs.
func templateElems(t string) []elem {
	out := make([]elem, 0, len(t)+2)
	for _, r := range t {
		switch r {
		case markOne:
			out = append(out, elem{class: 2}, elem{star: true, class: 2})
		case markAny:
			out = append(out, elem{class: 1}, elem{star: true, class: 1})
		default:
			out = append(out, elem{r: r})
		}
	}
	return out
}

// overlap reports whether one character can belong to both classes.
func overlap(a, b elem) bool {
	switch {
	case a.class == 0 && b.class == 0:
		return a.r == b.r
	case a.class == 0:
		return b.class == 1 || a.r != '/'
	case b.class == 0:
		return a.class == 1 || b.r != '/'
	}
	return true
}

// intersects reports whether some string matches both the policy glob p and
// the template t. It explores pairs of positions (i in p, j in t) once each,
// so it runs in O(len(p)*len(t)) time and space.
func intersects(p, t string) bool {
	a, b := patternElems(p), templateElems(t)
	n, m := len(a)+1, len(b)+1
	seen := make([]bool, n*m)
	stack := []int{0}
	seen[0] = true
	push := func(i, j int) {
		if k := i*m + j; !seen[k] {
			seen[k] = true
			stack = append(stack, k)
		}
	}
	for len(stack) > 0 {
		k := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		i, j := k/m, k%m
		if i == len(a) && j == len(b) {
			return true
		}
		if i < len(a) && a[i].star {
			push(i+1, j) // the star matches nothing more
			if j < len(b) && (b[j].star || overlap(a[i], b[j])) {
				push(i, j+1) // the star swallows b[j]
			}
		}
		if j < len(b) && b[j].star {
			push(i, j+1)
			if i < len(a) && (a[i].star || overlap(a[i], b[j])) {
				push(i+1, j)
			}
		}
		if i < len(a) && j < len(b) && !a[i].star && !b[j].star && overlap(a[i], b[j]) {
			push(i+1, j+1)
		}
	}
	return false
}
