package ec2api

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/query"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// TestGoldenResponses pins the XML of the EC2 responses.
func TestGoldenResponses(t *testing.T) {
	created := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	ep := &model.VPCEndpoint{ID: "vpce-0a1b2c3d4e5f60718", Account: "222222222222", VPCID: "vpc-0a1b2c3d4e5f60718",
		ServiceName: "com.amazonaws.us-east-1.s3", Type: "Gateway", State: "available", Policy: defaultEndpointPolicy,
		Listener: "127.0.0.2:4567", Created: created}
	vpc := &model.VPC{ID: "vpc-0a1b2c3d4e5f60718", Account: "222222222222", CIDRBlock: "10.0.0.0/16", Created: created}
	tests := []struct {
		name, action string
		result       any
	}{
		{"describe_vpc_endpoints", "DescribeVpcEndpoints", struct {
			Endpoints []endpointXML `xml:"vpcEndpointSet>item"`
		}{[]endpointXML{endpointShape(ep)}}},
		{"create_vpc", "CreateVpc", struct {
			Vpc vpcXML `xml:"vpc"`
		}{vpcShape(vpc)}},
		{"modify_vpc_endpoint", "ModifyVpcEndpoint", struct {
			Return bool `xml:"return"`
		}{true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := query.MarshalEC2Response(tc.action, tc.result, "REQUEST-ID")
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tc.name+".golden")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(want) {
				t.Fatalf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}
