package analyze

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/guptarohit/asciigraph"
	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// WriteJSON writes r as one indented JSON object.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText writes r for people: a summary, the layers' peaks, the by-type
// table and a chart of the growth curve.
func (r *Report) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "heaptrace analysis of %s\n", r.Trace)
	fmt.Fprintf(ew, "workload %s, profile %s, %s events, %s allocations, %s frees, %s reallocs\n",
		r.Workload, r.Profile, Count(int64(r.Events)), Count(r.Allocs), Count(r.Frees), Count(r.Reallocs))
	if r.Truncated {
		fmt.Fprintf(ew, "warning: the trace was cut short; this is the analysis up to its last complete batch\n")
	}
	fmt.Fprintf(ew, "\nPeak heap: %s requested at event #%d; %s live at the end (%s of it parked on free lists)\n\n",
		Bytes(r.PeakBytes), r.PeakSeq, Bytes(r.FinalBytes), Bytes(r.ParkedBytes))

	rows := make([][]string, 0, len(r.Layers))
	for _, l := range r.Layers {
		rows = append(rows, []string{layerTitles[l.Layer], Bytes(l.PeakBytes), "#" + strconv.FormatUint(l.PeakSeq, 10), Bytes(l.FinalBytes)})
	}
	table(ew, []string{"Layer", "Peak", "At event", "Final"}, rows)

	fmt.Fprintf(ew, "\nBy type (object layer, requested bytes)\n")
	rows = rows[:0]
	for _, t := range r.ByType {
		rows = append(rows, []string{t.Type, Count(t.Allocs), Count(t.Frees), Bytes(t.AllocBytes), Bytes(t.PeakLiveBytes), Bytes(t.FinalLiveBytes)})
	}
	table(ew, []string{"Type", "Allocs", "Frees", "Allocated", "Live at peak", "Live at end"}, rows)

	if len(r.Growth) > 1 {
		fmt.Fprintf(ew, "\nGrowth (requested bytes over %s events, %d points, peak kept)\n", Count(int64(r.Events)), len(r.Growth))
		fmt.Fprintln(ew, Chart(r.Growth, 72, 12))
	}
	if r.AnomalyCount > 0 {
		fmt.Fprintf(ew, "\n%d anomalies (events that contradict the ones before them):\n", r.AnomalyCount)
		for _, a := range r.Anomalies {
			fmt.Fprintf(ew, "  #%d: %s\n", a.Seq, a.Message)
		}
	}
	return ew.err
}

var layerTitles = map[string]string{
	"objects":   "objects (requested)",
	"allocator": "allocator (blocks, chunks)",
	"os":        "os (mapped)",
}

// table renders rows under header with ASCII borders, numbers right-aligned.
func table(w io.Writer, header []string, rows [][]string) {
	align := make(tw.Alignment, len(header))
	for i := range align {
		align[i] = tw.AlignRight
	}
	align[0] = tw.AlignLeft
	t := tablewriter.NewTable(w,
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{Symbols: tw.NewSymbols(tw.StyleASCII)})),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithRowAlignmentConfig(tw.CellAlignment{PerColumn: align}),
		tablewriter.WithHeaderAlignmentConfig(tw.CellAlignment{PerColumn: align}),
	)
	t.Header(header)
	for _, r := range rows {
		_ = t.Append(r) // errors surface from Render
	}
	if err := t.Render(); err != nil {
		fmt.Fprintf(w, "(table: %v)\n", err)
	}
}

// Chart draws points as a line chart of width columns and height rows,
// interpolating linearly between points, with the y axis in human byte
// units.
func Chart(points []Point, width, height int) string {
	if len(points) == 0 {
		return ""
	}
	first, last := points[0].Seq, points[len(points)-1].Seq
	series := make([]float64, width)
	j := 0
	for i := range series {
		seq := first + uint64(float64(last-first)*float64(i)/float64(width-1))
		for j+1 < len(points) && points[j+1].Seq <= seq {
			j++
		}
		series[i] = float64(points[j].Bytes)
		if j+1 < len(points) {
			a, b := points[j], points[j+1]
			f := float64(seq-a.Seq) / float64(b.Seq-a.Seq)
			series[i] = float64(a.Bytes) + f*float64(b.Bytes-a.Bytes)
		}
	}
	// asciigraph places the peak column where resampling may have missed
	// it: make sure the column holding the peak shows it.
	peak := 0
	for i, p := range points {
		if p.Bytes > points[peak].Bytes {
			peak = i
		}
	}
	if last > first {
		col := int(float64(points[peak].Seq-first) / float64(last-first) * float64(width-1))
		series[col] = float64(points[peak].Bytes)
	}
	return asciigraph.Plot(series,
		asciigraph.Height(height),
		asciigraph.Width(width),
		asciigraph.YAxisValueFormatter(func(v float64) string { return Bytes(int64(v)) }),
		asciigraph.Caption(fmt.Sprintf("event #%d .. #%d", first, last)),
	)
}

// Bytes formats n in binary units: "512 B", "1.5 KiB", "3.25 MiB".
func Bytes(n int64) string {
	neg := ""
	if n < 0 {
		neg, n = "-", -n
	}
	if n < 1024 {
		return fmt.Sprintf("%s%d B", neg, n)
	}
	units := []string{"KiB", "MiB", "GiB", "TiB", "PiB"}
	v := float64(n) / 1024
	i := 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	s := strconv.FormatFloat(v, 'f', 2, 64)
	for s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	if s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	return neg + s + " " + units[i]
}

// Count formats n with thousands separators: "1,234,567".
func Count(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := ""
	if n < 0 {
		neg, s = "-", s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return neg + s
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return len(p), nil
	}
	n, err := e.w.Write(p)
	if err != nil {
		e.err = err
	}
	return n, nil
}
