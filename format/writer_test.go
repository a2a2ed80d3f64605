package format

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

func TestNewWriterChecksHeader(t *testing.T) {
	tests := []struct {
		name string
		edit func(h *Header)
		msg  string
	}{
		{"no types", func(h *Header) { h.Types = nil }, `empty type table: type 0 must be "none"`},
		{"type 0", func(h *Header) { h.Types[0] = "int" }, `type 0 is "int", want "none"`},
		{"site 0", func(h *Header) { h.Sites[0] = "main" }, `site 0 is "main", want "?"`},
		{"duplicate type", func(h *Header) { h.Types[3] = "int" }, `type 1 and type 3 are both "int"`},
		{"duplicate site", func(h *Header) { h.Sites = append(h.Sites, "grow (g.py:3)") }, `site 3 and site 4 are both`},
		{"empty name", func(h *Header) { h.Sites[2] = "" }, "site 2 has an empty name"},
		{"too many types", func(h *Header) {
			for len(h.Types) <= MaxTypes {
				h.Types = append(h.Types, "t"+strconv.Itoa(len(h.Types)))
			}
		}, "at most 32768 fit the type column"},
		{"version", func(h *Header) { h.Meta.FormatVersion = 3 }, "format version 3, this package writes version 2"},
		{"params", func(h *Header) { h.Meta.Params = "[1, 2]" }, "params are not a JSON object"},
		{"bad params", func(h *Header) { h.Meta.Params = "{" }, "params are not a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := testHeader()
			tt.edit(&h)
			var f memFile
			_, err := NewWriter(&f, h)
			if err == nil || !strings.Contains(err.Error(), tt.msg) || !strings.HasPrefix(err.Error(), "format: write ") {
				t.Errorf("NewWriter error %v, want one containing %q", err, tt.msg)
			}
			if len(f.buf) != 0 {
				t.Errorf("NewWriter wrote %d bytes", len(f.buf))
			}
		})
	}
}

// TestWriteChecksBatch writes batches the writer must refuse; each refusal
// leaves the writer usable, and the trace holds the good batches only.
func TestWriteChecksBatch(t *testing.T) {
	tests := []struct {
		name string
		edit func(b *Batch)
		msg  string
	}{
		{"type out of range", func(b *Batch) { b.Type[7] = 9 }, "batch 1: row 7 (seq 53): type index 9 outside the type table (9 names)"},
		{"site out of range", func(b *Batch) { b.Site[0] = 4 }, "row 0 (seq 46): site index 4 outside the site table (4 names)"},
		{"unknown op", func(b *Batch) { b.Op[1] = NumOps }, "row 1 (seq 47): unknown op(9)"},
		{"unknown layer", func(b *Batch) { b.Layer[2] = 200 }, "row 2 (seq 48): unknown layer(200)"},
		{"seq gap", func(b *Batch) { b.Seq[4] = 1000 }, "row 4: seq 1000, want 50"},
		{"seq restart", func(b *Batch) { b.Seq[0] = 1 }, "row 0: seq 1, want 46"},
		{"short column", func(b *Batch) { b.Addr = b.Addr[:3] }, "columns of unequal length (seq 45, op 45, layer 45, type 45, size 45, block 45, addr 3, site 45)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f memFile
			w, err := NewWriter(&f, testHeader())
			if err != nil {
				t.Fatal(err)
			}
			first := allKinds(1)
			if err := w.Write(first); err != nil {
				t.Fatal(err)
			}
			bad := allKinds(46)
			tt.edit(bad)
			err = w.Write(bad)
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("Write error %v, want one containing %q", err, tt.msg)
			}
			if err := w.Write(allKinds(46)); err != nil {
				t.Fatalf("Write after a refused batch: %v", err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			_, got, n, err := readBytes(t, f.buf)
			if err != nil {
				t.Fatal(err)
			}
			if n != 2 || got.Len() != 90 {
				t.Errorf("read %d events in %d batches, want 90 in 2", got.Len(), n)
			}
		})
	}
}

