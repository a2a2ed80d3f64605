package python

import (
	"encoding/binary"
	"math"
	"math/big"
	"math/bits"
	"strconv"
)

// This file defines how keys of dicts and sets are compared and hashed:
// hkey is a Go value equal for keys Python considers equal (1, 1.0 and
// True are one key), and pyHash is CPython's hash, so a set's slots, and
// with them its growth, match CPython's.

type hkey struct {
	kind uint8
	i    int64
	s    string
}

const (
	hkInt uint8 = iota + 1
	hkBig
	hkFloat
	hkStr
	hkBytes
	hkNone
	hkTuple
	hkOther // identity (functions, classes, instances...)
	hkEllipsis
)

// keyOf returns the key of v, or a TypeError for unhashable values.
func (in *Interp) keyOf(v Value) (hkey, error) {
	switch v := v.(type) {
	case *Int:
		if v.b == nil {
			return hkey{kind: hkInt, i: v.v}, nil
		}
		return hkey{kind: hkBig, s: v.b.String()}, nil
	case *Bool:
		if v.v {
			return hkey{kind: hkInt, i: 1}, nil
		}
		return hkey{kind: hkInt, i: 0}, nil
	case *Float:
		f := v.v
		if f == math.Trunc(f) && !math.IsInf(f, 0) {
			if math.Abs(f) < 1<<62 {
				return hkey{kind: hkInt, i: int64(f)}, nil
			}
			b, _ := big.NewFloat(f).Int(nil)
			return hkey{kind: hkBig, s: b.String()}, nil
		}
		return hkey{kind: hkFloat, i: int64(math.Float64bits(f))}, nil
	case *Str:
		v.hashed = true
		return hkey{kind: hkStr, s: v.s}, nil
	case *Bytes:
		return hkey{kind: hkBytes, s: v.b}, nil
	case *NoneType:
		return hkey{kind: hkNone}, nil
	case *EllipsisType:
		return hkey{kind: hkEllipsis}, nil
	case *Tuple:
		buf := make([]byte, 0, 16*len(v.items))
		for _, it := range v.items {
			k, err := in.keyOf(it)
			if err != nil {
				return hkey{}, err
			}
			buf = append(buf, k.kind)
			buf = binary.AppendVarint(buf, k.i)
			buf = binary.AppendUvarint(buf, uint64(len(k.s)))
			buf = append(buf, k.s...)
		}
		return hkey{kind: hkTuple, s: string(buf)}, nil
	case *List, *Dict:
		return hkey{}, in.typeError("unhashable type: '%s'", typeName(v))
	case *Set:
		if !v.frozen {
			return hkey{}, in.typeError("unhashable type: 'set'")
		}
	}
	return hkey{kind: hkOther, s: strconv.FormatUint(uint64(identity(v)), 16)}, nil
}

// pyHash returns CPython's hash of v (64-bit build, PYTHONHASHSEED=0 for
// str and bytes).
func (in *Interp) pyHash(v Value) int64 {
	switch v := v.(type) {
	case *Int:
		if v.b == nil {
			return hashInt64(v.v)
		}
		return hashBig(v.b)
	case *Bool:
		if v.v {
			return 1
		}
		return 0
	case *Float:
		return hashFloat(v.v)
	case *Str:
		return hashStr(v)
	case *Bytes:
		return fixHash(int64(siphash13([]byte(v.b))))
	case *Tuple:
		return in.hashTuple(v)
	}
	return fixHash(int64(identity(v) >> 4))
}

const hashModulus = (1 << 61) - 1 // _PyHASH_MODULUS

func fixHash(h int64) int64 {
	if h == -1 {
		return -2
	}
	return h
}

func hashInt64(v int64) int64 {
	neg := v < 0
	u := uint64(v)
	if neg {
		u = uint64(-v)
	}
	h := int64(u % hashModulus)
	if neg {
		h = -h
	}
	return fixHash(h)
}

func hashBig(b *big.Int) int64 {
	m := new(big.Int).Mod(new(big.Int).Abs(b), big.NewInt(hashModulus))
	h := m.Int64()
	if b.Sign() < 0 {
		h = -h
	}
	return fixHash(h)
}

