package kmsapi

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/verdict-project/verdict/engine/arn"
	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/engine/policy"
	"github.com/verdict-project/verdict/inputs"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awsjson"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

// KeyARN returns the ARN of key id in account and region.
func KeyARN(region, account, id string) string {
	return "arn:aws:kms:" + region + ":" + account + ":key/" + id
}

func aliasARN(region, account, name string) string {
	return "arn:aws:kms:" + region + ":" + account + ":" + name
}

func keyARN(k *model.KMSKey) string { return KeyARN(k.Region, k.Account, k.ID) }

// DefaultKeyPolicy is the policy KMS gives a key created without one: it
// gives the account (its root) kms:*, which makes IAM policies effective.
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
func DefaultKeyPolicy(account string) string {
	return `{
  "Version" : "2012-10-17",
  "Id" : "key-default-1",
  "Statement" : [ {
    "Sid" : "Enable IAM User Permissions",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:aws:iam::` + account + `:root"
    },
    "Action" : "kms:*",
    "Resource" : "*"
  } ]
}`
}

// ManagedKeyPolicy is the key policy of an AWS managed key (aws/s3, ...):
// every principal of the account may use it through the service, and the
// account may read its metadata directly.
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
// https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key
func ManagedKeyPolicy(account, region, svc string) string {
	return `{
  "Version" : "2012-10-17",
  "Id" : "auto-` + svc + `-2",
  "Statement" : [ {
    "Sid" : "Allow access through ` + serviceTitle(svc) + ` for all principals in the account that are authorized to use ` + serviceTitle(svc) + `",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : [ "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey" ],
    "Resource" : "*",
    "Condition" : {
      "StringEquals" : {
        "kms:CallerAccount" : "` + account + `",
        "kms:ViaService" : "` + svc + `.` + region + `.amazonaws.com"
      }
    }
  }, {
    "Sid" : "Allow direct access to key metadata to the account",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:aws:iam::` + account + `:root"
    },
    "Action" : [ "kms:Describe*", "kms:Get*", "kms:List*" ],
    "Resource" : "*"
  } ]
}`
}

func serviceTitle(svc string) string {
	if svc == "s3" {
		return "S3"
	}
	return svc
}

// keyMetadata is KMS's KeyMetadata.
// https://docs.aws.amazon.com/kms/latest/APIReference/API_KeyMetadata.html
type keyMetadata struct {
	AWSAccountId                string             `json:"AWSAccountId"`
	KeyId                       string             `json:"KeyId"`
	Arn                         string             `json:"Arn"`
	CreationDate                awsjson.Timestamp  `json:"CreationDate"`
	Enabled                     bool               `json:"Enabled"`
	Description                 string             `json:"Description"`
	KeyUsage                    string             `json:"KeyUsage"`
	KeyState                    string             `json:"KeyState"`
	DeletionDate                *awsjson.Timestamp `json:"DeletionDate,omitempty"`
	PendingDeletionWindowInDays int                `json:"PendingDeletionWindowInDays,omitempty"`
	Origin                      string             `json:"Origin"`
	KeyManager                  string             `json:"KeyManager"`
	CustomerMasterKeySpec       string             `json:"CustomerMasterKeySpec"`
	KeySpec                     string             `json:"KeySpec"`
	EncryptionAlgorithms        []string           `json:"EncryptionAlgorithms"`
	MultiRegion                 bool               `json:"MultiRegion"`
}

func metadata(k *model.KMSKey) keyMetadata {
	m := keyMetadata{AWSAccountId: k.Account, KeyId: k.ID, Arn: keyARN(k), CreationDate: awsjson.Timestamp{Time: k.Created},
		Enabled: k.State == model.KeyEnabled, Description: k.Description, KeyUsage: "ENCRYPT_DECRYPT", KeyState: k.State,
		Origin: "AWS_KMS", KeyManager: k.Manager, CustomerMasterKeySpec: "SYMMETRIC_DEFAULT", KeySpec: "SYMMETRIC_DEFAULT",
		EncryptionAlgorithms: []string{"SYMMETRIC_DEFAULT"}}
	if k.State == model.KeyPendingDeletion {
		m.DeletionDate = &awsjson.Timestamp{Time: k.DeletionDate}
		m.PendingDeletionWindowInDays = k.Window
	}
	return m
}

// keyRef is a parsed KeyId parameter.
type keyRef struct {
	account string
	id      string // key ID, or "" for an alias
	alias   string // "alias/name"
	arn     string // the ARN the reference names, for messages
}

