package explain

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/verdict-project/verdict/engine/trace"
)

// FuzzExplain explains mutated records: a scenario's record (picked by
// pick) overlaid with the fuzzer's JSON, then one field (picked by field)
// set to the fuzzer's string. Explain and both writers must not panic, and
// the JSON must follow the documented schema.
func FuzzExplain(f *testing.F) {
	files, cases := scenarios(f)
	var bases [][]byte
	for _, file := range files {
		r := scenarioRecord(f, scenarioName(file), cases[file], true)
		b, err := json.Marshal(r)
		if err != nil {
			f.Fatal(err)
		}
		bases = append(bases, b)
	}
	f.Add([]byte(nil), uint8(0), uint8(0), "")
	f.Add([]byte(`{"layer":"scp","effect":"implicit-deny","allowed":false}`), uint8(3), uint8(5), "vpce-1")
	f.Add([]byte(`{"trace":{"stages":[null,{"layer":"identity","policies":[null,{"statements":[null]}]}]}}`), uint8(1), uint8(9), "x")
	f.Fuzz(func(t *testing.T, overlay []byte, pick, field uint8, value string) {
		var r Record
		if err := json.Unmarshal(bases[int(pick)%len(bases)], &r); err != nil {
			t.Fatal(err)
		}
		if len(overlay) > 0 {
			// A failed overlay leaves a partly overlaid record: still a
			// record to explain.
			_ = json.Unmarshal(overlay, &r)
		}
		mutate(&r, field, value)
		e := Explain(&r)
		var txt, js bytes.Buffer
		if err := WriteText(&txt, e, TextOptions{Verbose: field%2 == 0}); err != nil {
			t.Fatal(err)
		}
		if err := WriteJSON(&js, e); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(txt.String(), "DENIED") && !strings.HasPrefix(txt.String(), "ALLOWED") {
			t.Fatalf("text starts %q", firstLine(txt.String()))
		}
		checkSchema(t, js.Bytes())
	})
}

// mutate sets one field of r, chosen by field, to value.
func mutate(r *Record, field uint8, value string) {
	st := firstStatement(r.Trace)
	switch field % 20 {
	case 0:
		r.Principal = value
	case 1:
		r.Action = value
	case 2:
		r.Resource = value
	case 3:
		r.Layer = value
	case 4:
		r.Effect = value
	case 5:
		r.PrincipalType = value
	case 6:
		r.ResourceAccount = value
	case 7:
		r.Account = value
	case 8:
		r.RoleARN = value
	case 9:
		r.Trace = nil
	case 10:
		r.Allowed = !r.Allowed
	case 11:
		if len(r.Statements) > 0 {
			r.Statements[0].Policy = value
		}
	case 12:
		if st != nil {
			st.Effect = value
		}
	case 13:
		if st != nil {
			st.Matched = !st.Matched
		}
	case 14:
		if st != nil && len(st.Elements) > 0 && st.Elements[0] != nil {
			st.Elements[0].Name = value
			st.Elements[0].Matched = !st.Elements[0].Matched
		}
	case 15:
		if c := firstCondition(st); c != nil {
			c.Operator = value
		}
	case 16:
		if c := firstCondition(st); c != nil {
			c.Want = strings.Split(value, ",")
			c.Present = !c.Present
		}
	case 17:
		r.Bucket, r.Key = value, value
	case 18:
		r.EndpointID, r.KeyARN = value, value
	case 19:
		r.OrgPath = strings.Split(value, "/")
		r.ResourceOrgPath = r.OrgPath
	}
}

func firstStatement(tr *trace.Trace) *trace.Statement {
	if tr == nil {
		return nil
	}
	for _, s := range tr.Stages {
		if s == nil {
			continue
		}
		for _, p := range s.Policies {
			if p != nil && len(p.Statements) > 0 {
				return p.Statements[0]
			}
		}
	}
	return nil
}

func firstCondition(st *trace.Statement) *trace.Condition {
	if st == nil {
		return nil
	}
	for _, el := range st.Elements {
		if el != nil && len(el.Conditions) > 0 {
			return &el.Conditions[0]
		}
	}
	return nil
}
