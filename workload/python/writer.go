package python

import (
	"strings"

	"github.com/heaptrace/heaptrace/model"
	"github.com/heaptrace/heaptrace/model/pyobj"
)

// This file defines the transient memory of CPython's text builders:
// _PyUnicodeWriter, which % formatting fills (a buffer over-allocated,
// grown, widened, and resized to fit at the end), the scratch int of
// base-10**9 digits behind str(int), and the char buffer
// PyOS_double_to_string returns for a float's digits. They only change
// peaks: each ends as the exact-size str the rest of the model makes.

// uwriter follows one _PyUnicodeWriter's buffer (Objects/unicodeobject.c).
type uwriter struct {
	in           *Interp
	addr         model.Addr // the buffer, a str block; 0 before the first write
	readonly     *Str       // the buffer is a str written whole (not over-allocated)
	size, pos    int        // capacity and length, in characters
	kind         pyobj.StrKind
	minLength    int
	overallocate bool
}

// prepare is _PyUnicodeWriter_Prepare: room for n more characters of kind.
func (w *uwriter) prepare(n int, kind pyobj.StrKind) error {
	if n == 0 || (w.addr != 0 && w.readonly == nil && kind <= w.kind && n <= w.size-w.pos) {
		return nil
	}
	newlen := w.pos + n
	grow := func() {
		if w.overallocate {
			newlen += newlen / 4 // OVERALLOCATE_FACTOR
		}
		newlen = max(newlen, w.minLength)
	}
	strs := &w.in.o.Strs
	switch {
	case w.addr == 0:
		grow()
		a, err := strs.New(kind, newlen)
		if err != nil {
			return w.in.memoryError(err)
		}
		w.addr, w.size, w.kind = a, newlen, kind
	case newlen > w.size || w.readonly != nil:
		if newlen > w.size {
			grow()
		} else {
			newlen = w.size
		}
		if kind > w.kind || w.readonly != nil {
			// a new, wider buffer; the old one (or the shared str) goes
			a, err := strs.New(max(kind, w.kind), newlen)
			if err != nil {
				return w.in.memoryError(err)
			}
			w.drop()
			w.addr, w.kind = a, max(kind, w.kind)
		} else {
			a, err := strs.Resize(w.addr, w.kind, newlen)
			if err != nil {
				return w.in.memoryError(err)
			}
			w.addr = a
		}
		w.size = newlen
	case kind > w.kind:
		a, err := strs.New(kind, w.size)
		if err != nil {
			return w.in.memoryError(err)
		}
		w.drop()
		w.addr, w.kind = a, kind
	}
	return nil
}

// drop lets go of the current buffer.
func (w *uwriter) drop() {
	if w.readonly != nil {
		w.in.decref(w.readonly)
		w.readonly = nil
	} else if w.addr != 0 {
		w.in.o.Strs.Free(w.addr)
	}
	w.addr = 0
}

// write adds n characters of kind.
func (w *uwriter) write(n int, kind pyobj.StrKind) error {
	if err := w.prepare(n, max(kind, pyobj.StrASCII)); err != nil {
		return err
	}
	w.pos += n
	return nil
}

// writeStr is _PyUnicodeWriter_WriteStr: a str written into an empty,
// not over-allocating writer becomes its buffer, shared.
func (w *uwriter) writeStr(s *Str) error {
	if s.n == 0 {
		return nil
	}
	if w.addr == 0 && w.readonly == nil && !w.overallocate {
		w.readonly = incref(s).(*Str)
		w.addr, w.size, w.kind = s.addr, s.n, s.kind
		w.pos += s.n
		return nil
	}
	return w.write(s.n, s.kind)
}

// finish is _PyUnicodeWriter_Finish: the buffer resized to its length, as
// the str text (the empty or a latin-1 singleton when that short).
func (w *uwriter) finish(text string) (Value, error) {
	if w.readonly != nil {
		return w.readonly, nil
	}
	if w.pos == 0 {
		w.drop()
		return w.in.emptyStr, nil
	}
	a := w.addr
	if w.pos != w.size {
		var err error
		if a, err = w.in.o.Strs.Resize(a, w.kind, w.pos); err != nil {
			w.drop()
			return nil, w.in.memoryError(err)
		}
	}
	if w.pos == 1 && w.kind <= pyobj.StrLatin1 {
		// unicode_result: the cached one-character str instead
		w.in.o.Strs.Free(a)
		return w.in.newStr(text)
	}
	return &Str{Obj: Obj{rc: 1, addr: a}, s: text, kind: w.kind, n: w.pos}, nil
}

// decimalScratch allocates the scratch int long_to_decimal_string_internal
// converts x into: 1 + n + n/99 digits of base 10**9 for n PyLong digits.
func (in *Interp) decimalScratch(x *Int) (model.Addr, error) {
	n := in.ndigits(x)
	a, err := in.o.Ints.NewBytes(in.o.Ints.Request(1+n+n/99, pyobj.IntExact))
	if err != nil {
		return 0, in.memoryError(err)
	}
	return a, nil
}

// intStr is str(x) and repr(x) of an int: the scratch int lives while the
// result is made.
func (in *Interp) intStr(x *Int) (Value, error) {
	scratch, err := in.decimalScratch(x)
	if err != nil {
		return nil, err
	}
	s, err := in.newStrAlloc(in.reprOf(x))
	in.o.Ints.Free(scratch)
	return s, err
}

// floatBuffer allocates the char buffer PyOS_double_to_string fills with
// text, a float's digits (format_float_short's upper bound: sign, point
// and NUL, each digit of the mantissa, 5 for an exponent).
func (in *Interp) floatBuffer(text string) (model.Addr, error) {
	mant, _, exp := strings.Cut(strings.ToLower(text), "e")
	n := int64(3)
	if exp {
		n += 5
	}
	digits := 0
	for _, c := range mant {
		if c >= '0' && c <= '9' {
			digits++
		}
	}
	if digits == 0 { // inf, nan
		digits = len(mant)
	}
	a, err := in.h.Malloc(in.h.Type("buffer"), n+int64(digits))
	if err != nil {
		return 0, in.memoryError(err)
	}
	return a, nil
}

// floatStr is str(x) and repr(x) of a float: the digits' buffer, the str
// made from it, the buffer freed.
func (in *Interp) floatStr(x *Float) (Value, error) {
	text := floatRepr(x.v)
	buf, err := in.floatBuffer(text)
	if err != nil {
		return nil, err
	}
	s, err := in.newStrAlloc(text)
	in.h.Free(buf)
	return s, err
}
