// Package model holds the plain records verdict keeps: accounts, IAM
// identities and policies, credentials, buckets, objects and multipart uploads.
// Records are JSON-encoded in the store. The package has no behaviour beyond
// naming; it imports only the engine's pure ACL types, so that an ACL is the
// same value in storage and in a decision.
package model

import (
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"slices"
	"time"

	"github.com/verdict-project/verdict/engine/acl"
)

// Partition is the only partition verdict serves.
const Partition = "aws"

// Tag is a key/value tag.
type Tag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// Account is an AWS account.
type Account struct {
	ID          string    `json:"id"`
	CanonicalID string    `json:"canonicalId"`
	Name        string    `json:"name,omitempty"`
	Email       string    `json:"email,omitempty"`
	Created     time.Time `json:"created"`
	// Alias is the display name S3 reports as DisplayName.
	Alias string `json:"alias,omitempty"`
}

// CanonicalID derives the stable 64-hex canonical user ID verdict gives an
// account. AWS's canonical IDs are opaque 64-hex strings; verdict's are a hash
// of the account ID so that every installation agrees on them.
func CanonicalID(account string) string {
	h := sha256.Sum256([]byte("verdict canonical user " + account))
	return hex.EncodeToString(h[:])
}

// User is an IAM user.
type User struct {
	Account  string            `json:"account"`
	Name     string            `json:"name"`
	Path     string            `json:"path"`
	ID       string            `json:"id"`
	Created  time.Time         `json:"created"`
	Tags     []Tag             `json:"tags,omitempty"`
	Boundary string            `json:"boundary,omitempty"`
	Inline   map[string]string `json:"inline,omitempty"`
	Attached []string          `json:"attached,omitempty"`
	Groups   []string          `json:"groups,omitempty"`
}

// ARN returns the user's ARN.
func (u *User) ARN() string { return "arn:aws:iam::" + u.Account + ":user" + u.Path + u.Name }

// Group is an IAM group.
type Group struct {
	Account  string            `json:"account"`
	Name     string            `json:"name"`
	Path     string            `json:"path"`
	ID       string            `json:"id"`
	Created  time.Time         `json:"created"`
	Inline   map[string]string `json:"inline,omitempty"`
	Attached []string          `json:"attached,omitempty"`
}

// ARN returns the group's ARN.
func (g *Group) ARN() string { return "arn:aws:iam::" + g.Account + ":group" + g.Path + g.Name }

// Role is an IAM role.
type Role struct {
	Account            string            `json:"account"`
	Name               string            `json:"name"`
	Path               string            `json:"path"`
	ID                 string            `json:"id"`
	Created            time.Time         `json:"created"`
	Description        string            `json:"description,omitempty"`
	TrustPolicy        string            `json:"trustPolicy"`
	MaxSessionDuration int               `json:"maxSessionDuration"`
	Tags               []Tag             `json:"tags,omitempty"`
	Boundary           string            `json:"boundary,omitempty"`
	Inline             map[string]string `json:"inline,omitempty"`
	Attached           []string          `json:"attached,omitempty"`
	ServiceLinked      bool              `json:"serviceLinked,omitempty"`
}

// ARN returns the role's ARN.
func (r *Role) ARN() string { return "arn:aws:iam::" + r.Account + ":role" + r.Path + r.Name }

// PolicyVersion is one version of a managed policy.
type PolicyVersion struct {
	ID       string    `json:"id"`
	Document string    `json:"document"`
	Created  time.Time `json:"created"`
}

// ManagedPolicy is a customer or AWS managed policy.
type ManagedPolicy struct {
	ARN            string          `json:"arn"`
	Account        string          `json:"account"` // "aws" for AWS managed policies
	Name           string          `json:"name"`
	Path           string          `json:"path"`
	ID             string          `json:"id"`
	Description    string          `json:"description,omitempty"`
	DefaultVersion string          `json:"defaultVersion"`
	Versions       []PolicyVersion `json:"versions"`
	Created        time.Time       `json:"created"`
	Updated        time.Time       `json:"updated"`
	Attachments    int             `json:"attachments"`
	Tags           []Tag           `json:"tags,omitempty"`
	NextVersion    int             `json:"nextVersion"`
}

// Document returns the default version's document.
func (p *ManagedPolicy) Document() string {
	for _, v := range p.Versions {
		if v.ID == p.DefaultVersion {
			return v.Document
		}
	}
	return ""
}

