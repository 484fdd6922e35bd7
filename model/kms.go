package model

import "time"

// KMS key states, as KeyMetadata.KeyState names them.
// https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html
const (
	KeyEnabled         = "Enabled"
	KeyDisabled        = "Disabled"
	KeyPendingDeletion = "PendingDeletion"
)

// KMSKey is a symmetric KMS key. Its 256-bit key material is stored only
// wrapped by the server's master key.
type KMSKey struct {
	ID          string    `json:"id"`
	Account     string    `json:"account"`
	Region      string    `json:"region"`
	Description string    `json:"description,omitempty"`
	Created     time.Time `json:"created"`
	State       string    `json:"state"`
	// Manager is CUSTOMER or AWS (AWS managed keys such as aws/s3).
	Manager string `json:"manager"`
	Policy  string `json:"policy"`
	// Material is the key material wrapped by the master key.
	Material []byte `json:"material"`
	// DeletionDate is set while the key is PendingDeletion; Window is the
	// waiting period in days.
	DeletionDate time.Time  `json:"deletionDate,omitzero"`
	Window       int        `json:"window,omitempty"`
	Tags         []Tag      `json:"tags,omitempty"`
	Grants       []KMSGrant `json:"grants,omitempty"`
}

// KMSGrant is a grant on a KMS key.
// https://docs.aws.amazon.com/kms/latest/developerguide/grants.html
type KMSGrant struct {
	ID                      string            `json:"id"`
	Token                   string            `json:"token"`
	Name                    string            `json:"name,omitempty"`
	Created                 time.Time         `json:"created"`
	GranteePrincipal        string            `json:"grantee"`
	RetiringPrincipal       string            `json:"retiring,omitempty"`
	IssuingAccount          string            `json:"issuingAccount"`
	Operations              []string          `json:"operations"`
	EncryptionContextEquals map[string]string `json:"ecEquals,omitempty"`
	EncryptionContextSubset map[string]string `json:"ecSubset,omitempty"`
}

// KMSAlias is a friendly name of a KMS key in one account and region.
type KMSAlias struct {
	Name    string    `json:"name"` // alias/...
	Account string    `json:"account"`
	KeyID   string    `json:"keyId"`
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
}
