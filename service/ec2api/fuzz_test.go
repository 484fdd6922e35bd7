package ec2api

import (
	"net/url"
	"testing"

	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/protocol/query"
)

// FuzzParseParams feeds arbitrary query strings to the EC2 parameter
// decoders: they must return values or typed errors, never panic.
func FuzzParseParams(f *testing.F) {
	f.Add("Action=CreateVpcEndpoint&VpcId=vpc-1&ServiceName=com.amazonaws.us-east-1.s3&RouteTableId.1=rtb-1")
	f.Add("Filter.1.Name=vpc-id&Filter.1.Value.1=vpc-*&Filter.2.Name=service-name&Filter.2.Value.1=com.amazonaws.%3F")
	f.Add("VpcEndpointId.1=vpce-1&VpcEndpointId.3=vpce-3&Filter.01.Name=x")
	f.Fuzz(func(t *testing.T, raw string) {
		form, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		v := query.Values(form)
		check := func(err error) {
			if err == nil {
				return
			}
			if _, ok := err.(*awserr.Error); !ok {
				t.Fatalf("untyped error %T: %v", err, err)
			}
		}
		fs, err := parseFilters(v, endpointFilters)
		check(err)
		for _, f := range fs {
			if len(f.Values) > maxFilterValues {
				t.Fatalf("%d filter values accepted", len(f.Values))
			}
			for _, val := range f.Values {
				wildcard(val, raw)
			}
		}
		_, err = parseCreateEndpoint(v, "us-east-1")
		check(err)
		_, err = ids(v, "VpcEndpointId")
		check(err)
	})
}

func TestWildcard(t *testing.T) {
	tests := []struct {
		name, pattern, s string
		want             bool
	}{
		{"exact", "abc", "abc", true},
		{"star", "a*c", "abbbc", true},
		{"question", "a?c", "abc", true},
		{"question needs one", "a?c", "ac", false},
		{"trailing star", "vpc-*", "vpc-", true},
		{"mismatch", "vpc-*", "vpce-1", false},
		{"many stars", "*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaac", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := wildcard(tc.pattern, tc.s); got != tc.want {
				t.Fatalf("wildcard(%q, %q) = %v", tc.pattern, tc.s, got)
			}
		})
	}
}
