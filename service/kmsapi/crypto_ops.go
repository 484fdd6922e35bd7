package kmsapi

import (
	"crypto/rand"
	"errors"
	"strconv"

	"github.com/verdict-project/verdict/inputs"
	"github.com/verdict-project/verdict/model"
	"github.com/verdict-project/verdict/protocol/awsjson"
	"github.com/verdict-project/verdict/service"
	"github.com/verdict-project/verdict/state"
	"github.com/verdict-project/verdict/store"
)

// maxPlaintext is Encrypt's limit on Plaintext; maxCiphertext Decrypt's
// on CiphertextBlob.
// https://docs.aws.amazon.com/kms/latest/APIReference/API_Encrypt.html
// https://docs.aws.amazon.com/kms/latest/APIReference/API_Decrypt.html
const (
	maxPlaintext  = 4096
	maxCiphertext = 6144
)

func checkAlgorithm(a string) error {
	if a != "" && a != "SYMMETRIC_DEFAULT" {
		return errValidation("Value '" + a + "' at 'encryptionAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [SYMMETRIC_DEFAULT, RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256, SM2PKE]")
	}
	return nil
}

func lengthViolation(member string, n, lo, hi int, sensitive bool) error {
	if n < lo {
		return awsjson.ValidationException(awsjson.Violation{Member: member, Sensitive: sensitive, Constraint: "Member must have length greater than or equal to " + strconv.Itoa(lo)})
	}
	if n > hi {
		return awsjson.ValidationException(awsjson.Violation{Member: member, Sensitive: sensitive, Constraint: "Member must have length less than or equal to " + strconv.Itoa(hi)})
	}
	return nil
}

// useKey resolves and authorizes a key for a cryptographic operation (these
// work across accounts) and checks that it is enabled. via is kms:ViaService.
func (s *Service) useKey(c *service.Call, keyID, action, via string, ec map[string]string) (*model.KMSKey, error) {
	r := &request{Call: c, ctx: c.HTTP.Context()}
	if keyID == "" {
		return nil, awsjson.ValidationException(awsjson.NotNull("keyId"))
	}
	ref, err := r.parseKeyRef(keyID)
	if err != nil {
		return nil, err
	}
	var k *model.KMSKey
	if err := r.view(func(tx store.Tx) error {
		k, err = s.loadKey(tx, ref, r.Now)
		return err
	}); err != nil {
		return nil, err
	}
	if err := r.authorize(&inputs.KMSRequest{Action: action, Key: k, KeyARN: keyARN(k), ViaService: via, EncryptionContext: ec}); err != nil {
		return nil, err
	}
	return k, usable(k)
}

func (s *Service) encrypt(r *request) (any, error) {
	var in struct {
		KeyId               string            `json:"KeyId"`
		Plaintext           []byte            `json:"Plaintext"`
		EncryptionContext   map[string]string `json:"EncryptionContext"`
		GrantTokens         []string          `json:"GrantTokens"`
		EncryptionAlgorithm string            `json:"EncryptionAlgorithm"`
	}
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	if in.Plaintext == nil {
		return nil, awsjson.ValidationException(awsjson.NotNull("plaintext"))
	}
	if err := lengthViolation("plaintext", len(in.Plaintext), 1, maxPlaintext, true); err != nil {
		return nil, err
	}
	if err := checkAlgorithm(in.EncryptionAlgorithm); err != nil {
		return nil, err
	}
	k, err := s.useKey(r.Call, in.KeyId, "kms:Encrypt", "", in.EncryptionContext)
	if err != nil {
		return nil, err
	}
	blob, err := s.keys.Seal(k.ID, k.Material, in.Plaintext, in.EncryptionContext)
	if err != nil {
		return nil, err
	}
	return struct {
		CiphertextBlob      []byte `json:"CiphertextBlob"`
		KeyId               string `json:"KeyId"`
		EncryptionAlgorithm string `json:"EncryptionAlgorithm"`
	}{blob, keyARN(k), "SYMMETRIC_DEFAULT"}, nil
}

