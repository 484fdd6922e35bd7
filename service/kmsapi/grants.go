package kmsapi

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"slices"
	"strings"

	"github.com/verdict-project/verdict/engine/condition"
	"github.com/verdict-project/verdict/inputs"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awsjson"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

// grantOperations are the operations a grant on a symmetric key may allow.
// https://docs.aws.amazon.com/kms/latest/developerguide/grants.html#terms-grant-operations
var grantOperations = []string{"Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext",
	"ReEncryptFrom", "ReEncryptTo", "CreateGrant", "RetireGrant", "DescribeKey", "GenerateDataKeyPair",
	"GenerateDataKeyPairWithoutPlaintext", "Sign", "Verify", "GetPublicKey", "GenerateMac", "VerifyMac", "DeriveSharedSecret"}

type grantConstraints struct {
	EncryptionContextSubset map[string]string `json:"EncryptionContextSubset,omitempty"`
	EncryptionContextEquals map[string]string `json:"EncryptionContextEquals,omitempty"`
}

// grantToken encodes the key and grant IDs; tokens are opaque to clients.
func grantToken(keyID, grantID string) string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString([]byte(keyID + "." + grantID + "." + hex.EncodeToString(b)))
}

func parseGrantToken(tok string) (keyID, grantID string, err error) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return "", "", kmsErr("InvalidGrantTokenException", "Invalid grant token")
	}
	parts := strings.Split(string(b), ".")
	if len(parts) != 3 || !isUUID(parts[0]) {
		return "", "", kmsErr("InvalidGrantTokenException", "Invalid grant token")
	}
	return parts[0], parts[1], nil
}