// hashFloat is _Py_HashDouble.
func hashFloat(f float64) int64 {
	switch {
	case math.IsInf(f, 1):
		return 314159
	case math.IsInf(f, -1):
		return -314159
	case math.IsNaN(f):
		return 0
	}
	m, e := math.Frexp(f)
	sign := int64(1)
	if m < 0 {
		sign, m = -1, -m
	}
	var x uint64
	for m != 0 {
		x = ((x << 28) & hashModulus) | x>>(61-28)
		m *= 268435456.0
		e -= 28
		y := uint64(m)
		m -= float64(y)
		x += y
		if x >= hashModulus {
			x -= hashModulus
		}
	}
	if e >= 0 {
		e %= 61
	} else {
		e = 61 - 1 - ((-1 - e) % 61)
	}
	x = ((x << uint(e)) & hashModulus) | x>>(61-uint(e))
	return fixHash(int64(x) * sign)
}

// hashStr hashes a str's PEP 393 representation (1, 2 or 4 bytes a code
// point) with siphash13 and the key PYTHONHASHSEED=0 gives (all zeros).
func hashStr(s *Str) int64 {
	if s.n == 0 {
		return 0
	}
	var buf []byte
	switch s.kind {
	case 0, 1: // ASCII, latin-1
		buf = make([]byte, 0, s.n)
		for _, r := range s.s {
			buf = append(buf, byte(r))
		}
	case 2:
		buf = make([]byte, 0, 2*s.n)
		for _, r := range s.s {
			buf = binary.LittleEndian.AppendUint16(buf, uint16(r))
		}
	default:
		buf = make([]byte, 0, 4*s.n)
		for _, r := range s.s {
			buf = binary.LittleEndian.AppendUint32(buf, uint32(r))
		}
	}
	return fixHash(int64(siphash13(buf)))
}

// siphash13 is CPython's default string hash (Python/pyhash.c) with a
// zero key.
func siphash13(src []byte) uint64 {
	var k0, k1 uint64
	b := uint64(len(src)) << 56
	v0 := k0 ^ 0x736f6d6570736575
	v1 := k1 ^ 0x646f72616e646f6d
	v2 := k0 ^ 0x6c7967656e657261
	v3 := k1 ^ 0x7465646279746573
	round := func() {
		v0 += v1
		v1 = bits.RotateLeft64(v1, 13)
		v1 ^= v0
		v0 = bits.RotateLeft64(v0, 32)
		v2 += v3
		v3 = bits.RotateLeft64(v3, 16)
		v3 ^= v2
		v0 += v3
		v3 = bits.RotateLeft64(v3, 21)
		v3 ^= v0
		v2 += v1
		v1 = bits.RotateLeft64(v1, 17)
		v1 ^= v2
		v2 = bits.RotateLeft64(v2, 32)
	}
	for len(src) >= 8 {
		mi := binary.LittleEndian.Uint64(src)
		src = src[8:]
		v3 ^= mi
		round()
		v0 ^= mi
	}
	var t uint64
	for i := len(src) - 1; i >= 0; i-- {
		t = t<<8 | uint64(src[i])
	}
	b |= t
	v3 ^= b
	round()
	v0 ^= b
	v2 ^= 0xff
	round()
	round()
	round()
	return (v0 ^ v1) ^ (v2 ^ v3)
}

// hashTuple is tuplehash (xxHash-based, 3.8+).
func (in *Interp) hashTuple(t *Tuple) int64 {
	const (
		prime1 = 11400714785074694791
		prime2 = 14029467366897019727
		prime5 = 2870177450012600261
	)
	acc := uint64(prime5)
	for _, it := range t.items {
		lane := uint64(in.pyHash(it))
		acc += lane * prime2
		acc = bits.RotateLeft64(acc, 31)
		acc *= prime1
	}
	acc += uint64(len(t.items)) ^ (prime5 ^ 3527539)
	if acc == math.MaxUint64 {
		return 1546275796
	}
	return int64(acc)
}
