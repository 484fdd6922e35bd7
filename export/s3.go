package export

import (
	"encoding/json"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/verdict-project/verdict/engine/acl"
	"github.com/verdict-project/verdict/model"
)

// EmptyETag is the ETag of an empty object (MD5 of nothing): imported
// objects have empty bodies, since exports hold no object data.
const EmptyETag = `"d41d8cd98f00b204e9800998ecf8427e"`

type aclJSON struct {
	Owner *struct {
		DisplayName string `json:"DisplayName"`
		ID          string `json:"ID"`
	} `json:"Owner"`
	Grants []struct {
		Grantee struct {
			DisplayName  string `json:"DisplayName"`
			ID           string `json:"ID"`
			Type         string `json:"Type"`
			URI          string `json:"URI"`
			EmailAddress string `json:"EmailAddress"`
		} `json:"Grantee"`
		Permission string `json:"Permission"`
	} `json:"Grants"`
}

// toACL checks and converts a get-bucket-acl / get-object-acl output.
// https://docs.aws.amazon.com/cli/latest/reference/s3api/get-bucket-acl.html
func (j *aclJSON) toACL(file string) (acl.ACL, error) {
	var out acl.ACL
	if j.Owner == nil || j.Owner.ID == "" {
		return out, &Error{File: file, Msg: "no Owner.ID"}
	}
	out.Owner = acl.Owner{ID: j.Owner.ID, DisplayName: j.Owner.DisplayName}
	for i, g := range j.Grants {
		p := acl.Permission(g.Permission)
		if !p.Valid() {
			return out, &Error{File: file, Msg: fmt.Sprintf("Grants[%d]: unknown Permission %q", i, g.Permission)}
		}
		ge := acl.Grantee{Type: acl.GranteeType(g.Grantee.Type), ID: g.Grantee.ID, DisplayName: g.Grantee.DisplayName,
			URI: g.Grantee.URI, Email: g.Grantee.EmailAddress}
		switch ge.Type {
		case acl.CanonicalUser:
			if ge.ID == "" {
				return out, &Error{File: file, Msg: fmt.Sprintf("Grants[%d]: CanonicalUser grantee without ID", i)}
			}
		case acl.Group:
			if ge.URI == "" {
				return out, &Error{File: file, Msg: fmt.Sprintf("Grants[%d]: Group grantee without URI", i)}
			}
		case acl.Email:
		default:
			return out, &Error{File: file, Msg: fmt.Sprintf("Grants[%d]: unknown grantee Type %q", i, g.Grantee.Type)}
		}
		out.Grants = append(out.Grants, acl.Grant{Grantee: ge, Permission: p})
	}
	return out, nil
}

// canonicalMap maps the canonical user IDs of the export (AWS's, opaque) to
// the accounts they belong to. AWS's IDs cannot be derived from account
// IDs, so they are learned from the owners of each account's buckets.
type canonicalMap map[string]string

// resolve rewrites the account's ACLs to verdict's canonical IDs and sets
// object owners.
func (c canonicalMap) resolve(a *Account) {
	fix := func(l *acl.ACL) {
		if acct, ok := c[l.Owner.ID]; ok {
			l.Owner.ID = model.CanonicalID(acct)
		}
		for i := range l.Grants {
			g := &l.Grants[i].Grantee
			if acct, ok := c[g.ID]; ok && g.Type == acl.CanonicalUser {
				g.ID = model.CanonicalID(acct)
			}
		}
	}
	for _, b := range a.Buckets {
		for _, o := range b.Objects {
			if acct, ok := c[o.Record.ACL.Owner.ID]; ok {
				o.Record.Owner = acct
			} else if o.HasACL {
				o.UnknownOwner = o.Record.ACL.Owner.ID
			}
			fix(&o.Record.ACL)
		}
		fix(&b.Record.ACL)
	}
}

func (r *reader) buckets(a *Account, canon canonicalMap) error {
	s3dir := path.Join(a.Dir, "s3")
	ents, err := r.list(s3dir)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		b, err := r.bucket(a, path.Join(s3dir, e.Name()), e.Name(), canon)
		if err != nil {
			return err
		}
		a.Buckets = append(a.Buckets, b)
	}
	return nil
}

