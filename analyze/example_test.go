package analyze_test

import (
	"bytes"
	"fmt"
	"io"
	"log"
	"os"

	"github.com/heaptrace/heaptrace/analyze"
	"github.com/heaptrace/heaptrace/format"
)

// writeExample writes a tiny trace: a list grown in a function, a
// temporary string, and an int that is never freed.
func writeExample(w io.WriteSeeker) {
	h := format.Header{
		Meta:  format.Meta{Workload: "example.py"},
		Types: []string{format.NoType, "list", "list.items", "str", "int"},
		Sites: []string{format.UnknownSite, "<module> (example.py:6)", "grow (example.py:3)", "<module> (example.py:7)"},
	}
	fw, err := format.NewWriter(w, h)
	if err != nil {
		log.Fatal(err)
	}
	var b format.Batch
	for i, e := range []struct {
		op        format.Op
		layer     format.Layer
		typ       uint16
		size, blk int64
		addr      uint64
		site      uint32
	}{
		{format.OpAlloc, format.LayerObject, 1, 56, 64, 0x1000, 1},       // xs = []
		{format.OpCall, format.LayerInterp, 0, 0, 0, 0, 1},               // grow(xs) ...
		{format.OpAlloc, format.LayerObject, 2, 32, 32, 0x2000, 2},       // xs.append
		{format.OpReallocFrom, format.LayerObject, 2, 32, 32, 0x2000, 2}, // grows
		{format.OpReallocTo, format.LayerObject, 2, 64, 64, 0x3000, 2},   //
		{format.OpAlloc, format.LayerObject, 3, 50, 64, 0x4000, 2},       // a temporary str
		{format.OpFree, format.LayerObject, 3, 50, 64, 0x4000, 2},        //
		{format.OpReturn, format.LayerInterp, 0, 0, 0, 0, 2},             // ... returns
		{format.OpFree, format.LayerObject, 2, 64, 64, 0x3000, 3},        // del xs
		{format.OpFree, format.LayerObject, 1, 56, 64, 0x1000, 3},        //
		{format.OpAlloc, format.LayerObject, 4, 28, 32, 0x5000, 3},       // n = 10**10, kept
	} {
		b.Append(uint64(i+1), e.op, e.layer, e.typ, e.size, e.blk, e.addr, e.site)
	}
	if err := fw.Write(&b); err != nil {
		log.Fatal(err)
	}
	if err := fw.Close(); err != nil {
		log.Fatal(err)
	}
}

// openExample writes the example trace to a temporary file and opens it;
// done closes and removes it.
func openExample() (r *format.Reader, done func()) {
	f, err := os.CreateTemp("", "example-*.arrow")
	if err != nil {
		log.Fatal(err)
	}
	writeExample(f)
	f.Close()
	if r, err = format.Open(f.Name()); err != nil {
		log.Fatal(err)
	}
	return r, func() { r.Close(); os.Remove(f.Name()) }
}

func ExampleRun() {
	r, done := openExample()
	defer done()
	rep, err := analyze.Run(r, "example.arrow", analyze.Options{Reports: []string{"peak", "leaks", "lifetimes"}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("peak %d bytes at event #%d, %d bytes live at the end\n", rep.PeakBytes, rep.PeakSeq, rep.FinalBytes)
	for _, s := range rep.Reports.Peak.BySite {
		fmt.Printf("at the peak: %d bytes from %s\n", s.Bytes, s.Name)
	}
	for _, l := range rep.Reports.Leaks.Rows {
		fmt.Printf("never freed: %d bytes of %s from %s\n", l.Bytes, l.Type, l.Site)
	}
	fmt.Printf("%d temporary allocation\n", rep.Reports.Lifetimes.Temporary)
	var buf bytes.Buffer
	if err := rep.WriteCSV(&buf, "leaks"); err != nil {
		log.Fatal(err)
	}
	fmt.Print(buf.String())
	// Output:
	// peak 170 bytes at event #6, 28 bytes live at the end
	// at the peak: 114 bytes from grow (example.py:3)
	// at the peak: 56 bytes from <module> (example.py:6)
	// never freed: 28 bytes of int from <module> (example.py:7)
	// 1 temporary allocation
	// site,type,objects,bytes,block_bytes,stack
	// <module> (example.py:7),int,1,28,32,<module> (example.py:7)
}

// A bounded analysis keeps no table of live objects, for traces whose
// live heap would not fit in memory: what a free ends comes from its row.
// MaxMemory makes a full analysis stop, rather than run out of memory,
// when the table would grow past it.
func ExampleOptions_bounded() {
	r, done := openExample()
	defer done()
	rep, err := analyze.Run(r, "example.arrow", analyze.Options{Bounded: true, MaxMemory: 1 << 30})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("peak %d bytes at event #%d, %d bytes live at the end\n", rep.PeakBytes, rep.PeakSeq, rep.FinalBytes)
	for _, t := range rep.Reports.Peak.ByType {
		fmt.Printf("at the peak: %d bytes of %s\n", t.Bytes, t.Name)
	}
	fmt.Println("sites at the peak known:", !rep.Reports.Peak.SitesUnknown, "leaks report:", rep.Reports.Leaks != nil)
	// Output:
	// peak 170 bytes at event #6, 28 bytes live at the end
	// at the peak: 64 bytes of list.items
	// at the peak: 56 bytes of list
	// at the peak: 50 bytes of str
	// sites at the peak known: false leaks report: false
}

func ExampleParseThreshold() {
	t, err := analyze.ParseThreshold("type:list.items.peak>1.5MiB")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(t.Scope, t.Metric, t.Op, t.Value)
	_, err = analyze.ParseThreshold("peak>>3")
	fmt.Println(err)
	// Output:
	// type:list.items peak > 1.572864e+06
	// --fail-if 'peak>>3': expected a size or percentage after '>'
}
