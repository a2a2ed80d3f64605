// This file writes one report as CSV: its main table, one header row,
// plain numbers (bytes as integers).

package analyze

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// WriteCSV writes the main table of the report named name (one of
// ReportNames, computed in r) as CSV with a header row. The README lists
// each report's columns.
func (r *Report) WriteCSV(w io.Writer, name string) error {
	cw := csv.NewWriter(w)
	i64 := func(n int64) string { return strconv.FormatInt(n, 10) }
	u64 := func(n uint64) string { return strconv.FormatUint(n, 10) }
	f64 := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	var rows [][]string
	add := func(row ...string) { rows = append(rows, row) }
	rs := r.Reports
	missing := false
	switch name {
	case "summary":
		if s := rs.Summary; s != nil {
			add("key", "value")
			add("events", u64(s.Events))
			add("first_seq", u64(s.FirstSeq))
			add("last_seq", u64(s.LastSeq))
			add("setup_events", u64(s.SetupEvents))
			add("calls", i64(s.Calls))
			add("max_depth", strconv.Itoa(s.MaxDepth))
			add("collections", i64(s.Collections))
			add("allocs", i64(s.Allocs))
			add("frees", i64(s.Frees))
			add("reallocs", i64(s.Reallocs))
			add("caches", i64(s.Caches))
			add("reuses", i64(s.Reuses))
			add("alloc_bytes", i64(s.AllocBytes))
			add("parked_bytes", i64(s.ParkedBytes))
			for _, l := range s.Layers {
				add(l.Layer+".peak_bytes", i64(l.PeakBytes))
				add(l.Layer+".peak_seq", u64(l.PeakSeq))
				add(l.Layer+".final_bytes", i64(l.FinalBytes))
			}
			add("anomalies", strconv.Itoa(r.AnomalyCount))
		} else {
			missing = true
		}
	case "types":
		if t := rs.Types; t != nil {
			add("type", "allocs", "reallocs", "frees", "reuses", "alloc_bytes", "alloc_block_bytes", "mean_size",
				"peak_live_objects", "peak_live_bytes", "peak_live_block_bytes", "final_live_objects", "final_live_bytes", "final_live_block_bytes")
			for _, x := range t.Rows {
				add(x.Type, i64(x.Allocs), i64(x.Reallocs), i64(x.Frees), i64(x.Reuses), i64(x.AllocBytes), i64(x.AllocBlockBytes), i64(x.MeanSize),
					i64(x.PeakLiveObjects), i64(x.PeakLiveBytes), i64(x.PeakLiveBlockBytes), i64(x.FinalLiveObjects), i64(x.FinalLiveBytes), i64(x.FinalLiveBlock))
			}
		} else {
			missing = true
		}
	case "peak":
		if p := rs.Peak; p != nil {
			add("kind", "name", "seq", "objects", "bytes", "block_bytes")
			for _, l := range p.Layers {
				add("layer", l.Layer, u64(l.PeakSeq), "", i64(l.PeakBytes), "")
				for _, pt := range l.Parts {
					add("part", l.Layer+"."+pt.Name, u64(l.PeakSeq), "", i64(pt.Bytes), "")
				}
			}
			for _, x := range p.ByType {
				add("type", x.Name, u64(p.Seq), i64(x.Objects), i64(x.Bytes), i64(x.BlockBytes))
			}
			for _, x := range p.BySite {
				add("site", x.Name, u64(p.Seq), i64(x.Objects), i64(x.Bytes), i64(x.BlockBytes))
			}
		} else {
			missing = true
		}
	case "growth":
		if g := rs.Growth; g != nil {
			add("series", "seq", "bytes")
			for _, pt := range g.Points {
				add("total", u64(pt.Seq), i64(pt.Bytes))
			}
			for _, t := range g.ByType {
				for _, pt := range t.Points {
					add("type:"+t.Type, u64(pt.Seq), i64(pt.Bytes))
				}
			}
		} else {
			missing = true
		}
	case "leaks":
		if l := rs.Leaks; l != nil {
			add("site", "type", "objects", "bytes", "block_bytes", "stack")
			for _, x := range l.Rows {
				add(x.Site, x.Type, i64(x.Objects), i64(x.Bytes), i64(x.BlockBytes), strings.Join(x.Stack, " < "))
			}
		} else {
			missing = true
		}
	case "sites":
		if s := rs.Sites; s != nil {
			add("kind", "site", "stack", "allocs", "alloc_bytes", "peak_live_bytes", "final_live_bytes", "temporary")
			for _, part := range []struct {
				kind string
				rows [][]SiteRow
			}{{"site", [][]SiteRow{s.ByAllocated, s.ByPeak}}, {"stack", [][]SiteRow{s.StacksByAlloc, s.StacksByPeak}}} {
				seen := map[string]bool{}
				for _, list := range part.rows {
					for _, x := range list {
						stack := strings.Join(x.Stack, " < ")
						if seen[x.Site+"\x00"+stack] {
							continue
						}
						seen[x.Site+"\x00"+stack] = true
						add(part.kind, x.Site, stack, i64(x.Allocs), i64(x.AllocBytes), i64(x.PeakLiveBytes), i64(x.FinalLiveBytes), i64(x.Temporary))
					}
				}
			}
		} else {
			missing = true
		}
	case "sizes":
		if s := rs.Sizes; s != nil {
			add("min", "max", "requests", "bytes", "free_list", "pymalloc", "raw")
			for _, c := range s.Classes {
				add(i64(c.Min), i64(c.Max), i64(c.Requests), i64(c.Bytes), i64(c.FreeList), i64(c.Pymalloc), i64(c.Raw))
			}
		} else {
			missing = true
		}
	case "lifetimes":
		if l := rs.Lifetimes; l != nil {
			add("type", "freed", "live_at_end", "mean", "p50", "p90", "max", "temporary")
			for _, x := range l.ByType {
				add(x.Type, i64(x.Freed), i64(x.Live), f64(x.Mean), u64(x.P50), u64(x.P90), u64(x.Max), i64(x.Temporary))
			}
		} else {
			missing = true
		}
	case "fragmentation":
		if f := rs.Fragmentation; f != nil {
			add("seq", "arena_bytes", "pool_bytes", "block_bytes", "held_arenas")
			for _, pt := range f.Points {
				add(u64(pt.Seq), i64(pt.ArenaBytes), i64(pt.PoolBytes), i64(pt.BlockBytes), i64(pt.Held))
			}
		} else {
			missing = true
		}
	default:
		return fmt.Errorf("analyze: unknown report %q (reports: %s)", name, strings.Join(ReportNames, ", "))
	}
	if missing {
		return fmt.Errorf("analyze: the %s report was not computed", name)
	}
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("analyze: write csv: %w", err)
	}
	return nil
}
