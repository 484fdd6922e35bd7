package policy

import (
	"strings"

	"github.com/verdict-project/verdict/engine/wildcard"
)

// index finds the statements that can apply to an action without scanning the
// whole policy: a statement is filed under its exact action names, under its
// service prefix when its action patterns have wildcards only after the
// "service:" part, and in "any" otherwise (NotAction, "*", wildcard services).
type index struct {
	exact   map[string][]int32
	service map[string][]int32
	any     []int32
}

func buildIndex(stmts []Statement) index {
	ix := index{}
	for i := range stmts {
		s := &stmts[i]
		// Classify the statement once so that it lands in exactly one list
		// per service and is never evaluated twice for one request.
		anyClass := s.NotAction
		wildSvc := map[string]bool{}
		for _, a := range s.actions {
			svc, _, ok := strings.Cut(a, ":")
			switch {
			case !ok || wildcard.HasWildcard(svc):
				anyClass = true
			case wildcard.HasWildcard(a):
				wildSvc[svc] = true
			}
		}
		if anyClass {
			ix.any = append(ix.any, int32(i))
			continue
		}
		for svc := range wildSvc {
			ix.service = addOnce(ix.service, svc, int32(i))
		}
		for _, a := range s.actions {
			svc, _, _ := strings.Cut(a, ":")
			if !wildSvc[svc] {
				ix.exact = addOnce(ix.exact, a, int32(i))
			}
		}
	}
	return ix
}

func addOnce(m map[string][]int32, k string, i int32) map[string][]int32 {
	if m == nil {
		m = make(map[string][]int32)
	}
	l := m[k]
	if n := len(l); n > 0 && l[n-1] == i {
		return m
	}
	m[k] = append(l, i)
	return m
}

// Candidates returns, in three lists, the indexes of the statements whose
// Action element may cover action (lower-case "service:name"); together they
// are a superset of the matching statements and no statement appears twice.
// The caller still calls MatchAction. No allocation.
func (p *Policy) Candidates(action string) (exact, service, any []int32) {
	svc, _, _ := strings.Cut(action, ":")
	return p.index.exact[action], p.index.service[svc], p.index.any
}
