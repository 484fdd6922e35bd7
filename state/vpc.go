package state

import (
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/store"
)

// EC2 tables: VPCs and VPC endpoints by ID.
const (
	VPCs         = "ec2.vpcs"
	VPCEndpoints = "ec2.endpoints"
)

// VPC returns a VPC by ID.
func VPC(tx store.Tx, id string) (*model.VPC, error) { return Get[model.VPC](tx, VPCs, id) }

// PutVPC stores v.
func PutVPC(tx store.Tx, v *model.VPC) error { return store.PutJSON(tx, VPCs, v.ID, v) }

// AllVPCs returns every VPC.
func AllVPCs(tx store.Tx) ([]*model.VPC, error) {
	var out []*model.VPC
	err := store.ScanJSON(tx, VPCs, "", "", func(_ string, v model.VPC) (bool, error) {
		out = append(out, &v)
		return true, nil
	})
	return out, err
}

// VPCEndpoint returns a VPC endpoint by ID.
func VPCEndpoint(tx store.Tx, id string) (*model.VPCEndpoint, error) {
	return Get[model.VPCEndpoint](tx, VPCEndpoints, id)
}

// PutVPCEndpoint stores e.
func PutVPCEndpoint(tx store.Tx, e *model.VPCEndpoint) error {
	return store.PutJSON(tx, VPCEndpoints, e.ID, e)
}

// DeleteVPCEndpoint removes an endpoint.
func DeleteVPCEndpoint(tx store.Tx, id string) error { return tx.Delete(VPCEndpoints, id) }

// AllVPCEndpoints returns every VPC endpoint.
func AllVPCEndpoints(tx store.Tx) ([]*model.VPCEndpoint, error) {
	var out []*model.VPCEndpoint
	err := store.ScanJSON(tx, VPCEndpoints, "", "", func(_ string, e model.VPCEndpoint) (bool, error) {
		out = append(out, &e)
		return true, nil
	})
	return out, err
}
