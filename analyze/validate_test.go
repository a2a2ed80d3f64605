package analyze

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heaptrace/heaptrace/format"
)

type vrow struct {
	op    format.Op
	layer format.Layer
	size  int64
	block int64
	addr  uint64
}

func validateRows(t *testing.T, rows []vrow) *Validation {
	t.Helper()
	path := filepath.Join(t.TempDir(), "v.arrow")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := format.NewWriter(f, format.Header{Meta: format.Meta{Workload: "v"}, Types: []string{format.NoType, "int"}, Sites: []string{format.UnknownSite}})
	if err != nil {
		t.Fatal(err)
	}
	var b format.Batch
	for i, r := range rows {
		b.Append(uint64(i+1), r.op, r.layer, 1, r.size, r.block, r.addr, 0)
	}
	if err := w.Write(&b); err != nil {
		t.Fatal(err)
	}
	w.Close()
	f.Close()
	rd, err := format.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	return Validate(rd, "v.arrow", 10)
}

func TestValidate(t *testing.T) {
	obj, pym, interp := format.LayerObject, format.LayerPymalloc, format.LayerInterp
	for _, tc := range []struct {
		name string
		rows []vrow
		want string // "" for valid
	}{
		{"valid", []vrow{
			{format.OpAlloc, pym, 28, 32, 0x10}, {format.OpAlloc, obj, 28, 32, 0x10},
			{format.OpCall, interp, 0, 0, 0},
			{format.OpReallocFrom, obj, 28, 32, 0x10}, {format.OpReallocTo, obj, 40, 48, 0x20},
			{format.OpReturn, interp, 0, 0, 0},
			{format.OpCache, obj, 40, 48, 0x20}, {format.OpReuse, obj, 40, 48, 0x20},
			{format.OpFree, obj, 40, 48, 0x20}, {format.OpFree, pym, 28, 32, 0x10},
		}, ""},
		{"double free", []vrow{{format.OpAlloc, obj, 28, 32, 0x10}, {format.OpFree, obj, 28, 32, 0x10}, {format.OpFree, obj, 28, 32, 0x10}}, "#3 object: free of 0x10, which is not allocated"},
		{"wrong size", []vrow{{format.OpAlloc, obj, 28, 32, 0x10}, {format.OpFree, obj, 30, 32, 0x10}}, "says 30 bytes; it was allocated with 28"},
		{"live twice", []vrow{{format.OpAlloc, obj, 28, 32, 0x10}, {format.OpAlloc, obj, 28, 32, 0x10}}, "already live"},
		{"split realloc", []vrow{{format.OpAlloc, obj, 28, 32, 0x10}, {format.OpReallocFrom, obj, 28, 32, 0x10}, {format.OpAlloc, obj, 8, 16, 0x30}}, "realloc_from without its realloc_to"},
		{"lone realloc_to", []vrow{{format.OpReallocTo, obj, 28, 32, 0x10}}, "realloc_to without a realloc_from"},
		{"bad class", []vrow{{format.OpAlloc, pym, 100, 96, 0x10}}, "not the size class"},
		{"stray return", []vrow{{format.OpReturn, interp, 0, 0, 0}}, "return without a call"},
		{"cache of nothing", []vrow{{format.OpCache, obj, 24, 32, 0x50}}, "not a live object"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := validateRows(t, tc.rows)
			if tc.want == "" {
				if !v.Valid() {
					t.Errorf("problems in a valid trace: %+v", v.Problems)
				}
				return
			}
			if v.Valid() {
				t.Fatalf("no problem found, want %q", tc.want)
			}
			got := ""
			for _, p := range v.Problems {
				got += "#" + itoa(p.Seq) + " " + p.Layer + ": " + p.Message + "\n"
			}
			if !strings.Contains(got, tc.want) {
				t.Errorf("problems:\n%swant one with %q", got, tc.want)
			}
		})
	}
}

func itoa(n uint64) string { return Count(int64(n)) }
