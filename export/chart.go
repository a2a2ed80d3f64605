// This file defines the growth chart: its data, shared by the pictures
// (svg, png) and the html page, and the pictures, drawn with gonum/plot.

package export

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/heaptrace/heaptrace/analyze"
	"github.com/heaptrace/heaptrace/format"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// OtherTypes names the series of the types that a chart does not stack
// on their own.
const OtherTypes = "other"

// chartData is what a growth chart shows: the total requested bytes
// (tracemalloc's current) over the run, exact at its extremes, and the
// bytes of each type, stacked, sampled at the same events.
type chartData struct {
	Title      string `json:"title"`
	Events     uint64 `json:"events"`
	PeakSeq    uint64 `json:"peak_seq"`
	PeakBytes  int64  `json:"peak_bytes"`
	FinalBytes int64  `json:"final_bytes"`
	// Total is the total curve, [seq, bytes] pairs: analyze's growth
	// curve, which keeps every bucket's lowest and highest point.
	Total [][2]int64 `json:"total"`
	// Grid are the events after which each series is sampled: evenly
	// spaced, and the peak's.
	Grid []uint64 `json:"grid"`
	// Series are the stacked types, bottom first, the largest at its
	// highest first; the types beyond the chart's count are summed in
	// OtherTypes, last.
	Series []chartSeries `json:"series"`
}

// chartSeries is one type's bytes at each event of the grid.
type chartSeries struct {
	Name  string  `json:"name"`
	Bytes []int64 `json:"bytes"`
}

// loadChart analyses the trace r (the reports asked for, and the growth
// curve of points points) and replays the trace at path again for the
// bytes of each type at grid events. It returns the report, the chart and
// the events read.
func loadChart(r *format.Reader, path, name string, reports []string, points, grid int, opts Options) (*analyze.Report, *chartData, uint64, error) {
	rep, err := analyze.Run(r, name, analyze.Options{Points: points, Reports: reports, Top: opts.Top, Progress: opts.progress("analyze"), MaxMemory: opts.MaxMemory})
	if err != nil {
		return nil, nil, 0, asMemoryError(err)
	}
	title := opts.Title
	if title == "" {
		title = rep.Workload
	}
	c := &chartData{Title: title, Events: rep.Events, PeakSeq: rep.PeakSeq, PeakBytes: rep.PeakBytes, FinalBytes: rep.FinalBytes,
		Total: [][2]int64{}, Grid: []uint64{}, Series: []chartSeries{}} // [], not null, in JSON
	for _, p := range rep.Growth {
		c.Total = append(c.Total, [2]int64{int64(p.Seq), p.Bytes})
	}
	if rep.Events == 0 {
		return rep, c, 0, nil
	}

	// the grid: evenly spaced events, and the peak's
	last := rep.Events // seqs run from 1 to the number of events
	for i := range grid {
		c.Grid = append(c.Grid, 1+uint64(math.Round(float64(i)*float64(last-1)/float64(max(grid-1, 1)))))
	}
	if rep.PeakSeq > 0 {
		c.Grid = append(c.Grid, rep.PeakSeq)
	}
	slices.Sort(c.Grid)
	c.Grid = slices.Compact(c.Grid)

	r2, err := format.Open(path)
	if err != nil {
		return nil, nil, 0, err
	}
	defer r2.Close()
	h := r2.Header()
	p := newReplay(h, false)
	p.name, p.limit = name, opts.MaxMemory
	samples := make([][]int64, len(c.Grid)) // [grid][type]
	events, err := p.run(r2, c.Grid, func(i int) { samples[i] = p.liveByType(len(h.Types)) }, opts.progress("types"))
	if err != nil {
		return nil, nil, events, err
	}
	c.Series = stackSeries(samples, h.Types, opts.types())
	return rep, c, events, nil
}

func (o *Options) types() int {
	if o.Types == 0 {
		return 8
	}
	return o.Types
}

// stackSeries picks the n types that reach the most bytes in samples
// ([grid][type]) and sums the rest as OtherTypes.
func stackSeries(samples [][]int64, types []string, n int) []chartSeries {
	highest := make([]int64, len(types))
	for _, s := range samples {
		for t, b := range s {
			highest[t] = max(highest[t], b)
		}
	}
	var order []int
	for t, h := range highest {
		if h > 0 {
			order = append(order, t)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if highest[a] != highest[b] {
			if highest[a] > highest[b] {
				return -1
			}
			return 1
		}
		return strings.Compare(types[a], types[b])
	})
	out := []chartSeries{}
	for _, t := range order[:min(n, len(order))] {
		cs := chartSeries{Name: types[t], Bytes: make([]int64, len(samples))}
		for i, s := range samples {
			cs.Bytes[i] = s[t]
		}
		out = append(out, cs)
	}
	if len(order) > n {
		other := chartSeries{Name: OtherTypes, Bytes: make([]int64, len(samples))}
		for _, t := range order[n:] {
			for i, s := range samples {
				other.Bytes[i] += s[t]
			}
		}
		out = append(out, other)
	}
	return out
}

