package python

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/heaptrace/heaptrace/model"
	"github.com/heaptrace/heaptrace/model/pyobj"
)

// This file defines str(), repr(), format() and % formatting. The Go-level
// helpers (strOf, reprOf) allocate nothing; str, repr and format return
// new Python strs of the result's exact size, as CPython's writers do.

func (in *Interp) strOf(v Value) string {
	switch v := v.(type) {
	case *Str:
		return v.s
	case *Exception:
		if v.args != nil && len(v.args.items) == 1 {
			if v.typ.name == "KeyError" {
				return in.reprOf(v.args.items[0])
			}
			return in.strOf(v.args.items[0])
		}
		return v.msg
	}
	return in.reprOf(v)
}

func (in *Interp) reprOf(v Value) string {
	switch v := v.(type) {
	case *NoneType:
		return "None"
	case *Bool:
		if v.v {
			return "True"
		}
		return "False"
	case *Int:
		if v.b != nil {
			return v.b.String()
		}
		return strconv.FormatInt(v.v, 10)
	case *Float:
		return floatRepr(v.v)
	case *Str:
		return strRepr(v.s)
	case *Bytes:
		return bytesRepr(v.b)
	case *Tuple:
		if len(v.items) == 1 {
			return "(" + in.reprOf(v.items[0]) + ",)"
		}
		return "(" + in.joinReprs(v.items) + ")"
	case *List:
		return "[" + in.joinReprs(v.items) + "]"
	case *Dict:
		var parts []string
		for _, e := range v.entries {
			if e.live {
				parts = append(parts, in.reprOf(e.key)+": "+in.reprOf(e.val))
			}
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case *Set:
		if len(v.items) == 0 {
			if v.frozen {
				return "frozenset()"
			}
			return "set()"
		}
		s := "{" + in.joinReprs(in.setKeys(v)) + "}"
		if v.frozen {
			return "frozenset(" + s + ")"
		}
		return s
	case *Range:
		if v.step == 1 {
			return fmt.Sprintf("range(%d, %d)", v.start, v.stop)
		}
		return fmt.Sprintf("range(%d, %d, %d)", v.start, v.stop, v.step)
	case *Function:
		return fmt.Sprintf("<function %s at 0x%x>", v.code.qualname, identity(v))
	case *Builtin:
		return fmt.Sprintf("<built-in function %s>", v.name)
	case *Exception:
		if v.args == nil {
			return v.typ.name + "()"
		}
		if len(v.args.items) == 1 {
			return v.typ.name + "(" + in.reprOf(v.args.items[0]) + ")"
		}
		return v.typ.name + in.reprOf(v.args)
	case *ExcType:
		return "<class '" + v.name + "'>"
	case *Class:
		return "<class '__main__." + v.name + "'>"
	case *Instance:
		return fmt.Sprintf("<__main__.%s object at 0x%x>", v.class.name, identity(v))
	case *Module:
		return "<module '" + v.name + "'>"
	case *EllipsisType:
		return "Ellipsis"
	}
	return fmt.Sprintf("<%s object at 0x%x>", typeName(v), identity(v))
}

func (in *Interp) joinReprs(items []Value) string {
	parts := make([]string, len(items))
	for i, x := range items {
		parts[i] = in.reprOf(x)
	}
	return strings.Join(parts, ", ")
}

// floatRepr is repr(float): the shortest digits that round-trip, in fixed
// notation for exponents -4..15, else exponent notation.
func floatRepr(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	s := strconv.FormatFloat(f, 'e', -1, 64) // d.ddde±XX
	mant, expStr, _ := strings.Cut(s, "e")
	exp, _ := strconv.Atoi(expStr)
	neg := strings.HasPrefix(mant, "-")
	mant = strings.TrimPrefix(mant, "-")
	digits := strings.Replace(mant, ".", "", 1)
	sign := ""
	if neg {
		sign = "-"
	}
	if exp < -4 || exp >= 16 {
		m := digits[:1]
		if len(digits) > 1 {
			m += "." + digits[1:]
		}
		es := "+"
		if exp < 0 {
			es, exp = "-", -exp
		}
		return fmt.Sprintf("%s%se%s%02d", sign, m, es, exp)
	}
	var out string
	if exp >= 0 {
		if len(digits) <= exp+1 {
			out = digits + strings.Repeat("0", exp+1-len(digits)) + ".0"
		} else {
			out = digits[:exp+1] + "." + digits[exp+1:]
		}
	} else {
		out = "0." + strings.Repeat("0", -exp-1) + digits
	}
	return sign + out
}

func strRepr(s string) string {
	quote := byte('\'')
	if strings.Contains(s, "'") && !strings.Contains(s, "\"") {
		quote = '"'
	}
	var b strings.Builder
	b.WriteByte(quote)
	for _, r := range s {
		switch {
		case r == rune(quote) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r >= 0x80 && r < 0xa0:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(quote)
	return b.String()
}

func bytesRepr(s string) string {
	quote := byte('\'')
	if strings.Contains(s, "'") && !strings.Contains(s, "\"") {
		quote = '"'
	}
	var b strings.Builder
	b.WriteString("b")
	b.WriteByte(quote)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == quote || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(&b, `\x%02x`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte(quote)
	return b.String()
}

// str is str(v) as a new reference: a str is returned itself, None and
// the bools return interned strs, an int's digits fill a new str.
func (in *Interp) str(v Value) (Value, error) {
	switch x := v.(type) {
	case *Str:
		return incref(x), nil
	case *Int:
		return in.intStr(x)
	case *Float:
		return in.floatStr(x)
	case *NoneType, *Bool:
		return in.internName(in.reprOf(x)), nil
	}
	return in.newStr(in.strOf(v))
}

// repr is repr(v) as a new str.
func (in *Interp) repr(v Value) (Value, error) {
	switch x := v.(type) {
	case *Int:
		return in.intStr(x)
	case *Float:
		return in.floatStr(x)
	case *NoneType, *Bool:
		return in.internName(in.reprOf(x)), nil
	}
	return in.newStr(in.reprOf(v))
}

// format is format(v, spec) (FORMAT_VALUE): a str with an empty spec is
// returned itself.
func (in *Interp) format(v Value, spec string) (Value, error) {
	if spec == "" {
		return in.str(v)
	}
	s, err := in.formatSpec(v, spec)
	if err != nil {
		return nil, err
	}
	return in.newStr(s)
}

type fspec struct {
	fill      rune
	align     byte
	sign      byte
	alt, zero bool
	width     int
	comma     byte
	prec      int
	typ       byte
}

func parseSpec(spec string) (fspec, bool) {
	f := fspec{fill: ' ', prec: -1}
	r := []rune(spec)
	i := 0
	isAlign := func(c rune) bool { return c == '<' || c == '>' || c == '^' || c == '=' }
	if len(r) >= 2 && isAlign(r[1]) {
		f.fill, f.align = r[0], byte(r[1])
		i = 2
	} else if len(r) >= 1 && isAlign(r[0]) {
		f.align = byte(r[0])
		i = 1
	}
	if i < len(r) && (r[i] == '+' || r[i] == '-' || r[i] == ' ') {
		f.sign = byte(r[i])
		i++
	}
	if i < len(r) && r[i] == '#' {
		f.alt = true
		i++
	}
	if i < len(r) && r[i] == '0' {
		f.zero = true
		i++
	}
	for i < len(r) && r[i] >= '0' && r[i] <= '9' {
		f.width = f.width*10 + int(r[i]-'0')
		i++
	}
	if i < len(r) && (r[i] == ',' || r[i] == '_') {
		f.comma = byte(r[i])
		i++
	}
	if i < len(r) && r[i] == '.' {
		i++
		f.prec = 0
		start := i
		for i < len(r) && r[i] >= '0' && r[i] <= '9' {
			f.prec = f.prec*10 + int(r[i]-'0')
			i++
		}
		if i == start {
			return f, false
		}
	}
	if i < len(r) {
		f.typ = byte(r[i])
		i++
	}
	return f, i == len(r)
}

func (in *Interp) formatSpec(v Value, spec string) (string, error) {
	f, ok := parseSpec(spec)
	if !ok {
		return "", in.valueError("Invalid format specifier '%s' for object of type '%s'", spec, typeName(v))
	}
	var body string
	numeric := false
	neg := false
	switch x := v.(type) {
	case *Str:
		if f.typ != 0 && f.typ != 's' {
			return "", in.valueError("Unknown format code '%c' for object of type 'str'", f.typ)
		}
		body = x.s
		if f.prec >= 0 && utf8.RuneCountInString(body) > f.prec {
			body = string([]rune(body)[:f.prec])
		}
	case *Int, *Bool:
		i, _ := asInt(x)
		numeric = true
		b := i.big()
		switch f.typ {
		case 0, 'd', 'n':
			neg = b.Sign() < 0
			body = new(big.Int).Abs(b).String()
			body = groupDigits(body, f.comma)
		case 'x', 'X', 'o', 'b':
			neg = b.Sign() < 0
			base := map[byte]int{'x': 16, 'X': 16, 'o': 8, 'b': 2}[f.typ]
			body = new(big.Int).Abs(b).Text(base)
			if f.typ == 'X' {
				body = strings.ToUpper(body)
			}
			if f.alt {
				body = "0" + strings.ToLower(string(f.typ)) + body
			}
		case 'c':
			body = string(rune(i.v))
			numeric = false
		case 'e', 'E', 'f', 'F', 'g', 'G', '%':
			fl, _ := asFloat(x)
			neg = fl < 0
			body = formatFloat(math.Abs(fl), f)
		default:
			return "", in.valueError("Unknown format code '%c' for object of type 'int'", f.typ)
		}
	case *Float:
		numeric = true
		neg = x.v < 0 || (x.v == 0 && math.Signbit(x.v))
		body = formatFloat(math.Abs(x.v), f)
	default:
		if f.typ != 0 {
			return "", in.typeError("unsupported format string passed to %s.__format__", typeName(v))
		}
		body = in.strOf(v)
	}
	sign := ""
	if numeric {
		switch {
		case neg:
			sign = "-"
		case f.sign == '+':
			sign = "+"
		case f.sign == ' ':
			sign = " "
		}
	}
	align := f.align
	if align == 0 {
		if numeric {
			align = '>'
		} else {
			align = '<'
		}
	}
	fill := f.fill
	if f.zero && f.align == 0 {
		fill, align = '0', '='
	}
	n := utf8.RuneCountInString(sign + body)
	pad := f.width - n
	if pad <= 0 {
		return sign + body, nil
	}
	p := strings.Repeat(string(fill), pad)
	switch align {
	case '<':
		return sign + body + p, nil
	case '^':
		return strings.Repeat(string(fill), pad/2) + sign + body + strings.Repeat(string(fill), pad-pad/2), nil
	case '=':
		return sign + p + body, nil
	}
	return p + sign + body, nil
}

func groupDigits(s string, sep byte) string {
	if sep == 0 || len(s) <= 3 {
		return s
	}
	var b strings.Builder
	first := len(s) % 3
	if first > 0 {
		b.WriteString(s[:first])
	}
	for i := first; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(sep)
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// formatFloat formats a non-negative float per a spec's type and precision.
func formatFloat(x float64, f fspec) string {
	prec := f.prec
	var s string
	switch f.typ {
	case 'f', 'F':
		if prec < 0 {
			prec = 6
		}
		s = strconv.FormatFloat(x, 'f', prec, 64)
	case 'e', 'E':
		if prec < 0 {
			prec = 6
		}
		s = pyExp(strconv.FormatFloat(x, 'e', prec, 64))
		if f.typ == 'E' {
			s = strings.ToUpper(s)
		}
	case '%':
		if prec < 0 {
			prec = 6
		}
		s = strconv.FormatFloat(x*100, 'f', prec, 64) + "%"
	case 'g', 'G':
		if prec < 0 {
			prec = 6
		}
		if prec == 0 {
			prec = 1
		}
		s = pyExp(strconv.FormatFloat(x, 'g', prec, 64))
		if f.alt && !strings.Contains(s, ".") {
			s += "."
		}
	default: // no type: like repr, or 'g'-like with a precision
		if prec < 0 {
			s = floatRepr(x)
		} else {
			if prec == 0 {
				prec = 1
			}
			s = pyExp(strconv.FormatFloat(x, 'g', prec, 64))
			if !strings.ContainsAny(s, ".e") && !strings.Contains(s, "inf") && !strings.Contains(s, "nan") {
				s += ".0"
			}
		}
	}
	if f.comma != 0 {
		intPart, frac, hasFrac := strings.Cut(s, ".")
		s = groupDigits(intPart, f.comma)
		if hasFrac {
			s += "." + frac
		}
	}
	return s
}

// pyExp rewrites Go's exponent (e+06) into Python's (e+06 too, but Go
// writes e+100 and Python e+100; only a single-digit exponent differs).
func pyExp(s string) string {
	i := strings.LastIndexAny(s, "eE")
	if i < 0 || i+2 >= len(s) {
		return s
	}
	exp := s[i+2:]
	if len(exp) == 1 {
		return s[:i+2] + "0" + exp
	}
	return s
}

// percentFormat is str % args (PyUnicode_Format).
func (in *Interp) percentFormat(s *Str, args Value) (Value, error) {
	var items []Value
	var mapping *Dict
	switch a := args.(type) {
	case *Tuple:
		items = a.items
	case *Dict:
		mapping = a
		items = []Value{a}
	default:
		items = []Value{args}
	}
	// PyUnicode_Format writes into a _PyUnicodeWriter at least the format's
	// length + 100 characters long, over-allocating until the last piece
	r := []rune(s.s)
	w := &uwriter{in: in, minLength: len(r) + 100, overallocate: true, kind: pyobj.StrASCII}
	fail := func(err error) (Value, error) {
		w.drop()
		return nil, err
	}
	var b strings.Builder
	ai := 0
	for i := 0; i < len(r); i++ {
		if r[i] != '%' {
			j := i
			for j < len(r) && r[j] != '%' {
				j++
			}
			chunk := string(r[i:j])
			b.WriteString(chunk)
			if j == len(r) {
				w.overallocate = false
			}
			var err error
			if i == 0 && j == len(r) {
				err = w.writeStr(s) // the whole format: it may be the result itself
			} else {
				err = w.write(j-i, pyobj.KindOf(chunk))
			}
			if err != nil {
				return fail(err)
			}
			i = j - 1
			continue
		}
		i++
		if i >= len(r) {
			return fail(in.valueError("incomplete format"))
		}
		var arg Value
		if r[i] == '(' && mapping != nil {
			j := i + 1
			for j < len(r) && r[j] != ')' {
				j++
			}
			key := string(r[i+1 : j])
			v, ok := in.dictGetStr(mapping, key)
			if !ok {
				k, _ := in.newStr(key)
				return fail(in.newException(in.exc.byName["KeyError"], []Value{k}))
			}
			arg = v
			i = j + 1
		}
		start := i
		for i < len(r) && strings.ContainsRune("-+ #0123456789.", r[i]) {
			i++
		}
		if i >= len(r) {
			return fail(in.valueError("incomplete format"))
		}
		flags := string(r[start:i])
		conv := r[i]
		if conv == '%' {
			b.WriteByte('%')
			if err := w.write(1, pyobj.StrASCII); err != nil {
				return fail(err)
			}
			continue
		}
		if arg == nil {
			if ai >= len(items) {
				return fail(in.typeError("not enough arguments for format string"))
			}
			arg = items[ai]
			ai++
		}
		if i == len(r)-1 {
			w.overallocate = false // the last piece (unicode_format_arg_format)
		}
		spec := percentToSpec(flags)
		var piece string
		var err error
		switch conv {
		case 's':
			piece, err = in.formatSpec(staticStr(in.strOf(arg)), spec)
		case 'r', 'a':
			piece, err = in.formatSpec(staticStr(in.reprOf(arg)), spec)
		case 'd', 'i', 'u':
			iv, ok := asInt(arg)
			if !ok {
				if fv, ok := arg.(*Float); ok {
					bi, _ := big.NewFloat(math.Trunc(fv.v)).Int(nil)
					iv = &Int{b: bi}
					if bi.IsInt64() {
						iv = &Int{v: bi.Int64()}
					}
				} else {
					return fail(in.typeError("%%%c format: a real number is required, not %s", conv, typeName(arg)))
				}
			}
			piece, err = in.formatSpec(iv, spec+"d")
		case 'f', 'F', 'e', 'E', 'g', 'G', 'x', 'X', 'o', 'c':
			piece, err = in.formatSpec(arg, spec+string(conv))
		default:
			return fail(in.valueError("unsupported format character '%c'", conv))
		}
		if err != nil {
			return fail(err)
		}
		b.WriteString(piece)
		if err := in.percentArg(w, conv, flags, arg, piece); err != nil {
			return fail(err)
		}
	}
	if mapping == nil && ai < len(items) {
		return fail(in.typeError("not all arguments converted during string formatting"))
	}
	return w.finish(b.String())
}

// percentArg makes the memory of one formatted argument, piece, in w as
// unicode_format_arg does: ints and floats without width or precision are
// written in place (an int through its scratch, a float through its digit
// buffer); anything else becomes a str first (the argument itself for a
// str's %s), then copied in, padded.
func (in *Interp) percentArg(w *uwriter, conv rune, flags string, arg Value, piece string) error {
	width, prec, sign := parsePercentFlags(flags)
	plain := width < 0 && prec < 0
	x, exactInt := arg.(*Int)
	switch {
	case exactInt && plain && (conv == 's' || conv == 'r' || conv == 'a' || (!sign && (conv == 'd' || conv == 'i' || conv == 'u'))):
		scratch, err := in.decimalScratch(x)
		if err != nil {
			return err
		}
		err = w.write(runeCount(piece), pyobj.StrASCII)
		in.o.Ints.Free(scratch)
		return err
	case exactInt && plain && !sign && (conv == 'x' || conv == 'o'):
		return w.write(runeCount(piece), pyobj.StrASCII)
	case conv == 'c' && plain:
		return w.write(1, pyobj.KindOf(piece))
	}
	if _, ok := arg.(*Float); ok && strings.ContainsRune("fFeEgG", conv) {
		digits := strings.TrimSpace(piece)
		if plain && !sign {
			buf, err := in.floatBuffer(digits)
			if err != nil {
				return err
			}
			err = w.write(runeCount(piece), pyobj.StrASCII)
			in.h.Free(buf)
			return err
		}
		buf, err := in.floatBuffer(digits)
		if err != nil {
			return err
		}
		tmp, err := in.newStrAlloc(strings.TrimLeft(digits, "+ "))
		in.h.Free(buf)
		if err != nil {
			return err
		}
		err = in.percentOutput(w, tmp, width, prec, sign, piece)
		in.decref(tmp)
		return err
	}
	var tmp Value
	var err error
	switch {
	case conv == 's':
		tmp, err = in.str(arg)
	case conv == 'r' || conv == 'a':
		tmp, err = in.repr(arg)
	case exactInt || isInt(arg):
		// _PyUnicode_FormatLong: the digits as a str of their own
		if xi, ok := asInt(arg); ok && conv != 'x' && conv != 'X' && conv != 'o' {
			var scratch model.Addr
			if scratch, err = in.decimalScratch(xi); err != nil {
				return err
			}
			tmp, err = in.newStrAlloc(in.reprOf(xi))
			in.o.Ints.Free(scratch)
		} else {
			tmp, err = in.newStrAlloc(strings.TrimSpace(piece))
		}
	default:
		tmp, err = in.newStrAlloc(strings.TrimSpace(piece))
	}
	if err != nil {
		return err
	}
	err = in.percentOutput(w, tmp, width, prec, sign, piece)
	in.decref(tmp)
	return err
}

// percentOutput is unicode_format_arg_output: a str that needs no
// padding, truncation or sign is written whole (it may become the
// writer's buffer), anything else as the padded piece.
func (in *Interp) percentOutput(w *uwriter, v Value, width, prec int, sign bool, piece string) error {
	s, ok := v.(*Str)
	if !ok {
		return w.write(runeCount(piece), pyobj.KindOf(piece))
	}
	if (width < 0 || width <= s.n) && (prec < 0 || prec >= s.n) && !sign {
		return w.writeStr(s)
	}
	return w.write(runeCount(piece), pyobj.KindOf(piece))
}

// parsePercentFlags reads a %-spec's flags, width and precision ("-08.2"):
// -1 for a width or precision not given; sign is a '+' or ' ' flag.
func parsePercentFlags(flags string) (width, prec int, sign bool) {
	i := 0
	for i < len(flags) && strings.ContainsRune("-+ #0", rune(flags[i])) {
		sign = sign || flags[i] == '+' || flags[i] == ' '
		i++
	}
	width, prec = -1, -1
	num := func() int {
		n := -1
		for i < len(flags) && flags[i] >= '0' && flags[i] <= '9' {
			n = max(n, 0)*10 + int(flags[i]-'0')
			i++
		}
		return n
	}
	width = num()
	if i < len(flags) && flags[i] == '.' {
		i++
		prec = max(num(), 0)
	}
	return width, prec, sign
}

func isInt(v Value) bool {
	switch v.(type) {
	case *Int, *Bool:
		return true
	}
	return false
}

// percentToSpec turns %-flags ("-08.2") into a format spec.
func percentToSpec(flags string) string {
	left := strings.Contains(flags, "-")
	flags = strings.ReplaceAll(flags, "-", "")
	var pre string
	if strings.Contains(flags, "+") {
		pre = "+"
		flags = strings.ReplaceAll(flags, "+", "")
	} else if strings.Contains(flags, " ") {
		pre = " "
		flags = strings.ReplaceAll(flags, " ", "")
	}
	alt := ""
	if strings.Contains(flags, "#") {
		alt = "#"
		flags = strings.ReplaceAll(flags, "#", "")
	}
	spec := pre + alt + flags
	if left {
		spec = "<" + strings.TrimLeft(spec, "0")
	}
	return spec
}

// strFormat is str.format(*args, **kwargs).
func (in *Interp) strFormat(s *Str, args []Value, kws []kwArg) (Value, error) {
	var b strings.Builder
	r := []rune(s.s)
	auto := 0
	for i := 0; i < len(r); i++ {
		c := r[i]
		if c == '}' {
			if i+1 < len(r) && r[i+1] == '}' {
				i++
			}
			b.WriteRune('}')
			continue
		}
		if c != '{' {
			b.WriteRune(c)
			continue
		}
		if i+1 < len(r) && r[i+1] == '{' {
			b.WriteRune('{')
			i++
			continue
		}
		j := i + 1
		depth := 1
		for j < len(r) && depth > 0 {
			if r[j] == '{' {
				depth++
			} else if r[j] == '}' {
				depth--
			}
			if depth > 0 {
				j++
			}
		}
		if j >= len(r) {
			return nil, in.valueError("expected '}' before end of string")
		}
		field := string(r[i+1 : j])
		i = j
		name, spec, _ := strings.Cut(field, ":")
		conv := byte(0)
		if k := strings.IndexByte(name, '!'); k >= 0 {
			if k+1 < len(name) {
				conv = name[k+1]
			}
			name = name[:k]
		}
		var v Value
		switch {
		case name == "":
			if auto >= len(args) {
				return nil, in.raise("IndexError", "Replacement index %d out of range for positional args tuple", auto)
			}
			v = args[auto]
			auto++
		case name[0] >= '0' && name[0] <= '9':
			k, _ := strconv.Atoi(name)
			if k >= len(args) {
				return nil, in.raise("IndexError", "Replacement index %d out of range for positional args tuple", k)
			}
			v = args[k]
		default:
			for _, kw := range kws {
				if kw.name == name {
					v = kw.val
				}
			}
			if v == nil {
				k, _ := in.newStr(name)
				return nil, in.newException(in.exc.byName["KeyError"], []Value{k})
			}
		}
		switch conv {
		case 'r', 'a':
			v = staticStr(in.reprOf(v))
		case 's':
			v = staticStr(in.strOf(v))
		}
		piece, err := in.formatSpec(v, spec)
		if err != nil {
			return nil, err
		}
		b.WriteString(piece)
	}
	return in.newStr(b.String())
}
