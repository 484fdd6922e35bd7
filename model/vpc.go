package model

import "time"

// VPC is an Amazon VPC.
type VPC struct {
	ID        string    `json:"id"`
	Account   string    `json:"account"`
	CIDRBlock string    `json:"cidr"`
	Created   time.Time `json:"created"`
}

// VPCEndpoint is a VPC endpoint. Verdict binds each endpoint to a local
// listener: requests arriving there are requests through the endpoint.
type VPCEndpoint struct {
	ID          string    `json:"id"`
	Account     string    `json:"account"`
	VPCID       string    `json:"vpcId"`
	ServiceName string    `json:"serviceName"`
	Type        string    `json:"type"`
	State       string    `json:"state"`
	Policy      string    `json:"policy"`
	Listener    string    `json:"listener"`
	Created     time.Time `json:"created"`
}
