package python

import (
	"github.com/heaptrace/heaptrace/model"
	"github.com/heaptrace/heaptrace/workload/python/syntax"
)

// This file defines list.sort as CPython 3.11 runs it (Objects/listobject.c,
// listsort): timsort with powersort's merge policy. The algorithm matters
// for memory: each merge of runs of na and nb items (after the galloping
// trims) needs a scratch array of min(na, nb) pointers, twice that with a
// key function, malloc'd when it outgrows what it had (256 pointers on the
// C stack to begin with, 128 keys + 128 values with a key function).

const (
	mergeTempSize = 256 // MERGESTATE_TEMP_SIZE
	minGallop     = 7   // MIN_GALLOP
)

type run struct {
	base, len int
	power     int
}

type timsort struct {
	in      *Interp
	keys    []Value // compared; the values move with them
	vals    []Value
	err     error
	alloced int        // pointers the scratch array holds
	scratch model.Addr // the malloc'd scratch array, or 0
	mult    int        // 2 with a key function: keys and values
	pending []run
	n       int
}

func (s *timsort) lt(a, b Value) bool {
	if s.err != nil {
		return false
	}
	c, err := s.in.order(a, b, syntax.Lt)
	if err != nil {
		s.err = err
		return false
	}
	return c == -1
}

// sortValues sorts vals by keys (both in place; keys may be vals itself).
func (in *Interp) sortValues(keys, vals []Value, hasKey bool) error {
	n := len(keys)
	s := &timsort{in: in, keys: keys, vals: vals, n: n, mult: 1, alloced: mergeTempSize}
	if hasKey {
		s.mult = 2
		s.alloced = min((n+1)/2, mergeTempSize/2)
	}
	defer func() {
		if s.scratch != 0 {
			in.h.Free(s.scratch)
		}
	}()
	if n < 2 {
		return nil
	}
	minrun := computeMinrun(n)
	lo := 0
	remaining := n
	for remaining > 0 {
		r, desc := s.countRun(lo, lo+remaining)
		if desc {
			s.reverse(lo, lo+r)
		}
		if r < minrun {
			force := min(remaining, minrun)
			s.binarySort(lo, lo+force, lo+r)
			r = force
		}
		if err := s.foundNewRun(r); err != nil {
			return err
		}
		s.pending = append(s.pending, run{base: lo, len: r})
		lo += r
		remaining -= r
	}
	for len(s.pending) > 1 {
		i := len(s.pending) - 2
		if i > 0 && s.pending[i-1].len < s.pending[i+1].len {
			i--
		}
		if err := s.mergeAt(i); err != nil {
			return err
		}
	}
	return s.err
}

func computeMinrun(n int) int {
	r := 0
	for n >= 64 {
		r |= n & 1
		n >>= 1
	}
	return n + r
}

// countRun returns the length of the run at lo and whether it is strictly
// descending.
func (s *timsort) countRun(lo, hi int) (int, bool) {
	if lo+1 == hi {
		return 1, false
	}
	k := s.keys
	n := 2
	if s.lt(k[lo+1], k[lo]) {
		for i := lo + 2; i < hi && s.lt(k[i], k[i-1]); i++ {
			n++
		}
		return n, true
	}
	for i := lo + 2; i < hi && !s.lt(k[i], k[i-1]); i++ {
		n++
	}
	return n, false
}

func (s *timsort) reverse(lo, hi int) {
	for i, j := lo, hi-1; i < j; i, j = i+1, j-1 {
		s.keys[i], s.keys[j] = s.keys[j], s.keys[i]
		if &s.vals[0] != &s.keys[0] {
			s.vals[i], s.vals[j] = s.vals[j], s.vals[i]
		}
	}
}

// binarySort extends the sorted prefix [lo, start) to [lo, hi).
func (s *timsort) binarySort(lo, hi, start int) {
	sameArrays := &s.vals[0] == &s.keys[0]
	for ; start < hi; start++ {
		pivot, pv := s.keys[start], s.vals[start]
		l, r := lo, start
		for l < r {
			p := l + (r-l)/2
			if s.lt(pivot, s.keys[p]) {
				r = p
			} else {
				l = p + 1
			}
		}
		copy(s.keys[l+1:start+1], s.keys[l:start])
		s.keys[l] = pivot
		if !sameArrays {
			copy(s.vals[l+1:start+1], s.vals[l:start])
			s.vals[l] = pv
		}
	}
}

