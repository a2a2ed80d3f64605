// This file writes the reports for people: a heading, a table or a chart,
// human byte units.

package analyze

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/guptarohit/asciigraph"
)

// WriteText writes r for people: a heading naming the trace, then each
// report that was computed, in the order of ReportNames, then the
// anomalies.
func (r *Report) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "heaptrace analysis of %s\n", r.Trace)
	fmt.Fprintf(ew, "workload %s, profile %s, allocator %s, %s events, %s allocations, %s frees, %s reallocs\n",
		r.Workload, r.Profile, r.Allocator, Count(int64(r.Events)), Count(r.Allocs), Count(r.Frees), Count(r.Reallocs))
	if f := r.Filters; f.Type != "" || f.Site != "" {
		var parts []string
		if f.Type != "" {
			parts = append(parts, fmt.Sprintf("type %q", f.Type))
		}
		if f.Site != "" {
			parts = append(parts, fmt.Sprintf("site containing %q", f.Site))
		}
		fmt.Fprintf(ew, "filtered: object-layer allocations of %s (%s allocations match); the allocator and os layers are never filtered\n",
			strings.Join(parts, " at a "), Count(f.MatchedAllocs))
	}
	for _, wn := range r.Warnings {
		fmt.Fprintf(ew, "warning: %s\n", wn)
	}
	if r.Truncated {
		fmt.Fprintf(ew, "warning: the trace was cut short; this is the analysis up to its last complete batch\n")
	}
	rs := r.Reports
	if rs.Summary != nil {
		r.textSummary(ew)
	}
	if rs.Types != nil {
		rs.Types.text(ew)
	}
	if rs.Peak != nil {
		rs.Peak.text(ew)
	}
	if rs.Growth != nil {
		rs.Growth.text(ew, r.Events)
	}
	if rs.Leaks != nil {
		rs.Leaks.text(ew, r.FinalBytes)
	}
	if rs.Sites != nil {
		rs.Sites.text(ew)
	}
	if rs.Sizes != nil {
		rs.Sizes.text(ew)
	}
	if rs.Lifetimes != nil {
		rs.Lifetimes.text(ew)
	}
	if rs.Fragmentation != nil {
		rs.Fragmentation.text(ew)
	}
	if r.AnomalyCount > 0 {
		fmt.Fprintf(ew, "\n%d anomalies (events that contradict the ones before them):\n", r.AnomalyCount)
		for _, a := range r.Anomalies {
			fmt.Fprintf(ew, "  #%d: %s\n", a.Seq, a.Message)
		}
		if n := r.AnomalyCount - len(r.Anomalies); n > 0 {
			fmt.Fprintf(ew, "  ... and %d more\n", n)
		}
	}
	writeThresholds(ew, r.Thresholds)
	return ew.err
}

func (r *Report) textSummary(w io.Writer) {
	s := r.Reports.Summary
	fmt.Fprintf(w, "\nPeak heap: %s requested at event #%d; %s live at the end (%s of it parked on free lists)\n",
		Bytes(r.PeakBytes), r.PeakSeq, Bytes(r.FinalBytes), Bytes(r.ParkedBytes))
	fmt.Fprintf(w, "events #%d..#%d", s.FirstSeq, s.LastSeq)
	if s.SetupEvents > 0 {
		fmt.Fprintf(w, " (#1..#%d set-up, untraced)", s.SetupEvents)
	}
	fmt.Fprintf(w, "; %s requested in all; %s parked on free lists, %s reused from them",
		Bytes(s.AllocBytes), Count(s.Caches), Count(s.Reuses))
	if s.Calls > 0 {
		fmt.Fprintf(w, "; %s calls, %d deep at most", Count(s.Calls), s.MaxDepth)
	}
	if s.Collections > 0 {
		fmt.Fprintf(w, "; %s collections", Count(s.Collections))
	}
	fmt.Fprintf(w, "\n\n")
	rows := make([][]string, 0, len(s.Layers))
	for _, l := range s.Layers {
		rows = append(rows, []string{layerTitles[l.Layer], Bytes(l.PeakBytes), "#" + strconv.FormatUint(l.PeakSeq, 10), Bytes(l.FinalBytes)})
	}
	table(w, []string{"Layer", "Peak", "At event", "Final"}, rows)
}

