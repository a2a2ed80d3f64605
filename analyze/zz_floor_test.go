package analyze

import (
	"testing"

	"github.com/heaptrace/heaptrace/format"
)

func BenchmarkZZFloor(b *testing.B) {
	h, batches, events := decodedBatches(b)
	for _, withTypeGrowth := range []bool{false, true} {
		b.Run(map[bool]string{false: "noTypeGrowth", true: "typeGrowth"}[withTypeGrowth], func(b *testing.B) {
			var sink int64
			for it := 0; it < b.N; it++ {
				type tl struct{ live, liveBlock, liveN, allocs, frees, allocBytes int64 }
				ts := make([]tl, len(h.Types))
				tg := make([]*Downsampler, len(h.Types))
				for i := range tg {
					tg[i] = NewDownsampler(100)
				}
				g := NewDownsampler(100)
				var cur, peak int64
				var peakAt uint64
				for _, bt := range batches {
					first := bt.Seq[0]
					for i, l := range bt.Layer {
						if l != format.LayerObject {
							continue
						}
						op := bt.Op[i]
						sz, bl := bt.Size[i], bt.Block[i]
						t := &ts[bt.Type[i]]
						seq := first + uint64(i)
						switch op {
						case format.OpAlloc, format.OpReallocTo:
							t.allocs++
							t.allocBytes += sz
						case format.OpFree, format.OpReallocFrom:
							sz, bl = -sz, -bl
							t.frees++
						default:
							continue
						}
						cur += sz
						t.live += sz
						t.liveBlock += bl
						t.liveN++
						if cur > peak {
							peak, peakAt = cur, seq
						}
						if withTypeGrowth {
							tg[bt.Type[i]].Add(seq, t.live)
						}
						g.Add(seq, cur)
					}
				}
				sink += peak + int64(peakAt)
			}
			_ = sink
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(events)/float64(b.N), "ns/event")
		})
	}
	b.Run("bounded4", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			p, _ := newReplay(h, Options{Reports: []string{"summary", "types", "peak", "growth"}, Top: 10, Bounded: true})
			for _, batch := range batches {
				p.batch(batch)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(events)/float64(b.N), "ns/event")
	})
}

func BenchmarkZZBranchFree(b *testing.B) {
	h, batches, events := decodedBatches(b)
	var sign [256]int64
	for op := 0; op < 32; op++ {
		switch format.Op(op) {
		case format.OpAlloc, format.OpReallocTo:
			sign[op<<3|int(format.LayerObject)] = 1
		case format.OpFree, format.OpReallocFrom:
			sign[op<<3|int(format.LayerObject)] = -1
		}
	}
	for _, growth := range []bool{false, true} {
		b.Run(map[bool]string{false: "nogrowth", true: "growth"}[growth], func(b *testing.B) {
			var sink int64
			for it := 0; it < b.N; it++ {
				type tl struct{ live, liveBlock, liveN, allocs int64 }
				ts := make([]tl, len(h.Types))
				g := NewDownsampler(100)
				var cur, peak int64
				var peakAt uint64
				for _, bt := range batches {
					first := bt.Seq[0]
					n := len(bt.Op)
					ops, lays, typs, szs, bls := bt.Op[:n], bt.Layer[:n], bt.Type[:n], bt.Size[:n], bt.Block[:n]
					for i := range ops {
						s := sign[uint8(ops[i])<<3|uint8(lays[i])&7]
						t := &ts[typs[i]]
						d := s * szs[i]
						cur += d
						t.live += d
						t.liveBlock += s * bls[i]
						t.liveN += s
						t.allocs += s & 1
						if cur > peak {
							peak, peakAt = cur, first+uint64(i)
						}
						if growth && s != 0 {
							g.Add(first+uint64(i), cur)
						}
					}
				}
				sink += peak + int64(peakAt)
			}
			_ = sink
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(events)/float64(b.N), "ns/event")
		})
	}
}
