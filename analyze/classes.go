// This file defines the buckets of the sizes and lifetimes histograms.

package analyze

import "math/bits"

// Request sizes are bucketed by pymalloc size class up to 512 bytes (1..16,
// 17..32, ..., 497..512), then by powers of two (513..1024, 1025..2048,
// ...); class 0 holds requests of 0 bytes.
const (
	pymallocClasses = 32
	numSizeClasses  = 1 + pymallocClasses + 54
)

func sizeClassOf(size int64) int {
	switch {
	case size <= 0:
		return 0
	case size <= 512:
		return int((size + 15) / 16)
	}
	return 1 + pymallocClasses + bits.Len64(uint64(size-1)) - 10
}

// sizeClassRange returns the smallest and largest request of class c.
func sizeClassRange(c int) (lo, hi int64) {
	switch {
	case c == 0:
		return 0, 0
	case c <= pymallocClasses:
		return int64(c-1)*16 + 1, int64(c) * 16
	}
	k := c - 1 - pymallocClasses
	lo = int64(1)<<(9+k) + 1
	hi = int64(1) << (10 + k)
	if k >= 53 {
		hi = 1<<63 - 1
	}
	return lo, hi
}

// Lifetimes, in events, are bucketed log-linearly: 0..7 exactly, then four
// buckets per power of two, so a bucket's top is at most 25% over any
// value in it.
const lifeBuckets = 8 + 61*4

func lifeBucket(v uint64) int {
	if v < 8 {
		return int(v)
	}
	e := bits.Len64(v)
	return 8 + (e-4)*4 + int(v>>(e-3)&3)
}

// lifeBucketRange returns the smallest and largest value of bucket b.
func lifeBucketRange(b int) (lo, hi uint64) {
	if b < 8 {
		return uint64(b), uint64(b)
	}
	e, sub := (b-8)/4+4, uint64((b-8)%4)
	lo = (4 + sub) << (e - 3)
	hi = lo + 1<<(e-3) - 1
	return lo, hi
}