// parseKeyRef reads a key ID, key ARN, alias name or alias ARN. Key IDs
// and alias names are in the caller's account; ARNs may name another
// account's key, which cross-account use requires.
// https://docs.aws.amazon.com/kms/latest/developerguide/find-cmk-id-arn.html
func (r *request) parseKeyRef(s string) (keyRef, error) {
	if rest, ok := strings.CutPrefix(s, "arn:aws:kms:"); ok {
		parts := strings.SplitN(rest, ":", 3)
		if len(parts) != 3 || parts[0] != r.Region || !arn.IsAccountID(parts[1]) {
			return keyRef{}, errNotFound("Invalid arn " + s)
		}
		acct, res := parts[1], parts[2]
		if id, ok := strings.CutPrefix(res, "key/"); ok {
			return keyRef{account: acct, id: id, arn: s}, nil
		}
		if strings.HasPrefix(res, "alias/") {
			return keyRef{account: acct, alias: res, arn: s}, nil
		}
		return keyRef{}, errNotFound("Invalid arn " + s)
	}
	acct := r.Caller.Principal.Account
	if strings.HasPrefix(s, "alias/") {
		return keyRef{account: acct, alias: s, arn: aliasARN(r.Region, acct, s)}, nil
	}
	return keyRef{account: acct, id: s, arn: KeyARN(r.Region, acct, s)}, nil
}

// loadKey finds the key a reference names. A key whose waiting period
// has passed is deleted, as KMS would have deleted it.
func (s *Service) loadKey(tx store.Tx, ref keyRef, now time.Time) (*model.KMSKey, error) {
	id := ref.id
	if ref.alias != "" {
		a, err := state.KMSAlias(tx, ref.account, ref.alias)
		if errors.Is(err, store.ErrNotFound) {
			return nil, errAliasNotFound(ref.arn)
		}
		if err != nil {
			return nil, err
		}
		id = a.KeyID
	}
	if !isUUID(id) {
		return nil, errKeyNotFound(ref.arn)
	}
	k, err := state.KMSKey(tx, id)
	if errors.Is(err, store.ErrNotFound) || err == nil && k.Account != ref.account {
		return nil, errKeyNotFound(ref.arn)
	}
	if err != nil {
		return nil, err
	}
	if k.State == model.KeyPendingDeletion && !now.Before(k.DeletionDate) {
		return nil, errKeyNotFound(keyARN(k))
	}
	return k, nil
}

// key resolves keyID (required) for action and authorizes the caller.
// Management operations accept only keys of the caller's account; the
// cryptographic operations and a few others work across accounts.
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
func (s *Service) key(r *request, keyID, action string, crossAccount bool) (*model.KMSKey, error) {
	if keyID == "" {
		return nil, awsjson.ValidationException(awsjson.NotNull("keyId"))
	}
	if len(keyID) > 2048 {
		return nil, awsjson.ValidationException(awsjson.Violation{Member: "keyId", Value: keyID, Constraint: "Member must have length less than or equal to 2048"})
	}
	ref, err := r.parseKeyRef(keyID)
	if err != nil {
		return nil, err
	}
	if !crossAccount && ref.account != r.Caller.Principal.Account {
		return nil, errKeyNotFound(ref.arn)
	}
	var k *model.KMSKey
	if err := r.view(func(tx store.Tx) error {
		k, err = s.loadKey(tx, ref, r.Now)
		return err
	}); err != nil {
		return nil, err
	}
	if err := r.authorize(&inputs.KMSRequest{Action: action, Key: k, KeyARN: keyARN(k)}); err != nil {
		return nil, err
	}
	return k, nil
}

// mutate reloads key id in a write transaction and applies fn.
func (s *Service) mutate(r *request, id string, fn func(k *model.KMSKey) error) (*model.KMSKey, error) {
	var out *model.KMSKey
	err := r.update(func(tx store.Tx) error {
		k, err := state.KMSKey(tx, id)
		if err != nil {
			return errKeyNotFound(id)
		}
		if err := fn(k); err != nil {
			return err
		}
		out = k
		return state.PutKMSKey(tx, k)
	})
	return out, err
}

// usable returns the error a cryptographic operation gets on a key that is
// not enabled.
// https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html
func usable(k *model.KMSKey) error {
	switch k.State {
	case model.KeyEnabled:
		return nil
	case model.KeyDisabled:
		return errDisabled(keyARN(k))
	}
	return errInvalidState(keyARN(k) + " is pending deletion.")
}

