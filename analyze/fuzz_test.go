package analyze

import (
	"io"
	"strings"
	"testing"

	"github.com/heaptrace/heaptrace/format"
)

// fuzzRows turns bytes into rows, seven bytes a row: op, layer, type and
// site (each taken modulo its range), an address among 64 (or 0), and a
// 16-bit size, negative ones included. Nothing makes them consistent: frees
// of what was never allocated, reuses of what was never parked, reallocs
// cut in half, returns without calls, sizes that change between an
// allocation and its free.
func fuzzRows(data []byte) []row {
	var rows []row
	for ; len(data) >= 7; data = data[7:] {
		addr := 0x1000 + 16*uint64(data[4]%64)
		if data[4] >= 250 {
			addr = 0
		}
		size := int64(int16(uint16(data[5]) | uint16(data[6])<<8))
		rows = append(rows, row{
			op:    format.Op(data[0] % byte(format.NumOps)),
			layer: format.Layer(data[1] % byte(format.NumLayers)),
			typ:   uint16(data[2]) % uint16(len(handTypes)),
			size:  size,
			block: (size + 15) &^ 15,
			addr:  addr,
			site:  uint32(data[3]) % uint32(len(handSites)),
		})
	}
	return rows
}

// FuzzReplay replays traces of arbitrary rows, in every mode, and prints
// every report of them: whatever the rows, the replay ends without a panic
// or an error (but --max-memory's), and every report prints.
func FuzzReplay(f *testing.F) {
	f.Add([]byte{0, 0, 0, 1, 1, 3, 32, 0, 1, 0, 1, 1, 3, 32, 0})                                              // an alloc and its free
	f.Add([]byte{1, 0, 0, 1, 1, 3, 32, 0, 4, 0, 1, 1, 3, 32, 0, 5, 0, 2, 2, 3, 32, 0})                        // alloc, park, reuse as another type
	f.Add([]byte{17, 0, 0, 1, 1, 3, 32, 0, 4, 0, 1, 1, 3, 32, 0, 5, 0, 2, 2, 3, 32, 0, 1, 0, 2, 2, 3, 32, 0}) // the same, bounded in one pass, then freed
	f.Add([]byte{2, 2, 0, 1, 1, 3, 32, 0, 3, 0, 1, 1, 9, 64, 0, 7, 4, 0, 0, 0, 0, 0})                         // a realloc of nothing, a return without a call
	f.Add([]byte{0, 0, 1, 3, 0, 250, 0, 64, 0, 3, 3, 0, 250, 0, 64, 1, 1, 1, 1, 251, 16, 0})                  // pymalloc and os rows at address 0
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 || len(data) > 7*2000 {
			return
		}
		// mode: bounded, --max-memory, --top, the four summing reports
		// (the one-pass bounded replay, the sums of the lower layers),
		// --points
		mode, rows := data[0], fuzzRows(data[1:])
		if len(rows) == 0 {
			return
		}
		opts := Options{Bounded: mode&1 != 0, Points: 4 + int(mode>>5), Top: int(mode>>2) & 3}
		reports := ReportNames
		if mode&16 != 0 {
			reports = []string{"summary", "types", "peak", "growth"}
			opts.Reports = reports
		}
		if mode&2 != 0 {
			opts.MaxMemory = 1 // any table that grows is over it
		}
		path := handTrace(t, rows)
		r, err := format.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		rep, err := Run(r, "fuzz", opts)
		if err != nil {
			if opts.MaxMemory > 0 && strings.Contains(err.Error(), "--max-memory") {
				return
			}
			t.Fatalf("%+v: %v", opts, err)
		}
		if rep.Events != uint64(len(rows)) || rep.AnomalyCount < len(rep.Anomalies) {
			t.Errorf("%d events, %d anomalies (%d listed), from %d rows", rep.Events, rep.AnomalyCount, len(rep.Anomalies), len(rows))
		}
		if err := rep.WriteText(io.Discard); err != nil {
			t.Error(err)
		}
		if err := rep.WriteJSON(io.Discard); err != nil {
			t.Error(err)
		}
		for _, name := range reports {
			if (name == "leaks" || name == "sites" || name == "lifetimes") && opts.Bounded {
				continue
			}
			if err := rep.WriteCSV(io.Discard, name); err != nil {
				t.Errorf("csv %s: %v", name, err)
			}
		}
	})
}