// omitted writes how many rows a table left out, if any.
func omitted(w io.Writer, n int, what string) {
	if n > 0 {
		fmt.Fprintf(w, "(%s more %s; --top 0 shows all)\n", Count(int64(n)), what)
	}
}

func (t *TypesReport) text(w io.Writer) {
	fmt.Fprintf(w, "\nBy type (object layer: requested bytes, then the allocator's blocks for them)\n")
	var rows [][]string
	for _, r := range append(t.Rows, t.Total) {
		rows = append(rows, []string{r.Type, Count(r.Allocs), Count(r.Frees), Bytes(r.MeanSize),
			Bytes(r.AllocBytes), Bytes(r.AllocBlockBytes),
			Bytes(r.PeakLiveBytes), Bytes(r.PeakLiveBlockBytes),
			Bytes(r.FinalLiveBytes), Bytes(r.FinalLiveBlock)})
	}
	table(w, []string{"Type", "Allocs", "Frees", "Mean size", "Allocated", "(blocks)", "Live at peak", "(blocks)", "Live at end", "(blocks)"}, rows)
	omitted(w, t.Omitted, "types")
}

func (p *PeakReport) text(w io.Writer) {
	fmt.Fprintf(w, "\nPeak at each layer\n")
	var rows [][]string
	for _, l := range p.Layers {
		var parts []string
		for _, pt := range l.Parts {
			parts = append(parts, pt.Name+" "+Bytes(pt.Bytes))
		}
		rows = append(rows, []string{layerTitles[l.Layer], Bytes(l.PeakBytes), "#" + strconv.FormatUint(l.PeakSeq, 10), strings.Join(parts, " + "), Bytes(l.FinalBytes)})
	}
	table(w, []string{"Layer", "Peak", "At event", "Made of", "Final"}, rows, 3)
	for _, part := range []struct {
		what string
		rows []LiveRow
		omit int
	}{{"type", p.ByType, p.OmittedTypes}, {"site", p.BySite, p.OmittedSites}} {
		fmt.Fprintf(w, "\nLive at the object-layer peak (event #%d, %s), by %s\n", p.Seq, Bytes(p.Bytes), part.what)
		if part.what == "site" && p.SitesUnknown {
			fmt.Fprintf(w, "(not known in a --bounded analysis: a free row names where the free happened, not where the object was allocated)\n")
			continue
		}
		rows = rows[:0]
		for _, r := range part.rows {
			rows = append(rows, []string{r.Name, Count(r.Objects), Bytes(r.Bytes), Bytes(r.BlockBytes), percent(r.Bytes, p.Bytes)})
		}
		table(w, []string{strings.ToUpper(part.what[:1]) + part.what[1:], "Objects", "Requested", "(blocks)", "Share"}, rows)
		omitted(w, part.omit, part.what+"s")
	}
}

// percent formats a/b as a percentage: "12.5%".
func percent(a, b int64) string {
	if b == 0 {
		return "-"
	}
	return strconv.FormatFloat(float64(a)*100/float64(b), 'f', 1, 64) + "%"
}

func (g *GrowthReport) text(w io.Writer, events uint64) {
	if len(g.Points) > 1 {
		fmt.Fprintf(w, "\nGrowth (requested bytes over %s events, %d points, peak kept)\n", Count(int64(events)), len(g.Points))
		fmt.Fprintln(w, Chart(g.Points, 72, 12))
	} else {
		fmt.Fprintf(w, "\nGrowth: fewer than two points, no chart\n")
	}
	if len(g.ByType) == 0 {
		return
	}
	fmt.Fprintf(w, "\nGrowth by type (each line scaled to its own peak)\n")
	var first, last uint64
	if len(g.Points) > 0 {
		first, last = g.Points[0].Seq, g.Points[len(g.Points)-1].Seq
	}
	var rows [][]string
	for _, t := range g.ByType {
		rows = append(rows, []string{t.Type, Bytes(t.PeakBytes), "#" + strconv.FormatUint(t.PeakSeq, 10), Bytes(t.FinalBytes), Sparkline(t.Points, first, last, 32)})
	}
	table(w, []string{"Type", "Peak", "At event", "End", "Over the run"}, rows, 4)
	omitted(w, g.Omitted, "types")
}

