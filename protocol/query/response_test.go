package query

import (
	"bytes"
	"flag"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/verdict-project/verdict/protocol/awserr"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var (
	created = Timestamp{time.Date(2013, 1, 9, 21, 37, 23, 0, time.UTC)}
	expires = Timestamp{time.Date(2019, 11, 9, 13, 34, 41, 999_000_000, time.FixedZone("z", -3600))}
)

// Result shapes shaped like IAM's, STS's and EC2's documented responses; the
// services define their own, these only exercise the envelope.
type iamTag struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

type iamUser struct {
	Path             string     `xml:"Path"`
	UserName         string     `xml:"UserName"`
	UserID           string     `xml:"UserId"`
	Arn              string     `xml:"Arn"`
	CreateDate       Timestamp  `xml:"CreateDate"`
	PasswordLastUsed *Timestamp `xml:"PasswordLastUsed,omitempty"`
	Tags             *[]iamTag  `xml:"Tags>member,omitempty"`
}

type getUserResult struct {
	User iamUser `xml:"User"`
}

type listUsersResult struct {
	Users       []iamUser `xml:"Users>member"`
	IsTruncated bool      `xml:"IsTruncated"`
	Marker      string    `xml:"Marker,omitempty"`
}

type assumeRoleResult struct {
	Credentials struct {
		AccessKeyID     string    `xml:"AccessKeyId"`
		SecretAccessKey string    `xml:"SecretAccessKey"`
		SessionToken    string    `xml:"SessionToken"`
		Expiration      Timestamp `xml:"Expiration"`
	} `xml:"Credentials"`
	AssumedRoleUser struct {
		AssumedRoleID string `xml:"AssumedRoleId"`
		Arn           string `xml:"Arn"`
	} `xml:"AssumedRoleUser"`
	PackedPolicySize int    `xml:"PackedPolicySize"`
	SourceIdentity   string `xml:"SourceIdentity,omitempty"`
}

type callerIdentity struct {
	UserID  string `xml:"UserId"`
	Account string `xml:"Account"`
	Arn     string `xml:"Arn"`
}

type vpcEndpoint struct {
	ID                string       `xml:"vpcEndpointId"`
	Type              string       `xml:"vpcEndpointType"`
	VpcID             string       `xml:"vpcId"`
	ServiceName       string       `xml:"serviceName"`
	State             string       `xml:"state"`
	PolicyDocument    string       `xml:"policyDocument"`
	CreationTimestamp EC2Timestamp `xml:"creationTimestamp"`
}

type describeVpcEndpoints struct {
	Set []vpcEndpoint `xml:"vpcEndpointSet>item"`
}

var bob = iamUser{Path: "/division_abc/subdivision_xyz/", UserName: "Bob", UserID: "AIDACKCEVSQ6C2EXAMPLE",
	Arn: "arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob", CreateDate: created,
	Tags: &[]iamTag{{"Dept", "R&D <1>"}}}

func assumeRoleSample() assumeRoleResult {
	var r assumeRoleResult
	r.Credentials.AccessKeyID = "ASIAIOSFODNN7EXAMPLE"
	r.Credentials.SecretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
	r.Credentials.SessionToken = "IQoJb3JpZ2luX2VjEXAMPLE=="
	r.Credentials.Expiration = expires
	r.AssumedRoleUser.AssumedRoleID = "ARO123EXAMPLE123:Bob"
	r.AssumedRoleUser.Arn = "arn:aws:sts::123456789012:assumed-role/demo/Bob"
	r.PackedPolicySize = 8
	r.SourceIdentity = "Alice"
	return r
}

func TestGolden(t *testing.T) {
	tests := []struct {
		name   string
		render func() ([]byte, error)
	}{
		{"iam_get_user", func() ([]byte, error) {
			return MarshalResponse("GetUser", IAMNamespace, getUserResult{bob}, "7a62c49f-347e-4fc4-9331-6e8eEXAMPLE")
		}},
		{"iam_list_users", func() ([]byte, error) {
			return MarshalResponse("ListUsers", IAMNamespace, &listUsersResult{Users: []iamUser{bob, {UserName: "Ann", Path: "/",
				CreateDate: created, PasswordLastUsed: &created}}, IsTruncated: true, Marker: "m1"}, "req-2")
		}},
		{"iam_delete_user", func() ([]byte, error) {
			return MarshalResponse("DeleteUser", IAMNamespace, nil, "req-3")
		}},
		{"sts_assume_role", func() ([]byte, error) {
			return MarshalResponse("AssumeRole", STSNamespace, assumeRoleSample(), "c6104cbe-af31-11e0-8154-cbc7ccf896c7")
		}},
		{"sts_get_caller_identity", func() ([]byte, error) {
			return MarshalResponse("GetCallerIdentity", STSNamespace, callerIdentity{"AIDAEXAMPLE", "123456789012",
				"arn:aws:iam::123456789012:user/Alice"}, "req-4")
		}},
		{"ec2_describe_vpc_endpoints", func() ([]byte, error) {
			return MarshalEC2Response("DescribeVpcEndpoints", describeVpcEndpoints{[]vpcEndpoint{{ID: "vpce-032a826a", Type: "Gateway",
				VpcID: "vpc-1a2b3c4d", ServiceName: "com.amazonaws.us-east-1.s3", State: "available",
				PolicyDocument:    `{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`,
				CreationTimestamp: EC2Timestamp{time.Date(2017, 9, 5, 20, 3, 24, 0, time.UTC)}}}}, "19a9ff46-7df6-49b8-9726-3df27527089d")
		}},
		{"ec2_empty_set", func() ([]byte, error) {
			return MarshalEC2Response("DescribeVpcEndpoints", &describeVpcEndpoints{}, "req-5")
		}},
		{"ec2_no_result", func() ([]byte, error) {
			return MarshalEC2Response("ModifyVpcEndpoint", nil, "req-6")
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.render()
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tc.name+".golden")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("body differs from %s\n got:\n%s\nwant:\n%s", path, got, want)
			}
		})
	}
}

