package syntax

// This file finds syntax errors before lowering. tree-sitter recovers
// from errors by inserting ERROR and MISSING nodes; it does not check
// indentation at all (a misplaced indent parses without error) nor
// report brackets the way CPython does. check scans the tokens to
// reproduce CPython's tokenizer errors (unexpected indent, unindent
// mismatch, tabs, brackets), finds the first ERROR or MISSING node, and
// reports whichever comes first, with CPython's wording where it can.

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxBrackets is CPython's limit on nested brackets (MAXLEVEL).
const maxBrackets = 200

// check returns the first syntax error in the tree, or nil.
func (p *parser) check(root *cnode) *Error {
	ts := p.scanTokens(root)
	var treeErr *treeError
	if p.hasError {
		treeErr = p.firstTreeError(root)
	}

	if treeErr == nil {
		if ts.err != nil {
			return p.newError(ts.errAt, ts.err)
		}
		return nil
	}

	// tree-sitter gave up somewhere. A recognized pattern (a bad
	// literal, target or f-string) explains it best, unless the tokenizer
	// failed before it. Otherwise, if a bracket opened before the end of
	// the erroneous region is never closed, that is the real problem
	// (CPython says so too).
	err, definite := treeErr.describe(p)
	if ts.err != nil {
		if definite && ts.errAt.start >= treeErr.node.start {
			return err
		}
		if tokenErrorFirst(ts, treeErr) {
			return p.newError(ts.errAt, ts.err)
		}
	}
	if definite {
		return err
	}
	limit := treeErr.node.end
	for i := len(ts.unclosed) - 1; i >= 0; i-- {
		if b := ts.unclosed[i]; b.start < limit || treeErr.node.missing && b.start <= limit {
			return &Error{Pos: p.at(b), File: p.file, Msg: fmt.Sprintf("'%s' was never closed", b.kind)}
		}
	}
	return err
}

// tokenErrorFirst reports whether CPython would meet the tokenizer
// error before the parser error. An ERROR node starts where tree-sitter's
// recovery began, often well before the token the parser could not
// accept, so a bracket error anywhere inside it comes first; an
// indentation error must come before it starts (a line ending without
// its ':' makes the next line look over-indented).
func tokenErrorFirst(ts tokenScan, te *treeError) bool {
	if ts.bracketErr {
		return ts.errAt.start < te.node.end || ts.errAt.start <= te.node.start
	}
	return ts.errAt.start <= te.node.start
}

func (p *parser) newError(at *cnode, err *Error) *Error {
	err.File = p.file
	if at != nil && !err.Pos.IsValid() {
		err.Pos = p.at(at)
	}
	return err
}

// ---- Tokens: brackets and indentation ----

// A tokenScan is the result of scanTokens.
type tokenScan struct {
	err        *Error   // first tokenizer-level error, or nil
	errAt      *cnode   // the token where err was found
	bracketErr bool     // err is about brackets
	unclosed   []*cnode // brackets still open at the end of the file
}

// tokens calls visit for each token of the tree in source order: each
// leaf, except that a whole string (with its f-string fields) is one
// token and comments are skipped. MISSING nodes are skipped.
func tokens(n *cnode, visit func(*cnode)) {
	switch {
	case n.kind == "comment" || n.missing || n.start == n.end:
		return
	case n.kind == "string" && n.named, len(n.children) == 0:
		visit(n)
		return
	}
	for _, c := range n.children {
		tokens(c, visit)
	}
}