func TestWriteAfterClose(t *testing.T) {
	var f memFile
	w, err := NewWriter(&f, testHeader())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if err := w.Write(allKinds(1)); err == nil {
		t.Error("Write after Close succeeded")
	}
}

// failingFile fails every write after the first n bytes.
type failingFile struct {
	memFile
	n int
}

var errDiskFull = errors.New("disk full")

func (f *failingFile) Write(p []byte) (int, error) {
	if len(f.buf)+len(p) > f.n {
		return 0, errDiskFull
	}
	return f.memFile.Write(p)
}

func TestWriteErrorIsSticky(t *testing.T) {
	f := &failingFile{n: 2000}
	w, err := NewWriter(f, testHeader())
	if err != nil {
		t.Fatal(err)
	}
	var werr error
	for seq := uint64(1); werr == nil && seq < 10000; seq += 45 {
		werr = w.Write(allKinds(seq))
	}
	if !errors.Is(werr, errDiskFull) {
		t.Fatalf("Write error %v, want errDiskFull", werr)
	}
	if err := w.Close(); !errors.Is(err, errDiskFull) {
		t.Errorf("Close after a failed write = %v, want errDiskFull", err)
	}
}

func TestParseCompression(t *testing.T) {
	for _, c := range []Compression{None, LZ4, Zstd} {
		got, err := ParseCompression(c.String())
		if err != nil || got != c {
			t.Errorf("ParseCompression(%q) = %v, %v", c.String(), got, err)
		}
	}
	if _, err := ParseCompression("gzip"); err == nil {
		t.Error("ParseCompression(gzip) succeeded")
	}
}

func TestParseLevel(t *testing.T) {
	for _, l := range []Level{LevelDefault, LevelFastest, LevelBetter, LevelBest} {
		got, err := ParseLevel(l.String())
		if err != nil || got != l {
			t.Errorf("ParseLevel(%q) = %v, %v", l.String(), got, err)
		}
	}
	for _, s := range []string{"", "max", "9", "Best"} {
		if _, err := ParseLevel(s); err == nil {
			t.Errorf("ParseLevel(%q) succeeded", s)
		}
	}
}

// TestNewWriterChecksLevel: a level without a codec, or one not defined,
// is refused before anything is written.
func TestNewWriterChecksLevel(t *testing.T) {
	for _, c := range []struct {
		opts []WriterOption
		want string
	}{
		{[]WriterOption{WithLevel(LevelBest)}, "compression level best without a codec"},
		{[]WriterOption{WithCompression(Zstd), WithLevel(Level(9))}, "unknown compression level(9)"},
	} {
		var f memFile
		_, err := NewWriter(&f, testHeader(), c.opts...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("NewWriter: error %v, want one saying %q", err, c.want)
		}
		if len(f.buf) != 0 {
			t.Errorf("NewWriter wrote %d bytes before failing", len(f.buf))
		}
	}
}

func TestNames(t *testing.T) {
	if got := len(OpNames()); got != NumOps {
		t.Errorf("%d op names, want %d", got, NumOps)
	}
	if got := len(LayerNames()); got != NumLayers {
		t.Errorf("%d layer names, want %d", got, NumLayers)
	}
	if got, want := OpReallocTo.String(), "realloc_to"; got != want {
		t.Errorf("OpReallocTo.String() = %q, want %q", got, want)
	}
	if got, want := LayerInterp.String(), "interp"; got != want {
		t.Errorf("LayerInterp.String() = %q, want %q", got, want)
	}
	if got, want := Op(200).String(), "op(200)"; got != want {
		t.Errorf("Op(200).String() = %q, want %q", got, want)
	}
	if got, want := strings.Join(ColumnNames(), ","), "op,layer,type,size,block,addr,site"; got != want {
		t.Errorf("ColumnNames() = %s, want %s", got, want)
	}
}
