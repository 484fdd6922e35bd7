package authz_test

import (
	"testing"

	"github.com/verdict-project/verdict/engine/authz"
	"github.com/verdict-project/verdict/engine/condition"
	"github.com/verdict-project/verdict/internal/corpus"
)

// FuzzTraceNeverChangesDecision takes a corpus case, mutates its request with
// the fuzzer's bytes (principal, action, resource, context values drawn from
// the whole corpus), and checks that deciding with the trace on gives exactly
// the decision made with it off. The trace evaluates every statement in full
// while the fast path uses the action index and short-circuits; this property
// is what lets the server re-decide a denial with tracing for the log.
func FuzzTraceNeverChangesDecision(f *testing.F) {
	files := loadCorpus(f)
	var actions, resources, principals []string
	var keys []string
	var values [][]string
	for _, file := range files {
		c := file.Case
		actions = append(actions, c.Request.Action)
		resources = append(resources, c.Request.Resource)
		principals = append(principals, c.Principal.ARN)
		ctx, _ := corpus.ContextMap(c.Request.Context)
		for k, v := range ctx {
			keys = append(keys, k)
			values = append(values, v)
		}
	}
	f.Add(uint16(0), uint16(1), uint16(2), uint16(3), uint16(4), uint8(0))
	f.Add(uint16(100), uint16(7), uint16(300), uint16(9), uint16(11), uint8(3))
	f.Fuzz(func(t *testing.T, ci, ai, ri, pi, ki uint16, mode uint8) {
		c := *files[int(ci)%len(files)].Case
		switch mode % 4 {
		case 1:
			c.Request.Action = actions[int(ai)%len(actions)]
		case 2:
			c.Request.Resource = resources[int(ri)%len(resources)]
		case 3:
			c.Principal.ARN = principals[int(pi)%len(principals)]
		}
		req, in, err := c.Build()
		if err != nil {
			return
		}
		if len(keys) > 0 && mode&4 != 0 {
			m := condition.Map{}
			if cm, ok := req.Context.(condition.Map); ok {
				for k, v := range cm {
					m[k] = v
				}
			}
			k := int(ki) % len(keys)
			m[keys[k]] = values[(k+int(ai))%len(values)]
			req.Context = m
		}
		d := authz.Decide(req, in, authz.Options{})
		dt := authz.Decide(req, in, authz.Options{Trace: true})
		if !sameDecision(&d, &dt) {
			t.Fatalf("trace changed the decision:\n off %+v\n on  %+v", d, dt)
		}
		if dt.Trace == nil {
			t.Fatal("no trace")
		}
		_ = d.Message(req)
	})
}