// AccessKey is a long-term access key of a user or an account's root user.
type AccessKey struct {
	ID          string    `json:"id"`
	Secret      string    `json:"secret"`
	Account     string    `json:"account"`
	User        string    `json:"user,omitempty"` // "" for the root user
	Status      string    `json:"status"`         // Active | Inactive
	Created     time.Time `json:"created"`
	LastUsed    time.Time `json:"lastUsed,omitempty"`
	LastService string    `json:"lastService,omitempty"`
	LastRegion  string    `json:"lastRegion,omitempty"`
}

// SessionKind is how temporary credentials were made.
type SessionKind string

// Session kinds.
const (
	AssumedRoleSession   SessionKind = "assumed-role"
	FederatedUserSession SessionKind = "federated-user"
	SessionToken         SessionKind = "session-token" // GetSessionToken: acts as the user
)

// Session is a set of temporary credentials issued by STS.
type Session struct {
	AccessKeyID    string      `json:"accessKeyId"`
	Secret         string      `json:"secret"`
	Token          string      `json:"token"`
	Account        string      `json:"account"`
	Kind           SessionKind `json:"kind"`
	Expiration     time.Time   `json:"expiration"`
	Issued         time.Time   `json:"issued"`
	ARN            string      `json:"arn"`
	RoleName       string      `json:"roleName,omitempty"`
	RoleARN        string      `json:"roleArn,omitempty"`
	RoleID         string      `json:"roleId,omitempty"`
	Name           string      `json:"name"` // session name or federated user name
	UserName       string      `json:"userName,omitempty"`
	Policy         string      `json:"policy,omitempty"`
	PolicyARNs     []string    `json:"policyArns,omitempty"`
	HasPolicy      bool        `json:"hasPolicy,omitempty"`
	Tags           []Tag       `json:"tags,omitempty"`
	TransitiveKeys []string    `json:"transitiveKeys,omitempty"`
	SourceIdentity string      `json:"sourceIdentity,omitempty"`
	MFA            bool        `json:"mfa,omitempty"`
	Chained        bool        `json:"chained,omitempty"`
}

// Bucket is an S3 bucket.
type Bucket struct {
	Name         string                 `json:"name"`
	Owner        string                 `json:"owner"` // account ID
	Region       string                 `json:"region"`
	Created      time.Time              `json:"created"`
	Ownership    acl.Ownership          `json:"ownership"`
	ACL          acl.ACL                `json:"acl"`
	Policy       string                 `json:"policy,omitempty"`
	PublicAccess *acl.PublicAccessBlock `json:"publicAccess,omitempty"`
	RequesterPay bool                   `json:"requesterPays,omitempty"`
	Encryption   *Encryption            `json:"encryption,omitempty"`
	Tags         []Tag                  `json:"tags,omitempty"`
	Versioning   string                 `json:"versioning,omitempty"`
	// Configs are the configurations verdict stores and returns but does
	// not act on (CORS, lifecycle, website, logging, acceleration).
	Configs *BucketConfigs `json:"configs,omitempty"`
}

// BucketConfigs are bucket configurations kept only to be read back. Each
// document is the XML body S3 returns for it, "" when unset: verdict
// validates them on the way in but never interprets them, so it keeps no
// second schema of its own for them.
type BucketConfigs struct {
	CORS      string `json:"cors,omitempty"`
	Lifecycle string `json:"lifecycle,omitempty"`
	// LifecycleMinSize is the lifecycle's
	// x-amz-transition-default-minimum-object-size.
	LifecycleMinSize string `json:"lifecycleMinSize,omitempty"`
	Website          string `json:"website,omitempty"`
	// Logging is "" while server access logging is off.
	Logging string `json:"logging,omitempty"`
	// Accelerate is the Transfer Acceleration status: "", Enabled or
	// Suspended.
	Accelerate string `json:"accelerate,omitempty"`
}

// Empty reports whether no configuration is set.
func (c *BucketConfigs) Empty() bool { return c == nil || *c == BucketConfigs{} }

// Encryption is a bucket's default encryption.
type Encryption struct {
	Algorithm        string `json:"algorithm"` // AES256 | aws:kms | aws:kms:dsse
	KMSKeyID         string `json:"kmsKeyId,omitempty"`
	BucketKeyEnabled bool   `json:"bucketKeyEnabled,omitempty"`
}

