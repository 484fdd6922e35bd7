package policy

import (
	"errors"
	"strconv"
	"unicode/utf8"

	"github.com/verdict-project/verdict/engine/condition"
)

// Kind is the kind of policy document being validated: it decides which
// service's rules, error codes and wording apply.
type Kind uint8

// The policy kinds.
const (
	// Identity is an IAM identity-based policy: inline (user, role, group) or
	// managed, and a permissions boundary (a managed policy).
	Identity Kind = iota + 1
	// Trust is an IAM role trust policy.
	Trust
	// Session is an STS session policy passed to AssumeRole*,
	// GetFederationToken.
	Session
	// Bucket is an S3 bucket policy.
	Bucket
	// Key is a KMS key policy.
	Key
	// SCP is an Organizations service control policy.
	SCP
	// RCP is an Organizations resource control policy.
	RCP
	// Endpoint is a VPC endpoint policy (EC2).
	Endpoint
)

var kindNames = [...]string{"?", "identity", "trust", "session", "bucket", "key", "scp", "rcp", "endpoint"}

// String returns the kind's lower-case name ("identity", "bucket", ...).
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "?"
}

// Holder is where an identity policy is stored; it decides IAM's size quota.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entity-length
type Holder uint8

// The holders of identity policies.
const (
	// Managed is a managed policy, also used as a permissions boundary:
	// 6,144 characters.
	Managed Holder = iota
	// InlineUser: the inline policies of a user share 2,048 characters.
	InlineUser
	// InlineRole: the inline policies of a role share 10,240 characters.
	InlineRole
	// InlineGroup: the inline policies of a group share 5,120 characters.
	InlineGroup
)

// Options carries what validation needs beyond the document. The engine
// cannot see storage, so existence checks come in as a callback.
type Options struct {
	// Holder and HolderName say where an Identity policy goes (size quota
	// and the entity named in IAM's LimitExceeded message).
	Holder     Holder
	HolderName string
	// InlineUsed is the size, as IAM counts it, of the holder's other inline
	// policies: the quota is on their sum.
	InlineUsed int
	// TrustLimit is the account's role trust policy quota; 0 means the
	// default 2,048 characters (it can be raised to 4,096).
	TrustLimit int
	// Bucket is the bucket a Bucket policy is for.
	Bucket string
	// Account is the 12-digit ID of the account that owns the policy.
	Account string
	// Partition of the ARNs the policy may name; "" means "aws".
	Partition string
	// PrincipalExists, when set, reports whether an AWS principal named in
	// a Principal element (account ID, IAM user or role ARN, ...) exists.
	// IAM (trust policies), S3 and KMS refuse principals that do not.
	PrincipalExists func(principal string) bool
	// AWSManaged marks a policy that AWS itself writes (the RCPFullAWSAccess
	// RCP), exempt from the rules on customer policies.
	AWSManaged bool
}

// ValidationError is the refusal of a policy document, carrying the code,
// HTTP status and message text that the owning service answers with.
type ValidationError struct {
	// Code is the service's error code, e.g. "MalformedPolicy" (S3),
	// "MalformedPolicyDocument" (IAM, STS), "MalformedPolicyDocumentException"
	// (KMS, Organizations), "LimitExceeded" (IAM), "InvalidPolicyDocument" (EC2).
	Code string
	// Message is the service's message text.
	Message string
	// Status is the HTTP status code.
	Status int
	// Reason is the ConstraintViolationException reason (Organizations only).
	Reason string
	// Statement is the index of the statement concerned, or -1.
	Statement int
	// Pos is the byte offset in the document of the element concerned, and
	// Line and Col its 1-based position; all 0 when not known.
	Pos, Line, Col int
	// Err is the underlying error: a parse *Error or a condition compile
	// error, when one caused the refusal.
	Err error
}

// Error returns the code and the message.
func (e *ValidationError) Error() string { return e.Code + ": " + e.Message }

// Unwrap returns the underlying error.
func (e *ValidationError) Unwrap() error { return e.Err }

// AsValidationError returns err as a *ValidationError, if it is one.
func AsValidationError(err error) (*ValidationError, bool) {
	var ve *ValidationError
	ok := errors.As(err, &ve)
	return ve, ok
}

