// Package state is typed access to verdict's records in a store transaction:
// the table layout, the key scheme, and the few lookups every service shares
// (accounts created on first use, credentials, IAM identities). Services
// call it inside store.Store.View / Update.
package state

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/verdict-project/verdict/engine/acl"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/store"
)

// Table names.
const (
	Accounts   = "accounts"
	Users      = "iam.users"
	Groups     = "iam.groups"
	Roles      = "iam.roles"
	Policies   = "iam.policies"
	AccessKeys = "iam.accesskeys"
	Sessions   = "sts.sessions"
	Buckets    = "s3.buckets"
	Objects    = "s3.objects"
	Uploads    = "s3.uploads"
	Parts      = "s3.parts"
	Decisions  = "decisions"
	AccountPAB = "s3.accountpab"
	// ObjectData holds the bytes of small objects kept inline (see
	// model.Object.Inline), keyed by the object's BlobID.
	ObjectData = "s3.objectdata"
	// Versions holds the versions of objects in versioned buckets that
	// Objects does not: every noncurrent version, and the current version
	// when it is a delete marker (see VersionKey).
	Versions = "s3.versions"
)

// ErrNotFound is store.ErrNotFound, re-exported for callers of this package.
var ErrNotFound = store.ErrNotFound

// IAM names are unique per account without regard to case, so keys use the
// lower-cased name.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names
func nameKey(account, name string) string { return account + "/" + strings.ToLower(name) }

// Get reads a JSON record; the error wraps store.ErrNotFound when absent.
func Get[T any](tx store.Tx, table, key string) (*T, error) {
	v, err := store.GetJSON[T](tx, table, key)
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// Account returns the account, creating it on first use: any 12-digit account
// ID names an account that exists (the root-credential convention).
func Account(tx store.Tx, id string, now time.Time) (*model.Account, error) {
	a, err := getCached[model.Account](tx, Accounts, id)
	if err == nil {
		return a, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	a = &model.Account{ID: id, CanonicalID: model.CanonicalID(id), Created: now.UTC()}
	if err := store.PutJSON(tx, Accounts, id, a); err != nil {
		return nil, err
	}
	return a, nil
}

// LookupAccount returns the account without creating it.
func LookupAccount(tx store.Tx, id string) (*model.Account, error) {
	return getCached[model.Account](tx, Accounts, id)
}

// User returns an IAM user.
func User(tx store.Tx, account, name string) (*model.User, error) {
	return Get[model.User](tx, Users, nameKey(account, name))
}

// PutUser stores u.
func PutUser(tx store.Tx, u *model.User) error {
	return store.PutJSON(tx, Users, nameKey(u.Account, u.Name), u)
}

// Group returns an IAM group.
func Group(tx store.Tx, account, name string) (*model.Group, error) {
	return Get[model.Group](tx, Groups, nameKey(account, name))
}

// PutGroup stores g.
func PutGroup(tx store.Tx, g *model.Group) error {
	return store.PutJSON(tx, Groups, nameKey(g.Account, g.Name), g)
}

// Role returns an IAM role.
func Role(tx store.Tx, account, name string) (*model.Role, error) {
	return Get[model.Role](tx, Roles, nameKey(account, name))
}

// PutRole stores r.
func PutRole(tx store.Tx, r *model.Role) error {
	return store.PutJSON(tx, Roles, nameKey(r.Account, r.Name), r)
}

// UserKey, GroupKey and RoleKey are the record keys, for Delete and Scan.
func UserKey(account, name string) string  { return nameKey(account, name) }
func GroupKey(account, name string) string { return nameKey(account, name) }
func RoleKey(account, name string) string  { return nameKey(account, name) }

// Policy returns a customer managed policy by ARN (AWS managed policies are
// not stored; see package awsmanaged).
func Policy(tx store.Tx, arn string) (*model.ManagedPolicy, error) {
	return Get[model.ManagedPolicy](tx, Policies, arn)
}

// PutPolicy stores p.
func PutPolicy(tx store.Tx, p *model.ManagedPolicy) error {
	return store.PutJSON(tx, Policies, p.ARN, p)
}

// AccessKey returns a long-term access key.
func AccessKey(tx store.Tx, id string) (*model.AccessKey, error) {
	return Get[model.AccessKey](tx, AccessKeys, id)
}

// Session returns temporary credentials by access key ID.
func Session(tx store.Tx, id string) (*model.Session, error) {
	return Get[model.Session](tx, Sessions, id)
}

// Bucket returns a bucket.
func Bucket(tx store.Tx, name string) (*model.Bucket, error) {
	return getCached[model.Bucket](tx, Buckets, name)
}

// PutBucket stores b.
func PutBucket(tx store.Tx, b *model.Bucket) error { return store.PutJSON(tx, Buckets, b.Name, b) }

// ObjectKey is the record key of an object: bucket names cannot contain '/',
// so "bucket/key" sorts objects by key within their bucket.
func ObjectKey(bucket, key string) string { return bucket + "/" + key }

// Object returns an object's metadata.
func Object(tx store.Tx, bucket, key string) (*model.Object, error) {
	return getCached[model.Object](tx, Objects, ObjectKey(bucket, key))
}

// PutObject stores o.
func PutObject(tx store.Tx, o *model.Object) error {
	return store.PutJSON(tx, Objects, ObjectKey(o.Bucket, o.Key), o)
}

// AccountPublicAccess returns the account-level Block Public Access
// configuration, nil when none is set.
func AccountPublicAccess(tx store.Tx, account string) (*acl.PublicAccessBlock, error) {
	p, err := Get[acl.PublicAccessBlock](tx, AccountPAB, account)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return p, err
}

// NewID returns an IAM-style unique ID: a four-letter prefix (AIDA user, AROA
// role, AGPA group, ANPA policy, AKIA access key, ASIA temporary key)
// followed by 16 characters of base32.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
func NewID(prefix string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return prefix + string(b)
}

// NewSecret returns a 40-character secret access key.
func NewSecret() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	b := make([]byte, 40)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// NewDataID returns a fresh key for inline object bytes, shaped like a blob
// id: 16 hex digits of the clock, then 16 random ones. Keys that grow with
// time make new records land at the right edge of the store's B+tree, where
// a commit dirties one leaf page for many objects instead of one page per
// object scattered over the tree.
func NewDataID(now time.Time) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(now.UnixNano()))
	_, _ = rand.Read(b[8:])
	return hex.EncodeToString(b[:])
}