// Sparkline draws points as width characters of ▁▂▃▄▅▆▇█, from event first
// to event last, scaled to the points' highest value. The curve holds each
// point's value until the next point (a curve's points are its changes),
// and a character shows the highest value in its span of events, so no
// peak is lost.
func Sparkline(points []Point, first, last uint64, width int) string {
	if len(points) == 0 || width < 1 {
		return ""
	}
	levels := []rune("▁▂▃▄▅▆▇█")
	var top int64
	for _, p := range points {
		top = max(top, p.Bytes)
	}
	span := float64(last-first+1) / float64(width)
	var out strings.Builder
	var held int64 // the value when the column starts
	j := 0         // the next point
	for c := 0; c < width; c++ {
		hi := first + uint64(float64(c+1)*span) // exclusive
		if c == width-1 {
			hi = last + 1
		}
		v := held
		for j < len(points) && points[j].Seq < hi {
			v = max(v, points[j].Bytes)
			held = points[j].Bytes
			j++
		}
		i := 0
		if top > 0 && v > 0 {
			i = int(math.Round(float64(v) / float64(top) * float64(len(levels)-1)))
		}
		out.WriteRune(levels[min(i, len(levels)-1)])
	}
	return out.String()
}

// stackText shows a call stack innermost first, at most max frames.
func stackText(stack []string, max int) string {
	if len(stack) > max {
		return strings.Join(stack[:max], " < ") + fmt.Sprintf(" < ... (%d more)", len(stack)-max)
	}
	return strings.Join(stack, " < ")
}

func (l *LeaksReport) text(w io.Writer, final int64) {
	fmt.Fprintf(w, "\nStill live at the end: %s in %s objects", Bytes(l.Bytes), Count(l.Objects))
	if l.ParkedObjects > 0 {
		fmt.Fprintf(w, ", besides %s in %s objects parked on free lists (kept for reuse, not leaks)", Bytes(l.ParkedBytes), Count(l.ParkedObjects))
	}
	fmt.Fprintf(w, "\n")
	var rows [][]string
	for _, r := range l.Rows {
		callers := "-"
		if len(r.Stack) > 1 {
			callers = stackText(r.Stack[1:], 3)
		}
		rows = append(rows, []string{r.Site, r.Type, Count(r.Objects), Bytes(r.Bytes), Bytes(r.BlockBytes), percent(r.Bytes, l.Bytes), callers})
	}
	table(w, []string{"Site", "Type", "Objects", "Requested", "(blocks)", "Share", "Called from"}, rows, 1, 6)
	omitted(w, l.Omitted, "site and type pairs")
}

func (s *SitesReport) text(w io.Writer) {
	siteRows := func(rows []SiteRow, stacks bool) [][]string {
		var out [][]string
		for _, r := range rows {
			where := r.Site
			if stacks {
				where = stackText(r.Stack, 4)
			}
			out = append(out, []string{where, Count(r.Allocs), Bytes(r.AllocBytes), Bytes(r.PeakLiveBytes), Bytes(r.FinalLiveBytes), Count(r.Temporary)})
		}
		return out
	}
	header := []string{"Site", "Allocs", "Allocated", "Live at peak", "Live at end", "Temporary"}
	fmt.Fprintf(w, "\nTop sites by bytes allocated (%s sites, %s allocated in all)\n", Count(int64(s.Sites)), Bytes(s.AllocatedTotal))
	table(w, header, siteRows(s.ByAllocated, false))
	fmt.Fprintf(w, "\nTop sites by bytes live at the object-layer peak (event #%d)\n", s.PeakSeq)
	table(w, header, siteRows(s.ByPeak, false))
	omitted(w, s.OmittedSites, "sites")
	deep := false
	for _, r := range s.StacksByAlloc {
		deep = deep || len(r.Stack) > 1
	}
	if !deep {
		fmt.Fprintf(w, "(no allocation is inside a call: the call stacks are the sites)\n")
		return
	}
	header[0] = "Call stack (innermost first)"
	fmt.Fprintf(w, "\nTop call stacks by bytes allocated (%s stacks)\n", Count(int64(s.Stacks)))
	table(w, header, siteRows(s.StacksByAlloc, true))
	fmt.Fprintf(w, "\nTop call stacks by bytes live at the object-layer peak\n")
	table(w, header, siteRows(s.StacksByPeak, true))
	omitted(w, s.OmittedStacks, "stacks")
}

