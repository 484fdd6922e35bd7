package authz

import (
	"strings"

	"github.com/verdict-project/verdict/engine/condition"
)

// PrincipalKeys adds the global condition keys AWS derives from the caller to
// m: aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType, aws:userid and
// aws:username, with the values AWS documents for each kind of principal.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#principaltable
func PrincipalKeys(p *Principal, m condition.Map) {
	m["aws:principaltype"] = []string{p.Type.String()}
	switch p.Type {
	case Anonymous:
		// UNCONFIRMED in AWS's docs: anonymous S3 callers' userid and
		// account are recorded as "anonymous".
		m["aws:userid"] = []string{"anonymous"}
		m["aws:principalaccount"] = []string{"anonymous"}
		return
	case Service:
		m["aws:principalisawsservice"] = []string{"true"}
		m["aws:principalservicename"] = []string{p.ServiceName}
		return
	}
	m["aws:principalisawsservice"] = []string{"false"}
	m["aws:principalaccount"] = []string{p.Account}
	last := p.ARN[strings.LastIndexByte(p.ARN, '/')+1:]
	switch p.Type {
	case Root:
		// In a condition, aws:PrincipalArn of the root user is the :root
		// ARN, and aws:userid is the account ID.
		m["aws:principalarn"] = []string{p.ARN}
		m["aws:userid"] = []string{p.Account}
	case User:
		m["aws:principalarn"] = []string{p.ARN}
		m["aws:userid"] = []string{p.UniqueID}
		m["aws:username"] = []string{last}
	case AssumedRole:
		// For a role session aws:PrincipalArn is the role's ARN (with its
		// path), and aws:userid is role-id:session-name.
		m["aws:principalarn"] = []string{p.RoleARN}
		m["aws:userid"] = []string{p.UniqueID + ":" + last}
	case FederatedUser:
		m["aws:principalarn"] = []string{p.ARN}
		m["aws:userid"] = []string{p.Account + ":" + last}
	}
}
