package explain

import (
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
)

// ErrNilExplanation is returned by WriteText and WriteJSON for a nil
// explanation.
var ErrNilExplanation = errors.New("explain: nil explanation")

// TextOptions tunes WriteText.
type TextOptions struct {
	// Verbose prints the whole chain: every policy each layer consulted,
	// with every statement and element.
	Verbose bool
}

// WriteJSON writes e as indented JSON following the documented schema.
func WriteJSON(w io.Writer, e *Explanation) error {
	if e == nil {
		return ErrNilExplanation
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(e)
}

// printer writes lines and keeps the first error.
type printer struct {
	w   io.Writer
	err error
}

func (p *printer) line(indent int, parts ...string) {
	if p.err != nil {
		return
	}
	s := strings.Repeat("  ", indent) + strings.Join(parts, "")
	_, p.err = io.WriteString(p.w, strings.TrimRight(s, " ")+"\n")
}

// block writes a multi-line text indented.
func (p *printer) block(indent int, text string) {
	for _, l := range strings.Split(text, "\n") {
		p.line(indent, l)
	}
}

// WriteText writes e in plain English for a terminal: the verdict, the
// deciding statement with its decisive element marked ▶, what the request
// carried against what was needed, near misses, the chain (one line per
// layer: ✓ passed, ✗ decided the denial, – not applicable, · evaluated
// without allowing, ? not recorded) and the fixes.
func WriteText(w io.Writer, e *Explanation, opt TextOptions) error {
	if e == nil {
		return ErrNilExplanation
	}
	p := &printer{w: w}
	v := &e.Verdict
	head := "DENIED"
	if v.Allowed {
		head = "ALLOWED"
	}
	if v.Effect != "" {
		head += "  " + strings.ReplaceAll(v.Effect, "-", " ")
	}
	head += "  ·  " + v.LayerTitle
	if v.LayerName != "" && !strings.Contains(v.LayerTitle, v.LayerName) {
		head += " (" + withArticle(v.LayerName) + ")"
	}
	p.line(0, head)
	rq := &e.Request
	who := orUnknown(rq.Principal, "(unknown caller)")
	if rq.PrincipalType != "" {
		who += "  [" + rq.PrincipalType + "]"
	}
	p.line(1, "caller:   ", who)
	p.line(1, "request:  ", orUnknown(rq.Action, "(unknown action)"), " on ", orUnknown(rq.Resource, "(unknown resource)"))
	if rq.ResourceAccount != "" {
		acct := "resource account " + rq.ResourceAccount
		switch {
		case rq.CrossAccount:
			acct += " (cross-account: caller in " + rq.Account + ")"
		case rq.Account == "":
			acct += " (the caller belongs to no account)"
		default:
			acct += " (same account)"
		}
		p.line(1, "          ", acct)
	}
	if e.RequestID != "" || e.Time != "" {
		id := []string{}
		if e.RequestID != "" {
			id = append(id, "request ID "+e.RequestID)
		}
		if e.Time != "" {
			id = append(id, e.Time)
		}
		p.line(1, "logged:   ", strings.Join(id, ", "))
	}
	p.line(0)
	p.line(0, v.Summary)
	if v.Message != "" {
		p.line(0)
		p.line(0, "AWS says: ", v.Message)
	}

	if len(e.Deciding) > 0 {
		p.line(0)
		title := "Deciding statement:"
		if len(e.Deciding) > 1 {
			title = "Deciding statements:"
		}
		p.line(0, title)
		for i := range e.Deciding {
			d := &e.Deciding[i]
			// The source is printed once: here, unless a fix quotes it.
			writeStatement(p, 1, d, !fixQuotes(e.Fixes, d.Source))
		}
	}
	if len(e.Findings) > 0 {
		p.line(0)
		p.line(0, "Why:")
		for _, s := range e.Findings {
			p.line(1, "- ", s)
		}
	}
	if len(e.NearMisses) > 0 {
		p.line(0)
		p.line(0, "Near misses (Allow statements that almost matched):")
		for i := range e.NearMisses {
			nm := &e.NearMisses[i]
			p.line(1, "- ", nm.Statement.Label, " of ", quoteName(nm.Statement.Policy), position(&nm.Statement), ": failed on ", strings.Join(nm.Failed, ", "))
			for _, r := range nm.Reasons {
				p.line(2, r)
			}
		}
	}
	if len(e.Chain) > 0 {
		p.line(0)
		p.line(0, "Chain:")
		width := 0
		for _, s := range e.Chain {
			width = max(width, len([]rune(s.Title)))
		}
		for _, s := range e.Chain {
			detail := s.Statement
			if detail == "" {
				detail = s.Note
			} else if s.Note != "" && s.Status == StatusDenied {
				detail += " — " + s.Note
			}
			p.line(1, s.Mark, " ", pad(s.Title, width), "  ", detail)
		}
	}
	if opt.Verbose {
		writeFullChain(p, e.Chain)
	}
	for i := range e.Fixes {
		fx := &e.Fixes[i]
		p.line(0)
		label := "Fix"
		if len(e.Fixes) > 1 {
			label += " " + strconv.Itoa(i+1)
		}
		p.line(0, label, " (", fx.Cause, "): ", fx.Summary)
		if fx.RunAs != "" {
			p.line(1, "run as ", fx.RunAs, ":")
		}
		for _, c := range fx.Commands {
			if strings.HasPrefix(c, "#") {
				p.line(2, c)
			} else {
				p.line(2, "$ ", c)
			}
		}
		if fx.Policy != "" {
			p.line(1, "policy:")
			p.block(2, fx.Policy)
		}
		for _, n := range fx.Notes {
			p.line(1, "note: ", n)
		}
	}
	if len(e.Notes) > 0 {
		p.line(0)
		for _, n := range e.Notes {
			p.line(0, "Note: ", n)
		}
	}
	return p.err
}

func fixQuotes(fixes []Fix, source string) bool {
	for _, fx := range fixes {
		if source != "" && fx.Policy == source {
			return true
		}
	}
	return false
}

func pad(s string, width int) string {
	if n := width - len([]rune(s)); n > 0 {
		return s + strings.Repeat(" ", n)
	}
	return s
}

func position(s *Statement) string {
	if s.Line > 0 {
		return " (line " + strconv.Itoa(s.Line) + ", col " + strconv.Itoa(s.Col) + ")"
	}
	return ""
}

// writeStatement prints a statement and its elements, the decisive ones
// marked ▶; with quote set it also prints the statement's source text.
func writeStatement(p *printer, indent int, s *Statement, quote bool) {
	head := s.Label + " of " + quoteName(s.Policy)
	if s.Target != "" {
		head += " attached at " + s.Target
	}
	p.line(indent, head, position(s), "  [", s.Effect, ", ", matchedWord(s.Matched), "]")
	for _, el := range s.Elements {
		mark := "  "
		if el.Decisive {
			mark = "▶ "
		}
		want := list(el.Want)
		if el.Name == "Condition" {
			want = ""
		}
		got := ""
		if el.Name != "Condition" && len(el.Got) > 0 {
			got = "  (request: " + list(el.Got) + ")"
		}
		p.line(indent+1, mark, pad(el.Name, 12), " ", tick(el.Matched), " ", want, got)
		if el.Note != "" {
			p.line(indent+3, "(", el.Note, ")")
		}
		for _, c := range el.Conditions {
			cm := "  "
			if c.Decisive {
				cm = "▶ "
			}
			p.line(indent+2, cm, tick(c.Matched), " ", c.Operator, " ", c.Key, " ", list(c.Want))
			p.line(indent+4, c.Text)
		}
	}
	if quote && s.Source != "" {
		p.line(indent+1, "source:")
		p.block(indent+2, s.Source)
	}
}

func tick(ok bool) string {
	if ok {
		return "✓"
	}
	return "✗"
}

func matchedWord(ok bool) string {
	if ok {
		return "matched"
	}
	return "did not match"
}

// writeFullChain prints every policy and statement of every layer.
func writeFullChain(p *printer, chain []Step) {
	p.line(0)
	p.line(0, "Full chain:")
	for _, s := range chain {
		p.line(1, s.Mark, " ", s.Title, " (", s.Status, ")")
		if s.Note != "" {
			p.line(2, s.Note)
		}
		for _, g := range s.Grants {
			p.line(2, tick(g.Matched), " ", g.On, " ACL grant: ", g.Permission, " to ", g.Grantee)
		}
		for i := range s.Policies {
			pol := &s.Policies[i]
			name := quoteName(pol.Name)
			if pol.Target != "" {
				name += " attached at " + pol.Target
			}
			p.line(2, "policy ", name, ": ", pol.Outcome)
			for j := range pol.Statements {
				writeStatement(p, 3, &pol.Statements[j], false)
			}
		}
	}
}