// The size of the pictures: 1200 by 600 pixels at 96 dpi (900 by 450
// points in SVG).
const (
	chartWidth  = 12.5 * vg.Inch
	chartHeight = 6.25 * vg.Inch
	chartDPI    = 96
)

// palette colours the stacked types, bottom first (Tableau 10); other is
// grey.
var palette = []color.RGBA{
	{0x4e, 0x79, 0xa7, 0xff}, {0xf2, 0x8e, 0x2b, 0xff}, {0x59, 0xa1, 0x4f, 0xff}, {0xe1, 0x57, 0x59, 0xff},
	{0x76, 0xb7, 0xb2, 0xff}, {0xed, 0xc9, 0x48, 0xff}, {0xb0, 0x7a, 0xa1, 0xff}, {0xff, 0x9d, 0xa7, 0xff},
	{0x9c, 0x75, 0x5f, 0xff}, {0xba, 0xb0, 0xac, 0xff},
}

var otherColor = color.RGBA{0xc8, 0xc8, 0xc8, 0xff}

// peakColor marks the peak.
var peakColor = color.RGBA{0xd6, 0x27, 0x28, 0xff}

func seriesColor(i int, name string) color.RGBA {
	if name == OtherTypes {
		return otherColor
	}
	return palette[i%len(palette)]
}

// writeChart writes the growth chart of the trace as an SVG or PNG
// picture.
func writeChart(w io.Writer, r *format.Reader, path, name string, opts Options) (uint64, error) {
	points := opts.Points
	if points == 0 {
		points = 1000
	}
	_, c, events, err := loadChart(r, path, name, []string{"summary"}, points, 400, opts)
	if err != nil {
		return events, err
	}
	p, err := c.plot()
	if err != nil {
		return events, err
	}
	var wt io.WriterTo
	if opts.Format == SVG {
		cv := vgsvg.New(chartWidth, chartHeight)
		p.Draw(draw.New(cv))
		wt = cv
	} else {
		cv := vgimg.NewWith(vgimg.UseWH(chartWidth, chartHeight), vgimg.UseDPI(chartDPI), vgimg.UseBackgroundColor(color.White))
		p.Draw(draw.New(cv))
		wt = vgimg.PngCanvas{Canvas: cv}
	}
	_, err = wt.WriteTo(w)
	return events, err
}

// plot draws the chart: the stacked types as areas, the total as a line
// over them, the peak as a red point with its value.
func (c *chartData) plot() (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = c.Title + ": requested bytes over the run"
	p.Title.TextStyle.Font.Size = 14
	p.Title.Padding = vg.Points(10)
	p.X.Padding, p.Y.Padding = vg.Points(4), vg.Points(4)
	p.X.Label.Text = "event"
	p.Y.Label.Text = "requested bytes (tracemalloc's current)"
	p.X.Tick.Marker = plot.TickerFunc(countTicks)
	p.Y.Tick.Marker = plot.TickerFunc(byteTicks)
	p.Add(plotter.NewGrid())
	p.X.Min, p.Y.Min = 0, 0
	p.X.Max = float64(max(c.Events, 1))
	p.Y.Max = float64(max(c.PeakBytes, 1)) * 1.12 // room for the peak's label

	// stacked areas: each cumulative curve filled down to zero, the
	// highest first so that the lower ones are drawn over it
	cum := make([]plotter.XYs, len(c.Series))
	for k := range c.Series {
		cum[k] = make(plotter.XYs, len(c.Grid))
		for i, seq := range c.Grid {
			y := float64(c.Series[k].Bytes[i])
			if k > 0 {
				y += cum[k-1][i].Y
			}
			cum[k][i] = plotter.XY{X: float64(seq), Y: y}
		}
	}
	for k := len(c.Series) - 1; k >= 0; k-- {
		l, err := plotter.NewLine(cum[k])
		if err != nil {
			return nil, err
		}
		col := seriesColor(k, c.Series[k].Name)
		l.FillColor = col
		l.LineStyle.Width = 0
		p.Add(l)
	}
	// the legend lists the types top down, as they are stacked
	for k := len(c.Series) - 1; k >= 0; k-- {
		p.Legend.Add(c.Series[k].Name, swatch(seriesColor(k, c.Series[k].Name)))
	}

	if len(c.Total) > 0 {
		total := make(plotter.XYs, len(c.Total))
		for i, pt := range c.Total {
			total[i] = plotter.XY{X: float64(pt[0]), Y: float64(pt[1])}
		}
		l, err := plotter.NewLine(total)
		if err != nil {
			return nil, err
		}
		l.LineStyle.Width = vg.Points(1.2)
		l.LineStyle.Color = color.Black
		p.Add(l)
		p.Legend.Add("total", l)
	}

	if c.PeakSeq > 0 {
		pt := plotter.XYs{{X: float64(c.PeakSeq), Y: float64(c.PeakBytes)}}
		s, err := plotter.NewScatter(pt)
		if err != nil {
			return nil, err
		}
		s.GlyphStyle.Color = peakColor
		s.GlyphStyle.Radius = vg.Points(4)
		s.GlyphStyle.Shape = draw.CircleGlyph{}
		p.Add(s)
		label := fmt.Sprintf("peak %s at event %s", analyze.Bytes(c.PeakBytes), analyze.Count(int64(c.PeakSeq)))
		lb, err := plotter.NewLabels(plotter.XYLabels{XYs: pt, Labels: []string{label}})
		if err != nil {
			return nil, err
		}
		lb.TextStyle[0].Color = peakColor
		lb.TextStyle[0].Font.Size = 11
		lb.TextStyle[0].YAlign = draw.YBottom
		lb.Offset = vg.Point{X: vg.Points(6), Y: vg.Points(4)}
		if float64(c.PeakSeq) > 0.6*p.X.Max {
			// right of the middle: the label ends at the point
			lb.TextStyle[0].XAlign = draw.XRight
			lb.Offset.X = -vg.Points(6)
		}
		p.Add(lb)
	}
	// the legend goes where the curve is lower: the left or the right
	p.Legend.Top = true
	p.Legend.Left = c.lowerOnLeft()
	p.Legend.TextStyle.Font.Size = 10
	p.Legend.XOffs, p.Legend.YOffs = vg.Points(8), -vg.Points(4)
	if !p.Legend.Left {
		p.Legend.XOffs = -vg.Points(8)
	}
	return p, nil
}