func (s *SizesReport) text(w io.Writer) {
	fmt.Fprintf(w, "\nRequests by size (%s requests, %s)", Count(s.Requests), Bytes(s.Bytes))
	var parts []string
	for _, sv := range s.Served {
		parts = append(parts, fmt.Sprintf("%s %s of requests, %s of bytes", servedTitles[sv.By], percent(sv.Requests, s.Requests), percent(sv.Bytes, s.Bytes)))
	}
	fmt.Fprintf(w, ": served by %s\n", strings.Join(parts, "; "))
	var rows [][]string
	for _, c := range s.Classes {
		size := Count(c.Min) + ".." + Count(c.Max)
		if c.Min == c.Max {
			size = Count(c.Min)
		}
		rows = append(rows, []string{size, Count(c.Requests), Bytes(c.Bytes), Count(c.FreeList), Count(c.Pymalloc), Count(c.Raw), bar(c.Requests, s.Requests, 20)})
	}
	table(w, []string{"Size", "Requests", "Requested", "Free list", "pymalloc", "raw", "Share of requests"}, rows, 6)
}

var servedTitles = map[string]string{"free_list": "free lists", "pymalloc": "pymalloc", "raw": "the raw allocator"}

// bar draws n/total as a bar of at most width '#'.
func bar(n, total int64, width int) string {
	if total <= 0 || n <= 0 {
		return ""
	}
	k := int(math.Round(float64(n) / float64(total) * float64(width)))
	return strings.Repeat("#", max(k, 1))
}

func (l *LifetimesReport) text(w io.Writer) {
	fmt.Fprintf(w, "\nLifetimes in events, from allocation (or reuse) to free (or parking on a free list); %s objects freed\n", Count(l.Freed))
	var rows [][]string
	for _, r := range l.ByType {
		mean, p50, p90, mx := "-", "-", "-", "-"
		if r.Freed > 0 {
			mean = strconv.FormatFloat(r.Mean, 'f', 1, 64)
			p50, p90, mx = "≤ "+Count(int64(r.P50)), "≤ "+Count(int64(r.P90)), Count(int64(r.Max))
		}
		rows = append(rows, []string{r.Type, Count(r.Freed), Count(r.Live), mean, p50, p90, mx, Count(r.Temporary)})
	}
	table(w, []string{"Type", "Freed", "Live at end", "Mean", "Median", "90%", "Max", "Temporary"}, rows)
	omitted(w, l.Omitted, "types")
	if len(l.Histogram) > 0 {
		fmt.Fprintf(w, "\nHow long freed objects lived\n")
		rows = rows[:0]
		for _, b := range l.Histogram {
			span := Count(int64(b.Min))
			if b.Max != b.Min {
				span += ".." + Count(int64(b.Max))
			}
			rows = append(rows, []string{span, Count(b.Count), percent(b.Count, l.Freed), bar(b.Count, l.Freed, 30)})
		}
		table(w, []string{"Events", "Objects", "Share", ""}, rows, 3)
	}
	fmt.Fprintf(w, "\nTemporary allocations (freed by the very next allocation-related event, no other allocation in between): %s of %s (%s), %s\n",
		Count(l.Temporary), Count(l.Allocs), percent(l.Temporary, l.Allocs), Bytes(l.TemporaryBytes))
	if len(l.TemporaryBy) > 0 {
		rows = rows[:0]
		for _, r := range l.TemporaryBy {
			rows = append(rows, []string{r.Site, Count(r.Allocs), Count(r.Temporary), percent(r.Temporary, r.Allocs), Bytes(r.Bytes)})
		}
		table(w, []string{"Site", "Allocs", "Temporary", "Share", "Bytes"}, rows)
		omitted(w, l.OmittedSites, "sites")
	}
}

