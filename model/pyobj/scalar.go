package pyobj

import (
	"math/big"

	"github.com/heaptrace/heaptrace/model"
)

// This file defines the allocators of immutable scalars: int, float, str
// and bytes. Each object is one allocation; none is ever resized except a
// str grown in place by the interpreter's += specialisation.

// IntAllocator allocates int objects. Small ints (-5..256) are cached and
// never allocated; there is no int free list in 3.11.
type IntAllocator struct {
	h   *model.Heap
	p   *Profile
	typ model.TypeID
}

// IntOrigin says which C path made an int: the request size depends on it.
type IntOrigin uint8

const (
	// IntFromLong is PyLong_FromLong and the arithmetic fast paths: a
	// one-digit value asks for sizeof(PyLongObject) (_PyLong_FromMedium).
	IntFromLong IntOrigin = iota
	// IntExact is _PyLong_New(ndigits): int(str), len(), PyLong_FromSsize_t;
	// a one-digit value asks for the exact 28 bytes.
	IntExact
)

// IsSmall reports whether v is one of the cached small ints.
func (a *IntAllocator) IsSmall(v *big.Int) bool {
	return v.IsInt64() && v.Int64() >= a.p.SmallIntMin && v.Int64() <= a.p.SmallIntMax
}

// Digits returns how many PyLong digits v needs (0 for zero).
func (a *IntAllocator) Digits(v *big.Int) int {
	bits := uint(v.BitLen())
	return int((bits + a.p.IntDigitBits - 1) / a.p.IntDigitBits)
}

// Request returns the bytes an int of ndigits digits asks for when made
// by origin.
func (a *IntAllocator) Request(ndigits int, origin IntOrigin) int64 {
	if ndigits <= 1 && origin == IntFromLong {
		return a.p.IntMedium
	}
	return a.p.IntHeader + a.p.IntDigitBytes*int64(max(ndigits, 1))
}

// SizeOf returns sys.getsizeof of an int of ndigits digits.
func (a *IntAllocator) SizeOf(ndigits int) int64 {
	return a.p.IntHeader + a.p.IntDigitBytes*int64(max(ndigits, 1))
}

// New allocates an int with room for ndigits digits. Callers check IsSmall
// first: small ints are not allocated.
func (a *IntAllocator) New(ndigits int, origin IntOrigin) (model.Addr, error) {
	return a.h.Malloc(a.typ, a.Request(ndigits, origin))
}

// NewBytes allocates an int of an explicit request size, for C paths that
// over-allocate digits and normalise afterwards (x_add, x_mul).
func (a *IntAllocator) NewBytes(n int64) (model.Addr, error) { return a.h.Malloc(a.typ, n) }

// AddRequest returns the bytes long_add or long_sub ask for when their
// operands have da and db digits and the result dr. Two one-digit operands
// take the fast path (a medium result asks sizeof(PyLongObject), a larger
// one its exact digits); otherwise x_add allocates one digit more than the
// longer operand and x_sub as many, and normalising never shrinks the
// block. magnitudeAdd says whether the magnitudes are added (same signs
// for +, different for -).
func (a *IntAllocator) AddRequest(da, db, dr int, magnitudeAdd bool) int64 {
	if da <= 1 && db <= 1 {
		return a.Request(dr, IntFromLong)
	}
	n := max(da, db)
	if magnitudeAdd {
		n++
	}
	return a.Request(n, IntExact)
}

// MulRequest returns the bytes long_mul asks for: the fast path for two
// one-digit operands, else x_mul's da+db digits.
func (a *IntAllocator) MulRequest(da, db, dr int) int64 {
	if da <= 1 && db <= 1 {
		return a.Request(dr, IntFromLong)
	}
	return a.Request(da+db, IntExact)
}

// Free frees an int.
func (a *IntAllocator) Free(addr model.Addr) { a.h.Free(addr) }

// FloatAllocator allocates float objects through a free list of
// PyFloat_MAXFREELIST entries.
type FloatAllocator struct {
	h    *model.Heap
	p    *Profile
	typ  model.TypeID
	free freeList
}