// openBlob finds the key a blob names (in any account: the blob carries
// it), authorizes action on it, and decrypts. keyID, when given, must name
// the same key (IncorrectKeyException otherwise).
func (s *Service) openBlob(c *service.Call, blob []byte, ec map[string]string, keyID, action, via string) ([]byte, *model.KMSKey, error) {
	r := &request{Call: c, ctx: c.HTTP.Context()}
	id, err := BlobKeyID(blob)
	if err != nil {
		return nil, nil, errInvalidCiphertext()
	}
	var k *model.KMSKey
	if err := r.view(func(tx store.Tx) error {
		var err error
		k, err = state.KMSKey(tx, id)
		if errors.Is(err, store.ErrNotFound) {
			return errInvalidCiphertext()
		}
		return err
	}); err != nil {
		return nil, nil, err
	}
	if keyID != "" {
		ref, err := r.parseKeyRef(keyID)
		if err != nil {
			return nil, nil, err
		}
		var want *model.KMSKey
		if err := r.view(func(tx store.Tx) error {
			want, err = s.loadKey(tx, ref, r.Now)
			return err
		}); err != nil {
			return nil, nil, err
		}
		if want.ID != k.ID {
			// https://docs.aws.amazon.com/kms/latest/APIReference/API_Decrypt.html#API_Decrypt_Errors
			return nil, nil, kmsErr("IncorrectKeyException", "The key ID in the request does not identify a CMK that can perform this operation.")
		}
	}
	if k.State == model.KeyPendingDeletion && !r.Now.Before(k.DeletionDate) {
		return nil, nil, errInvalidCiphertext()
	}
	if err := r.authorize(&inputs.KMSRequest{Action: action, Key: k, KeyARN: keyARN(k), ViaService: via, EncryptionContext: ec}); err != nil {
		return nil, nil, err
	}
	if err := usable(k); err != nil {
		return nil, nil, err
	}
	p, err := s.keys.Open(blob, k.Material, ec)
	if err != nil {
		return nil, nil, errInvalidCiphertext()
	}
	return p, k, nil
}

func (s *Service) decrypt(r *request) (any, error) {
	var in struct {
		CiphertextBlob      []byte            `json:"CiphertextBlob"`
		EncryptionContext   map[string]string `json:"EncryptionContext"`
		GrantTokens         []string          `json:"GrantTokens"`
		KeyId               string            `json:"KeyId"`
		EncryptionAlgorithm string            `json:"EncryptionAlgorithm"`
	}
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	if in.CiphertextBlob == nil {
		return nil, awsjson.ValidationException(awsjson.NotNull("ciphertextBlob"))
	}
	if err := lengthViolation("ciphertextBlob", len(in.CiphertextBlob), 1, maxCiphertext, false); err != nil {
		return nil, err
	}
	if err := checkAlgorithm(in.EncryptionAlgorithm); err != nil {
		return nil, err
	}
	p, k, err := s.openBlob(r.Call, in.CiphertextBlob, in.EncryptionContext, in.KeyId, "kms:Decrypt", "")
	if err != nil {
		return nil, err
	}
	return struct {
		KeyId               string `json:"KeyId"`
		Plaintext           []byte `json:"Plaintext"`
		EncryptionAlgorithm string `json:"EncryptionAlgorithm"`
	}{keyARN(k), p, "SYMMETRIC_DEFAULT"}, nil
}

type dataKeyInput struct {
	KeyId             string            `json:"KeyId"`
	EncryptionContext map[string]string `json:"EncryptionContext"`
	NumberOfBytes     *int              `json:"NumberOfBytes"`
	KeySpec           string            `json:"KeySpec"`
	GrantTokens       []string          `json:"GrantTokens"`
}

// size is the data key length in bytes.
// https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKey.html
func (in *dataKeyInput) size() (int, error) {
	switch {
	case in.NumberOfBytes != nil && in.KeySpec != "", in.NumberOfBytes == nil && in.KeySpec == "":
		return 0, errValidation("Please specify either number of bytes or key spec.")
	case in.NumberOfBytes != nil:
		n := *in.NumberOfBytes
		if n < 1 || n > 1024 {
			c := "Member must have value greater than or equal to 1"
			if n > 1024 {
				c = "Member must have value less than or equal to 1024"
			}
			return 0, awsjson.ValidationException(awsjson.Violation{Member: "numberOfBytes", Value: strconv.Itoa(n), Constraint: c})
		}
		return n, nil
	case in.KeySpec == "AES_256":
		return 32, nil
	case in.KeySpec == "AES_128":
		return 16, nil
	}
	return 0, awsjson.ValidationException(awsjson.Violation{Member: "keySpec", Value: in.KeySpec, Constraint: "Member must satisfy enum value set: [AES_256, AES_128]"})
}

// GenerateDataKeyFor makes a data key of n bytes under keyID for the call's
// caller, authorized as kms:GenerateDataKey with kms:ViaService = via (""
// for a direct call). It returns the plaintext key, its ciphertext blob and
// the key's ARN; errors are KMS's (*awserr.Error).
func (s *Service) GenerateDataKeyFor(c *service.Call, keyID string, n int, ec map[string]string, via string) (plaintext, blob []byte, keyARN string, err error) {
	return s.generate(c, keyID, n, ec, via, "kms:GenerateDataKey")
}

func (s *Service) generate(c *service.Call, keyID string, n int, ec map[string]string, via, action string) ([]byte, []byte, string, error) {
	k, err := s.useKey(c, keyID, action, via, ec)
	if err != nil {
		return nil, nil, "", err
	}
	p := make([]byte, n)
	_, _ = rand.Read(p)
	blob, err := s.keys.Seal(k.ID, k.Material, p, ec)
	if err != nil {
		return nil, nil, "", err
	}
	return p, blob, KeyARN(k.Region, k.Account, k.ID), nil
}

