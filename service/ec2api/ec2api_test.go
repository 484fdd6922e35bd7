package ec2api_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/verdict-project/verdict/decisionlog"
	"github.com/verdict-project/verdict/inputs"
	"github.com/verdict-project/verdict/server"
	"github.com/verdict-project/verdict/service"
	"github.com/verdict-project/verdict/service/ec2api"
	"github.com/verdict-project/verdict/service/s3api"
	"github.com/verdict-project/verdict/store/memory"
	"github.com/verdict-project/verdict/world"
)

const testWorld = `
accounts:
  - id: "222222222222"
    users:
      - name: alice
        access_keys: [{id: AKIAALICE00000000001, secret: alice-secret}]
        policies:
          all: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: ["s3:*", "ec2:*"], Resource: "*"}]}
      - name: bob
        access_keys: [{id: AKIABOB0000000000001, secret: bob-secret}]
    buckets:
      - name: data-bucket
`

var bg = context.Background()

type env struct {
	t    *testing.T
	srv  *httptest.Server
	log  *decisionlog.Log
	eps  *server.Endpoints
	cred aws.CredentialsProvider
}

func newEnv(t *testing.T) *env {
	t.Helper()
	st := memory.New()
	w, err := world.Parse("test.yaml", []byte(testWorld))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Apply(bg, st, time.Now()); err != nil {
		t.Fatal(err)
	}
	log := decisionlog.New(100)
	senv := &service.Env{Store: st, Blobs: memory.NewBlobs(), Compiler: inputs.NewCompiler(), Log: log,
		Region: "us-east-1", RootSecret: "root-secret", MaxObjectSize: 1 << 20}
	srv := server.New(senv, time.Now)
	srv.Register("s3", s3api.New())
	srv.Register("ec2", ec2api.New(srv.Endpoints()))
	e := &env{t: t, srv: httptest.NewServer(srv), log: log, eps: srv.Endpoints(),
		cred: credentials.NewStaticCredentialsProvider("AKIAALICE00000000001", "alice-secret", "")}
	t.Cleanup(func() { e.eps.Close(); e.srv.Close() })
	return e
}

func (e *env) config(url string) aws.Config {
	return aws.Config{Region: "us-east-1", Credentials: e.cred, BaseEndpoint: aws.String(url), RetryMaxAttempts: 1}
}

func (e *env) ec2() *ec2.Client { return ec2.NewFromConfig(e.config(e.srv.URL)) }

func (e *env) s3(url string) *s3.Client {
	return s3.NewFromConfig(e.config(url), func(o *s3.Options) { o.UsePathStyle = true })
}

func (e *env) get(url string) error {
	out, err := e.s3(url).GetObject(bg, &s3.GetObjectInput{Bucket: aws.String("data-bucket"), Key: aws.String("k")})
	if err == nil {
		out.Body.Close()
	}
	return err
}