func newGrantID() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (s *Service) createGrant(r *request) (any, error) {
	var in struct {
		KeyId             string            `json:"KeyId"`
		GranteePrincipal  string            `json:"GranteePrincipal"`
		RetiringPrincipal string            `json:"RetiringPrincipal"`
		Operations        []string          `json:"Operations"`
		Constraints       *grantConstraints `json:"Constraints"`
		GrantTokens       []string          `json:"GrantTokens"`
		Name              string            `json:"Name"`
	}
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	if in.GranteePrincipal == "" {
		return nil, awsjson.ValidationException(awsjson.NotNull("granteePrincipal"))
	}
	if in.Operations == nil {
		return nil, awsjson.ValidationException(awsjson.NotNull("operations"))
	}
	for _, op := range in.Operations {
		if !slices.Contains(grantOperations, op) {
			return nil, awsjson.ValidationException(awsjson.Violation{Member: "operations", Value: "[" + strings.Join(in.Operations, ", ") + "]",
				Constraint: "Member must satisfy constraint: [Member must satisfy enum value set: [" + strings.Join(grantOperations, ", ") + "]]"})
		}
	}
	if in.KeyId == "" {
		return nil, awsjson.ValidationException(awsjson.NotNull("keyId"))
	}
	ref, err := r.parseKeyRef(in.KeyId)
	if err != nil {
		return nil, err
	}
	var k *model.KMSKey
	if err := r.view(func(tx store.Tx) error { k, err = s.loadKey(tx, ref, r.Now); return err }); err != nil {
		return nil, err
	}
	// CreateGrant's own condition keys.
	// https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grantee-principal
	ctx := r.BaseContext()
	ctx["kms:granteeprincipal"] = []string{in.GranteePrincipal}
	ctx["kms:grantoperations"] = in.Operations
	ctx["kms:grantisforawsresource"] = []string{"false"}
	if in.RetiringPrincipal != "" {
		ctx["kms:retiringprincipal"] = []string{in.RetiringPrincipal}
	}
	var ec map[string]string
	if in.Constraints != nil {
		ec = in.Constraints.EncryptionContextEquals
		if ec == nil {
			ec = in.Constraints.EncryptionContextSubset
		}
	}
	if err := r.authorize(&inputs.KMSRequest{Action: "kms:CreateGrant", Key: k, KeyARN: keyARN(k), Context: condition.Map(ctx), EncryptionContext: ec}); err != nil {
		return nil, err
	}
	if k.State == model.KeyPendingDeletion {
		return nil, errInvalidState(keyARN(k) + " is pending deletion.")
	}
	g := model.KMSGrant{ID: newGrantID(), Name: in.Name, Created: r.Now.UTC(), GranteePrincipal: in.GranteePrincipal,
		RetiringPrincipal: in.RetiringPrincipal, IssuingAccount: "arn:aws:iam::" + r.Caller.Principal.Account + ":root", Operations: in.Operations}
	if in.Constraints != nil {
		g.EncryptionContextEquals, g.EncryptionContextSubset = in.Constraints.EncryptionContextEquals, in.Constraints.EncryptionContextSubset
	}
	g.Token = grantToken(k.ID, g.ID)
	_, err = s.mutate(r, k.ID, func(k *model.KMSKey) error {
		if in.Name != "" {
			// A grant with the same name and properties is returned again
			// rather than duplicated.
			// https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateGrant.html
			for _, old := range k.Grants {
				if old.Name == in.Name && old.GranteePrincipal == g.GranteePrincipal && slices.Equal(old.Operations, g.Operations) {
					g = old
					return nil
				}
			}
		}
		k.Grants = append(k.Grants, g)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return struct {
		GrantToken string `json:"GrantToken"`
		GrantId    string `json:"GrantId"`
	}{g.Token, g.ID}, nil
}

type grantEntry struct {
	KeyId             string            `json:"KeyId"`
	GrantId           string            `json:"GrantId"`
	Name              string            `json:"Name,omitempty"`
	CreationDate      awsjson.Timestamp `json:"CreationDate"`
	GranteePrincipal  string            `json:"GranteePrincipal"`
	RetiringPrincipal string            `json:"RetiringPrincipal,omitempty"`
	IssuingAccount    string            `json:"IssuingAccount"`
	Operations        []string          `json:"Operations"`
	Constraints       *grantConstraints `json:"Constraints,omitempty"`
}

func (s *Service) listGrants(r *request) (any, error) {
	var in struct {
		KeyId            string `json:"KeyId"`
		GrantId          string `json:"GrantId"`
		GranteePrincipal string `json:"GranteePrincipal"`
		Limit            int    `json:"Limit"`
		Marker           string `json:"Marker"`
	}
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	k, err := s.key(r, in.KeyId, "kms:ListGrants", true)
	if err != nil {
		return nil, err
	}
	out := []grantEntry{}
	for _, g := range k.Grants {
		if in.GrantId != "" && g.ID != in.GrantId || in.GranteePrincipal != "" && g.GranteePrincipal != in.GranteePrincipal {
			continue
		}
		e := grantEntry{KeyId: keyARN(k), GrantId: g.ID, Name: g.Name, CreationDate: awsjson.Timestamp{Time: g.Created},
			GranteePrincipal: g.GranteePrincipal, RetiringPrincipal: g.RetiringPrincipal, IssuingAccount: g.IssuingAccount, Operations: g.Operations}
		if g.EncryptionContextEquals != nil || g.EncryptionContextSubset != nil {
			e.Constraints = &grantConstraints{EncryptionContextSubset: g.EncryptionContextSubset, EncryptionContextEquals: g.EncryptionContextEquals}
		}
		out = append(out, e)
	}
	lo, hi, next, err := page(len(out), in.Limit, in.Marker)
	if err != nil {
		return nil, err
	}
	return struct {
		Grants     []grantEntry `json:"Grants"`
		NextMarker string       `json:"NextMarker,omitempty"`
		Truncated  bool         `json:"Truncated"`
	}{out[lo:hi], next, next != ""}, nil
}

func removeGrant(k *model.KMSKey, grantID string) (model.KMSGrant, error) {
	i := slices.IndexFunc(k.Grants, func(g model.KMSGrant) bool { return g.ID == grantID })
	if i < 0 {
		return model.KMSGrant{}, errNotFound("Grant ID " + grantID + " not found")
	}
	g := k.Grants[i]
	k.Grants = slices.Delete(k.Grants, i, i+1)
	return g, nil
}

// retireGrant: the retiring principal, the grantee principal when the
// grant allows RetireGrant, or a principal the key policy allows
// kms:RetireGrant may retire a grant.
// https://docs.aws.amazon.com/kms/latest/developerguide/grant-delete.html
func (s *Service) retireGrant(r *request) (any, error) {
	var in struct {
		GrantToken string `json:"GrantToken"`
		KeyId      string `json:"KeyId"`
		GrantId    string `json:"GrantId"`
	}
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	var ref keyRef
	grantID := in.GrantId
	switch {
	case in.GrantToken != "":
		id, gid, err := parseGrantToken(in.GrantToken)
		if err != nil {
			return nil, err
		}
		var k *model.KMSKey
		if err := r.view(func(tx store.Tx) error {
			var err error
			k, err = state.KMSKey(tx, id)
			if errors.Is(err, store.ErrNotFound) {
				return kmsErr("InvalidGrantTokenException", "Invalid grant token")
			}
			return err
		}); err != nil {
			return nil, err
		}
		ref = keyRef{account: k.Account, id: k.ID, arn: keyARN(k)}
		grantID = gid
	case in.KeyId != "" && in.GrantId != "":
		var err error
		if ref, err = r.parseKeyRef(in.KeyId); err != nil {
			return nil, err
		}
	default:
		return nil, errValidation("Either grant token or key ID and grant ID must be specified")
	}
	var k *model.KMSKey
	if err := r.view(func(tx store.Tx) error {
		var err error
		k, err = s.loadKey(tx, ref, r.Now)
		return err
	}); err != nil {
		return nil, err
	}
	i := slices.IndexFunc(k.Grants, func(g model.KMSGrant) bool { return g.ID == grantID })
	if i < 0 {
		return nil, errNotFound("Grant ID " + grantID + " not found")
	}
	g := k.Grants[i]
	p := r.Caller.Principal
	if !(p.ARN == g.RetiringPrincipal || p.RoleARN != "" && p.RoleARN == g.RetiringPrincipal ||
		(p.ARN == g.GranteePrincipal || p.RoleARN != "" && p.RoleARN == g.GranteePrincipal) && slices.Contains(g.Operations, "RetireGrant")) {
		if err := r.authorize(&inputs.KMSRequest{Action: "kms:RetireGrant", Key: k, KeyARN: keyARN(k)}); err != nil {
			return nil, err
		}
	}
	_, err := s.mutate(r, k.ID, func(k *model.KMSKey) error { _, err := removeGrant(k, grantID); return err })
	return struct{}{}, err
}

func (s *Service) revokeGrant(r *request) (any, error) {
	var in struct {
		KeyId   string `json:"KeyId"`
		GrantId string `json:"GrantId"`
	}
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	if in.GrantId == "" {
		return nil, awsjson.ValidationException(awsjson.NotNull("grantId"))
	}
	k, err := s.key(r, in.KeyId, "kms:RevokeGrant", true)
	if err != nil {
		return nil, err
	}
	_, err = s.mutate(r, k.ID, func(k *model.KMSKey) error { _, err := removeGrant(k, in.GrantId); return err })
	return struct{}{}, err
}
