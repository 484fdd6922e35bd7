package ec2api

import (
	"errors"
	"net"
	"net/http"
	"slices"
	"strings"

	"github.com/verdict-project/verdict/engine/policy"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/protocol/query"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

// defaultEndpointPolicy is the policy of an endpoint created without one:
// full access.
// https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html#default-endpoint-policy
const defaultEndpointPolicy = `{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`

type vpcXML struct {
	VpcID           string `xml:"vpcId"`
	OwnerID         string `xml:"ownerId"`
	State           string `xml:"state"`
	CidrBlock       string `xml:"cidrBlock"`
	InstanceTenancy string `xml:"instanceTenancy"`
	IsDefault       bool   `xml:"isDefault"`
}

func vpcShape(v *model.VPC) vpcXML {
	return vpcXML{VpcID: v.ID, OwnerID: v.Account, State: "available", CidrBlock: v.CIDRBlock, InstanceTenancy: "default"}
}

type dnsEntry struct {
	DNSName      string `xml:"dnsName"`
	HostedZoneID string `xml:"hostedZoneId"`
}

type endpointXML struct {
	VpcEndpointID     string             `xml:"vpcEndpointId"`
	VpcEndpointType   string             `xml:"vpcEndpointType"`
	VpcID             string             `xml:"vpcId"`
	ServiceName       string             `xml:"serviceName"`
	State             string             `xml:"state"`
	PolicyDocument    string             `xml:"policyDocument"`
	RouteTableIDs     []string           `xml:"routeTableIdSet>item"`
	SubnetIDs         []string           `xml:"subnetIdSet>item"`
	PrivateDNSEnabled bool               `xml:"privateDnsEnabled"`
	RequesterManaged  bool               `xml:"requesterManaged"`
	DNSEntries        []dnsEntry         `xml:"dnsEntrySet>item"`
	CreationTimestamp query.EC2Timestamp `xml:"creationTimestamp"`
	OwnerID           string             `xml:"ownerId"`
}

func endpointShape(e *model.VPCEndpoint) endpointXML {
	x := endpointXML{VpcEndpointID: e.ID, VpcEndpointType: e.Type, VpcID: e.VPCID, ServiceName: e.ServiceName,
		State: e.State, PolicyDocument: e.Policy, CreationTimestamp: query.EC2Timestamp{Time: e.Created}, OwnerID: e.Account}
	if e.Listener != "" {
		// The DNS entry names the local listener that stands for the
		// endpoint's network interface: send requests there to go
		// through the endpoint.
		x.DNSEntries = []dnsEntry{{DNSName: e.Listener, HostedZoneID: "Z7HUB22UULQXV"}}
	}
	return x
}

func vpcNotFound(id string) error {
	return awserr.New("InvalidVpcID.NotFound", http.StatusBadRequest, "The vpc ID '"+id+"' does not exist")
}

func endpointNotFound(id string) error {
	return awserr.New("InvalidVpcEndpointId.NotFound", http.StatusBadRequest, "The Vpc Endpoint Id '"+id+"' does not exist")
}

func (r *request) createVpc() (any, error) {
	cidr := r.v.Get("CidrBlock")
	if cidr == "" {
		return nil, query.MissingParameter("CidrBlock")
	}
	_, n, err := net.ParseCIDR(cidr)
	if err != nil || n.IP.To4() == nil {
		return nil, query.InvalidParameterValue("Value (" + cidr + ") for parameter cidrBlock is invalid. This is not a valid CIDR block.")
	}
	// VPC blocks are /16 to /28.
	// https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html
	if ones, _ := n.Mask.Size(); ones < 16 || ones > 28 {
		return nil, awserr.New("InvalidVpc.Range", http.StatusBadRequest, "The CIDR '"+cidr+"' is invalid.")
	}
	if err := r.authorize("CreateVpc", r.arn("vpc", "*")); err != nil {
		return nil, err
	}
	v := &model.VPC{ID: newID("vpc-"), Account: r.account(), CIDRBlock: n.String(), Created: r.Now.UTC()}
	if err := r.Store.Update(r.ctx, func(tx store.Tx) error { return state.PutVPC(tx, v) }); err != nil {
		return nil, err
	}
	return struct {
		Vpc vpcXML `xml:"vpc"`
	}{vpcShape(v)}, nil
}

var vpcFilters = map[string]bool{"vpc-id": true, "cidr": true, "cidr-block-association.cidr-block": true, "state": true, "owner-id": true, "is-default": true}

func (r *request) describeVpcs() (any, error) {
	want, err := ids(r.v, "VpcId")
	if err != nil {
		return nil, err
	}
	filters, err := parseFilters(r.v, vpcFilters)
	if err != nil {
		return nil, err
	}
	if err := r.authorize("DescribeVpcs", "*"); err != nil {
		return nil, err
	}
	out := struct {
		Vpcs []vpcXML `xml:"vpcSet>item"`
	}{}
	err = r.Store.View(r.ctx, func(tx store.Tx) error {
		all, err := state.AllVPCs(tx)
		if err != nil {
			return err
		}
		found := map[string]bool{}
		for _, v := range all {
			if v.Account != r.account() || (len(want) > 0 && !slices.Contains(want, v.ID)) {
				continue
			}
			found[v.ID] = true
			ok := match(filters, func(name string) string {
				switch name {
				case "vpc-id":
					return v.ID
				case "cidr", "cidr-block-association.cidr-block":
					return v.CIDRBlock
				case "state":
					return "available"
				case "owner-id":
					return v.Account
				}
				return "false"
			})
			if ok {
				out.Vpcs = append(out.Vpcs, vpcShape(v))
			}
		}
		for _, id := range want {
			if !found[id] {
				return vpcNotFound(id)
			}
		}
		return nil
	})
	return out, err
}

// validatePolicy checks an endpoint policy with the engine's rules.
func validatePolicy(doc string) error {
	if _, err := policy.Validate([]byte(doc), policy.Endpoint, policy.Options{}); err != nil {
		if ve, ok := policy.AsValidationError(err); ok {
			status := ve.Status
			if status == 0 {
				status = http.StatusBadRequest
			}
			return awserr.New(ve.Code, status, ve.Message)
		}
		return awserr.New("InvalidPolicyDocument", http.StatusBadRequest, "The policy document is invalid.")
	}
	return nil
}

func (r *request) createVpcEndpoint() (any, error) {
	in, err := parseCreateEndpoint(r.v, r.Region)
	if err != nil {
		return nil, err
	}
	doc := defaultEndpointPolicy
	if in.HasPolicy {
		if err := validatePolicy(in.Policy); err != nil {
			return nil, err
		}
		doc = in.Policy
	}
	if err := r.authorize("CreateVpcEndpoint", r.arn("vpc-endpoint", "*")); err != nil {
		return nil, err
	}
	e := &model.VPCEndpoint{ID: newID("vpce-"), Account: r.account(), VPCID: in.VpcID, ServiceName: in.ServiceName,
		Type: in.Type, State: "available", Policy: doc, Created: r.Now.UTC()}
	err = r.Store.Update(r.ctx, func(tx store.Tx) error {
		v, err := state.VPC(tx, in.VpcID)
		if errors.Is(err, store.ErrNotFound) || (err == nil && v.Account != r.account()) {
			return vpcNotFound(in.VpcID)
		}
		if err != nil {
			return err
		}
		if r.svc.listeners != nil {
			if e.Listener, err = r.svc.listeners.Start(e.ID, ""); err != nil {
				return err
			}
		}
		return state.PutVPCEndpoint(tx, e)
	})
	if err != nil {
		if e.Listener != "" {
			r.svc.listeners.Stop(e.ID)
		}
		return nil, err
	}
	return struct {
		VpcEndpoint endpointXML `xml:"vpcEndpoint"`
		ClientToken string      `xml:"clientToken,omitempty"`
	}{endpointShape(e), r.v.Get("ClientToken")}, nil
}

// ownEndpoint loads an endpoint of the caller's account.
func (r *request) ownEndpoint(tx store.Tx, id string) (*model.VPCEndpoint, error) {
	e, err := state.VPCEndpoint(tx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && e.Account != r.account()) {
		return nil, endpointNotFound(id)
	}
	return e, err
}

func (r *request) modifyVpcEndpoint() (any, error) {
	id := r.v.Get("VpcEndpointId")
	if id == "" {
		return nil, query.MissingParameter("VpcEndpointId")
	}
	reset := strings.EqualFold(r.v.Get("ResetPolicy"), "true")
	doc, has := r.v.Get("PolicyDocument"), r.v.Has("PolicyDocument")
	if reset && has {
		return nil, query.InvalidParameterValue("ResetPolicy and PolicyDocument cannot both be specified")
	}
	if has {
		if len(doc) > maxPolicy {
			return nil, awserr.New("InvalidPolicyDocument", http.StatusBadRequest, "The policy document exceeds the maximum size.")
		}
		if err := validatePolicy(doc); err != nil {
			return nil, err
		}
	}
	if err := r.authorize("ModifyVpcEndpoint", r.arn("vpc-endpoint", id)); err != nil {
		return nil, err
	}
	err := r.Store.Update(r.ctx, func(tx store.Tx) error {
		e, err := r.ownEndpoint(tx, id)
		if err != nil {
			return err
		}
		switch {
		case reset:
			e.Policy = defaultEndpointPolicy
		case has:
			e.Policy = doc
		}
		return state.PutVPCEndpoint(tx, e)
	})
	if err != nil {
		return nil, err
	}
	return struct {
		Return bool `xml:"return"`
	}{true}, nil
}

var endpointFilters = map[string]bool{"vpc-id": true, "vpc-endpoint-id": true, "service-name": true,
	"vpc-endpoint-state": true, "vpc-endpoint-type": true}

func (r *request) describeVpcEndpoints() (any, error) {
	want, err := ids(r.v, "VpcEndpointId")
	if err != nil {
		return nil, err
	}
	filters, err := parseFilters(r.v, endpointFilters)
	if err != nil {
		return nil, err
	}
	if err := r.authorize("DescribeVpcEndpoints", "*"); err != nil {
		return nil, err
	}
	out := struct {
		Endpoints []endpointXML `xml:"vpcEndpointSet>item"`
	}{}
	err = r.Store.View(r.ctx, func(tx store.Tx) error {
		all, err := state.AllVPCEndpoints(tx)
		if err != nil {
			return err
		}
		found := map[string]bool{}
		for _, e := range all {
			if e.Account != r.account() || (len(want) > 0 && !slices.Contains(want, e.ID)) {
				continue
			}
			found[e.ID] = true
			ok := match(filters, func(name string) string {
				switch name {
				case "vpc-id":
					return e.VPCID
				case "vpc-endpoint-id":
					return e.ID
				case "service-name":
					return e.ServiceName
				case "vpc-endpoint-state":
					return e.State
				}
				return e.Type
			})
			if ok {
				out.Endpoints = append(out.Endpoints, endpointShape(e))
			}
		}
		for _, id := range want {
			if !found[id] {
				return endpointNotFound(id)
			}
		}
		return nil
	})
	return out, err
}

type unsuccessfulItem struct {
	Error struct {
		Code    string `xml:"code"`
		Message string `xml:"message"`
	} `xml:"error"`
	ResourceID string `xml:"resourceId"`
}

func (r *request) deleteVpcEndpoints() (any, error) {
	want, err := ids(r.v, "VpcEndpointId")
	if err != nil {
		return nil, err
	}
	if len(want) == 0 {
		return nil, query.MissingParameter("VpcEndpointId")
	}
	if err := r.authorize("DeleteVpcEndpoints", r.arn("vpc-endpoint", "*")); err != nil {
		return nil, err
	}
	out := struct {
		Unsuccessful []unsuccessfulItem `xml:"unsuccessful>item"`
	}{}
	var deleted []string
	err = r.Store.Update(r.ctx, func(tx store.Tx) error {
		for _, id := range want {
			if _, err := r.ownEndpoint(tx, id); err != nil {
				// Endpoints that cannot be deleted are reported, not
				// failed.
				// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteVpcEndpoints.html
				var u unsuccessfulItem
				u.ResourceID = id
				u.Error.Code, u.Error.Message = "InvalidVpcEndpoint.NotFound", "The VPC endpoint '"+id+"' does not exist"
				out.Unsuccessful = append(out.Unsuccessful, u)
				continue
			}
			if err := state.DeleteVPCEndpoint(tx, id); err != nil {
				return err
			}
			deleted = append(deleted, id)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if r.svc.listeners != nil {
		for _, id := range deleted {
			r.svc.listeners.Stop(id)
		}
	}
	return out, nil
}
