package ec2api

import (
	"net/http"
	"strings"

	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/protocol/query"
)

// Limits on list parameters, so that a request cannot make the server
// allocate without bound.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/Using_Filtering.html
const (
	maxFilters      = 50
	maxFilterValues = 200
	maxIDs          = 1000
	maxPolicy       = 20480
)

// filter is one Filter.N of a Describe call.
type filter struct {
	Name   string
	Values []string
}

// parseFilters reads Filter.N.Name and Filter.N.Value.M, keeping only the
// names in allowed.
func parseFilters(v query.Values, allowed map[string]bool) ([]filter, error) {
	structs := v.Structs("Filter")
	if len(structs) > maxFilters {
		return nil, query.InvalidParameterValue("The filter list is too long.")
	}
	out := make([]filter, 0, len(structs))
	for _, s := range structs {
		f := filter{Name: s.Get("Name"), Values: s.List("Value")}
		if f.Name == "" {
			return nil, query.MissingParameter("Filter.Name")
		}
		if !allowed[f.Name] {
			return nil, awserr.New("InvalidParameterValue", http.StatusBadRequest, "The filter '"+f.Name+"' is invalid")
		}
		if len(f.Values) > maxFilterValues {
			return nil, awserr.New("FilterLimitExceeded", http.StatusBadRequest, "The maximum number of filter values specified on a single call is 200")
		}
		out = append(out, f)
	}
	return out, nil
}

// match reports whether every filter has a value matching the field of the
// same name; EC2 filter values may use * and ? wildcards.
func match(filters []filter, field func(name string) string) bool {
	for _, f := range filters {
		got := field(f.Name)
		ok := false
		for _, want := range f.Values {
			if wildcard(want, got) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// wildcard matches s against a pattern with * (any run) and ? (one
// character), iteratively (no backtracking blow-up).
func wildcard(p, s string) bool {
	pi, si, star, mark := 0, 0, -1, 0
	for si < len(s) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == s[si]):
			pi++
			si++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// ids reads a list of IDs (VpcId.N, VpcEndpointId.N).
func ids(v query.Values, name string) ([]string, error) {
	l := v.List(name)
	if len(l) > maxIDs {
		return nil, query.InvalidParameterValue("Too many " + name + " values.")
	}
	return l, nil
}

// endpointInput is CreateVpcEndpoint's parameters.
type endpointInput struct {
	VpcID, ServiceName, Type, Policy string
	HasPolicy                        bool
	RouteTables, Subnets             []string
}

func parseCreateEndpoint(v query.Values, region string) (*endpointInput, error) {
	in := &endpointInput{VpcID: v.Get("VpcId"), ServiceName: v.Get("ServiceName"), Type: v.Get("VpcEndpointType"),
		Policy: v.Get("PolicyDocument"), HasPolicy: v.Has("PolicyDocument")}
	if in.VpcID == "" {
		return nil, query.MissingParameter("VpcId")
	}
	if in.ServiceName == "" {
		return nil, query.MissingParameter("ServiceName")
	}
	switch in.Type {
	case "":
		// Gateway is the default type.
		// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcEndpoint.html
		in.Type = "Gateway"
	case "Gateway", "Interface":
	default:
		return nil, query.InvalidParameterValue("Invalid VpcEndpointType: " + in.Type)
	}
	if in.ServiceName != "com.amazonaws."+region+".s3" {
		return nil, awserr.New("InvalidServiceName", http.StatusBadRequest, "The Vpc Endpoint Service '"+in.ServiceName+"' does not exist")
	}
	if len(in.Policy) > maxPolicy {
		return nil, awserr.New("InvalidPolicyDocument", http.StatusBadRequest, "The policy document exceeds the maximum size.")
	}
	var err error
	if in.RouteTables, err = ids(v, "RouteTableId"); err != nil {
		return nil, err
	}
	if in.Subnets, err = ids(v, "SubnetId"); err != nil {
		return nil, err
	}
	for _, id := range append(append([]string(nil), in.RouteTables...), in.Subnets...) {
		if strings.TrimSpace(id) == "" {
			return nil, query.InvalidParameterValue("Empty resource ID")
		}
	}
	return in, nil
}