// Validate parses data and applies the rules of the service that stores a
// policy of the given kind. On success it returns the parsed policy; on
// failure a *ValidationError worded as that service words it.
//
// Rules that need storage (does a principal exist) go through opt; rules
// that depend on the caller (KMS's lockout safety check, S3 Block Public
// Access) are the service's job (see IsPublic).
func Validate(data []byte, kind Kind, opt Options) (*Policy, error) {
	if opt.Partition == "" {
		opt.Partition = "aws"
	}
	v := &validator{data: data, kind: kind, opt: opt}
	var err *ValidationError
	switch kind {
	case Identity, Session:
		err = v.identity()
	case Trust:
		err = v.trust()
	case Bucket:
		err = v.bucket()
	case Key:
		err = v.key()
	case SCP, RCP:
		err = v.organizations()
	case Endpoint:
		err = v.endpoint()
	default:
		return nil, &ValidationError{Code: "InvalidKind", Message: "unknown policy kind " + strconv.Itoa(int(kind)), Status: 500, Statement: -1}
	}
	if err != nil {
		if err.Pos > 0 {
			err.Line, err.Col = lineCol(data, err.Pos)
		}
		return nil, err
	}
	return v.p, nil
}

// validator holds one validation.
type validator struct {
	data []byte
	kind Kind
	opt  Options
	p    *Policy
	// perr is the structural error Parse returned, if any.
	perr *Error
}

// parse runs Parse once and keeps its result.
func (v *validator) parse() {
	p, err := Parse(v.data)
	if err != nil {
		pe, _ := AsError(err)
		v.perr = pe
		return
	}
	v.p = p
}

// fail builds an error for statement stmt (-1 for none) at byte offset pos.
func fail(code string, status int, msg string, stmt, pos int) *ValidationError {
	return &ValidationError{Code: code, Message: msg, Status: status, Statement: stmt, Pos: pos}
}

// withParse attaches the parse error's position and cause to e.
func (v *validator) withParse(e *ValidationError) *ValidationError {
	if v.perr != nil {
		e.Statement, e.Pos, e.Err = v.perr.Statement, v.perr.Pos, v.perr
	}
	return e
}

// conditionCode returns the condition compile error code behind a parse
// error, or "".
func conditionCode(pe *Error) condition.Code {
	var ce *condition.Error
	if pe != nil && errors.As(pe.Err, &ce) {
		return ce.Code
	}
	return ""
}

// isSpace reports whether b is JSON whitespace.
func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

// sizeNoSpace counts the characters of data other than whitespace, as IAM
// counts policy size: "IAM doesn't count white space when calculating the
// size of a policy against these quotas."
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entity-length
func sizeNoSpace(data []byte) int {
	n := 0
	for i := 0; i < len(data); {
		_, w := utf8.DecodeRune(data[i:])
		if !(w == 1 && isSpace(data[i])) {
			n++
		}
		i += w
	}
	return n
}

// sizeMinified counts the bytes of data without the whitespace between JSON
// tokens (whitespace inside strings counts), as S3 appears to count its
// 20 KB bucket policy limit (observed in
// https://github.com/MIT-LCP/physionet-build/issues/2094).
func sizeMinified(data []byte) int {
	n, inString, escaped := 0, false, false
	for _, b := range data {
		switch {
		case inString:
			n++
			switch {
			case escaped:
				escaped = false
			case b == '\\':
				escaped = true
			case b == '"':
				inString = false
			}
		case isSpace(b):
		default:
			n++
			if b == '"' {
				inString = true
			}
		}
	}
	return n
}

// versionOf returns the top-level Version string of a document that is valid
// JSON, "" when absent or not a string.
func versionOf(data []byte) (string, bool) {
	root, err := parseJSON(data)
	if err != nil || root.kind != jsonObject {
		return "", false
	}
	for _, m := range root.members {
		if m.key == "Version" && m.val.kind == jsonString {
			return m.val.text, true
		}
	}
	return "", false
}

// effectCase reports whether a parse error is an Effect that differs from
// Allow or Deny only in case.
func effectCase(pe *Error) bool {
	return pe != nil && pe.Code == ErrInvalidElement && pe.Element == "Effect" &&
		(equalFoldASCII(pe.Value, "Allow") || equalFoldASCII(pe.Value, "Deny"))
}

func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// hasWildcard reports whether s has '*' or '?'.
func hasWildcard(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '*' || s[i] == '?' {
			return true
		}
	}
	return false
}

// HTTP statuses of validation errors. The engine does not import net/http
// (it is a pure library), so the two it needs are spelled out.
const (
	statusBadRequest = 400
	statusConflict   = 409
)
