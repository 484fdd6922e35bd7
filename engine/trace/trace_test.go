package trace

import "testing"

func TestAddAndStage(t *testing.T) {
	var tr Trace
	s := tr.Add("identity")
	if s.Outcome != NotApplicable || tr.Stage("identity") != s || tr.Stage("scp") != nil {
		t.Fatalf("%+v", tr)
	}
}
