package explain

import (
	"io"
	"testing"
)

// BenchmarkExplain measures explaining and rendering a traced denial, the
// work `verdict explain` does per logged decision.
func BenchmarkExplain(b *testing.B) {
	files, cases := scenarios(b)
	var records []*Record
	for _, f := range files {
		records = append(records, scenarioRecord(b, scenarioName(f), cases[f], true))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e := Explain(records[i%len(records)])
		if err := WriteText(io.Discard, e, TextOptions{}); err != nil {
			b.Fatal(err)
		}
		if err := WriteJSON(io.Discard, e); err != nil {
			b.Fatal(err)
		}
	}
}