// scanTokens reproduces the checks of CPython's tokenizer that
// tree-sitter lacks: brackets must match and nest at most maxBrackets
// deep; the indentation of each logical line must be a new level after a
// line ending in ':' and an enclosing level otherwise; tabs and spaces
// must be used consistently.
func (p *parser) scanTokens(root *cnode) tokenScan {
	var (
		ts       tokenScan
		brackets []*cnode // open brackets
		indents  = []int{0}
		alts     = []int{0} // indents with tabs counted as one column, for TabError
		prevEnd  = -1       // row where the previous token ended
		prevOff  = 0        // byte offset where the previous token ended
		last     *cnode     // last token of the current logical line
		first    *cnode     // first token of the current logical line
	)
	fail := func(at *cnode, bracket bool, format string, args ...any) {
		if ts.err == nil {
			ts.err = &Error{Msg: fmt.Sprintf(format, args...)}
			ts.errAt = at
			ts.bracketErr = bracket
		}
	}
	tokens(root, func(t *cnode) {
		if ts.err != nil {
			return
		}
		if t.kind == "line_continuation" {
			return // see continued
		}
		if len(brackets) == 0 && t.startRow > prevEnd && !continued(p.src[prevOff:t.start]) {
			// t starts a logical line.
			opensBlock := last != nil && last.kind == ":" && !last.named
			col, alt := p.indentation(t.startRow, t.startCol)
			top := len(indents) - 1
			switch {
			case col > indents[top]:
				if !opensBlock {
					fail(t, false, "unexpected indent")
				} else if alt <= alts[top] {
					fail(t, false, "inconsistent use of tabs and spaces in indentation")
				}
				indents = append(indents, col)
				alts = append(alts, alt)
			case opensBlock:
				fail(t, false, "%s", expectedBlock(first))
			default:
				for col < indents[top] {
					top--
				}
				indents, alts = indents[:top+1], alts[:top+1]
				if col != indents[top] {
					fail(t, false, "unindent does not match any outer indentation level")
				} else if alt != alts[top] {
					fail(t, false, "inconsistent use of tabs and spaces in indentation")
				}
			}
			first = t
		}
		if !t.named {
			switch t.kind {
			case "(", "[", "{":
				brackets = append(brackets, t)
				if len(brackets) > maxBrackets {
					fail(t, true, "too many nested parentheses")
				}
			case ")", "]", "}":
				if len(brackets) == 0 {
					fail(t, true, "unmatched '%s'", t.kind)
					return
				}
				open := brackets[len(brackets)-1]
				brackets = brackets[:len(brackets)-1]
				if closing[open.kind] != t.kind {
					if open.startRow != t.startRow {
						fail(t, true, "closing parenthesis '%s' does not match opening parenthesis '%s' on line %d", t.kind, open.kind, open.startRow+1)
					} else {
						fail(t, true, "closing parenthesis '%s' does not match opening parenthesis '%s'", t.kind, open.kind)
					}
				}
			}
		}
		last = t
		prevEnd, prevOff = t.endRow, t.end
	})
	if ts.err == nil && len(brackets) == 0 && last != nil && last.kind == ":" && !last.named {
		// The file ends after a block opener.
		ts.err = &Error{Pos: Pos{len(p.lines) + 1, 1}, Msg: expectedBlock(first)}
		ts.errAt = last
	}
	ts.unclosed = brackets
	return ts
}

// continued reports whether the text between two tokens ends with a
// line continuation: a backslash before the last newline, outside a
// comment. (tree-sitter does not always keep line_continuation nodes:
// one before a string is folded into the string token.)
func continued(gap []byte) bool {
	nl := bytes.LastIndexByte(gap, '\n')
	if nl < 1 || gap[nl-1] != '\\' {
		return false
	}
	lineStart := bytes.LastIndexByte(gap[:nl], '\n') + 1
	return bytes.IndexByte(gap[lineStart:nl], '#') < 0
}

var closing = map[string]string{"(": ")", "[": "]", "{": "}"}

// indentation returns the indentation of the line up to byte column
// col, with tabs advancing to the next multiple of 8 (col) and counting
// as 1 (alt), as CPython's tokenizer does. A form feed resets both.
func (p *parser) indentation(row, col int) (width, alt int) {
	if row >= len(p.lines) {
		return 0, 0
	}
	line := p.lines[row]
	for i := 0; i < col && i < len(line); i++ {
		switch line[i] {
		case ' ':
			width++
			alt++
		case '\t':
			width = (width/8 + 1) * 8
			alt++
		case '\f':
			width, alt = 0, 0
		}
	}
	return width, alt
}

// expectedBlock returns CPython's message for a missing indented block
// after the logical line starting with token first.
func expectedBlock(first *cnode) string {
	if first == nil {
		return "expected an indented block"
	}
	switch first.kind {
	case "def":
		return fmt.Sprintf("expected an indented block after function definition on line %d", first.startRow+1)
	case "class":
		return fmt.Sprintf("expected an indented block after class definition on line %d", first.startRow+1)
	case "if", "elif", "else", "for", "while", "try", "except", "finally", "with":
		return fmt.Sprintf("expected an indented block after '%s' statement on line %d", first.kind, first.startRow+1)
	}
	return "expected an indented block"
}

// ---- ERROR and MISSING nodes ----

// A treeError is the first ERROR or MISSING node, with its ancestors.
type treeError struct {
	node    *cnode
	parents []*cnode // from the root to node's parent
}

// firstTreeError returns the first ERROR or MISSING node in source
// order, or nil.
func (p *parser) firstTreeError(root *cnode) *treeError {
	var found *treeError
	var stack []*cnode
	var visit func(n *cnode)
	visit = func(n *cnode) {
		if n.isError() || n.missing {
			if found == nil || n.start < found.node.start {
				found = &treeError{node: n, parents: append([]*cnode(nil), stack...)}
			}
			return
		}
		if found != nil && n.start >= found.node.start {
			return
		}
		stack = append(stack, n)
		for _, c := range n.children {
			visit(c)
		}
		stack = stack[:len(stack)-1]
	}
	visit(root)
	return found
}