func powerloop(s1, n1, n2, n int) int {
	result := 0
	a := 2*s1 + n1
	b := a + n1 + n2
	for {
		result++
		if a >= n {
			a -= n
			b -= n
		} else if b >= n {
			break
		}
		a <<= 1
		b <<= 1
	}
	return result
}

func (s *timsort) foundNewRun(n2 int) error {
	if len(s.pending) == 0 {
		return nil
	}
	last := &s.pending[len(s.pending)-1]
	power := powerloop(last.base, last.len, n2, s.n)
	for len(s.pending) > 1 && s.pending[len(s.pending)-2].power > power {
		if err := s.mergeAt(len(s.pending) - 2); err != nil {
			return err
		}
	}
	s.pending[len(s.pending)-1].power = power
	return s.err
}

// mergeAt merges runs i and i+1: the galloping trims first, then a merge
// with a scratch array of the smaller remainder.
func (s *timsort) mergeAt(i int) error {
	a, b := s.pending[i], s.pending[i+1]
	s.pending[i].len = a.len + b.len
	s.pending = append(s.pending[:i+1], s.pending[i+2:]...)
	// elements of a that are <= b[0] are in place (gallop_right)
	k := s.upperBound(a.base, a.base+a.len, s.keys[b.base])
	na := a.base + a.len - k
	if na == 0 {
		return s.err
	}
	// elements of b that are >= a[last] are in place (gallop_left)
	nb := s.lowerBound(b.base, b.base+b.len, s.keys[a.base+a.len-1]) - b.base
	if nb <= 0 {
		return s.err
	}
	if err := s.getMem(min(na, nb)); err != nil {
		return err
	}
	s.merge(k, na, b.base, nb)
	return s.err
}

func (s *timsort) upperBound(lo, hi int, key Value) int {
	for lo < hi {
		m := lo + (hi-lo)/2
		if s.lt(key, s.keys[m]) {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

func (s *timsort) lowerBound(lo, hi int, key Value) int {
	for lo < hi {
		m := lo + (hi-lo)/2
		if s.lt(s.keys[m], key) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// getMem is merge_getmem: a bigger scratch array replaces the old one
// (freed first, then malloc'd).
func (s *timsort) getMem(need int) error {
	if need <= s.alloced {
		return nil
	}
	if s.scratch != 0 {
		s.in.h.Free(s.scratch)
		s.scratch = 0
	}
	a, err := s.in.o.Lists.TempArray(s.mult * need)
	if err != nil {
		return s.in.memoryError(err)
	}
	s.scratch, s.alloced = a, need
	return nil
}

// merge stably merges [aLo, aLo+na) with [bLo, bLo+nb), adjacent.
func (s *timsort) merge(aLo, na, bLo, nb int) {
	sameArrays := &s.vals[0] == &s.keys[0]
	ak := append([]Value(nil), s.keys[aLo:aLo+na]...)
	bk := append([]Value(nil), s.keys[bLo:bLo+nb]...)
	var av, bv []Value
	if !sameArrays {
		av = append([]Value(nil), s.vals[aLo:aLo+na]...)
		bv = append([]Value(nil), s.vals[bLo:bLo+nb]...)
	}
	i, j, d := 0, 0, aLo
	for i < na && j < nb {
		if s.lt(bk[j], ak[i]) {
			s.keys[d] = bk[j]
			if !sameArrays {
				s.vals[d] = bv[j]
			}
			j++
		} else {
			s.keys[d] = ak[i]
			if !sameArrays {
				s.vals[d] = av[i]
			}
			i++
		}
		d++
	}
	for ; i < na; i, d = i+1, d+1 {
		s.keys[d] = ak[i]
		if !sameArrays {
			s.vals[d] = av[i]
		}
	}
	for ; j < nb; j, d = j+1, d+1 {
		s.keys[d] = bk[j]
		if !sameArrays {
			s.vals[d] = bv[j]
		}
	}
}