func (r *reader) bucket(a *Account, dir, name string, canon canonicalMap) (*Bucket, error) {
	owner := acl.Owner{ID: model.CanonicalID(a.ID), DisplayName: a.ID}
	b := &Bucket{Dir: dir, Record: model.Bucket{Name: name, Owner: a.ID, Region: "us-east-1", Ownership: acl.ObjectWriter, ACL: acl.Private(owner)}}
	rec := &b.Record
	missing := func(f string) { b.Missing = append(b.Missing, f) }

	// get-bucket-policy prints the policy as a JSON string in Policy.
	// https://docs.aws.amazon.com/cli/latest/reference/s3api/get-bucket-policy.html
	var pol struct {
		Policy *string `json:"Policy"`
	}
	file := path.Join(dir, "policy.json")
	if ok, err := r.decode(file, &pol); err != nil {
		return nil, err
	} else if !ok {
		missing("policy.json")
	} else if pol.Policy != nil {
		doc, err := document(json.RawMessage(mustQuote(*pol.Policy)))
		if err != nil {
			return nil, &Error{File: file, Msg: "Policy", Err: err}
		}
		rec.Policy = doc
	}

	var aj aclJSON
	file = path.Join(dir, "acl.json")
	if ok, err := r.decode(file, &aj); err != nil {
		return nil, err
	} else if !ok {
		missing("acl.json")
	} else {
		l, err := aj.toACL(file)
		if err != nil {
			return nil, err
		}
		canon[l.Owner.ID] = a.ID
		rec.ACL = l
	}

	// https://docs.aws.amazon.com/cli/latest/reference/s3api/get-bucket-ownership-controls.html
	var own struct {
		OwnershipControls *struct {
			Rules []struct {
				ObjectOwnership string `json:"ObjectOwnership"`
			} `json:"Rules"`
		} `json:"OwnershipControls"`
	}
	file = path.Join(dir, "ownership.json")
	if ok, err := r.decode(file, &own); err != nil {
		return nil, err
	} else if !ok {
		missing("ownership.json")
	} else if own.OwnershipControls != nil {
		if len(own.OwnershipControls.Rules) != 1 {
			return nil, &Error{File: file, Msg: "OwnershipControls must have exactly one rule"}
		}
		o, valid := acl.ParseOwnership(own.OwnershipControls.Rules[0].ObjectOwnership)
		if !valid {
			return nil, &Error{File: file, Msg: fmt.Sprintf("unknown ObjectOwnership %q", own.OwnershipControls.Rules[0].ObjectOwnership)}
		}
		rec.Ownership = o
	}

	var pab struct {
		Config *pabJSON `json:"PublicAccessBlockConfiguration"`
	}
	file = path.Join(dir, "public-access-block.json")
	if ok, err := r.decode(file, &pab); err != nil {
		return nil, err
	} else if !ok {
		missing("public-access-block.json")
	} else if pab.Config != nil {
		rec.PublicAccess = pab.Config.block()
	}

	// https://docs.aws.amazon.com/cli/latest/reference/s3api/get-bucket-request-payment.html
	var pay struct {
		Payer string `json:"Payer"`
	}
	file = path.Join(dir, "request-payment.json")
	if ok, err := r.decode(file, &pay); err != nil {
		return nil, err
	} else if !ok {
		missing("request-payment.json")
	} else {
		switch pay.Payer {
		case "Requester":
			rec.RequesterPay = true
		case "BucketOwner", "":
		default:
			return nil, &Error{File: file, Msg: fmt.Sprintf("unknown Payer %q", pay.Payer)}
		}
	}

	var enc struct {
		Config *struct {
			Rules []struct {
				Default *struct {
					SSEAlgorithm   string `json:"SSEAlgorithm"`
					KMSMasterKeyID string `json:"KMSMasterKeyID"`
				} `json:"ApplyServerSideEncryptionByDefault"`
				BucketKeyEnabled bool `json:"BucketKeyEnabled"`
			} `json:"Rules"`
		} `json:"ServerSideEncryptionConfiguration"`
	}
	file = path.Join(dir, "encryption.json")
	if ok, err := r.decode(file, &enc); err != nil {
		return nil, err
	} else if ok && enc.Config != nil && len(enc.Config.Rules) > 0 && enc.Config.Rules[0].Default != nil {
		d := enc.Config.Rules[0].Default
		switch d.SSEAlgorithm {
		case "AES256", "aws:kms", "aws:kms:dsse":
		default:
			return nil, &Error{File: file, Msg: fmt.Sprintf("unknown SSEAlgorithm %q", d.SSEAlgorithm)}
		}
		rec.Encryption = &model.Encryption{Algorithm: d.SSEAlgorithm, KMSKeyID: d.KMSMasterKeyID, BucketKeyEnabled: enc.Config.Rules[0].BucketKeyEnabled}
	}

	// get-bucket-location prints null for us-east-1.
	// https://docs.aws.amazon.com/cli/latest/reference/s3api/get-bucket-location.html
	var loc struct {
		LocationConstraint *string `json:"LocationConstraint"`
	}
	if ok, err := r.decode(path.Join(dir, "location.json"), &loc); err != nil {
		return nil, err
	} else if ok && loc.LocationConstraint != nil && *loc.LocationConstraint != "" {
		rec.Region = *loc.LocationConstraint
	}
	if err := r.objects(b, path.Join(dir, "objects"), "", canon); err != nil {
		return nil, err
	}
	return b, nil
}

