package model

import "time"

// Organizations policy types.
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_EnablePolicyType.html
const (
	SCPType = "SERVICE_CONTROL_POLICY"
	RCPType = "RESOURCE_CONTROL_POLICY"
)

// Organization is an AWS Organizations organization, kept as one record:
// organizations are small, and every change touches the tree as a whole.
type Organization struct {
	ID                string    `json:"id"`
	ManagementAccount string    `json:"managementAccount"`
	ManagementEmail   string    `json:"managementEmail,omitempty"`
	FeatureSet        string    `json:"featureSet"`
	RootID            string    `json:"rootId"`
	Created           time.Time `json:"created"`
	// EnabledTypes lists the policy types enabled on the root.
	EnabledTypes []string `json:"enabledTypes,omitempty"`
	// OUs maps an OU ID to the OU.
	OUs map[string]*OrgUnit `json:"ous,omitempty"`
	// Accounts maps a member account ID to its membership.
	Accounts map[string]*OrgAccount `json:"accounts,omitempty"`
	// Policies maps a policy ID to the policy, AWS managed ones included.
	Policies map[string]*OrgPolicy `json:"policies,omitempty"`
	// Attachments maps a target (root, OU or account ID) to the IDs of the
	// policies attached there, in attachment order.
	Attachments map[string][]string `json:"attachments,omitempty"`
	// CreateStatus maps a CreateAccount request ID to its status.
	CreateStatus map[string]*CreateAccountStatus `json:"createStatus,omitempty"`
	// Handshakes maps a handshake ID to an invitation.
	Handshakes map[string]*Handshake `json:"handshakes,omitempty"`
}

// ARN returns the organization's ARN.
func (o *Organization) ARN() string {
	return "arn:aws:organizations::" + o.ManagementAccount + ":organization/" + o.ID
}

// TypeEnabled reports whether a policy type is enabled on the root.
func (o *Organization) TypeEnabled(t string) bool {
	for _, e := range o.EnabledTypes {
		if e == t {
			return true
		}
	}
	return false
}

// OrgUnit is an organizational unit.
type OrgUnit struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	ParentID string `json:"parentId"`
}

// OrgAccount is an account's membership of an organization.
type OrgAccount struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Email    string    `json:"email"`
	ParentID string    `json:"parentId"`
	Status   string    `json:"status"`
	Method   string    `json:"method"`
	Joined   time.Time `json:"joined"`
}

// OrgPolicy is an SCP or RCP.
type OrgPolicy struct {
	ID          string `json:"id"`
	Type        string `json:"type"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Content     string `json:"content"`
	AWSManaged  bool   `json:"awsManaged,omitempty"`
}

// CreateAccountStatus is the outcome of a CreateAccount request (verdict
// completes them at once).
type CreateAccountStatus struct {
	ID          string    `json:"id"`
	AccountName string    `json:"accountName"`
	AccountID   string    `json:"accountId"`
	State       string    `json:"state"`
	Requested   time.Time `json:"requested"`
}

// Handshake is an invitation for an account to join the organization.
type Handshake struct {
	ID        string    `json:"id"`
	Account   string    `json:"account"`
	State     string    `json:"state"`
	Requested time.Time `json:"requested"`
}
