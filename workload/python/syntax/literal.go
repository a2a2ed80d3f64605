package syntax

// This file decodes literals: integers, floats, strings, bytes and
// f-strings, following CPython 3.11's tokenizer and string parser.

import (
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ---- Numbers ----

// integer decodes an integer literal: decimal, 0x, 0o or 0b, with
// single underscores between digits (and after the base prefix).
func (p *parser) integer(n *cnode) Expr {
	at := p.at(n)
	text := strings.ToLower(p.text(n))
	base, digits, kind := 10, text, "decimal"
	if len(text) > 1 && text[0] == '0' {
		switch text[1] {
		case 'x':
			base, digits, kind = 16, text[2:], "hexadecimal"
		case 'o':
			base, digits, kind = 8, text[2:], "octal"
		case 'b':
			base, digits, kind = 2, text[2:], "binary"
		}
	}
	if base == 10 && strings.HasSuffix(digits, "j") {
		if validDigits(digits[:len(digits)-1], 10, false) {
			p.unsupported(at, "imaginary number")
		}
	}
	if !validDigits(digits, base, base != 10) {
		p.errorf(at, "invalid %s literal", kind)
	}
	digits = strings.ReplaceAll(digits, "_", "")
	if base == 10 && len(digits) > 1 && digits[0] == '0' && strings.Trim(digits, "0") != "" {
		p.errorf(at, "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers")
	}
	v, ok := new(big.Int).SetString(digits, base)
	if !ok {
		p.errorf(at, "invalid %s literal", kind)
	}
	return &Int{Pos: at, Value: v}
}

// validDigits reports whether s is a non-empty sequence of digits of the
// base with single underscores between digits; afterPrefix allows an
// underscore first (0x_ff).
func validDigits(s string, base int, afterPrefix bool) bool {
	if s == "" {
		return false
	}
	prevDigit := afterPrefix // an underscore may follow the base prefix
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' {
			if !prevDigit {
				return false
			}
			prevDigit = false
			continue
		}
		d := digitValue(c)
		if d < 0 || d >= base {
			return false
		}
		prevDigit = true
	}
	return s[len(s)-1] != '_'
}

func digitValue(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	}
	return -1
}

// float decodes a floating-point literal.
func (p *parser) float(n *cnode) Expr {
	at := p.at(n)
	text := strings.ToLower(p.text(n))
	imaginary := strings.HasSuffix(text, "j")
	text = strings.TrimSuffix(text, "j")
	// Every group of digits (split at '.', 'e' and the exponent's sign)
	// must be valid; only the integer or fraction part may be empty.
	mantissa, exponent, hasExp := strings.Cut(text, "e")
	intPart, frac, _ := strings.Cut(mantissa, ".")
	ok := (intPart == "" || validDigits(intPart, 10, false)) &&
		(frac == "" || validDigits(frac, 10, false)) &&
		(intPart != "" || frac != "")
	if hasExp {
		exponent = strings.TrimLeft(exponent, "+-")
		ok = ok && validDigits(exponent, 10, false)
	}
	if !ok {
		p.errorf(at, "invalid decimal literal")
	}
	if imaginary {
		p.unsupported(at, "imaginary number")
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(text, "_", ""), 64)
	if err != nil && !isRangeError(err) {
		p.errorf(at, "invalid decimal literal")
	}
	return &Float{Pos: at, Value: v}
}