// Object is an S3 object's metadata; its bytes are a blob or, for small
// objects, an inline record.
type Object struct {
	Bucket       string    `json:"bucket"`
	Key          string    `json:"key"`
	Size         int64     `json:"size"`
	ETag         string    `json:"etag"` // with quotes
	LastModified time.Time `json:"lastModified"`
	Owner        string    `json:"owner"` // account ID
	ACL          acl.ACL   `json:"acl"`
	BlobID       string    `json:"blob"`
	// Inline says the bytes are a record of the store (table
	// s3.objectdata, key BlobID) rather than a blob file.
	Inline       bool              `json:"inline,omitempty"`
	ContentType  string            `json:"contentType,omitempty"`
	Headers      map[string]string `json:"headers,omitempty"` // Content-Encoding, Cache-Control, ...
	Metadata     map[string]string `json:"metadata,omitempty"`
	Checksums    map[string]string `json:"checksums,omitempty"` // CRC32 -> base64
	ChecksumType string            `json:"checksumType,omitempty"`
	Tags         []Tag             `json:"tags,omitempty"`
	StorageClass string            `json:"storageClass,omitempty"`
	PartsCount   int               `json:"partsCount,omitempty"`
	SSE          *ObjectSSE        `json:"sse,omitempty"`
	// VersionID is the version's ID in a bucket whose versioning was
	// ever set; "" and "null" both name the null version (objects written
	// while the bucket was unversioned or versioning was Suspended).
	// https://docs.aws.amazon.com/AmazonS3/latest/userguide/versioning-workflows.html
	VersionID string `json:"versionId,omitempty"`
	// DeleteMarker says the version is a delete marker: no bytes, no ACL.
	// https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeleteMarker.html
	DeleteMarker bool `json:"deleteMarker,omitempty"`
}

// ObjectSSE records how an object's bytes are encrypted.
type ObjectSSE struct {
	Algorithm        string `json:"algorithm"`
	KMSKeyARN        string `json:"kmsKeyArn,omitempty"`
	WrappedKey       []byte `json:"wrappedKey,omitempty"`
	BucketKeyEnabled bool   `json:"bucketKeyEnabled,omitempty"`
	Context          string `json:"context,omitempty"`
}

// Upload is a multipart upload in progress.
type Upload struct {
	ID        string            `json:"id"`
	Bucket    string            `json:"bucket"`
	Key       string            `json:"key"`
	Initiated time.Time         `json:"initiated"`
	Initiator string            `json:"initiator"` // principal ARN
	InitAcct  string            `json:"initiatorAcct"`
	Owner     string            `json:"owner"` // account that will own the object
	ACL       acl.ACL           `json:"acl"`
	Template  Object            `json:"template"` // content headers, metadata, tags, checksum algorithm
	Algorithm string            `json:"checksumAlgorithm,omitempty"`
	Extra     map[string]string `json:"extra,omitempty"`
}

// Part is one uploaded part.
type Part struct {
	Number       int               `json:"number"`
	Size         int64             `json:"size"`
	ETag         string            `json:"etag"`
	BlobID       string            `json:"blob"`
	LastModified time.Time         `json:"lastModified"`
	Checksums    map[string]string `json:"checksums,omitempty"`
}

// Clone returns a copy of a that shares no memory with it.
func (a *Account) Clone() *Account {
	c := *a
	return &c
}

// Clone returns a copy of b that shares no memory with it.
func (b *Bucket) Clone() *Bucket {
	c := *b
	c.ACL = b.ACL.Clone()
	if b.PublicAccess != nil {
		p := *b.PublicAccess
		c.PublicAccess = &p
	}
	if b.Encryption != nil {
		e := *b.Encryption
		c.Encryption = &e
	}
	c.Tags = slices.Clone(b.Tags)
	if b.Configs != nil {
		k := *b.Configs
		c.Configs = &k
	}
	return &c
}

// Clone returns a copy of o that shares no memory with it.
func (o *Object) Clone() *Object {
	c := *o
	c.ACL = o.ACL.Clone()
	c.Headers = maps.Clone(o.Headers)
	c.Metadata = maps.Clone(o.Metadata)
	c.Checksums = maps.Clone(o.Checksums)
	c.Tags = slices.Clone(o.Tags)
	if o.SSE != nil {
		s := *o.SSE
		s.WrappedKey = slices.Clone(o.SSE.WrappedKey)
		c.SSE = &s
	}
	return &c
}
