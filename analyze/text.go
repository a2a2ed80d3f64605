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

var layerTitles = map[string]string{
	"objects":   "objects (requested)",
	"allocator": "allocator (blocks, chunks)",
	"os":        "os (mapped)",
}

// table renders rows under header with ASCII borders, numbers
// right-aligned; the first column and the columns listed in left hold text
// and are left-aligned.
func table(w io.Writer, header []string, rows [][]string, left ...int) {
	align := make(tw.Alignment, len(header))
	for i := range align {
		align[i] = tw.AlignRight
	}
	align[0] = tw.AlignLeft
	for _, i := range left {
		align[i] = tw.AlignLeft
	}
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
	return asciigraph.Plot(resample(points, first, last, width),
		asciigraph.Height(height),
		asciigraph.Width(width),
		asciigraph.YAxisValueFormatter(func(v float64) string { return Bytes(int64(v)) }),
		asciigraph.Caption(fmt.Sprintf("event #%d .. #%d", first, last)),
	)
}

// resample returns the curve through points at width evenly spaced events
// from first to last, interpolating linearly, with the column of the
// highest point showing it (asciigraph would miss a peak between columns).
func resample(points []Point, first, last uint64, width int) []float64 {
	series := make([]float64, width)
	j := 0
	for i := range series {
		seq := first + uint64(float64(last-first)*float64(i)/float64(width-1))
		for j+1 < len(points) && points[j+1].Seq <= seq {
			j++
		}
		series[i] = float64(points[j].Bytes)
		if j+1 < len(points) && points[j].Seq <= seq {
			a, b := points[j], points[j+1]
			f := float64(seq-a.Seq) / float64(b.Seq-a.Seq)
			series[i] = float64(a.Bytes) + f*float64(b.Bytes-a.Bytes)
		}
	}
	peak := 0
	for i, p := range points {
		if p.Bytes > points[peak].Bytes {
			peak = i
		}
	}
	if last > first && points[peak].Seq >= first && points[peak].Seq <= last {
		col := int(float64(points[peak].Seq-first) / float64(last-first) * float64(width-1))
		series[col] = float64(points[peak].Bytes)
	}
	return series
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
