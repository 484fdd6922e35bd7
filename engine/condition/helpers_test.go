package condition

import "testing"

// opCase is one single-entry evaluation case.
type opCase struct {
	name   string
	op     string
	key    string
	values []string
	vars   bool
	ctx    Map
	want   bool
}

// evalOne compiles one entry and evaluates it with both Eval and Trace,
// failing when they disagree.
func evalOne(t *testing.T, c opCase) bool {
	t.Helper()
	b, err := Compile([]Entry{{Operator: c.op, Key: c.key, Values: c.values}}, c.vars)
	if err != nil {
		t.Fatalf("Compile(%s %q %q): %v", c.op, c.key, c.values, err)
	}
	got := b.Eval(c.ctx)
	all, res := b.Trace(c.ctx)
	if all != got || len(res) != 1 || res[0].Matched != got {
		t.Fatalf("Eval = %v but Trace = %v %+v", got, all, res)
	}
	return got
}

func runCases(t *testing.T, cases []opCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := evalOne(t, c); got != c.want {
				t.Fatalf("%s %q %q against %v = %v, want %v", c.op, c.key, c.values, c.ctx, got, c.want)
			}
		})
	}
}

// one builds a context with single-valued keys from key, value pairs.
func one(kv ...string) Map {
	m := Map{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = []string{kv[i+1]}
	}
	return m
}

func vs(v ...string) []string { return v }
