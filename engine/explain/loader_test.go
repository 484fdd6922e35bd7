package explain

import (
	"testing"

	"github.com/verdict-project/verdict/internal/corpus"
)

// corpusCase is a decision-corpus case (engine/authz/testdata/cases), loaded
// by the shared internal/corpus package; the golden scenarios use the same
// format.
type corpusCase = corpus.Case

// loadCases loads every case under dir, keyed by path.
func loadCases(t testing.TB, dir string) map[string]*corpusCase {
	t.Helper()
	files, err := corpus.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]*corpusCase, len(files))
	for _, f := range files {
		out[f.Path] = f.Case
	}
	return out
}