// isRangeError reports whether err is strconv's out-of-range error; the
// value (±Inf or 0) is then what CPython produces too.
func isRangeError(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// ---- Strings ----

// A strPart is one piece of a string concatenation: literal text, or an
// f-string replacement field.
type strPart struct {
	pos   Pos
	text  string          // literal text, when field is nil
	field *FormattedValue // a replacement field, or nil
}

// A strPrefix is the decoded prefix of a string literal.
type strPrefix struct {
	raw, bytes, format bool
	quote              string // ', ", ''' or """
}

// str lowers a string or concatenated_string node to a *Str, *Bytes or
// *JoinedStr.
func (p *parser) str(n *cnode) Expr {
	at := p.at(n)
	strs := []*cnode{n}
	if n.kind == "concatenated_string" {
		strs = n.args()
	}
	var parts []strPart
	isBytes := false
	for i, s := range strs {
		if s.kind != "string" {
			p.errorf(p.at(s), "invalid syntax")
		}
		prefix := p.strPrefix(s)
		if i == 0 {
			isBytes = prefix.bytes
		} else if prefix.bytes != isBytes {
			p.errorf(at, "cannot mix bytes and nonbytes literals")
		}
		parts = p.strParts(s, prefix, parts)
	}

	// Merge adjacent literal parts; drop empty ones.
	var values []Expr
	var lit *Str
	for _, part := range parts {
		if part.field != nil {
			values = append(values, part.field)
			lit = nil
			continue
		}
		if part.text == "" {
			continue
		}
		if lit != nil {
			lit.Value += part.text
			continue
		}
		lit = &Str{Pos: part.pos, Value: part.text}
		values = append(values, lit)
	}
	switch {
	case isBytes:
		var b strings.Builder
		for _, v := range values {
			b.WriteString(v.(*Str).Value)
		}
		return &Bytes{Pos: at, Value: b.String()}
	case len(values) == 0:
		return &Str{Pos: at}
	case len(values) == 1 && isStr(values[0]):
		return &Str{Pos: at, Value: values[0].(*Str).Value}
	}
	return &JoinedStr{Pos: at, Values: values}
}

func isStr(e Expr) bool {
	_, ok := e.(*Str)
	return ok
}

// strPrefix decodes the string_start of a string node: prefix letters
// and quote.
func (p *parser) strPrefix(s *cnode) strPrefix {
	at := p.at(s)
	var start *cnode
	if len(s.children) > 0 {
		start = s.children[0]
	}
	if start == nil || start.kind != "string_start" {
		p.errorf(at, "invalid syntax")
	}
	text := p.text(start)
	i := strings.IndexAny(text, `'"`+"`")
	if i < 0 {
		p.errorf(at, "invalid syntax")
	}
	var pre strPrefix
	pre.quote = text[i:]
	if strings.HasPrefix(pre.quote, "`") {
		p.unsupported(at, "backquotes (Python 2); use repr()")
	}
	letters := strings.ToLower(text[:i])
	seen := map[rune]bool{}
	for _, c := range letters {
		if seen[c] {
			p.errorf(at, "invalid syntax")
		}
		seen[c] = true
		switch c {
		case 'r':
			pre.raw = true
		case 'b':
			pre.bytes = true
		case 'f':
			pre.format = true
		case 'u':
		default:
			p.errorf(at, "invalid syntax")
		}
	}
	if seen['u'] && len(letters) > 1 || pre.bytes && pre.format {
		p.errorf(at, "invalid syntax")
	}
	return pre
}

// strParts appends the parts of one string node to parts.
func (p *parser) strParts(s *cnode, pre strPrefix, parts []strPart) []strPart {
	start, end := s.children[0], s.children[len(s.children)-1]
	if end.kind != "string_end" || len(s.children) < 2 || s.end-len(pre.quote) < start.end {
		p.errorf(p.at(s), "unterminated string literal (detected at line %d)", s.startRow+1)
	}
	// The body ends before the closing quote. (Not at string_end's
	// start: tree-sitter includes an escaped quote of a raw string,
	// r'\'', in the string_end token.)
	bodyEnd := s.end - len(pre.quote)
	if !pre.format {
		text := string(p.src[start.end:bodyEnd])
		return append(parts, strPart{pos: p.at(s), text: p.decode(text, pre, p.at(s))})
	}
	litPos := func(off int) Pos {
		if off == start.end {
			return p.at(s) // the literal text right after the quote
		}
		return p.offsetPos(off)
	}
	fields := make([]*cnode, 0, len(s.children))
	for _, c := range s.children[1 : len(s.children)-1] {
		if c.kind == "interpolation" {
			fields = append(fields, c)
		}
	}
	pos := start.end
	for _, f := range fields {
		parts = append(parts, strPart{pos: litPos(pos), text: p.fstringLiteral(pos, f.start, pre)})
		parts = append(parts, p.fstringFields(f, pre, 0)...)
		pos = f.end
	}
	return append(parts, strPart{pos: litPos(pos), text: p.fstringLiteral(pos, bodyEnd, pre)})
}

// fstringLiteral decodes the literal text src[from:to] of an f-string:
// "{{" and "}}" stand for braces, a single "}" is an error, and escapes
// are decoded unless the string is raw.
func (p *parser) fstringLiteral(from, to int, pre strPrefix) string {
	text := string(p.src[from:to])
	if !strings.ContainsAny(text, "{}") {
		return p.decode(text, pre, p.offsetPos(from))
	}
	// Replace the doubled braces before decoding escapes, as CPython
	// does: f'\x7b' is a literal "{", not a field.
	var b strings.Builder
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '\\' && !pre.raw && i+1 < len(text) && text[i+1] == 'N' && i+2 < len(text) && text[i+2] == '{':
			j := strings.IndexByte(text[i:], '}')
			if j < 0 {
				j = len(text) - i - 1
			}
			b.WriteString(text[i : i+j+1])
			i += j
		case c == '\\' && !pre.raw && i+1 < len(text) && text[i+1] != '{' && text[i+1] != '}':
			b.WriteString(text[i : i+2])
			i++
		case (c == '{' || c == '}') && i+1 < len(text) && text[i+1] == c:
			b.WriteByte(c)
			i++
		case c == '{' || c == '}':
			p.errorf(p.offsetPos(from+i), "f-string: single '%c' is not allowed", c)
		default:
			b.WriteByte(c)
		}
	}
	return p.decode(b.String(), pre, p.offsetPos(from))
}

