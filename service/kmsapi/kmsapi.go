// Package kmsapi is verdict's AWS KMS over the JSON 1.1 protocol
// (TrentService): symmetric keys with real key material, key policies
// evaluated by the engine (authz.KeyPolicy), grants, aliases, tags, and the
// cryptographic operations. Ciphertext blobs are sealed with AES-256-GCM
// under the key's material, with the encryption context as additional
// authenticated data, so only this server (its master key) can open them.
// https://docs.aws.amazon.com/kms/latest/APIReference/Welcome.html
//
// S3 uses the same code paths through GenerateDataKeyFor and DecryptFor,
// which authorize as the caller with kms:ViaService set.
package kmsapi

import (
	"context"
	"errors"
	"net/http"

	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/inputs"
	"github.com/verdict-project/verdict/protocol/awserr"
	"github.com/verdict-project/verdict/protocol/awsjson"
	"github.com/verdict-project/verdict/service"
	"github.com/verdict-project/verdict/store"
)

// TargetPrefix is the X-Amz-Target service name of KMS.
const TargetPrefix = "TrentService"

// Service serves KMS.
type Service struct {
	keys *Keyring
}

// New returns the KMS service over a 32-byte master key (see LoadMasterKey).
func New(master []byte) (*Service, error) {
	k, err := NewKeyring(master)
	if err != nil {
		return nil, err
	}
	return &Service{keys: k}, nil
}

// Keyring returns the service's keyring (S3 wraps SSE-S3 data keys with it).
func (s *Service) Keyring() *Keyring { return s.keys }

type op func(s *Service, r *request) (any, error)

var ops = map[string]op{
	"CreateKey":                       (*Service).createKey,
	"DescribeKey":                     (*Service).describeKey,
	"ListKeys":                        (*Service).listKeys,
	"GetKeyPolicy":                    (*Service).getKeyPolicy,
	"PutKeyPolicy":                    (*Service).putKeyPolicy,
	"ListKeyPolicies":                 (*Service).listKeyPolicies,
	"CreateAlias":                     (*Service).createAlias,
	"ListAliases":                     (*Service).listAliases,
	"DeleteAlias":                     (*Service).deleteAlias,
	"EnableKey":                       (*Service).enableKey,
	"DisableKey":                      (*Service).disableKey,
	"ScheduleKeyDeletion":             (*Service).scheduleKeyDeletion,
	"CancelKeyDeletion":               (*Service).cancelKeyDeletion,
	"Encrypt":                         (*Service).encrypt,
	"Decrypt":                         (*Service).decrypt,
	"GenerateDataKey":                 (*Service).generateDataKey,
	"GenerateDataKeyWithoutPlaintext": (*Service).generateDataKeyWithoutPlaintext,
	"ReEncrypt":                       (*Service).reEncrypt,
	"CreateGrant":                     (*Service).createGrant,
	"ListGrants":                      (*Service).listGrants,
	"RetireGrant":                     (*Service).retireGrant,
	"RevokeGrant":                     (*Service).revokeGrant,
	"TagResource":                     (*Service).tagResource,
	"UntagResource":                   (*Service).untagResource,
	"ListResourceTags":                (*Service).listResourceTags,
}

// request is one KMS call being served.
type request struct {
	*service.Call
	ctx context.Context
}

// ServeAWS implements server.Handler.
func (s *Service) ServeAWS(w http.ResponseWriter, c *service.Call) {
	t, err := awsjson.ParseTarget(c.HTTP)
	if err != nil {
		awserr.WriteJSON(w, awserr.As(err), c.RequestID)
		return
	}
	f, ok := ops[t.Operation]
	if !ok || t.Service != TargetPrefix {
		awserr.WriteJSON(w, awsjson.UnknownOperation(), c.RequestID)
		return
	}
	if c.Caller == nil || c.Caller.Principal.Type == authz.Anonymous {
		awserr.WriteJSON(w, awserr.New("MissingAuthenticationTokenException", http.StatusBadRequest,
			"Missing Authentication Token"), c.RequestID)
		return
	}
	r := &request{Call: c, ctx: c.HTTP.Context()}
	out, err := f(s, r)
	if err != nil {
		var ae *awserr.Error
		if !errors.As(err, &ae) {
			ae = awserr.New("KMSInternalException", http.StatusInternalServerError, "")
		}
		awserr.WriteJSON(w, ae, c.RequestID)
		return
	}
	if err := awsjson.WriteResponse(w, out, c.RequestID); err != nil {
		awserr.WriteJSON(w, awserr.New("KMSInternalException", http.StatusInternalServerError, ""), c.RequestID)
	}
}

func (r *request) decode(v any) error {
	return awsjson.Decode(r.HTTP.Body, 0, v)
}

func (r *request) view(fn func(store.Tx) error) error   { return r.Store.View(r.ctx, fn) }
func (r *request) update(fn func(store.Tx) error) error { return r.Store.Update(r.ctx, fn) }

// authorize asks the engine as the caller and returns KMS's
// AccessDeniedException when it refuses. KMS names the key ARN without
// quotes: "User: ARN is not authorized to perform: kms:Decrypt on resource:
// KEY-ARN because no resource-based policy allows the kms:Decrypt action".
// https://docs.aws.amazon.com/kms/latest/developerguide/troubleshooting-key-policies.html
func (r *request) authorize(kr *inputs.KMSRequest) error {
	if kr.Context == nil {
		kr.Context = r.BaseContext()
	}
	req, in, err := r.Compiler.KMS(r.Caller, kr)
	if err != nil {
		return err
	}
	d := r.Decide(req, in)
	if d.Allowed {
		return nil
	}
	return errAccessDenied(denialMessage(req, &d))
}

// denialMessage words a denial as KMS does; where the engine has no
// enhanced reason it still names principal, action and resource.
func denialMessage(req *authz.Request, d *authz.Decision) string {
	msg := d.Message(req)
	if msg == "" || msg == "Access Denied" {
		msg = "User: " + req.Principal.ARN + " is not authorized to perform: " + req.Action
		if req.Resource != "" && req.Resource != "*" {
			msg += " on resource: " + req.Resource
		}
	}
	return msg
}
