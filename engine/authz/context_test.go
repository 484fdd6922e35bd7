package authz

import (
	"reflect"
	"testing"

	"github.com/verdict-project/verdict/engine/condition"
)

// TestPrincipalKeys checks the values AWS documents for aws:PrincipalArn,
// aws:userid, aws:username and aws:PrincipalType per kind of principal.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#principaltable
func TestPrincipalKeys(t *testing.T) {
	tests := []struct {
		name string
		p    Principal
		want map[string]string
	}{
		{"root", Principal{Type: Root, Account: "111122223333", ARN: "arn:aws:iam::111122223333:root"},
			map[string]string{"aws:principaltype": "Account", "aws:userid": "111122223333", "aws:principalarn": "arn:aws:iam::111122223333:root", "aws:principalaccount": "111122223333"}},
		{"user", Principal{Type: User, Account: "111122223333", ARN: "arn:aws:iam::111122223333:user/path/alice", UniqueID: "AIDAEXAMPLE"},
			map[string]string{"aws:principaltype": "User", "aws:userid": "AIDAEXAMPLE", "aws:username": "alice", "aws:principalarn": "arn:aws:iam::111122223333:user/path/alice"}},
		{"role session", Principal{Type: AssumedRole, Account: "111122223333", ARN: "arn:aws:sts::111122223333:assumed-role/r/s1", RoleARN: "arn:aws:iam::111122223333:role/p/r", UniqueID: "AROAEXAMPLE"},
			map[string]string{"aws:principaltype": "AssumedRole", "aws:userid": "AROAEXAMPLE:s1", "aws:principalarn": "arn:aws:iam::111122223333:role/p/r"}},
		{"federated", Principal{Type: FederatedUser, Account: "111122223333", ARN: "arn:aws:sts::111122223333:federated-user/bob"},
			map[string]string{"aws:principaltype": "FederatedUser", "aws:userid": "111122223333:bob", "aws:principalarn": "arn:aws:sts::111122223333:federated-user/bob"}},
		{"anonymous", Principal{Type: Anonymous}, map[string]string{"aws:principaltype": "Anonymous", "aws:userid": "anonymous", "aws:principalaccount": "anonymous"}},
		{"service", Principal{Type: Service, ServiceName: "cloudtrail.amazonaws.com"},
			map[string]string{"aws:principaltype": "Service", "aws:principalisawsservice": "true", "aws:principalservicename": "cloudtrail.amazonaws.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := condition.Map{}
			PrincipalKeys(&tt.p, m)
			for k, v := range tt.want {
				if got := m[k]; !reflect.DeepEqual(got, []string{v}) {
					t.Errorf("%s = %v, want %s", k, got, v)
				}
			}
			if tt.p.Type != User {
				if _, ok := m["aws:username"]; ok {
					t.Error("aws:username is present only for IAM users")
				}
			}
		})
	}
	if Root.String() != "Account" || Service.String() != "Service" || PrincipalType(99).String() != "Anonymous" {
		t.Error("PrincipalType.String")
	}
	for _, l := range []level{noMatch, byAccount, byRole, direct} {
		if l.String() == "" {
			t.Error("level.String")
		}
	}
}

func TestDecideWithoutContext(t *testing.T) {
	req := &Request{Principal: Principal{Type: Root, Account: "111122223333", ARN: "arn:aws:iam::111122223333:root"}, Action: "iam:ListUsers", Resource: "*"}
	d := Decide(req, &Inputs{}, Options{Trace: true})
	if !d.Allowed || d.Layer != LayerRoot || d.Message(req) != "" {
		t.Fatalf("%+v", d)
	}
}
