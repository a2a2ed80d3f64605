package analyze

import (
	"math/rand"
	"testing"
)

// TestLiveTable compares liveTable with a map over random puts, gets and
// deletes of clustered addresses, address 0 included.
func TestLiveTable(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	tab := newLiveTable()
	want := map[uint64]liveObject{}
	for i := 0; i < 200000; i++ {
		addr := uint64(rng.Intn(5000)) * 16
		if rng.Intn(10) == 0 {
			addr = uint64(rng.Int63())
		}
		switch rng.Intn(3) {
		case 0, 1:
			o := liveObject{size: int64(i), birth: uint64(i)}
			tab.put(addr, o)
			want[addr] = o
		case 2:
			tab.del(addr)
			delete(want, addr)
		}
		probe := uint64(rng.Intn(5000)) * 16
		got := tab.get(probe)
		w, ok := want[probe]
		if (got != nil) != ok || ok && *got != w {
			t.Fatalf("step %d: get(%#x) = %v, want %v %v", i, probe, got, w, ok)
		}
		if tab.Len() != len(want) {
			t.Fatalf("step %d: Len %d, want %d", i, tab.Len(), len(want))
		}
	}
	n := 0
	for addr, o := range tab.all() {
		if want[addr] != o {
			t.Fatalf("all: %#x = %v, want %v", addr, o, want[addr])
		}
		n++
	}
	if n != len(want) {
		t.Fatalf("all: %d entries, want %d", n, len(want))
	}
}
