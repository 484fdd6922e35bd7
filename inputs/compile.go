// Package inputs is the one place where storage meets the decision engine: it
// resolves credentials to a caller (principal, identity policies, boundary,
// session policies) and gathers, for a request, every policy and setting AWS
// would consult into authz.Inputs. The server and `verdict simulate` both use
// it, so a live request and an offline simulation see the same inputs.
package inputs

import (
	"crypto/sha256"
	"sync"

	"github.com/verdict-project/verdict/engine/policy"
)

// Compiler parses policy documents once and reuses the result: policies are
// compiled when stored or first used and evaluated many times.
type Compiler struct {
	mu sync.RWMutex
	m  map[[32]byte]*policy.Policy
}

// maxCached bounds the cache; beyond it the cache starts over. Documents are
// small and few, so this is a safety net, not a tuning knob.
const maxCached = 50000

// NewCompiler returns an empty cache.
func NewCompiler() *Compiler { return &Compiler{m: map[[32]byte]*policy.Policy{}} }

// Compile returns the parsed policy for doc.
func (c *Compiler) Compile(doc string) (*policy.Policy, error) {
	k := sha256.Sum256([]byte(doc))
	c.mu.RLock()
	p, ok := c.m[k]
	c.mu.RUnlock()
	if ok {
		return p, nil
	}
	p, err := policy.Parse([]byte(doc))
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if len(c.m) >= maxCached {
		c.m = map[[32]byte]*policy.Policy{}
	}
	c.m[k] = p
	c.mu.Unlock()
	return p, nil
}