func TestWriteResponseHeaders(t *testing.T) {
	tests := []struct {
		name        string
		write       func(*httptest.ResponseRecorder) error
		contentType string
	}{
		{"iam", func(w *httptest.ResponseRecorder) error {
			return WriteResponse(w, "GetUser", IAMNamespace, getUserResult{bob}, "rid")
		}, "text/xml"},
		{"ec2", func(w *httptest.ResponseRecorder) error {
			return WriteEC2Response(w, "DescribeVpcEndpoints", nil, "rid")
		}, "text/xml;charset=UTF-8"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			if err := tc.write(w); err != nil {
				t.Fatal(err)
			}
			if w.Code != 200 || w.Header().Get("Content-Type") != tc.contentType || w.Header().Get("x-amzn-RequestId") != "rid" {
				t.Errorf("status %d headers %v", w.Code, w.Header())
			}
		})
	}
}

func TestMarshalErrors(t *testing.T) {
	bad := struct{ C chan int }{make(chan int)}
	if _, err := MarshalResponse("A", IAMNamespace, bad, "r"); err == nil {
		t.Error("MarshalResponse accepted an unencodable result")
	}
	if _, err := MarshalEC2Response("A", bad, "r"); err == nil {
		t.Error("MarshalEC2Response accepted an unencodable result")
	}
	if err := WriteResponse(httptest.NewRecorder(), "", IAMNamespace, nil, "r"); err != nil {
		// "Response" alone is still a valid element name.
		t.Errorf("WriteResponse with empty action: %v", err)
	}
}

func TestValidationMessage(t *testing.T) {
	tests := []struct {
		name string
		vs   []Violation
		want string
	}{
		{"one null", []Violation{NotNull("roleArn")},
			"1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null"},
		{"two", []Violation{
			{Member: "userName", Value: "a b", Constraint: `Member must satisfy regular expression pattern: [\w+=,.@-]+`},
			{Member: "path", Value: "x", Constraint: "Member must have length greater than or equal to 1"}},
			`2 validation errors detected: Value 'a b' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+; ` +
				"Value 'x' at 'path' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"sensitive", []Violation{{Member: "policy", Value: "secret", Sensitive: true, Constraint: "Member must have length less than or equal to 2048"}},
			"1 validation error detected: Value at 'policy' failed to satisfy constraint: Member must have length less than or equal to 2048"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := ValidationError(tc.vs...)
			if e.Code != "ValidationError" || e.Status != 400 || e.Message != tc.want {
				t.Errorf("got %s %d %q\nwant %q", e.Code, e.Status, e.Message, tc.want)
			}
		})
	}
}

func TestErrorConstructors(t *testing.T) {
	tests := []struct {
		name    string
		e       *awserr.Error
		code    string
		status  int
		message string
	}{
		{"MalformedQueryString", MalformedQueryString(), "MalformedQueryString", 404, "The query string contains a syntax error."},
		{"InvalidQueryParameter", InvalidQueryParameter(), "InvalidQueryParameter", 400, "The AWS query string is malformed or does not adhere to AWS standards."},
		{"MissingAction", MissingAction(), "MissingAction", 400, "The request is missing an action or a required parameter."},
		{"InvalidAction", InvalidAction("GetUsr", "2010-05-08"), "InvalidAction", 400, "Could not find operation GetUsr for version 2010-05-08"},
		{"EC2InvalidAction", EC2InvalidAction("Nope"), "InvalidAction", 400, "The action Nope is not valid for this web service."},
		{"MissingParameter", MissingParameter("VpcEndpointId"), "MissingParameter", 400, "The request must contain the parameter VpcEndpointId"},
		{"InvalidParameterValue", InvalidParameterValue("bad"), "InvalidParameterValue", 400, "bad"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.e.Code != tc.code || tc.e.Status != tc.status || tc.e.Message != tc.message {
				t.Errorf("got %s %d %q, want %s %d %q", tc.e.Code, tc.e.Status, tc.e.Message, tc.code, tc.status, tc.message)
			}
		})
	}
}
