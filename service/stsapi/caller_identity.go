package stsapi

import (
	"github.com/verdict-project/verdict/engine/authz"
)

type callerIdentityResult struct {
	UserID  string `xml:"UserId"`
	Account string `xml:"Account"`
	Arn     string `xml:"Arn"`
}

// getCallerIdentity implements GetCallerIdentity. It needs no permission
// and cannot be denied, even by an explicit Deny.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
//
// UserId is what AWS reports for each kind of principal: the account ID for
// the root user, AIDA… for an IAM user (also behind GetSessionToken
// credentials), AROA…:session for a role session, and ACCOUNT:name for a
// federated user.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#principaltable
func getCallerIdentity(q *request) (any, error) {
	pr := q.Caller.Principal
	out := callerIdentityResult{Account: pr.Account, Arn: pr.ARN}
	switch pr.Type {
	case authz.Root:
		out.UserID = pr.Account
	case authz.User:
		out.UserID = pr.UniqueID
	case authz.AssumedRole:
		out.UserID = pr.UniqueID
		if s := q.Caller.Sess; s != nil {
			out.UserID += ":" + s.Name
		}
	case authz.FederatedUser:
		out.UserID = pr.Account
		if s := q.Caller.Sess; s != nil {
			out.UserID += ":" + s.Name
		}
	}
	return out, nil
}
