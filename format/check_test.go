package format

import (
	"encoding/binary"
	"math/rand"
	"testing"
)

// allBelow agrees with a check of each value, for every width, at the
// edges of n (0, 1, the top bit, past it) and with negative values, at
// every length around a word.
func TestAllBelow(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for _, width := range []int{1, 2, 4} {
		high := uint64(1) << (8*width - 1)
		mask := high<<1 - 1
		for _, n := range []uint64{0, 1, 2, 9, high - 1, high, high + 1, mask} {
			for length := 0; length <= 19; length++ {
				for trial := 0; trial < 50; trial++ {
					p := make([]byte, length*width)
					want := true
					for i := 0; i < length; i++ {
						var v uint64
						switch rng.Intn(4) {
						case 0:
							v = rng.Uint64() & mask // anything, top bit too
						case 1:
							v = n + uint64(rng.Intn(3)) - 1 // around n
						default:
							v = rng.Uint64() % max(n, 1) // below n
						}
						v &= mask
						want = want && v < high && v < n // signed: the top bit is a negative value
						var word [8]byte
						binary.LittleEndian.PutUint64(word[:], v)
						copy(p[i*width:], word[:width])
					}
					if got := allBelow(p, width, n); got != want {
						t.Fatalf("width %d, n %d, values % x: allBelow %v, want %v", width, n, p, got, want)
					}
				}
			}
		}
	}
}

// mapCodes maps through a table that is not the identity, and both it and
// copyIndices name the first row out of range.
func TestMapCodesAndIndices(t *testing.T) {
	for _, tc := range []struct {
		src  []int8
		m    []Op
		want []Op
		bad  int
	}{
		{[]int8{0, 1, 2, 1}, []Op{0, 1, 2}, []Op{0, 1, 2, 1}, -1},
		{[]int8{0, 1, 2, 1}, []Op{2, 0, 1}, []Op{2, 0, 1, 0}, -1},
		{[]int8{0, 1, 3, 4}, []Op{0, 1, 2}, nil, 2},
		{[]int8{0, -1, 1}, []Op{0, 1, 2}, nil, 1},
		{[]int8{0, 1, 9, 1, 0, 1, 1, 1, 1, 1}, []Op{1, 0}, nil, 2},
	} {
		dst := make([]Op, len(tc.src))
		bad := mapCodes(dst, tc.src, tc.m)
		if bad != tc.bad || bad < 0 && string(bytesOf(dst)) != string(bytesOf(tc.want)) {
			t.Errorf("mapCodes(%v, %v) = %v, row %d; want %v, row %d", tc.src, tc.m, dst, bad, tc.want, tc.bad)
		}
	}
	for _, tc := range []struct {
		src []int32
		n   int
		bad int
	}{
		{[]int32{0, 5, 6}, 7, -1},
		{[]int32{0, 5, 7, 9}, 7, 2},
		{[]int32{0, 1, 2, 3, 4, 5, 6, 0, 1, -3}, 7, 9},
		{nil, 0, -1},
		{[]int32{0}, 0, 0},
	} {
		dst := make([]uint32, len(tc.src))
		bad := copyIndices(dst, tc.src, tc.n)
		if bad != tc.bad || bad < 0 && string(bytesOf(dst)) != string(bytesOf(tc.src)) {
			t.Errorf("copyIndices(%v, %d) = %v, row %d; want row %d", tc.src, tc.n, dst, bad, tc.bad)
		}
	}
}
