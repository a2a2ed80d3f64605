package export

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/heaptrace/heaptrace/format"
)

// This file writes random but consistent traces for the tests: object
// allocations with their pymalloc rows, frees, reallocs (in place and
// moving), objects parked on free lists and reused, calls and returns,
// and set-up events whose allocations are partly freed later. The
// expected figures come from package analyze, never from here.

var genTypes = []string{format.NoType, "int", "str", "list", "list.items", "dict", "tuple"}

var genSites = []string{format.UnknownSite, "<module> (m.py:1)", "f (m.py:3)", "g (m.py:7)", "<lambda> (m.py:9)", "h (lib/other.py:2)", "never (m.py:99)"}

type genObj struct {
	addr uint64
	size int64
	typ  uint16
}

type generator struct {
	rng    *rand.Rand
	w      *format.Writer
	b      format.Batch
	seq    uint64
	batch  int
	live   []genObj
	parked []genObj
	free   []uint64 // addresses freed, for reuse
	next   uint64
	depth  int
	site   uint32
}

// genOptions shape a generated trace.
type genOptions struct {
	ops   int    // operations, each one or more events
	setup uint64 // set-up events (object allocations made in them)
	batch int    // events per batch (0: 500)
}

// genTrace writes a generated trace to a file in dir and returns its path.
func genTrace(t testing.TB, dir string, seed int64, o genOptions) string {
	t.Helper()
	path := filepath.Join(dir, fmt.Sprintf("gen-%d.arrow", seed))
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	h := format.Header{
		Meta:  format.Meta{Profile: "cpython-3.11", Workload: fmt.Sprintf("gen-%d", seed), ToolVersion: "test", SetupEvents: o.setup},
		Types: genTypes,
		Sites: genSites,
	}
	w, err := format.NewWriter(f, h)
	if err != nil {
		t.Fatal(err)
	}
	g := &generator{rng: rand.New(rand.NewSource(seed)), w: w, batch: o.batch, next: 0x7f0000001000, site: 1}
	if g.batch == 0 {
		g.batch = 500
	}
	for g.seq < o.setup {
		g.alloc()
	}
	for i := 0; i < o.ops; i++ {
		g.op()
	}
	for g.depth > 0 {
		g.emit(format.OpReturn, format.LayerInterp, 0, 0, 0, 0, g.site)
		g.depth--
	}
	g.flush(t)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func (g *generator) emit(op format.Op, l format.Layer, typ uint16, size, block int64, addr uint64, site uint32) {
	g.seq++
	g.b.Append(g.seq, op, l, typ, size, block, addr, site)
	if g.b.Len() == g.batch {
		if err := g.w.Write(&g.b); err != nil {
			panic(err)
		}
		g.b.Reset()
	}
}

func (g *generator) flush(t testing.TB) {
	if err := g.w.Write(&g.b); err != nil {
		t.Fatal(err)
	}
	g.b.Reset()
}

func (g *generator) newAddr() uint64 {
	if len(g.free) > 0 && g.rng.Intn(3) == 0 {
		a := g.free[len(g.free)-1]
		g.free = g.free[:len(g.free)-1]
		return a
	}
	g.next += 0x100
	return g.next
}

func (g *generator) pickSite() uint32 { return uint32(1 + g.rng.Intn(len(genSites)-2)) }

func (g *generator) alloc() {
	o := genObj{addr: g.newAddr(), size: int64(16 + g.rng.Intn(200)), typ: uint16(1 + g.rng.Intn(len(genTypes)-1))}
	if g.rng.Intn(20) == 0 {
		o.size = int64(1000 + g.rng.Intn(50000)) // a large one
	}
	site := g.pickSite()
	g.emit(format.OpAlloc, format.LayerPymalloc, o.typ, o.size, (o.size+15)&^15, o.addr, site)
	g.emit(format.OpAlloc, format.LayerObject, o.typ, o.size, (o.size+15)&^15, o.addr, site)
	g.live = append(g.live, o)
}

// take removes and returns a random object of list.
func (g *generator) take(list *[]genObj) genObj {
	i := g.rng.Intn(len(*list))
	o := (*list)[i]
	(*list)[i] = (*list)[len(*list)-1]
	*list = (*list)[:len(*list)-1]
	return o
}

func (g *generator) op() {
	switch n := g.rng.Intn(100); {
	case n < 40 || len(g.live) == 0:
		g.alloc()
	case n < 60:
		o := g.take(&g.live)
		site := g.pickSite()
		g.emit(format.OpFree, format.LayerObject, o.typ, o.size, (o.size+15)&^15, o.addr, site)
		g.emit(format.OpFree, format.LayerPymalloc, o.typ, o.size, (o.size+15)&^15, o.addr, site)
		g.free = append(g.free, o.addr)
	case n < 70:
		o := g.take(&g.live)
		site := g.pickSite()
		to := o
		to.size += int64(g.rng.Intn(400)) - 100
		to.size = max(to.size, 8)
		if g.rng.Intn(2) == 0 {
			g.next += 0x100
			to.addr = g.next
		}
		g.emit(format.OpReallocFrom, format.LayerObject, o.typ, o.size, (o.size+15)&^15, o.addr, site)
		g.emit(format.OpReallocTo, format.LayerObject, to.typ, to.size, (to.size+15)&^15, to.addr, site)
		g.live = append(g.live, to)
	case n < 77:
		o := g.take(&g.live)
		g.emit(format.OpCache, format.LayerObject, o.typ, o.size, (o.size+15)&^15, o.addr, g.pickSite())
		g.parked = append(g.parked, o)
	case n < 84 && len(g.parked) > 0:
		o := g.take(&g.parked)
		g.emit(format.OpReuse, format.LayerObject, o.typ, o.size, (o.size+15)&^15, o.addr, g.pickSite())
		g.live = append(g.live, o)
	case n < 92 && g.depth < 6:
		g.site = g.pickSite()
		g.emit(format.OpCall, format.LayerInterp, 0, 0, 0, 0, g.site)
		g.depth++
	case n < 100 && g.depth > 0:
		g.emit(format.OpReturn, format.LayerInterp, 0, 0, 0, 0, g.pickSite())
		g.depth--
	default:
		g.alloc()
	}
}