// lowerOnLeft reports whether the first fifth of the run stays lower than
// its last fifth, so that a legend in the top left corner hides less.
func (c *chartData) lowerOnLeft() bool {
	var left, right int64
	for _, pt := range c.Total {
		switch {
		case uint64(pt[0]) <= c.Events/5:
			left = max(left, pt[1])
		case uint64(pt[0]) >= c.Events-c.Events/5:
			right = max(right, pt[1])
		}
	}
	return left <= right
}

// swatch is a legend thumbnail: a filled square.
type swatch color.RGBA

func (s swatch) Thumbnail(c *draw.Canvas) {
	pts := []vg.Point{{X: c.Min.X, Y: c.Min.Y}, {X: c.Min.X, Y: c.Max.Y}, {X: c.Max.X, Y: c.Max.Y}, {X: c.Max.X, Y: c.Min.Y}}
	c.FillPolygon(color.RGBA(s), c.ClipPolygonY(pts))
}

// byteTicks puts ticks at round numbers of the unit (B, KiB, MiB, GiB)
// that suits max, and labels them so: "1.5 MiB".
func byteTicks(lo, hi float64) []plot.Tick {
	unit, name := 1.0, "B"
	for _, u := range []struct {
		size float64
		name string
	}{{1 << 30, "GiB"}, {1 << 20, "MiB"}, {1 << 10, "KiB"}} {
		if hi >= 2*u.size {
			unit, name = u.size, u.name
			break
		}
	}
	return roundTicks(lo, hi, unit, func(v float64) string {
		if v == 0 {
			return "0"
		}
		return strconv.FormatFloat(v/unit, 'f', -1, 64) + " " + name
	})
}

// countTicks puts ticks at round numbers of events, labelled as 250k,
// 1.5M.
func countTicks(lo, hi float64) []plot.Tick {
	return roundTicks(lo, hi, 1, humanCount)
}

// humanCount writes n with a k, M or G suffix.
func humanCount(v float64) string {
	for _, u := range []struct {
		size   float64
		suffix string
	}{{1e9, "G"}, {1e6, "M"}, {1e3, "k"}} {
		if math.Abs(v) >= u.size {
			return strconv.FormatFloat(v/u.size, 'f', -1, 64) + u.suffix
		}
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// roundTicks returns major ticks at multiples of 1, 2 or 5 times a power
// of ten of unit, about five of them, between lo and hi.
func roundTicks(lo, hi, unit float64, label func(float64) string) []plot.Tick {
	if hi <= lo {
		return []plot.Tick{{Value: lo, Label: label(lo)}}
	}
	raw := (hi - lo) / unit / 5
	pow := math.Pow(10, math.Floor(math.Log10(raw)))
	step := pow
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*pow >= raw {
			step = m * pow
			break
		}
	}
	step *= unit
	var ticks []plot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi+step*1e-9; v += step {
		ticks = append(ticks, plot.Tick{Value: v, Label: label(v)})
	}
	return ticks
}
