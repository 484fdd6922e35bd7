package condition

// This file fixes the package's API for its callers; the implementation
// replaces it.

// Block is a compiled Condition element.
type Block struct{ entries []Entry }

// Compile checks and compiles entries. variables enables ${...} policy
// variables (policy Version 2012-10-17).
func Compile(entries []Entry, variables bool) (*Block, error) { return &Block{entries}, nil }

// Eval reports whether every entry of the block matches ctx.
func (b *Block) Eval(ctx Context) bool { return false }

// Result is the outcome of one entry, for explanations.
type Result struct {
	Entry   Entry
	Present bool
	Actual  []string
	Matched bool
}

// Trace evaluates every entry (no short-circuit) and returns each outcome.
func (b *Block) Trace(ctx Context) (bool, []Result) { return false, nil }

// Expand replaces policy variables in s from ctx. ok is false when a variable
// has no value and no default.
func Expand(s string, ctx Context) (string, bool) { return s, true }