// blockKeywords are the tokens that start a compound statement header.
var blockKeywords = map[string]bool{
	"if": true, "elif": true, "else": true, "for": true, "while": true,
	"def": true, "class": true, "try": true, "except": true,
	"finally": true, "with": true,
}

// describe turns the tree error into an Error with CPython's wording
// where a pattern is recognized, and "invalid syntax" otherwise.
// definite reports that the pattern explains the error better than an
// unclosed bracket would.
func (e *treeError) describe(p *parser) (err *Error, definite bool) {
	n := e.node
	err = &Error{Pos: p.at(n), File: p.file, Msg: "invalid syntax"}
	inField := false
	for _, a := range e.parents {
		if a.kind == "interpolation" || a.kind == "format_expression" {
			inField = true
		}
	}
	if n.missing {
		switch {
		case inField && n.named:
			err.Msg = "f-string: empty expression not allowed"
		case !n.named:
			err.Msg = fmt.Sprintf("expected '%s'", n.kind)
		}
		return err, false
	}
	if inField && strings.Contains(p.text(n), `\`) {
		err.Msg = "f-string expression part cannot include a backslash"
		return err, true
	}
	if r, _ := utf8.DecodeRune(p.src[n.start:]); r >= utf8.RuneSelf && !unicode.IsLetter(r) {
		err.Msg = fmt.Sprintf("invalid character '%c' (U+%04X)", r, r)
		return err, true
	}
	if start := strayStringStart(n); start != nil {
		return p.stringError(start), true
	}
	if msg, ok := p.badNumber(n); ok {
		err.Msg = msg
		return err, true
	}
	if terr := p.badTarget(e); terr != nil {
		return terr, true
	}
	// "f(a, x for x in y)": an unparenthesized generator among other
	// arguments.
	if len(e.parents) > 0 && e.parents[len(e.parents)-1].kind == "argument_list" {
		isFor := false
		tokens(n, func(t *cnode) { isFor = isFor || p.text(t) == "for" })
		if isFor {
			err.Msg = "Generator expression must be parenthesized"
			return err, true
		}
	}
	// "x = a if b" without else.
	for i, c := range n.children {
		if i > 0 && c.kind == "if" && !c.named && n.children[i-1].named && n.token("else") == nil {
			err.Pos = p.at(n.children[i-1])
			err.Msg = "expected 'else' after 'if' expression"
			return err, false
		}
	}

	// A compound statement header without its colon:
	// ERROR("for" x "in" y ...) with no ':' on the header's line.
	var lastOnLine, lastTok *cnode
	colon := false
	tokens(n, func(t *cnode) {
		lastTok = t
		if t.startRow == n.startRow {
			lastOnLine = t
			if t.kind == ":" && !t.named {
				colon = true
			}
		}
	})
	if len(n.children) > 0 && blockKeywords[n.children[0].kind] && !n.children[0].named && !colon && lastOnLine != nil {
		err.Pos = p.after(lastOnLine)
		err.Msg = "expected ':'"
		return err, false
	}
	// A line ending with an operator: "x = 1 +".
	if lastTok != nil && !lastTok.named && isOperator(lastTok.kind) && lastTok.end == n.end && lineEndsAt(p.src, n.end) {
		err.Pos = p.after(lastTok)
	}
	return err, false
}

// isOperator reports whether a token kind is punctuation or an
// operator rather than a keyword.
func isOperator(kind string) bool {
	for i := 0; i < len(kind); i++ {
		if isIdentByte(kind[i]) {
			return false
		}
	}
	return kind != ""
}

// lineEndsAt reports whether only blanks or a comment follow offset off
// on its line.
func lineEndsAt(src []byte, off int) bool {
	for ; off < len(src) && src[off] != '\n'; off++ {
		switch src[off] {
		case ' ', '\t', '\f':
		case '#':
			return true
		default:
			return false
		}
	}
	return true
}

// strayStringStart returns the first string_start token in n that is
// not inside a complete string node: an unterminated or malformed
// string literal.
func strayStringStart(n *cnode) *cnode {
	if n.kind == "string" && n.named && len(n.children) > 0 && n.children[len(n.children)-1].kind == "string_end" {
		return nil
	}
	if n.kind == "string_start" {
		return n
	}
	for _, c := range n.children {
		if s := strayStringStart(c); s != nil {
			return s
		}
	}
	return nil
}

// stringError explains a string literal that tree-sitter could not
// parse, starting at the string_start token start: it is unterminated,
// or it is an f-string with bad braces.
func (p *parser) stringError(start *cnode) *Error {
	err := &Error{Pos: p.at(start), File: p.file}
	open := p.text(start)
	i := strings.IndexAny(open, `'"`)
	if i < 0 {
		err.Msg = "invalid syntax"
		return err
	}
	quote := open[i:]
	body := string(p.src[start.end:])
	end := -1
	if len(quote) == 3 {
		end = strings.Index(body, quote)
	} else if nl := strings.IndexByte(body, '\n'); nl >= 0 {
		end = strings.Index(body[:nl], quote)
	} else {
		end = strings.Index(body, quote)
	}
	if end < 0 {
		if len(quote) == 3 {
			err.Msg = fmt.Sprintf("unterminated triple-quoted string literal (detected at line %d)", max(len(p.lines), 1))
		} else {
			err.Msg = fmt.Sprintf("unterminated string literal (detected at line %d)", start.startRow+1)
		}
		return err
	}
	if !strings.ContainsAny(strings.ToLower(open[:i]), "f") {
		err.Msg = "invalid syntax"
		return err
	}
	// An f-string: find the brace that tree-sitter could not match.
	body = body[:end]
	depth := 0
	for j := 0; j < len(body); j++ {
		c := body[j]
		switch {
		case depth == 0 && (c == '{' || c == '}') && j+1 < len(body) && body[j+1] == c:
			j++
		case c == '{':
			depth++
		case c == '}' && depth == 0:
			err.Pos = p.offsetPos(start.end + j)
			err.Msg = "f-string: single '}' is not allowed"
			return err
		case c == '}':
			depth--
		case c == '#' && depth > 0:
			err.Pos = p.offsetPos(start.end + j)
			err.Msg = "f-string expression part cannot include '#'"
			return err
		case c == '\\' && depth > 0:
			err.Pos = p.offsetPos(start.end + j)
			err.Msg = "f-string expression part cannot include a backslash"
			return err
		}
	}
	if depth > 0 {
		err.Msg = "f-string: expecting '}'"
	} else {
		err.Msg = "f-string: invalid syntax"
	}
	return err
}

// badNumber recognizes a number literal run into letters or
// underscores ("1_", "0x", "1e", "1__0"), which tree-sitter splits into
// a number and an identifier.
func (p *parser) badNumber(n *cnode) (string, bool) {
	args := n.args()
	if len(args) != 1 || args[0].kind != "integer" && args[0].kind != "float" || len(n.children) != 1 {
		return "", false
	}
	if n.end >= len(p.src) || !isIdentByte(p.src[n.end]) {
		return "", false
	}
	text := strings.ToLower(p.text(n) + string(p.src[n.end]))
	switch {
	case strings.HasPrefix(text, "0x"):
		return "invalid hexadecimal literal", true
	case strings.HasPrefix(text, "0o"):
		return "invalid octal literal", true
	case strings.HasPrefix(text, "0b"):
		return "invalid binary literal", true
	}
	return "invalid decimal literal", true
}

func isIdentByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c >= 0x80
}

