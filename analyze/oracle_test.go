package analyze

import (
	"errors"
	"io"
	"sort"
	"strings"
	"testing"

	"github.com/heaptrace/heaptrace/format"
)

// This file computes what a trace should analyse to, straight from its
// rows and in the plainest way (whole-table copies at every new peak,
// sorting every lifetime), independently of the replay under test. It
// shares no code with the package but the format reader.

type oTally struct {
	allocs, reallocs, frees, reuses int64
	allocBytes, allocBlock          int64
	live, liveBlock, liveN          int64
	temp, tempBytes                 int64
}

type oObj struct {
	size, block int64
	typ         string
	site        string
	stack       string
	birth       uint64
	parked      bool
	skip        bool
}

type oracle struct {
	events                         uint64
	peak, final                    int64
	peakSeq                        uint64
	layerCur, layerPeak            [3]int64
	layerPeakSeq                   [3]uint64
	pymallocAtPeak, rawAtPeak      int64
	arenasAtOSPeak, otherAtOSPeak  int64
	allocs, frees, reallocs        int64
	caches, reuses                 int64
	calls, collections, maxDepth   int64
	byType, bySite, byStack        map[string]*oTally
	peakType, peakSite, peakStack  map[string]oTally
	typeMax                        map[string]int64
	lifetimes                      map[string][]uint64
	temporary, temporaryBytes      int64
	sizes                          map[int64][4]int64 // class -> requests, free list, pymalloc, raw (by class index)
	served                         [3][2]int64        // free list, pymalloc, raw: requests, bytes
	live                           map[uint64]*oObj
	anomalies                      []uint64
	arenasEnd, arenaBytesEnd       int64
	poolsUsedEnd, blockBytesEnd    int64
	requestedEnd, heldEnd, maxHeld int64
	rawMappedEnd, rawChunksEnd     int64
}

// classOf is the size class index as the README documents the classes:
// 0 for 0 bytes, then 16-byte steps to 512, then powers of two.
func oClassOf(size int64) int64 {
	if size <= 0 {
		return 0
	}
	if size <= 512 {
		return (size + 15) / 16
	}
	c := int64(33)
	for hi := int64(1024); hi < size; hi *= 2 {
		c++
	}
	return c
}