func code(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

const denyGetPolicy = `{"Version":"2012-10-17","Statement":[` +
	`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},` +
	`{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}`

// TestEndpointPolicy: a request through the endpoint's listener is refused
// by the endpoint policy while the same request on the main listener
// succeeds; resetting the policy lets it through.
func TestEndpointPolicy(t *testing.T) {
	e := newEnv(t)
	_, err := e.s3(e.srv.URL).PutObject(bg, &s3.PutObjectInput{Bucket: aws.String("data-bucket"), Key: aws.String("k"), Body: strings.NewReader("x")})
	noErr(t, err)
	vpc, err := e.ec2().CreateVpc(bg, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	noErr(t, err)
	vpcID := aws.ToString(vpc.Vpc.VpcId)
	ep, err := e.ec2().CreateVpcEndpoint(bg, &ec2.CreateVpcEndpointInput{VpcId: aws.String(vpcID),
		ServiceName: aws.String("com.amazonaws.us-east-1.s3"), PolicyDocument: aws.String(denyGetPolicy)})
	noErr(t, err)
	id := aws.ToString(ep.VpcEndpoint.VpcEndpointId)
	desc, err := e.ec2().DescribeVpcEndpoints(bg, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{id}})
	noErr(t, err)
	if len(desc.VpcEndpoints) != 1 || len(desc.VpcEndpoints[0].DnsEntries) != 1 {
		t.Fatalf("DescribeVpcEndpoints: %+v", desc.VpcEndpoints)
	}
	addr := aws.ToString(desc.VpcEndpoints[0].DnsEntries[0].DnsName)
	if addr != e.eps.Addr(id) || !strings.HasPrefix(addr, "127.") {
		t.Fatalf("listener %q, manager says %q", addr, e.eps.Addr(id))
	}
	viaEndpoint := "http://" + addr

	noErr(t, e.get(e.srv.URL))
	err = e.get(viaEndpoint)
	if code(err) != "AccessDenied" {
		t.Fatalf("through the endpoint: %v; want AccessDenied", err)
	}
	last := e.log.Query(1, nil)
	if len(last) != 1 || last[0].EndpointID != id || last[0].Layer != "vpc-endpoint" {
		t.Fatalf("decision log does not name the endpoint: %+v", last)
	}

	_, err = e.ec2().ModifyVpcEndpoint(bg, &ec2.ModifyVpcEndpointInput{VpcEndpointId: aws.String(id), ResetPolicy: aws.Bool(true)})
	noErr(t, err)
	noErr(t, e.get(viaEndpoint))

	// aws:SourceVpce and aws:SourceVpc are set through the endpoint.
	vpceOnly := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"*",` +
		`"Condition":{"StringNotEquals":{"aws:SourceVpce":"` + id + `","aws:SourceVpc":"` + vpcID + `"}}},` +
		`{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`
	_, err = e.ec2().ModifyVpcEndpoint(bg, &ec2.ModifyVpcEndpointInput{VpcEndpointId: aws.String(id), PolicyDocument: aws.String(vpceOnly)})
	noErr(t, err)
	noErr(t, e.get(viaEndpoint))

	del, err := e.ec2().DeleteVpcEndpoints(bg, &ec2.DeleteVpcEndpointsInput{VpcEndpointIds: []string{id, "vpce-0123456789abcdef0"}})
	noErr(t, err)
	if len(del.Unsuccessful) != 1 || aws.ToString(del.Unsuccessful[0].ResourceId) != "vpce-0123456789abcdef0" {
		t.Fatalf("unsuccessful: %+v", del.Unsuccessful)
	}
	if e.eps.Addr(id) != "" {
		t.Fatal("listener still open after delete")
	}
}

func TestErrors(t *testing.T) {
	e := newEnv(t)
	vpc, err := e.ec2().CreateVpc(bg, &ec2.CreateVpcInput{CidrBlock: aws.String("10.1.0.0/16")})
	noErr(t, err)
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"bad CIDR", func() error {
			_, err := e.ec2().CreateVpc(bg, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/8")})
			return err
		}, "InvalidVpc.Range"},
		{"unknown VPC", func() error {
			_, err := e.ec2().CreateVpcEndpoint(bg, &ec2.CreateVpcEndpointInput{VpcId: aws.String("vpc-0123456789abcdef0"), ServiceName: aws.String("com.amazonaws.us-east-1.s3")})
			return err
		}, "InvalidVpcID.NotFound"},
		{"unknown service", func() error {
			_, err := e.ec2().CreateVpcEndpoint(bg, &ec2.CreateVpcEndpointInput{VpcId: vpc.Vpc.VpcId, ServiceName: aws.String("com.amazonaws.us-east-1.sqs")})
			return err
		}, "InvalidServiceName"},
		{"unknown endpoint", func() error {
			_, err := e.ec2().DescribeVpcEndpoints(bg, &ec2.DescribeVpcEndpointsInput{VpcEndpointIds: []string{"vpce-0123456789abcdef0"}})
			return err
		}, "InvalidVpcEndpointId.NotFound"},
		{"bad filter", func() error {
			_, err := e.ec2().DescribeVpcEndpoints(bg, &ec2.DescribeVpcEndpointsInput{Filters: []types.Filter{{Name: aws.String("nope"), Values: []string{"x"}}}})
			return err
		}, "InvalidParameterValue"},
		{"unauthorized", func() error {
			e.cred = credentials.NewStaticCredentialsProvider("AKIABOB0000000000001", "bob-secret", "")
			defer func() { e.cred = credentials.NewStaticCredentialsProvider("AKIAALICE00000000001", "alice-secret", "") }()
			_, err := e.ec2().DescribeVpcs(bg, &ec2.DescribeVpcsInput{})
			return err
		}, "UnauthorizedOperation"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := code(tc.call()); got != tc.want {
				t.Fatalf("error %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDescribeFilters(t *testing.T) {
	e := newEnv(t)
	vpc, err := e.ec2().CreateVpc(bg, &ec2.CreateVpcInput{CidrBlock: aws.String("10.2.0.0/16")})
	noErr(t, err)
	_, err = e.ec2().CreateVpcEndpoint(bg, &ec2.CreateVpcEndpointInput{VpcId: vpc.Vpc.VpcId, ServiceName: aws.String("com.amazonaws.us-east-1.s3"),
		VpcEndpointType: types.VpcEndpointTypeInterface})
	noErr(t, err)
	tests := []struct {
		name   string
		filter types.Filter
		want   int
	}{
		{"by vpc", types.Filter{Name: aws.String("vpc-id"), Values: []string{aws.ToString(vpc.Vpc.VpcId)}}, 1},
		{"by type", types.Filter{Name: aws.String("vpc-endpoint-type"), Values: []string{"Gateway"}}, 0},
		{"wildcard service", types.Filter{Name: aws.String("service-name"), Values: []string{"com.amazonaws.*.s3"}}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := e.ec2().DescribeVpcEndpoints(bg, &ec2.DescribeVpcEndpointsInput{Filters: []types.Filter{tc.filter}})
			noErr(t, err)
			if len(out.VpcEndpoints) != tc.want {
				t.Fatalf("%d endpoints, want %d", len(out.VpcEndpoints), tc.want)
			}
		})
	}
	vpcs, err := e.ec2().DescribeVpcs(bg, &ec2.DescribeVpcsInput{})
	noErr(t, err)
	if len(vpcs.Vpcs) != 1 || aws.ToString(vpcs.Vpcs[0].CidrBlock) != "10.2.0.0/16" {
		t.Fatalf("vpcs %+v", vpcs.Vpcs)
	}
}