// validatePolicy checks a key policy as KMS does.
func (r *request) validatePolicy(doc, account string) error {
	if len(doc) > 32768 {
		return awsjson.ValidationException(awsjson.Violation{Member: "policy", Value: doc, Constraint: "Member must have length less than or equal to 32768"})
	}
	if _, err := policy.Validate([]byte(doc), policy.Key, policy.Options{Account: account}); err != nil {
		if ve, ok := policy.AsValidationError(err); ok {
			return errMalformedPolicy(ve.Message)
		}
		return errMalformedPolicy(err.Error())
	}
	return nil
}

// lockoutCheck refuses a policy that would not let the caller change it
// again, unless BypassPolicyLockoutSafetyCheck is set.
// https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-bypass-policy-lockout-safety-check
func (r *request) lockoutCheck(k *model.KMSKey, doc string) error {
	probe := *k
	probe.Policy = doc
	req, in, err := r.Compiler.KMS(r.Caller, &inputs.KMSRequest{Action: "kms:PutKeyPolicy", Key: &probe, KeyARN: keyARN(k), Context: r.BaseContext()})
	if err != nil {
		return errMalformedPolicy(err.Error())
	}
	if d := authz.Decide(req, in, authz.Options{}); !d.Allowed {
		return errMalformedPolicy("The new key policy will not allow you to update the key policy in the future.")
	}
	return nil
}

type tag struct {
	TagKey   string `json:"TagKey"`
	TagValue string `json:"TagValue"`
}

func (s *Service) createKey(r *request) (any, error) {
	var in struct {
		Policy                         string `json:"Policy"`
		Description                    string `json:"Description"`
		KeyUsage                       string `json:"KeyUsage"`
		KeySpec                        string `json:"KeySpec"`
		CustomerMasterKeySpec          string `json:"CustomerMasterKeySpec"`
		Origin                         string `json:"Origin"`
		BypassPolicyLockoutSafetyCheck bool   `json:"BypassPolicyLockoutSafetyCheck"`
		MultiRegion                    bool   `json:"MultiRegion"`
		Tags                           []tag  `json:"Tags"`
	}
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	if len(in.Description) > 8192 {
		return nil, awsjson.ValidationException(awsjson.Violation{Member: "description", Value: in.Description, Constraint: "Member must have length less than or equal to 8192"})
	}
	if in.KeyUsage != "" && in.KeyUsage != "ENCRYPT_DECRYPT" || in.KeySpec != "" && in.KeySpec != "SYMMETRIC_DEFAULT" ||
		in.CustomerMasterKeySpec != "" && in.CustomerMasterKeySpec != "SYMMETRIC_DEFAULT" {
		return nil, errUnsupported("verdict serves symmetric encryption keys only (KeySpec SYMMETRIC_DEFAULT, KeyUsage ENCRYPT_DECRYPT).")
	}
	if in.Origin != "" && in.Origin != "AWS_KMS" || in.MultiRegion {
		return nil, errUnsupported("verdict serves single-Region keys with Origin AWS_KMS only.")
	}
	acct := r.Caller.Principal.Account
	if err := r.authorize(&inputs.KMSRequest{Action: "kms:CreateKey", ResourceAccount: acct}); err != nil {
		return nil, err
	}
	tags, err := checkTags(in.Tags)
	if err != nil {
		return nil, err
	}
	id := newUUID()
	k := &model.KMSKey{ID: id, Account: acct, Region: r.Region, Description: in.Description, Created: r.Now.UTC(),
		State: model.KeyEnabled, Manager: "CUSTOMER", Policy: in.Policy, Material: s.keys.NewMaterial(id), Tags: tags}
	if k.Policy == "" {
		k.Policy = DefaultKeyPolicy(acct)
	} else {
		if err := r.validatePolicy(in.Policy, acct); err != nil {
			return nil, err
		}
		if !in.BypassPolicyLockoutSafetyCheck {
			if err := r.lockoutCheck(k, in.Policy); err != nil {
				return nil, err
			}
		}
	}
	if err := r.update(func(tx store.Tx) error { return state.PutKMSKey(tx, k) }); err != nil {
		return nil, err
	}
	return struct {
		KeyMetadata keyMetadata `json:"KeyMetadata"`
	}{metadata(k)}, nil
}

