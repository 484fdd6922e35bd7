package authz

import (
	"strings"

	"github.com/verdict-project/verdict/engine/policy"
)

// PrincipalType is the kind of caller.
type PrincipalType uint8

// Principal types. The names are the values of aws:PrincipalType.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#principaltable
const (
	Anonymous PrincipalType = iota
	// Root is an account's root user (aws:PrincipalType "Account").
	Root
	User
	// AssumedRole is a role session (AssumeRole, web identity, SAML, Identity Center).
	AssumedRole
	// FederatedUser is a GetFederationToken session.
	FederatedUser
	// Service is an AWS service principal calling directly.
	Service
)

// String returns the aws:PrincipalType value.
func (t PrincipalType) String() string {
	switch t {
	case Root:
		return "Account"
	case User:
		return "User"
	case AssumedRole:
		return "AssumedRole"
	case FederatedUser:
		return "FederatedUser"
	case Service:
		return "Service"
	}
	// UNCONFIRMED in AWS's docs: the value for anonymous S3 callers.
	return "Anonymous"
}

// Principal is the authenticated caller.
type Principal struct {
	Type PrincipalType
	// Account is the 12-digit account ID ("" for anonymous and services).
	Account string
	// ARN is the caller's ARN: arn:aws:iam::A:root, a user ARN,
	// arn:aws:sts::A:assumed-role/ROLE/SESSION or
	// arn:aws:sts::A:federated-user/NAME. Empty for anonymous callers.
	ARN string
	// RoleARN is, for a role session, the role's ARN with its path; for a
	// federated user, the ARN of the IAM user that created the session.
	RoleARN string
	// UniqueID is the user's AIDA… or the role's AROA… ID.
	UniqueID string
	// CanonicalID is the canonical user ID of the caller's account, as S3
	// ACLs name it.
	CanonicalID string
	// ServiceName is the service principal, e.g. "cloudtrail.amazonaws.com".
	ServiceName string
	// ServiceLinked marks a service-linked role's session; SCPs and RCPs do
	// not apply to it.
	ServiceLinked bool
	// Provider is the identity provider of a web-identity or SAML session.
	Provider string
}

// level says how a resource-based policy (or ACL) names the caller. It
// decides whether the grant alone is enough in the resource's own account.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html#policy-eval-basics-id-rdp
type level uint8

const (
	noMatch level = iota
	// byAccount: the account principal (ID, :root ARN, canonical ID). A
	// delegation to the account: its IAM identities still need an
	// identity-based policy.
	byAccount
	// byRole: the role ARN matched a session of that role, or the IAM user
	// ARN matched a federated session it created. Enough on its own in the
	// same account, but permissions boundaries and session policies still
	// limit it.
	byRole
	// direct: the exact principal, or everyone ("*"). Enough on its own in
	// the same account, not limited by boundary or session policies.
	direct
)

func (l level) String() string {
	switch l {
	case byAccount:
		return "account"
	case byRole:
		return "role"
	case direct:
		return "principal"
	}
	return "none"
}

// matchPrincipal says how the Principal element p names pr. accountMeansRoot
// is set for gateway VPC endpoint policies, where an account ID names only
// that account's root user.
// https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
func matchPrincipal(p *policy.Principal, pr *Principal, accountMeansRoot bool) level {
	if p.All {
		return direct
	}
	best := noMatch
	identified := pr.Type != Anonymous && pr.Type != Service
	if identified {
		for _, acct := range p.Accounts {
			if acct == pr.Account {
				if pr.Type == Root {
					return direct
				}
				if !accountMeansRoot {
					best = byAccount
				}
			}
		}
		for _, v := range p.Others {
			switch {
			case v == pr.ARN:
				return direct
			case v == pr.RoleARN && (pr.Type == AssumedRole || pr.Type == FederatedUser):
				best = max(best, byRole)
			case pr.UniqueID != "" && v == pr.UniqueID:
				// Policies keep a principal's unique ID once the principal is
				// deleted, and trust policies store it on save.
				// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
				if pr.Type == User {
					return direct
				}
				best = max(best, byRole)
			}
		}
	}
	for _, v := range p.Service {
		if pr.Type == Service && strings.EqualFold(v, pr.ServiceName) {
			return direct
		}
	}
	for _, v := range p.CanonicalUser {
		if identified && pr.CanonicalID != "" && v == pr.CanonicalID {
			if pr.Type == Root {
				return direct
			}
			best = max(best, byAccount)
		}
	}
	for _, v := range p.Federated {
		if pr.Provider != "" && v == pr.Provider {
			return direct
		}
	}
	return best
}

// notPrincipalExcludes reports whether a NotPrincipal list exempts pr. AWS
// checks the account, then the role, then the session: a principal is exempt
// only when every one of them is listed, so a Deny with NotPrincipal naming
// only a user or a session still applies to it.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
func notPrincipalExcludes(p *policy.Principal, pr *Principal) bool {
	if p.All {
		return true
	}
	switch pr.Type {
	case Anonymous:
		return false
	case Service:
		for _, v := range p.Service {
			if strings.EqualFold(v, pr.ServiceName) {
				return true
			}
		}
		return false
	}
	accountListed := false
	arnListed := false
	roleListed := false
	for _, acct := range p.Accounts {
		accountListed = accountListed || acct == pr.Account
	}
	for _, v := range p.Others {
		arnListed = arnListed || v == pr.ARN || (pr.UniqueID != "" && v == pr.UniqueID && pr.Type == User)
		roleListed = roleListed || (pr.RoleARN != "" && v == pr.RoleARN)
	}
	for _, v := range p.CanonicalUser {
		accountListed = accountListed || (pr.CanonicalID != "" && v == pr.CanonicalID)
	}
	switch pr.Type {
	case Root:
		return accountListed
	case User:
		return accountListed && arnListed
	case AssumedRole:
		return accountListed && roleListed && arnListed
	case FederatedUser:
		return accountListed && arnListed
	}
	return false
}