// New allocates a float, from the free list when it has one.
func (a *FloatAllocator) New() (model.Addr, error) {
	return a.free.alloc(a.h, a.typ, a.p.FloatSize)
}

// Free parks the float on the free list, or frees it when the list is full.
func (a *FloatAllocator) Free(addr model.Addr) {
	if !a.free.push(a.h, addr, a.p.FloatFreeList) {
		a.h.Free(addr)
	}
}

// SizeOf returns sys.getsizeof of a float.
func (a *FloatAllocator) SizeOf() int64 { return a.p.FloatSize }

// Parked returns the number of floats on the free list.
func (a *FloatAllocator) Parked() int { return a.free.Len() }

func (a *FloatAllocator) clear() { a.free.clear(a.h) }

// StrKind is the width of a str's characters (PEP 393).
type StrKind uint8

const (
	StrASCII  StrKind = iota // max char < 128
	StrLatin1                // < 256
	StrBMP                   // < 65536
	StrAstral                // the rest
)

// KindOf returns the kind of the string s.
func KindOf(s string) StrKind {
	k := StrASCII
	for _, r := range s {
		switch {
		case r >= 0x10000:
			return StrAstral
		case r >= 0x100:
			k = StrBMP
		case r >= 0x80 && k < StrLatin1:
			k = StrLatin1
		}
	}
	return k
}

// StrAllocator allocates str objects: PyUnicode_New's compact layouts.
type StrAllocator struct {
	h   *model.Heap
	p   *Profile
	typ model.TypeID
}

// Cached reports whether a str of this kind and length is a singleton
// (the empty string, one latin-1 character) that is never allocated.
func (a *StrAllocator) Cached(kind StrKind, length int) bool {
	return length == 0 || (length == 1 && kind <= StrLatin1)
}

// SizeOf returns sys.getsizeof (and the request) of a str.
func (a *StrAllocator) SizeOf(kind StrKind, length int) int64 {
	n := int64(length)
	switch kind {
	case StrASCII:
		return a.p.StrASCIIHeader + n + 1
	case StrLatin1:
		return a.p.StrCompactHeader + n + 1
	case StrBMP:
		return a.p.StrCompactHeader + 2*(n+1)
	default:
		return a.p.StrCompactHeader + 4*(n+1)
	}
}

// SingletonSizeOf returns sys.getsizeof of a cached one-character str of
// this kind (ASCII or latin-1).
func (a *StrAllocator) SingletonSizeOf(kind StrKind) int64 {
	n := a.SizeOf(kind, 1)
	if kind == StrLatin1 && a.p.Latin1SingletonUTF8 {
		n += 3 // two UTF-8 bytes and a NUL
	}
	return n
}

// New allocates a str. Callers check Cached first.
func (a *StrAllocator) New(kind StrKind, length int) (model.Addr, error) {
	return a.h.Malloc(a.typ, a.SizeOf(kind, length))
}

// Resize grows or shrinks a str in place with PyObject_Realloc, as
// PyUnicode_Append does when it owns the only reference.
func (a *StrAllocator) Resize(addr model.Addr, kind StrKind, length int) (model.Addr, error) {
	return a.h.Realloc(addr, a.SizeOf(kind, length))
}

// Free frees a str.
func (a *StrAllocator) Free(addr model.Addr) { a.h.Free(addr) }

// BytesAllocator allocates bytes objects; b"" and one-byte values are
// singletons.
type BytesAllocator struct {
	h   *model.Heap
	p   *Profile
	typ model.TypeID
}

// Cached reports whether bytes of this length are a singleton.
func (a *BytesAllocator) Cached(length int) bool { return length <= 1 }

// SizeOf returns sys.getsizeof (and the request) of bytes of this length.
func (a *BytesAllocator) SizeOf(length int) int64 { return a.p.BytesHeader + int64(length) }

// New allocates bytes. Callers check Cached first.
func (a *BytesAllocator) New(length int) (model.Addr, error) {
	return a.h.Malloc(a.typ, a.SizeOf(length))
}

// Free frees bytes.
func (a *BytesAllocator) Free(addr model.Addr) { a.h.Free(addr) }
