package format

import (
	"bytes"
	"math/rand"
	"testing"
)

// A trace cut anywhere is repaired into a complete file holding exactly
// the events a reader of the cut file sees; a complete trace is copied.
func TestRepair(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	var batches []*Batch
	first := uint64(1)
	for i := 0; i < 5; i++ {
		b := synthetic(first, 200, rng)
		batches = append(batches, b)
		first += uint64(b.Len())
	}
	data := writeTrace(t, testHeader(), batches)
	for _, cut := range []int{len(data), len(data) - 3, len(data) * 3 / 4, len(data) / 2, len(data) / 4} {
		r, err := NewReader(bytes.NewReader(data[:cut]), "cut.arrow")
		if err != nil {
			t.Fatalf("cut at %d: %v", cut, err)
		}
		var out memFile
		res, err := Repair(&out, r)
		r.Close()
		if err != nil {
			t.Fatalf("cut at %d: repair: %v", cut, err)
		}
		_, want, _, _ := readBytes(t, data[:cut])
		rr, got, _, err := readBytes(t, out.buf)
		if err != nil {
			t.Fatalf("cut at %d: reading the repaired file: %v", cut, err)
		}
		if rr.Truncated() {
			t.Errorf("cut at %d: the repaired file is still cut short", cut)
		}
		if d := diffBatches(got, want); d != "" {
			t.Errorf("cut at %d: %s", cut, d)
		}
		if res.Events != uint64(want.Len()) || res.Truncated != (cut < len(data)) {
			t.Errorf("cut at %d: result %+v, want %d events, truncated %v", cut, res, want.Len(), cut < len(data))
		}
		if rr.Header().Meta.Workload != testHeader().Meta.Workload {
			t.Errorf("cut at %d: header not kept", cut)
		}
	}
}

// TestRepairKeepsCompression repairs a cut-short trace of each compression:
// the copy is compressed as the input was, unless an option says otherwise.
func TestRepairKeepsCompression(t *testing.T) {
	h, events := workedExample()
	batches := []*Batch{events.slice(0, 3), events.slice(3, 6), events.slice(6, events.Len())}
	for _, c := range []Compression{None, LZ4, Zstd} {
		t.Run(c.String(), func(t *testing.T) {
			data := writeTrace(t, h, batches, WithCompression(c))
			data = data[:len(data)-len(data)/5] // no footer, the last batch cut
			r, err := NewReader(bytes.NewReader(data), "trace.arrow")
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if got := r.Compression(); got != c {
				t.Errorf("Compression() = %v, want %v", got, c)
			}
			var out memFile
			res, err := Repair(&out, r)
			if err != nil {
				t.Fatal(err)
			}
			if !res.Truncated || res.Batches == 0 {
				t.Errorf("Repair = %+v, want a cut-short input with batches kept", res)
			}
			copied, err := NewReader(bytes.NewReader(out.buf), "repaired.arrow")
			if err != nil {
				t.Fatal(err)
			}
			defer copied.Close()
			if got := copied.Compression(); got != c {
				t.Errorf("the repaired trace is %v, want %v", got, c)
			}
		})
	}
}