// VersionKey is the record key of a version in table Versions:
// ObjectKey(bucket, key) + "\x00" + order, where order is 16 hexadecimal
// digits of the bitwise complement of the version's LastModified in Unix
// nanoseconds followed by its version ID ("null" for the null version). So
// a scan of prefix ObjectKey(bucket, key)+"\x00" visits a key's versions
// newest first, and keys in key order (a key containing NUL may sort its
// versions among those of a longer key; callers check the record's Key).
//
// Layout of a versioned bucket's objects: Objects holds, under
// ObjectKey(bucket, key), the current version when it is not a delete
// marker, exactly as for unversioned buckets (so ListObjects scans only
// Objects); Versions holds every other version. A version's bytes stay
// where they were written (inline record or blob file) until the version
// is permanently deleted.
func VersionKey(bucket, key string, lastModified time.Time, versionID string) string {
	if versionID == "" {
		versionID = "null"
	}
	return VersionPrefix(bucket, key) + VersionOrder(lastModified) + versionID
}

// VersionPrefix is the prefix of the Versions records of one key.
func VersionPrefix(bucket, key string) string { return ObjectKey(bucket, key) + "\x00" }

// VersionOrder is the order part of a version's record key: 16 hex digits
// that sort newer times first.
func VersionOrder(t time.Time) string {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], ^uint64(t.UnixNano()))
	return hex.EncodeToString(b[:])
}

// PutVersion stores o in Versions.
func PutVersion(tx store.Tx, o *model.Object) error {
	return store.PutJSON(tx, Versions, VersionKey(o.Bucket, o.Key, o.LastModified, o.VersionID), o)
}

// DeleteVersion removes o from Versions.
func DeleteVersion(tx store.Tx, o *model.Object) error {
	return tx.Delete(Versions, VersionKey(o.Bucket, o.Key, o.LastModified, o.VersionID))
}