// badTarget recognizes an assignment or for loop whose target is not
// assignable, which tree-sitter's grammar cannot parse: "f() = 1",
// "for 1 in x". It lowers the target and returns checkTarget's error.
func (p *parser) badTarget(e *treeError) *Error {
	n := e.node
	if len(e.parents) == 0 {
		return nil
	}
	if parent := e.parents[len(e.parents)-1]; parent.kind != "module" && parent.kind != "block" {
		return nil // not a statement
	}
	var target *cnode
	kind := assignTarget
	cs := n.children
	switch {
	case len(cs) >= 2 && cs[0].named && cs[0].kind != "identifier" && cs[1].kind == "=" && !cs[1].named:
		target = cs[0]
	case len(cs) >= 3 && cs[0].kind == "for" && !cs[0].named && cs[1].named && cs[2].kind == "in" && !cs[2].named:
		target, kind = cs[1], forTarget
	default:
		return nil
	}
	err := p.try(func() {
		e := p.element(target)
		p.checkTarget(e, kind, true)
	})
	if err == nil || err.Unsupported {
		return nil
	}
	if kind == assignTarget && strings.HasPrefix(err.Msg, "cannot assign to ") && err.Pos == p.at(target) {
		switch err.Msg {
		case "cannot assign to True", "cannot assign to False", "cannot assign to None", "cannot assign to __debug__":
		default:
			err.Msg += " here. Maybe you meant '==' instead of '='?"
		}
	}
	return err
}

// try runs a lowering function and returns the error it reports, if any.
func (p *parser) try(f func()) (err *Error) {
	saved := *p
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(bailout); !ok {
				panic(r)
			}
			err = p.err
		}
		*p = saved
	}()
	f()
	return nil
}