// mustQuote returns s as a JSON string literal.
func mustQuote(s string) []byte {
	q, _ := json.Marshal(s) // a string always marshals
	return q
}

// objects reads objects/<key>.acl.json and objects/<key>.head.json; keys
// with slashes are subdirectories.
func (r *reader) objects(b *Bucket, dir, prefix string, canon canonicalMap) error {
	ents, err := r.list(dir)
	if err != nil {
		return err
	}
	byKey := map[string]*Object{}
	var order []string
	get := func(key string) *Object {
		o := byKey[key]
		if o == nil {
			o = &Object{Record: model.Object{Bucket: b.Record.Name, Key: key, Owner: b.Record.Owner, ETag: EmptyETag,
				ACL: acl.Private(acl.Owner{ID: model.CanonicalID(b.Record.Owner), DisplayName: b.Record.Owner})}}
			byKey[key] = o
			order = append(order, key)
		}
		return o
	}
	for _, e := range ents {
		name := e.Name()
		file := path.Join(dir, name)
		if e.IsDir() {
			if err := r.objects(b, file, prefix+name+"/", canon); err != nil {
				return err
			}
			continue
		}
		switch {
		case strings.HasSuffix(name, ".acl.json"):
			o := get(prefix + strings.TrimSuffix(name, ".acl.json"))
			var aj aclJSON
			if _, err := r.decode(file, &aj); err != nil {
				return err
			}
			l, err := aj.toACL(file)
			if err != nil {
				return err
			}
			o.Record.ACL, o.HasACL = l, true
		case strings.HasSuffix(name, ".head.json"):
			o := get(prefix + strings.TrimSuffix(name, ".head.json"))
			// https://docs.aws.amazon.com/cli/latest/reference/s3api/head-object.html
			var h struct {
				ContentType          string            `json:"ContentType"`
				LastModified         string            `json:"LastModified"`
				Metadata             map[string]string `json:"Metadata"`
				ServerSideEncryption string            `json:"ServerSideEncryption"`
				SSEKMSKeyId          string            `json:"SSEKMSKeyId"`
				StorageClass         string            `json:"StorageClass"`
			}
			if _, err := r.decode(file, &h); err != nil {
				return err
			}
			o.HasHead = true
			o.Record.ContentType, o.Record.Metadata, o.Record.StorageClass = h.ContentType, h.Metadata, h.StorageClass
			if h.LastModified != "" {
				t, err := time.Parse(time.RFC3339, h.LastModified)
				if err != nil {
					return &Error{File: file, Msg: "LastModified", Err: err}
				}
				o.Record.LastModified = t.UTC()
			}
			if h.ServerSideEncryption != "" {
				o.Record.SSE = &model.ObjectSSE{Algorithm: h.ServerSideEncryption, KMSKeyARN: h.SSEKMSKeyId}
			}
		}
	}
	for _, k := range order {
		b.Objects = append(b.Objects, byKey[k])
	}
	return nil
}

// Object returns the exported object key of the bucket, or nil.
func (b *Bucket) Object(key string) *Object {
	for _, o := range b.Objects {
		if o.Record.Key == key {
			return o
		}
	}
	return nil
}