// offsetPos returns the position of a byte offset in p.src.
func (p *parser) offsetPos(off int) Pos {
	return p.pos(p.rowCol(off))
}

// maxFieldNesting is CPython's limit on replacement fields nested in
// format specs: f'{x:{y}}' is allowed, f'{x:{y:{z}}}' is not.
const maxFieldNesting = 1

// fstringFields lowers one replacement field (an interpolation node, or
// a format_expression inside a format spec) into parts: the text of a
// "{x=}" field, then the FormattedValue.
func (p *parser) fstringFields(f *cnode, pre strPrefix, nesting int) []strPart {
	at := p.at(f)
	if nesting > maxFieldNesting {
		p.errorf(at, "f-string: expressions nested too deeply")
	}
	exprNode := f.child("expression")
	if exprNode == nil || !exprNode.named {
		p.errorf(at, "f-string: empty expression not allowed")
	}
	src := p.text(exprNode)
	if strings.Contains(src, `\`) {
		p.errorf(p.at(exprNode), "f-string expression part cannot include a backslash")
	}
	if q := pre.quote; len(q) == 1 && strings.Contains(src, q) || len(q) == 3 && strings.Contains(src, q) {
		p.errorf(p.at(exprNode), "f-string: expecting '}'")
	}
	for _, c := range f.children {
		if c.kind == "comment" {
			p.errorf(p.at(c), "f-string expression part cannot include '#'")
		}
	}
	if exprNode.kind == "yield" {
		p.unsupported(p.at(exprNode), "yield")
	}
	value := p.element(exprNode)
	if s, ok := value.(*Starred); ok {
		p.errorf(s.Pos, "f-string: cannot use starred expression here")
	}
	fv := &FormattedValue{Pos: at, Value: value}

	var parts []strPart
	if eq := f.token("="); eq != nil {
		// "{x = }" is the text "x = " (up to the conversion, format spec
		// or closing brace) followed by the field.
		end := eq.end
		for end < f.end && (p.src[end] == ' ' || p.src[end] == '\t') {
			end++
		}
		parts = append(parts, strPart{pos: at, text: string(p.src[f.start+1 : end])})
		fv.Conversion = 'r'
	}
	if conv := f.child("type_conversion"); conv != nil {
		switch t := p.text(conv); t {
		case "!s", "!r", "!a":
			fv.Conversion = rune(t[1])
		default:
			p.errorf(p.at(conv), "f-string: invalid conversion character: expected 's', 'r', or 'a'")
		}
	}
	if spec := f.child("format_specifier"); spec != nil {
		if f.token("=") != nil && f.child("type_conversion") == nil {
			fv.Conversion = 0 // "{x=:spec}" formats x, not repr(x)
		}
		fv.FormatSpec = p.formatSpec(spec, pre, nesting)
	}
	return append(parts, strPart{pos: at, field: fv})
}

// formatSpec lowers the format spec after the ':' of a field; nil if it
// is empty.
func (p *parser) formatSpec(spec *cnode, pre strPrefix, nesting int) *JoinedStr {
	colon := spec.token(":")
	if colon == nil {
		p.errorf(p.at(spec), "invalid syntax")
	}
	var parts []strPart
	pos := colon.end
	for _, c := range spec.children {
		if c.kind != "format_expression" {
			continue
		}
		parts = append(parts, strPart{pos: p.offsetPos(pos), text: p.fstringLiteral(pos, c.start, pre)})
		parts = append(parts, p.fstringFields(c, pre, nesting+1)...)
		pos = c.end
	}
	parts = append(parts, strPart{pos: p.offsetPos(pos), text: p.fstringLiteral(pos, spec.end, pre)})

	js := &JoinedStr{Pos: p.after(colon)}
	for _, part := range parts {
		switch {
		case part.field != nil:
			js.Values = append(js.Values, part.field)
		case part.text == "":
		case len(js.Values) > 0 && isStr(js.Values[len(js.Values)-1]):
			js.Values[len(js.Values)-1].(*Str).Value += part.text
		default:
			js.Values = append(js.Values, &Str{Pos: part.pos, Value: part.text})
		}
	}
	if len(js.Values) == 0 {
		return nil
	}
	return js
}

// decode decodes the body of a string or bytes literal (between the
// quotes) as CPython does. at is the body's position, for errors.
func (p *parser) decode(text string, pre strPrefix, at Pos) string {
	if pre.bytes {
		for i := 0; i < len(text); i++ {
			if text[i] >= utf8.RuneSelf {
				p.errorf(at, "bytes can only contain ASCII literal characters")
			}
		}
	}
	if pre.raw || !strings.Contains(text, `\`) {
		return text
	}
	out := make([]byte, 0, len(text))
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c != '\\' || i+1 == len(text) {
			out = append(out, c)
			continue
		}
		start := i
		i++
		switch e := text[i]; e {
		case '\n':
			// A backslash-newline continues the literal on the next line.
		case '\\', '\'', '"':
			out = append(out, e)
		case 'a':
			out = append(out, '\a')
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'v':
			out = append(out, '\v')
		case '0', '1', '2', '3', '4', '5', '6', '7':
			v := 0
			j := i
			for ; j < len(text) && j < i+3 && '0' <= text[j] && text[j] <= '7'; j++ {
				v = v*8 + int(text[j]-'0')
			}
			i = j - 1
			if pre.bytes {
				out = append(out, byte(v))
			} else {
				out = utf8.AppendRune(out, rune(v))
			}
		case 'x', 'u', 'U':
			width := map[byte]int{'x': 2, 'u': 4, 'U': 8}[e]
			if pre.bytes && e != 'x' {
				out = append(out, '\\', e) // not an escape in bytes
				continue
			}
			hex := text[i+1 : min(i+1+width, len(text))]
			v, err := strconv.ParseUint(hex, 16, 32)
			if len(hex) < width || err != nil || strings.ContainsAny(hex, "+-_") {
				if pre.bytes {
					p.errorf(at, "(value error) invalid \\x escape at position %d", start)
				}
				p.errorf(at, "(unicode error) 'unicodeescape' codec can't decode bytes in position %d-%d: truncated %s escape",
					start, i+len(hex), map[byte]string{'x': `\xXX`, 'u': `\uXXXX`, 'U': `\UXXXXXXXX`}[e])
			}
			i += width
			switch {
			case pre.bytes:
				out = append(out, byte(v))
			case v > utf8.MaxRune:
				p.errorf(at, "(unicode error) 'unicodeescape' codec can't decode bytes in position %d-%d: illegal Unicode character", start, i)
			case 0xD800 <= v && v <= 0xDFFF:
				p.unsupported(at, "surrogate code point %s in string literal", text[start:i+1])
			default:
				out = utf8.AppendRune(out, rune(v))
			}
		case 'N':
			if pre.bytes {
				out = append(out, '\\', 'N')
				continue
			}
			p.unsupported(at, `\N{...} escape in string literal`)
		default:
			// Not an escape: the backslash stays (CPython warns).
			out = append(out, '\\', e)
		}
	}
	return string(out)
}