func (s *Service) describeKey(r *request) (any, error) {
	var in struct {
		KeyId string `json:"KeyId"`
	}
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	// DescribeKey on a predefined AWS alias creates the AWS managed key.
	// https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html
	if in.KeyId == "alias/aws/s3" {
		if _, err := s.ManagedKey(r.Call, r.Caller.Principal.Account, "s3"); err != nil {
			return nil, err
		}
	}
	k, err := s.key(r, in.KeyId, "kms:DescribeKey", true)
	if err != nil {
		return nil, err
	}
	return struct {
		KeyMetadata keyMetadata `json:"KeyMetadata"`
	}{metadata(k)}, nil
}

// page applies Limit (1-1000, default 100) and Marker to a sorted list of n
// items, returning the range and the next marker.
func page(n int, limit int, marker string) (lo, hi int, next string, err error) {
	if limit == 0 {
		limit = 100
	}
	if limit < 1 || limit > 1000 {
		return 0, 0, "", awsjson.ValidationException(awsjson.Violation{Member: "limit", Value: strconv.Itoa(limit), Constraint: "Member must have value less than or equal to 1000"})
	}
	if marker != "" {
		lo, err = strconv.Atoi(marker)
		if err != nil || lo < 0 || lo > n {
			return 0, 0, "", kmsErr("InvalidMarkerException", "Invalid marker")
		}
	}
	hi = min(n, lo+limit)
	if hi < n {
		next = strconv.Itoa(hi)
	}
	return lo, hi, next, nil
}

func (s *Service) listKeys(r *request) (any, error) {
	var in struct {
		Limit  int    `json:"Limit"`
		Marker string `json:"Marker"`
	}
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	acct := r.Caller.Principal.Account
	if err := r.authorize(&inputs.KMSRequest{Action: "kms:ListKeys", ResourceAccount: acct}); err != nil {
		return nil, err
	}
	type entry struct {
		KeyId  string `json:"KeyId"`
		KeyArn string `json:"KeyArn"`
	}
	var all []entry
	err := r.view(func(tx store.Tx) error {
		return state.ListKMSKeys(tx, acct, func(k *model.KMSKey) (bool, error) {
			if k.State != model.KeyPendingDeletion || r.Now.Before(k.DeletionDate) {
				all = append(all, entry{k.ID, keyARN(k)})
			}
			return true, nil
		})
	})
	if err != nil {
		return nil, err
	}
	lo, hi, next, err := page(len(all), in.Limit, in.Marker)
	if err != nil {
		return nil, err
	}
	return struct {
		Keys       []entry `json:"Keys"`
		NextMarker string  `json:"NextMarker,omitempty"`
		Truncated  bool    `json:"Truncated"`
	}{append([]entry{}, all[lo:hi]...), next, next != ""}, nil
}

func checkPolicyName(name string) error {
	if name != "" && name != "default" {
		return errNotFound("Policy " + name + " does not exist")
	}
	return nil
}

func (s *Service) getKeyPolicy(r *request) (any, error) {
	var in struct {
		KeyId      string `json:"KeyId"`
		PolicyName string `json:"PolicyName"`
	}
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	k, err := s.key(r, in.KeyId, "kms:GetKeyPolicy", false)
	if err != nil {
		return nil, err
	}
	if err := checkPolicyName(in.PolicyName); err != nil {
		return nil, err
	}
	return struct {
		Policy     string `json:"Policy"`
		PolicyName string `json:"PolicyName"`
	}{k.Policy, "default"}, nil
}

func (s *Service) putKeyPolicy(r *request) (any, error) {
	var in struct {
		KeyId                          string `json:"KeyId"`
		PolicyName                     string `json:"PolicyName"`
		Policy                         string `json:"Policy"`
		BypassPolicyLockoutSafetyCheck bool   `json:"BypassPolicyLockoutSafetyCheck"`
	}
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	if in.Policy == "" {
		return nil, awsjson.ValidationException(awsjson.NotNull("policy"))
	}
	k, err := s.key(r, in.KeyId, "kms:PutKeyPolicy", false)
	if err != nil {
		return nil, err
	}
	if err := checkPolicyName(in.PolicyName); err != nil {
		return nil, err
	}
	if k.Manager == "AWS" {
		// The policies of AWS managed keys cannot be changed.
		// https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key
		return nil, errAccessDenied(denialMessage(&authz.Request{Principal: r.Caller.Principal, Action: "kms:PutKeyPolicy", Resource: keyARN(k)}, &authz.Decision{}))
	}
	if err := r.validatePolicy(in.Policy, k.Account); err != nil {
		return nil, err
	}
	if !in.BypassPolicyLockoutSafetyCheck {
		if err := r.lockoutCheck(k, in.Policy); err != nil {
			return nil, err
		}
	}
	_, err = s.mutate(r, k.ID, func(k *model.KMSKey) error { k.Policy = in.Policy; return nil })
	return struct{}{}, err
}