// DecryptFor opens a ciphertext blob for the call's caller, authorized as
// kms:Decrypt with kms:ViaService = via. It returns the plaintext and the
// ARN of the key.
func (s *Service) DecryptFor(c *service.Call, blob []byte, ec map[string]string, via string) ([]byte, string, error) {
	p, k, err := s.openBlob(c, blob, ec, "", "kms:Decrypt", via)
	if err != nil {
		return nil, "", err
	}
	return p, keyARN(k), nil
}

func (s *Service) generateDataKey(r *request) (any, error) {
	var in dataKeyInput
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	n, err := in.size()
	if err != nil {
		return nil, err
	}
	p, blob, arn, err := s.generate(r.Call, in.KeyId, n, in.EncryptionContext, "", "kms:GenerateDataKey")
	if err != nil {
		return nil, err
	}
	return struct {
		CiphertextBlob []byte `json:"CiphertextBlob"`
		Plaintext      []byte `json:"Plaintext"`
		KeyId          string `json:"KeyId"`
	}{blob, p, arn}, nil
}

func (s *Service) generateDataKeyWithoutPlaintext(r *request) (any, error) {
	var in dataKeyInput
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	n, err := in.size()
	if err != nil {
		return nil, err
	}
	_, blob, arn, err := s.generate(r.Call, in.KeyId, n, in.EncryptionContext, "", "kms:GenerateDataKeyWithoutPlaintext")
	if err != nil {
		return nil, err
	}
	return struct {
		CiphertextBlob []byte `json:"CiphertextBlob"`
		KeyId          string `json:"KeyId"`
	}{blob, arn}, nil
}

// reEncrypt needs kms:ReEncryptFrom on the source key and kms:ReEncryptTo
// on the destination key.
// https://docs.aws.amazon.com/kms/latest/APIReference/API_ReEncrypt.html
func (s *Service) reEncrypt(r *request) (any, error) {
	var in struct {
		CiphertextBlob               []byte            `json:"CiphertextBlob"`
		SourceEncryptionContext      map[string]string `json:"SourceEncryptionContext"`
		SourceKeyId                  string            `json:"SourceKeyId"`
		DestinationKeyId             string            `json:"DestinationKeyId"`
		DestinationEncryptionContext map[string]string `json:"DestinationEncryptionContext"`
		GrantTokens                  []string          `json:"GrantTokens"`
	}
	if err := r.decode(&in); err != nil {
		return nil, err
	}
	if in.CiphertextBlob == nil {
		return nil, awsjson.ValidationException(awsjson.NotNull("ciphertextBlob"))
	}
	if err := lengthViolation("ciphertextBlob", len(in.CiphertextBlob), 1, maxCiphertext, false); err != nil {
		return nil, err
	}
	if in.DestinationKeyId == "" {
		return nil, awsjson.ValidationException(awsjson.NotNull("destinationKeyId"))
	}
	p, src, err := s.openBlob(r.Call, in.CiphertextBlob, in.SourceEncryptionContext, in.SourceKeyId, "kms:ReEncryptFrom", "")
	if err != nil {
		return nil, err
	}
	dst, err := s.useKey(r.Call, in.DestinationKeyId, "kms:ReEncryptTo", "", in.DestinationEncryptionContext)
	if err != nil {
		return nil, err
	}
	blob, err := s.keys.Seal(dst.ID, dst.Material, p, in.DestinationEncryptionContext)
	if err != nil {
		return nil, err
	}
	return struct {
		CiphertextBlob                 []byte `json:"CiphertextBlob"`
		SourceKeyId                    string `json:"SourceKeyId"`
		KeyId                          string `json:"KeyId"`
		SourceEncryptionAlgorithm      string `json:"SourceEncryptionAlgorithm"`
		DestinationEncryptionAlgorithm string `json:"DestinationEncryptionAlgorithm"`
	}{blob, keyARN(src), keyARN(dst), "SYMMETRIC_DEFAULT", "SYMMETRIC_DEFAULT"}, nil
}

// UnwrapDataKey opens a data key blob for S3's own use, without a decision:
// S3 holds the data key of a multipart upload while its parts arrive (each
// part is authorized separately with GenerateDataKeyFor).
func (s *Service) UnwrapDataKey(c *service.Call, blob []byte, ec map[string]string) ([]byte, error) {
	id, err := BlobKeyID(blob)
	if err != nil {
		return nil, errInvalidCiphertext()
	}
	var k *model.KMSKey
	if err := c.Store.View(c.HTTP.Context(), func(tx store.Tx) error {
		k, err = state.KMSKey(tx, id)
		return err
	}); err != nil {
		return nil, errInvalidCiphertext()
	}
	p, err := s.keys.Open(blob, k.Material, ec)
	if err != nil {
		return nil, errInvalidCiphertext()
	}
	return p, nil
}
