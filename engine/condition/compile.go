package condition

import (
	"net/netip"
	"strconv"
	"strings"
)

// Block is a compiled Condition element: its entries checked, keys
// lower-cased and policy values parsed once, ready to be evaluated many
// times. A nil *Block is an absent Condition element and always matches.
type Block struct {
	entries []entry
}

// entry is one compiled operator/key pair.
type entry struct {
	src      Entry
	key      string // lower-cased
	op       opInfo
	qual     qualifier
	ifExists bool
	// vars is set when at least one value holds a policy variable.
	vars bool
	vals []value
}

// value is one compiled policy value; which fields are set depends on the
// operator family.
type value struct {
	raw string
	// pieces holds the value cut around its policy variables (String, ARN and
	// Bool operators with variables enabled); nil when there are none.
	pieces []piece
	// text is the String or ARN value, or the decoded bytes of a Binary one.
	text string
	num  decimal
	at   instant
	ip   netip.Prefix
	// b is the Bool value, or for Null whether the key must be absent.
	b bool
}

// Compile checks and compiles entries, kept in document order. variables
// enables ${...} policy variables, which only policy Version 2012-10-17
// interprets; otherwise they are literal text.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
//
// Errors are *Error: an unknown operator or set qualifier, Null with
// IfExists or a qualifier, an empty key, or a policy value that the operator
// cannot read (number, date, IP range, base64, boolean). Policy variables
// are honoured only with String, ARN and Bool operators; with the other
// families they stay literal text and so fail to parse, which Compile
// reports as such.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-conditionelement
func Compile(entries []Entry, variables bool) (*Block, error) {
	b := &Block{entries: make([]entry, 0, len(entries))}
	for _, src := range entries {
		e, err := compileEntry(src, variables)
		if err != nil {
			return nil, err
		}
		b.entries = append(b.entries, e)
	}
	return b, nil
}

func compileEntry(src Entry, variables bool) (entry, error) {
	op, q, ifExists, err := parseOperator(src)
	if err != nil {
		return entry{}, err
	}
	if src.Key == "" {
		return entry{}, newError(ErrEmptyKey, src, "", "the condition key is empty")
	}
	// Condition key names are case-insensitive; the Context is queried in
	// lower case.
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
	e := entry{src: src, key: strings.ToLower(src.Key), op: op, qual: q, ifExists: ifExists}
	e.vals = make([]value, len(src.Values))
	for i, raw := range src.Values {
		v, err := compileValue(op, raw, variables)
		if err != nil {
			return entry{}, newError(ErrInvalidValue, src, raw, err.Error())
		}
		if v.pieces != nil {
			e.vars = true
		}
		e.vals[i] = v
	}
	return e, nil
}

// valueError is the message of an invalid policy value.
type valueError string

func (e valueError) Error() string { return string(e) }

func compileValue(op opInfo, raw string, variables bool) (value, error) {
	v := value{raw: raw}
	withVars := variables && hasVariable(raw)
	switch op.fam {
	case famString, famARN:
		if withVars {
			v.pieces = tokenize(raw, op.cmp == cmpLike, nil)
			lowerKeys(v.pieces)
		}
		v.text = raw
		return v, nil
	case famBool:
		if withVars {
			v.pieces = tokenize(raw, false, nil)
			lowerKeys(v.pieces)
			return v, nil
		}
		b, ok := parseBool(raw)
		if !ok {
			return v, invalid(op, raw, variables, `Bool takes "true" or "false"`)
		}
		v.b = b
		return v, nil
	case famNull:
		b, ok := parseBool(raw)
		if !ok {
			return v, invalid(op, raw, variables, `Null takes "true" (the key is absent) or "false" (the key is present)`)
		}
		v.b = b
		return v, nil
	case famNumeric:
		d, ok := parseDecimal(raw)
		if !ok {
			return v, invalid(op, raw, variables, "Numeric operators take an integer or a decimal number")
		}
		v.num = d
		return v, nil
	case famDate:
		t, ok := parseDate(raw)
		if !ok {
			return v, invalid(op, raw, variables, "Date operators take a W3C ISO 8601 date such as 2020-01-01T00:00:00Z, or epoch seconds")
		}
		v.at = t
		return v, nil
	case famIP:
		p, ok := parsePrefix(raw)
		if !ok {
			return v, invalid(op, raw, variables, "IP address operators take an IPv4 or IPv6 address or CIDR range such as 203.0.113.0/24 or 2001:DB8:1234:5678::/64")
		}
		v.ip = p
		return v, nil
	}
	// famBinary
	b, ok := decodeBinary(raw)
	if !ok {
		return v, invalid(op, raw, variables, "BinaryEquals takes a base64-encoded value")
	}
	v.text = b
	return v, nil
}

// invalid builds the message for a value that does not parse, pointing out
// policy variables, which these operators do not accept.
func invalid(op opInfo, raw string, variables bool, want string) error {
	msg := strconv.Quote(raw) + " is not a valid value: " + want
	if hasVariable(raw) {
		if op.fam == famBool && !variables {
			msg += "; policy variables are literal text unless the policy Version is 2012-10-17"
		} else {
			msg += "; policy variables cannot be used with " + op.fam.String() + " operators"
		}
	}
	return valueError(msg)
}

// Keys returns the lower-cased condition keys the block tests, each once, in
// document order.
func (b *Block) Keys() []string {
	if b == nil {
		return nil
	}
	var out []string
	seen := make(map[string]bool)
	for i := range b.entries {
		if k := b.entries[i].key; !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

// VariableKeys returns the lower-cased context keys that the block's policy
// variables refer to, each once, in document order.
func (b *Block) VariableKeys() []string {
	if b == nil {
		return nil
	}
	var out []string
	seen := make(map[string]bool)
	for i := range b.entries {
		for _, v := range b.entries[i].vals {
			for _, p := range v.pieces {
				if p.kind == pieceVar && !seen[p.text] {
					seen[p.text] = true
					out = append(out, p.text)
				}
			}
		}
	}
	return out
}

// Len returns the number of entries in the block.
func (b *Block) Len() int {
	if b == nil {
		return 0
	}
	return len(b.entries)
}