func (s *Service) listKeyPolicies(r *request) (any, error) {
	var in struct {
		KeyId  string `json:"KeyId"`
		Limit  int    `json:"Limit"`
		Marker string `json:"Marker"`
	}
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	if _, err := s.key(r, in.KeyId, "kms:ListKeyPolicies", false); err != nil {
		return nil, err
	}
	return struct {
		PolicyNames []string `json:"PolicyNames"`
		Truncated   bool     `json:"Truncated"`
	}{[]string{"default"}, false}, nil
}

func (s *Service) keyIDOnly(r *request, action string) (*model.KMSKey, error) {
	var in struct {
		KeyId string `json:"KeyId"`
	}
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	k, err := s.key(r, in.KeyId, action, false)
	if err != nil {
		return nil, err
	}
	if k.Manager == "AWS" {
		// AWS managed keys cannot be enabled, disabled or deleted.
		// https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key
		return nil, errUnsupported(keyARN(k) + " is an AWS managed key.")
	}
	return k, nil
}

func (s *Service) enableKey(r *request) (any, error) {
	k, err := s.keyIDOnly(r, "kms:EnableKey")
	if err != nil {
		return nil, err
	}
	_, err = s.mutate(r, k.ID, func(k *model.KMSKey) error {
		if k.State == model.KeyPendingDeletion {
			return errInvalidState(keyARN(k) + " is pending deletion.")
		}
		k.State = model.KeyEnabled
		return nil
	})
	return struct{}{}, err
}

func (s *Service) disableKey(r *request) (any, error) {
	k, err := s.keyIDOnly(r, "kms:DisableKey")
	if err != nil {
		return nil, err
	}
	_, err = s.mutate(r, k.ID, func(k *model.KMSKey) error {
		if k.State == model.KeyPendingDeletion {
			return errInvalidState(keyARN(k) + " is pending deletion.")
		}
		k.State = model.KeyDisabled
		return nil
	})
	return struct{}{}, err
}

func (s *Service) scheduleKeyDeletion(r *request) (any, error) {
	var in struct {
		KeyId               string `json:"KeyId"`
		PendingWindowInDays *int   `json:"PendingWindowInDays"`
	}
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	days := 30
	if in.PendingWindowInDays != nil {
		days = *in.PendingWindowInDays
		// The waiting period is 7 to 30 days.
		// https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html
		if days < 7 || days > 30 {
			c := "Member must have value greater than or equal to 7"
			if days > 30 {
				c = "Member must have value less than or equal to 30"
			}
			return nil, awsjson.ValidationException(awsjson.Violation{Member: "pendingWindowInDays", Value: strconv.Itoa(days), Constraint: c})
		}
	}
	k, err := s.key(r, in.KeyId, "kms:ScheduleKeyDeletion", false)
	if err != nil {
		return nil, err
	}
	if k.Manager == "AWS" {
		return nil, errUnsupported(keyARN(k) + " is an AWS managed key.")
	}
	k, err = s.mutate(r, k.ID, func(k *model.KMSKey) error {
		if k.State == model.KeyPendingDeletion {
			return errInvalidState(keyARN(k) + " is pending deletion.")
		}
		k.State = model.KeyPendingDeletion
		k.Window = days
		k.DeletionDate = r.Now.UTC().Add(time.Duration(days) * 24 * time.Hour)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return struct {
		KeyId               string            `json:"KeyId"`
		DeletionDate        awsjson.Timestamp `json:"DeletionDate"`
		KeyState            string            `json:"KeyState"`
		PendingWindowInDays int               `json:"PendingWindowInDays"`
	}{keyARN(k), awsjson.Timestamp{Time: k.DeletionDate}, k.State, days}, nil
}

// cancelKeyDeletion leaves the key Disabled, as KMS does.
// https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys-scheduling-key-deletion.html
func (s *Service) cancelKeyDeletion(r *request) (any, error) {
	k, err := s.keyIDOnly(r, "kms:CancelKeyDeletion")
	if err != nil {
		return nil, err
	}
	k, err = s.mutate(r, k.ID, func(k *model.KMSKey) error {
		if k.State != model.KeyPendingDeletion {
			return errInvalidState(keyARN(k) + " is not pending deletion.")
		}
		k.State, k.Window, k.DeletionDate = model.KeyDisabled, 0, time.Time{}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return struct {
		KeyId string `json:"KeyId"`
	}{keyARN(k)}, nil
}