// runOracle replays the trace at path. match filters the object layer
// like Options.Type and Options.Site (exact type, site substring).
func runOracle(t testing.TB, path string, typ, site string) *oracle {
	t.Helper()
	r, err := format.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	h := r.Header()
	o := &oracle{
		byType: map[string]*oTally{}, bySite: map[string]*oTally{}, byStack: map[string]*oTally{},
		typeMax: map[string]int64{}, lifetimes: map[string][]uint64{}, sizes: map[int64][4]int64{},
		live: map[uint64]*oObj{},
	}
	tally := func(m map[string]*oTally, k string) *oTally {
		if m[k] == nil {
			m[k] = &oTally{}
		}
		return m[k]
	}
	untraced := map[uint64]bool{}
	var frames []string
	var lastLowerAddr uint64
	var lastLowerLayer format.Layer
	var lastAlloc uint64
	lastAllocOK := false
	var reallocBirth uint64
	// pymalloc: blocks per arena, per pool
	type oArena struct {
		addr, size uint64
		used       int64
		lastFree   bool
	}
	var arenas []*oArena
	poolUsed := map[uint64]int64{}
	var blockBytes, requested int64
	held := func() int64 {
		var n int64
		for _, a := range arenas {
			if a.used == 1 && a.lastFree {
				n++
			}
		}
		return n
	}
	arenaOf := func(addr uint64) *oArena {
		for _, a := range arenas {
			if addr >= a.addr && addr < a.addr+a.size {
				return a
			}
		}
		return nil
	}
	var osArena, osOther, pymallocCur, rawCur int64
	add := func(x *oTally, ob *oObj, sign int64) {
		x.live += sign * ob.size
		x.liveBlock += sign * ob.block
		x.liveN += sign
	}
	acquire := func(ob *oObj, seq uint64) {
		add(tally(o.byType, ob.typ), ob, 1)
		add(tally(o.bySite, ob.site), ob, 1)
		add(tally(o.byStack, ob.stack), ob, 1)
		o.final += ob.size
		if o.final > o.peak {
			o.peak, o.peakSeq = o.final, seq
			o.peakType, o.peakSite, o.peakStack = map[string]oTally{}, map[string]oTally{}, map[string]oTally{}
			for k, v := range o.byType {
				o.peakType[k] = *v
			}
			for k, v := range o.bySite {
				o.peakSite[k] = *v
			}
			for k, v := range o.byStack {
				o.peakStack[k] = *v
			}
		}
		if l := o.byType[ob.typ].live; l > o.typeMax[ob.typ] {
			o.typeMax[ob.typ] = l
		}
	}
	release := func(ob *oObj) {
		add(tally(o.byType, ob.typ), ob, -1)
		add(tally(o.bySite, ob.site), ob, -1)
		add(tally(o.byStack, ob.stack), ob, -1)
		o.final -= ob.size
	}
	matches := func(ty, si string) bool {
		return (typ == "" || ty == typ) && (site == "" || strings.Contains(si, site))
	}
	var b format.Batch
	for {
		err := r.Next(&b)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		o.events += uint64(b.Len())
		for i := range b.Seq {
			seq, op, size, block, addr := b.Seq[i], b.Op[i], b.Size[i], b.Block[i], b.Addr[i]
			ty, si := h.Types[b.Type[i]], h.Sites[b.Site[i]]
			plus := op == format.OpAlloc || op == format.OpReallocTo
			minus := op == format.OpFree || op == format.OpReallocFrom
			sign := int64(0)
			if plus {
				sign = 1
			} else if minus {
				sign = -1
			}
			switch b.Layer[i] {
			case format.LayerInterp:
				switch op {
				case format.OpCall:
					o.calls++
					frames = append(frames, si)
					o.maxDepth = max(o.maxDepth, int64(len(frames)))
				case format.OpReturn:
					frames = frames[:len(frames)-1]
				case format.OpCollect:
					o.collections++
				}
			case format.LayerPymalloc, format.LayerRaw:
				o.layerCur[1] += sign * block
				if b.Layer[i] == format.LayerPymalloc {
					pymallocCur += sign * block
				} else {
					rawCur += sign * block
				}
				if o.layerCur[1] > o.layerPeak[1] {
					o.layerPeak[1], o.layerPeakSeq[1] = o.layerCur[1], seq
					o.pymallocAtPeak, o.rawAtPeak = pymallocCur, rawCur
				}
				if plus {
					lastLowerAddr, lastLowerLayer = addr, b.Layer[i]
				}
				if b.Layer[i] == format.LayerPymalloc && sign != 0 {
					a := arenaOf(addr)
					a.used += sign
					a.lastFree = sign < 0
					poolUsed[addr&^(genPool-1)] += sign
					blockBytes += sign * block
					requested += sign * size
					o.maxHeld = max(o.maxHeld, held())
				}
			case format.LayerOS:
				o.layerCur[2] += sign * size
				if ty == "arena" {
					osArena += sign * size
					if plus {
						arenas = append(arenas, &oArena{addr: addr, size: uint64(size)})
					} else if minus {
						for j, a := range arenas {
							if a.addr == addr {
								arenas = append(arenas[:j], arenas[j+1:]...)
								break
							}
						}
					}
				} else {
					osOther += sign * size
				}
				if o.layerCur[2] > o.layerPeak[2] {
					o.layerPeak[2], o.layerPeakSeq[2] = o.layerCur[2], seq
					o.arenasAtOSPeak, o.otherAtOSPeak = osArena, osOther
				}
			case format.LayerObject:
				if seq <= h.Meta.SetupEvents {
					if plus {
						untraced[addr] = true
					} else if minus {
						delete(untraced, addr)
					}
					continue
				}
				if untraced[addr] && op != format.OpAlloc && op != format.OpReallocTo {
					if minus {
						delete(untraced, addr)
						lastAllocOK = false
					}
					continue
				}
				stack := strings.Join(append([]string{si}, reversed(frames)...), " < ")
				switch op {
				case format.OpAlloc, format.OpReallocTo:
					birth := seq
					if op == format.OpReallocTo {
						birth = reallocBirth
					}
					ob := &oObj{size: size, block: block, typ: ty, site: si, stack: stack, birth: birth}
					ob.skip = !matches(ty, si)
					o.live[addr] = ob
					lastAlloc, lastAllocOK = addr, true
					if ob.skip {
						continue
					}
					for _, x := range []*oTally{tally(o.byType, ty), tally(o.bySite, si), tally(o.byStack, stack)} {
						if op == format.OpAlloc {
							x.allocs++
						} else {
							x.reallocs++
						}
						x.allocBytes += size
						x.allocBlock += block
					}
					if op == format.OpAlloc {
						o.allocs++
					} else {
						o.reallocs++
					}
					by := 2
					if lastLowerAddr == addr && lastLowerLayer == format.LayerPymalloc {
						by = 1
					}
					o.served[by][0]++
					o.served[by][1] += size
					c := o.sizes[oClassOf(size)]
					c[0]++
					c[1+by]++
					o.sizes[oClassOf(size)] = c
					acquire(ob, seq)
				case format.OpFree, format.OpReallocFrom:
					ob := o.live[addr]
					temp := op == format.OpFree && lastAllocOK && lastAlloc == addr
					lastAllocOK = false
					if ob == nil {
						o.anomalies = append(o.anomalies, seq)
						continue
					}
					delete(o.live, addr)
					reallocBirth = ob.birth
					if ob.skip {
						continue
					}
					if op == format.OpFree {
						o.frees++
						tally(o.byType, ob.typ).frees++
						tally(o.bySite, ob.site).frees++
						if !ob.parked {
							o.lifetimes[ob.typ] = append(o.lifetimes[ob.typ], seq-ob.birth)
							if temp {
								o.temporary++
								o.temporaryBytes += ob.size
								tally(o.byType, ob.typ).temp++
								tally(o.bySite, ob.site).temp++
								tally(o.bySite, ob.site).tempBytes += ob.size
								tally(o.byStack, ob.stack).temp++
							}
						}
					}
					release(ob)
				case format.OpCache:
					ob := o.live[addr]
					if ob.parked {
						continue
					}
					ob.parked = true
					if !ob.skip {
						o.caches++
						o.lifetimes[ob.typ] = append(o.lifetimes[ob.typ], seq-ob.birth)
					}
				case format.OpReuse:
					ob := o.live[addr]
					if !ob.skip {
						release(ob)
					}
					nb := &oObj{size: ob.size, block: ob.block, typ: ty, site: si, stack: stack, birth: seq}
					nb.skip = !matches(ty, si)
					o.live[addr] = nb
					if !nb.skip {
						o.reuses++
						tally(o.byType, ty).reuses++
						tally(o.bySite, si).reuses++
						o.served[0][0]++
						o.served[0][1] += nb.size
						c := o.sizes[oClassOf(nb.size)]
						c[0]++
						c[1]++
						o.sizes[oClassOf(nb.size)] = c
						acquire(nb, seq)
					}
				}
			}
		}
	}
	o.layerCur[0], o.layerPeak[0], o.layerPeakSeq[0] = o.final, o.peak, o.peakSeq
	o.arenasEnd, o.arenaBytesEnd = int64(len(arenas)), osArena
	for _, n := range poolUsed {
		if n > 0 {
			o.poolsUsedEnd++
		}
	}
	o.blockBytesEnd, o.requestedEnd, o.heldEnd = blockBytes, requested, held()
	o.rawMappedEnd, o.rawChunksEnd = osOther, rawCur
	return o
}

func reversed(s []string) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[len(s)-1-i] = x
	}
	return out
}

// quantile is the exact q-th quantile of vs: the smallest value with at
// least q of the values at or below it.
func quantile(vs []uint64, q float64) uint64 {
	s := append([]uint64(nil), vs...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	k := int(q*float64(len(s))+0.9999999) - 1
	return s[max(k, 0)]
}
