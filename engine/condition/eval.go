package condition

// Evaluation rules, from the condition-operators, Condition element and
// multivalued-condition pages:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html
//
//   - Entries (operators, and keys under one operator) are ANDed; the policy
//     values of one key are ORed; for a negated operator they are NORed (the
//     request value must match none of them).
//   - Absent key: a positive operator does not match, a negated one
//     (StringNotEquals, StringNotLike, NumericNotEquals, DateNotEquals,
//     NotIpAddress, ArnNotEquals, ArnNotLike, and the IgnoreCase forms) does.
//   - ...IfExists: an absent key matches; a present key is evaluated
//     normally. This applies with a set qualifier too (UNCONFIRMED: one
//     third-party simulator reports that real IAM ignores IfExists under
//     ForAnyValue; the AWS pages state the rule without exception).
//   - ForAllValues: every request value must match at least one policy value
//     (for a negated operator: none); true when the key is absent or has no
//     values.
//   - ForAnyValue: at least one request value must match at least one policy
//     value (for a negated operator: at least one must match none); false when
//     the key is absent or has no values.
//   - Null: see null.go.
//
// Choices where AWS documents nothing (UNCONFIRMED, written down here):
//
//   - A key present with an empty set of values is treated exactly as an
//     absent key, by every operator: the multivalued page equates "no keys in
//     the request" with a key that "resolves to a null data set". A set holding
//     one empty string is not empty.
//   - A positive operator without a set qualifier on a multivalued request key
//     behaves as ForAnyValue: it matches when any request value matches any
//     policy value.
//   - A negated operator without a set qualifier is the exact complement of
//     its positive form: it matches when no request value matches any policy
//     value. For single-valued keys all readings agree; for multivalued keys
//     this keeps "StringNotEquals" meaning "not StringEquals".
//   - A request value the operator cannot read (not a number, a date, an IP
//     address, a boolean) matches no policy value.
//   - An entry with an empty list of policy values: nothing can match, so a
//     positive operator does not match and a negated one does.

// Eval reports whether every entry of the block matches ctx. It does not
// allocate for the common operators against a Map. A nil block matches; a
// nil ctx has no keys.
func (b *Block) Eval(ctx Context) bool {
	if b == nil {
		return true
	}
	if ctx == nil {
		ctx = Map(nil)
	}
	for i := range b.entries {
		if !b.entries[i].eval(ctx) {
			return false
		}
	}
	return true
}

// Result is the outcome of one entry, for explanations such as
// "aws:SourceVpce was absent; the statement requires vpce-1a2b".
type Result struct {
	// Entry is the entry as written.
	Entry Entry
	// Key is Entry.Key lower-cased, as looked up in the Context.
	Key string
	// Operator is Entry.Operator without qualifier or IfExists suffix, e.g.
	// "StringNotEquals".
	Operator string
	// Qualifier is "ForAllValues", "ForAnyValue" or "".
	Qualifier string
	// IfExists and Negated describe the operator.
	IfExists, Negated bool
	// Present is whether the request carried the key with at least one value;
	// an empty set of values counts as absent.
	Present bool
	// Actual is the request's values for the key (nil when absent).
	Actual []string
	// Matched is whether the entry matched.
	Matched bool
	// Expanded holds the policy values after policy-variable substitution,
	// parallel to Entry.Values, with "" for a value that could not be
	// resolved. It is nil when the entry has no variables.
	Expanded []string
	// Unresolved lists the policy values (as written) whose variables the
	// request could not resolve; such a value matches no request value.
	Unresolved []string
}

// Trace evaluates every entry (no short-circuit) and returns each outcome in
// document order, with the same overall result as Eval.
func (b *Block) Trace(ctx Context) (bool, []Result) {
	if b == nil {
		return true, nil
	}
	if ctx == nil {
		ctx = Map(nil)
	}
	all := true
	out := make([]Result, len(b.entries))
	for i := range b.entries {
		e := &b.entries[i]
		vals, ok := ctx.Value(e.key)
		r := Result{
			Entry:     e.src,
			Key:       e.key,
			Operator:  e.op.name,
			Qualifier: e.qual.String(),
			IfExists:  e.ifExists,
			Negated:   e.op.neg,
			Present:   ok && len(vals) > 0,
			Matched:   e.eval(ctx),
		}
		if ok {
			r.Actual = vals
		}
		if e.vars {
			r.Expanded = make([]string, len(e.vals))
			for j := range e.vals {
				v := &e.vals[j]
				if v.pieces == nil {
					r.Expanded[j] = v.raw
					continue
				}
				p, ok := resolve(v.pieces, ctx, nil)
				if !ok {
					r.Unresolved = append(r.Unresolved, v.raw)
					continue
				}
				r.Expanded[j] = render(p)
			}
		}
		all = all && r.Matched
		out[i] = r
	}
	return all, out
}

// eval evaluates one entry.
func (e *entry) eval(ctx Context) bool {
	vals, ok := ctx.Value(e.key)
	present := ok && len(vals) > 0
	if e.op.fam == famNull {
		return matchNull(e.vals, present)
	}
	if !present {
		switch {
		case e.ifExists:
			return true
		case e.qual == qualForAllValues:
			return true
		case e.qual == qualForAnyValue:
			return false
		}
		return e.op.neg
	}
	switch e.qual {
	case qualForAllValues:
		for _, r := range vals {
			if e.anyMatch(r, ctx) == e.op.neg {
				return false
			}
		}
		return true
	case qualForAnyValue:
		for _, r := range vals {
			if e.anyMatch(r, ctx) != e.op.neg {
				return true
			}
		}
		return false
	}
	for _, r := range vals {
		if e.anyMatch(r, ctx) {
			return !e.op.neg
		}
	}
	return e.op.neg
}

// anyMatch reports whether request value req matches at least one policy
// value under the entry's base comparison (ignoring negation).
func (e *entry) anyMatch(req string, ctx Context) bool {
	switch e.op.fam {
	case famString:
		for i := range e.vals {
			if matchString(e.op.cmp, &e.vals[i], req, ctx) {
				return true
			}
		}
	case famARN:
		for i := range e.vals {
			if matchARN(&e.vals[i], req, ctx) {
				return true
			}
		}
	case famNumeric:
		n, ok := parseDecimal(req)
		if !ok {
			return false
		}
		for i := range e.vals {
			if ordered(e.op.cmp, compareDecimal(n, e.vals[i].num)) {
				return true
			}
		}
	case famDate:
		t, ok := parseDate(req)
		if !ok {
			return false
		}
		for i := range e.vals {
			if ordered(e.op.cmp, compareInstant(t, e.vals[i].at)) {
				return true
			}
		}
	case famBool:
		b, ok := parseBool(req)
		if !ok {
			return false
		}
		for i := range e.vals {
			if matchBool(&e.vals[i], b, ctx) {
				return true
			}
		}
	case famIP:
		a, ok := parseRequestAddr(req)
		if !ok {
			return false
		}
		for i := range e.vals {
			if e.vals[i].ip.Contains(a) {
				return true
			}
		}
	case famBinary:
		for i := range e.vals {
			if e.vals[i].text == req {
				return true
			}
		}
	}
	return false
}