func (f *FragmentationReport) text(w io.Writer) {
	fmt.Fprintf(w, "\nFragmentation: pymalloc's %s arenas of %s pools (%s mapped and %s unmapped over the run)\n",
		Bytes(f.ArenaSize), Bytes(f.PoolSize), Count(f.ArenasMapped), Count(f.ArenasFreed))
	var rows [][]string
	for _, s := range []struct {
		when string
		st   FragState
	}{{"at the end", f.End}, {fmt.Sprintf("most in blocks (#%d)", f.AtPeak.Seq), f.AtPeak}} {
		st := s.st
		rows = append(rows, []string{s.when, Count(st.Arenas), Bytes(st.ArenaBytes), Count(st.PoolsUsed), Count(st.PoolsFull), Bytes(st.PoolBytes),
			Bytes(st.BlockBytes), Bytes(st.RequestedBytes), percent(st.BlockBytes, st.ArenaBytes), percent(st.BlockBytes, st.PoolBytes), Count(st.Held)})
	}
	table(w, []string{"When", "Arenas", "Mapped", "Pools used", "Full", "In pools", "In blocks", "Requested", "Blocks/mapped", "Blocks/pools", "Held by 1 block"}, rows)
	fmt.Fprintf(w, "Arenas that one block keeps from being returned to the OS: %s at the end, %s at most (event #%d)\n",
		Count(f.End.Held), Count(f.MaxHeld), f.MaxHeldSeq)
	if len(f.Held) > 0 {
		rows = rows[:0]
		for _, h := range f.Held {
			block := "?"
			if h.Block != 0 {
				block = fmt.Sprintf("%#x (%s)", h.Block, Bytes(h.BlockSize))
			}
			rows = append(rows, []string{fmt.Sprintf("%#x", h.Arena), block, h.Type, h.Site})
		}
		table(w, []string{"Arena", "Block", "Type", "Site"}, rows, 1, 2, 3)
	}
	fmt.Fprintf(w, "Raw allocator: %s mapped at the end (heap segments and large chunks; %s at most), %s of it in chunks in use (%s)\n",
		Bytes(f.RawMapped), Bytes(f.RawPeakMap), Bytes(f.RawChunks), percent(f.RawChunks, f.RawMapped))
	if len(f.Points) > 1 {
		mapped := make([]Point, len(f.Points))
		used := make([]Point, len(f.Points))
		for i, p := range f.Points {
			mapped[i] = Point{p.Seq, p.ArenaBytes}
			used[i] = Point{p.Seq, p.BlockBytes}
		}
		fmt.Fprintf(w, "\nArena bytes mapped (─) and block bytes in use (•) over the run, %d points\n", len(f.Points))
		fmt.Fprintln(w, chartMany([][]Point{mapped, used}, 72, 10))
	}
}

// chartMany draws several curves on one chart, the first with lines, the
// others with dots.
func chartMany(series [][]Point, width, height int) string {
	first, last := series[0][0].Seq, series[0][len(series[0])-1].Seq
	data := make([][]float64, len(series))
	chars := []asciigraph.CharSet{asciigraph.DefaultCharSet}
	for i, s := range series {
		data[i] = resample(s, first, last, width)
		if i > 0 {
			chars = append(chars, asciigraph.CreateCharSet("•"))
		}
	}
	return asciigraph.PlotMany(data,
		asciigraph.Height(height),
		asciigraph.Width(width),
		asciigraph.SeriesChars(chars...),
		asciigraph.YAxisValueFormatter(func(v float64) string { return Bytes(int64(v)) }),
		asciigraph.Caption(fmt.Sprintf("event #%d .. #%d", first, last)),
	)
}
