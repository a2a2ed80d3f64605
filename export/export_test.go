package export

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/pprof/profile"
	"github.com/heaptrace/heaptrace/analyze"
	"github.com/heaptrace/heaptrace/format"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// analyzeFile returns package analyze's full report of a trace.
func analyzeFile(t *testing.T, path string) *analyze.Report {
	t.Helper()
	r, err := format.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rep, err := analyze.Run(r, filepath.Base(path), analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// readEvents returns every event of a trace as one batch.
func readEvents(t *testing.T, path string) (format.Header, format.Batch) {
	t.Helper()
	r, err := format.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var all, b format.Batch
	for {
		err := r.Next(&b)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		for i := range b.Seq {
			all.Append(b.Seq[i], b.Op[i], b.Layer[i], b.Type[i], b.Size[i], b.Block[i], b.Addr[i], b.Site[i])
		}
	}
	return r.Header(), all
}

func exportTo(t *testing.T, trace, out string, opts Options) *Result {
	t.Helper()
	res, err := Export(trace, out, opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

var seeds = []int64{1, 2, 3, 4, 5}

// The pprof profile's figures, per allocating site and per call stack,
// are those of analyze's sites report, and its totals are the trace's
// allocated bytes, its peak and its final bytes.
func TestPprofAgreesWithAnalyze(t *testing.T) {
	dir := t.TempDir()
	for _, seed := range seeds {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			path := genTrace(t, dir, seed, genOptions{ops: 4000, setup: 40})
			rep := analyzeFile(t, path)
			out := filepath.Join(dir, fmt.Sprintf("gen-%d.pb.gz", seed))
			exportTo(t, path, out, Options{Format: Pprof})
			f, err := os.Open(out)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			prof, err := profile.Parse(f)
			if err != nil {
				t.Fatal(err)
			}
			if prof.DefaultSampleType != "peak_space" || len(prof.SampleType) != 6 {
				t.Fatalf("sample types %v, default %s", prof.SampleType, prof.DefaultSampleType)
			}
			var sum [6]int64
			bySite := map[string][4]int64{}  // allocs, alloc bytes, peak, final
			byStack := map[string][4]int64{} // the same
			for _, s := range prof.Sample {
				for i, v := range s.Value {
					sum[i] += v
				}
				var frames []string
				for _, l := range s.Location {
					ln := l.Line[0]
					name := ln.Function.SystemName
					frames = append(frames, fmt.Sprintf("%s (%s:%d)", name, ln.Function.Filename, ln.Line))
				}
				add := func(m map[string][4]int64, k string) {
					a := m[k]
					a[0] += s.Value[0]
					a[1] += s.Value[1]
					a[2] += s.Value[5]
					a[3] += s.Value[3]
					m[k] = a
				}
				add(bySite, frames[0])
				add(byStack, strings.Join(frames, " <- "))
				if len(s.Label["type"]) != 1 {
					t.Errorf("sample without a type label: %v", s.Label)
				}
			}
			if sum[1] != rep.Reports.Summary.AllocBytes || sum[5] != rep.PeakBytes || sum[3] != rep.FinalBytes {
				t.Errorf("profile: allocated %d, peak %d, final %d; analyze: %d, %d, %d",
					sum[1], sum[5], sum[3], rep.Reports.Summary.AllocBytes, rep.PeakBytes, rep.FinalBytes)
			}
			if sum[0] != rep.Allocs+rep.Reallocs {
				t.Errorf("profile: %d allocations; analyze: %d allocs + %d reallocs", sum[0], rep.Allocs, rep.Reallocs)
			}
			sites := rep.Reports.Sites
			for _, row := range sites.ByAllocated {
				want := [4]int64{row.Allocs, row.AllocBytes, row.PeakLiveBytes, row.FinalLiveBytes}
				if got := bySite[row.Site]; got != want {
					t.Errorf("site %s: profile %v, analyze %v", row.Site, got, want)
				}
			}
			for _, row := range sites.StacksByAlloc {
				want := [4]int64{row.Allocs, row.AllocBytes, row.PeakLiveBytes, row.FinalLiveBytes}
				if got := byStack[strings.Join(row.Stack, " <- ")]; got != want {
					t.Errorf("stack %v: profile %v, analyze %v", row.Stack, got, want)
				}
			}
			if len(sites.ByAllocated) == 0 || len(sites.StacksByAlloc) < len(sites.ByAllocated) {
				t.Errorf("%d sites, %d stacks: the trace has too few to test", len(sites.ByAllocated), len(sites.StacksByAlloc))
			}
		})
	}
}

func TestParseSite(t *testing.T) {
	for _, tc := range []struct {
		site, fn, file string
		line           int64
	}{
		{"count_words (words.py:12)", "count_words", "words.py", 12},
		{"<module> (samples/word_count.py:9)", "<module> word_count.py", "samples/word_count.py", 9},
		{"<lambda> (a b.py:3)", "<lambda> a b.py", "a b.py", 3},
		{"?", "?", "", 0},
		{"insert (dict-churn:2)", "insert", "dict-churn", 2},
	} {
		fn, file, line := parseSite(tc.site)
		if fn != tc.fn || file != tc.file || line != tc.line {
			t.Errorf("parseSite(%q) = %q, %q, %d; want %q, %q, %d", tc.site, fn, file, line, tc.fn, tc.file, tc.line)
		}
	}
}

// The chart's stacked types add up, at every event of the grid, to the
// total bytes live after that event; at the peak to the peak, at the end
// to the final bytes; and each type ends where analyze says it ends.
func TestChartStacksAddUp(t *testing.T) {
	dir := t.TempDir()
	for _, seed := range seeds {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			path := genTrace(t, dir, seed, genOptions{ops: 3000, setup: 30})
			r, err := format.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			rep, c, _, err := loadChart(r, path, "gen", []string{"types"}, 100, 50, Options{Types: 100})
			if err != nil {
				t.Fatal(err)
			}
			// the running total after each event, from the rows
			curve := totalsBySeq(t, path)
			for i, seq := range c.Grid {
				var sum int64
				for _, s := range c.Series {
					sum += s.Bytes[i]
				}
				if sum != curve[seq] {
					t.Errorf("event %d: types add up to %d, the total is %d", seq, sum, curve[seq])
				}
				if seq == rep.PeakSeq && sum != rep.PeakBytes {
					t.Errorf("at the peak the types add up to %d, the peak is %d", sum, rep.PeakBytes)
				}
			}
			if !slices.Contains(c.Grid, rep.PeakSeq) || c.Grid[len(c.Grid)-1] != rep.Events {
				t.Errorf("grid %v lacks the peak %d or the end %d", c.Grid, rep.PeakSeq, rep.Events)
			}
			final := map[string]int64{}
			for _, row := range rep.Reports.Types.Rows {
				final[row.Type] = row.FinalLiveBytes
			}
			for _, s := range c.Series {
				if got := s.Bytes[len(s.Bytes)-1]; got != final[s.Name] {
					t.Errorf("type %s ends at %d, analyze says %d", s.Name, got, final[s.Name])
				}
			}
			for _, p := range c.Total {
				if p[1] != curve[uint64(p[0])] {
					t.Errorf("total at %d: %d, the rows give %d", p[0], p[1], curve[uint64(p[0])])
				}
			}
		})
	}
}

// totalsBySeq returns tracemalloc's current after each event, from the
// rows, by the rules of the format's documentation.
func totalsBySeq(t *testing.T, path string) map[uint64]int64 {
	h, b := readEvents(t, path)
	untraced := map[uint64]bool{}
	live := map[uint64]int64{}
	var cur int64
	out := map[uint64]int64{}
	for i, seq := range b.Seq {
		if b.Layer[i] == format.LayerObject {
			addr, size := b.Addr[i], b.Size[i]
			switch op := b.Op[i]; {
			case seq <= h.Meta.SetupEvents && (op == format.OpAlloc || op == format.OpReallocTo):
				untraced[addr] = true
			case seq <= h.Meta.SetupEvents:
				delete(untraced, addr)
			case op == format.OpAlloc || op == format.OpReallocTo:
				live[addr] = size
				cur += size
			case (op == format.OpFree || op == format.OpReallocFrom) && untraced[addr]:
				delete(untraced, addr)
			case op == format.OpFree || op == format.OpReallocFrom:
				cur -= live[addr]
				delete(live, addr)
			}
		}
		out[seq] = cur
	}
	return out
}

// CSV and JSON Lines hold every event with its names resolved.
func TestRows(t *testing.T) {
	dir := t.TempDir()
	path := genTrace(t, dir, 7, genOptions{ops: 2000, setup: 20, batch: 300})
	h, want := readEvents(t, path)
	for _, f := range []Format{CSV, JSONL} {
		t.Run(f.String(), func(t *testing.T) {
			out := filepath.Join(dir, "rows."+f.String())
			res := exportTo(t, path, out, Options{Format: f})
			if res.Events != uint64(want.Len()) || res.Files != 1 {
				t.Errorf("result %+v, want %d events in 1 file", res, want.Len())
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			var rows [][]string
			if f == CSV {
				rows, err = csv.NewReader(bytes.NewReader(data)).ReadAll()
				if err != nil {
					t.Fatal(err)
				}
				if got := strings.Join(rows[0], ","); got != strings.Join(Columns, ",") {
					t.Fatalf("header %s", got)
				}
				rows = rows[1:]
			} else {
				sc := bufio.NewScanner(bytes.NewReader(data))
				for sc.Scan() {
					var m map[string]any
					dec := json.NewDecoder(strings.NewReader(sc.Text()))
					dec.UseNumber()
					if err := dec.Decode(&m); err != nil {
						t.Fatalf("%v: %s", err, sc.Text())
					}
					var row []string
					for _, c := range Columns {
						row = append(row, fmt.Sprint(m[c]))
					}
					if len(m) != len(Columns) {
						t.Fatalf("keys %v", m)
					}
					rows = append(rows, row)
				}
			}
			if len(rows) != want.Len() {
				t.Fatalf("%d rows, want %d", len(rows), want.Len())
			}
			for i, row := range rows {
				exp := []string{strconv.FormatUint(want.Seq[i], 10), want.Op[i].String(), want.Layer[i].String(), h.Types[want.Type[i]],
					strconv.FormatInt(want.Size[i], 10), strconv.FormatInt(want.Block[i], 10), strconv.FormatUint(want.Addr[i], 10),
					h.Sites[want.Site[i]], strconv.FormatBool(want.Seq[i] <= h.Meta.SetupEvents)}
				if !slices.Equal(row, exp) {
					t.Fatalf("row %d: %v, want %v", i, row, exp)
				}
			}
		})
	}
}

// svgDoc is what the SVG test reads of a picture.
type svgDoc struct {
	Width  string `xml:"width,attr"`
	Height string `xml:"height,attr"`
	Paths  []struct {
		Style string `xml:"style,attr"`
	} `xml:"path"`
	Texts []string `xml:"text"`
	Gs    []svgDoc `xml:"g"`
}

func (d *svgDoc) all() (paths []string, texts []string) {
	for _, p := range d.Paths {
		paths = append(paths, p.Style)
	}
	texts = append(texts, d.Texts...)
	for i := range d.Gs {
		p, tx := d.Gs[i].all()
		paths = append(paths, p...)
		texts = append(texts, tx...)
	}
	return paths, texts
}

// The pictures: the expected size, a filled area of each stacked type's
// colour, the peak's label and colour, a legend entry per type.
func TestPictures(t *testing.T) {
	dir := t.TempDir()
	path := genTrace(t, dir, 9, genOptions{ops: 5000, setup: 30})
	rep := analyzeFile(t, path)
	r, _ := format.Open(path)
	_, c, _, err := loadChart(r, path, "gen", []string{"summary"}, 1000, 400, Options{})
	r.Close()
	if err != nil {
		t.Fatal(err)
	}
	peakLabel := fmt.Sprintf("peak %s at event %s", analyze.Bytes(rep.PeakBytes), analyze.Count(int64(rep.PeakSeq)))
	if len(c.Series) < 3 {
		t.Fatalf("%d series", len(c.Series))
	}

	t.Run("svg", func(t *testing.T) {
		out := filepath.Join(dir, "growth.svg")
		exportTo(t, path, out, Options{Format: SVG})
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		var doc svgDoc
		if err := xml.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Width != "900pt" || doc.Height != "450pt" {
			t.Errorf("size %s x %s, want 900pt x 450pt", doc.Width, doc.Height)
		}
		paths, texts := doc.all()
		text := strings.Join(texts, "\n")
		for i, s := range c.Series {
			col := seriesColor(i, s.Name)
			fill := fmt.Sprintf("fill:#%02X%02X%02X", col.R, col.G, col.B)
			n := 0
			for _, p := range paths {
				if strings.Contains(strings.ToUpper(p), strings.ToUpper(fill)) {
					n++
				}
			}
			if n < 2 { // the area and the legend's swatch
				t.Errorf("series %s: %d paths filled %s", s.Name, n, fill)
			}
			if !slices.Contains(texts, s.Name) {
				t.Errorf("no legend entry %q", s.Name)
			}
		}
		for _, want := range []string{peakLabel, "total", "event", "requested bytes (tracemalloc's current)"} {
			if !strings.Contains(text, want) {
				t.Errorf("no text %q in %q", want, text)
			}
		}
		if !strings.Contains(text, " KiB") {
			t.Errorf("no axis in KiB: %q", text)
		}
	})

	t.Run("png", func(t *testing.T) {
		out := filepath.Join(dir, "growth.png")
		exportTo(t, path, out, Options{Format: PNG})
		f, err := os.Open(out)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		img, err := png.Decode(f)
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() != 1200 || b.Dy() != 600 {
			t.Errorf("%v, want 1200x600", b)
		}
		count := map[[3]uint32]int{}
		for y := 0; y < 600; y++ {
			for x := 0; x < 1200; x++ {
				r, g, b, _ := img.At(x, y).RGBA()
				count[[3]uint32{r >> 8, g >> 8, b >> 8}]++
			}
		}
		for i, s := range c.Series {
			col := seriesColor(i, s.Name)
			if n := count[[3]uint32{uint32(col.R), uint32(col.G), uint32(col.B)}]; n < 20 {
				t.Errorf("series %s: %d pixels of its colour", s.Name, n)
			}
		}
		if n := count[[3]uint32{uint32(peakColor.R), uint32(peakColor.G), uint32(peakColor.B)}]; n < 20 {
			t.Errorf("%d pixels of the peak's colour", n)
		}
	})
}

// The SVG picture of a fixed trace, against a golden file (rewritten with
// -update): a change to the drawing shows in review.
func TestSVGGolden(t *testing.T) {
	dir := t.TempDir()
	path := genTrace(t, dir, 11, genOptions{ops: 1500, setup: 20})
	out := filepath.Join(dir, "golden.svg")
	exportTo(t, path, out, Options{Format: SVG, Types: 4, Title: "gen-11"})
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "gen-11.svg")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s (run go test ./export -update and review the picture)", out, golden)
	}
}

// The html page holds everything it shows: no external references, the
// chart's data parseable, the peak and the tables.
func TestHTML(t *testing.T) {
	dir := t.TempDir()
	path := genTrace(t, dir, 12, genOptions{ops: 3000, setup: 30})
	rep := analyzeFile(t, path)
	out := filepath.Join(dir, "report.html")
	exportTo(t, path, out, Options{Format: HTML})
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	page := string(data)
	// the SVG namespace is a name, not a place to load from; url(#id)
	// refers inside the page
	loads := regexp.MustCompile(`<link|\ssrc=|\shref=|@import|url\([^#]|(https?:)?//[a-z0-9.-]+\.[a-z]{2,}`)
	for _, m := range loads.FindAllString(strings.ReplaceAll(page, "http://www.w3.org/2000/svg", ""), -1) {
		t.Errorf("the page holds %q: it must load nothing", m)
	}
	for _, want := range []string{
		fmt.Sprintf(`id="peak" data-bytes="%d" data-seq="%d">%s<`, rep.PeakBytes, rep.PeakSeq, analyze.Bytes(rep.PeakBytes)),
		`id="types"`, `id="sites-allocated"`, `id="peak-types"`, `id="leak-rows"`, "Content-Security-Policy",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	start := strings.Index(page, `<script type="application/json" id="chart-data">`)
	end := strings.Index(page[start:], "</script>")
	if start < 0 || end < 0 {
		t.Fatal("no chart data")
	}
	var c chartData
	raw := page[start+len(`<script type="application/json" id="chart-data">`) : start+end]
	if err := json.Unmarshal([]byte(raw), &c); err != nil {
		t.Fatalf("chart data: %v", err)
	}
	if c.PeakBytes != rep.PeakBytes || len(c.Series) == 0 || len(c.Total) == 0 {
		t.Errorf("chart data: peak %d, %d series, %d points", c.PeakBytes, len(c.Series), len(c.Total))
	}
}

// Outputs: an existing one is kept without Force and replaced with it; a
// place that cannot be written fails before the trace is read; nothing is
// left behind by a failed export.
func TestOutput(t *testing.T) {
	dir := t.TempDir()
	path := genTrace(t, dir, 13, genOptions{ops: 500})
	out := filepath.Join(dir, "out.csv")
	os.WriteFile(out, []byte("precious"), 0o644)
	if _, err := Export(path, out, Options{Format: CSV}); !errors.Is(err, ErrExists) || !strings.Contains(err.Error(), "--force") {
		t.Errorf("existing output: %v", err)
	}
	if data, _ := os.ReadFile(out); string(data) != "precious" {
		t.Error("the existing output was changed")
	}
	exportTo(t, path, out, Options{Format: CSV, Force: true})
	if fi, _ := os.Stat(out); fi.Size() < 1000 || fi.Mode().Perm() != 0o644 {
		t.Errorf("forced export: %d bytes, mode %v", fi.Size(), fi.Mode())
	}

	// an output that cannot be written is found before the trace is
	// read: the trace here does not exist, and the error is the output's
	for _, tc := range []struct{ out, want string }{
		{filepath.Join(dir, "no", "such", "x.csv"), "does not exist"},
		{filepath.Join(out, "x.csv"), "is not a directory"},
		{dir, "is a directory"},
	} {
		_, err := Export(filepath.Join(dir, "missing.arrow"), tc.out, Options{Format: CSV, Force: true})
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.out) {
			t.Errorf("export to %s: %v, want %q", tc.out, err, tc.want)
		}
	}
	// a directory that is not a dataset is never replaced
	notDataset := filepath.Join(dir, "notes")
	os.Mkdir(notDataset, 0o755)
	os.WriteFile(filepath.Join(notDataset, "keep.txt"), nil, 0o644)
	if _, err := createOutput(notDataset, true, true); err == nil || !strings.Contains(err.Error(), "keep.txt") {
		t.Errorf("replacing a directory that is not a dataset: %v", err)
	}
	// a failed export leaves nothing
	bad := filepath.Join(dir, "bad.arrow")
	os.WriteFile(bad, []byte("not a trace"), 0o644)
	if _, err := Export(bad, filepath.Join(dir, "x.html"), Options{Format: HTML}); err == nil {
		t.Error("exported a file that is not a trace")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") || e.Name() == "x.html" {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

func TestOptions(t *testing.T) {
	if _, err := ParseFormat("xls"); !errors.Is(err, ErrOptions) || !strings.Contains(err.Error(), strings.Join(FormatNames(), ", ")) {
		t.Errorf("unknown format: %v", err)
	}
	for _, name := range FormatNames() {
		f, err := ParseFormat(strings.ToUpper(name))
		if err != nil || f.String() != name {
			t.Errorf("ParseFormat(%s) = %v, %v", name, f, err)
		}
	}
	for path, want := range map[string]Format{"a.parquet": Parquet, "b.CSV": CSV, "c.jsonl": JSONL, "d.pb.gz": Pprof, "e.svg": SVG, "f.png": PNG, "g.html": HTML} {
		if f, ok := FormatOf(path); !ok || f != want {
			t.Errorf("FormatOf(%s) = %v, %v", path, f, ok)
		}
	}
	if _, ok := FormatOf("x.gz"); ok {
		t.Error("x.gz has a format")
	}
	for _, o := range []Options{
		{Format: CSV, PartitionEvents: 10},
		{Format: Parquet, PartitionEvents: -1},
		{Format: Parquet, Compression: "lzo"},
		{Format: CSV, Compression: "zstd"},
		{Format: SVG, Points: 2},
		{Format: 99},
	} {
		if _, err := Export("x.arrow", filepath.Join(t.TempDir(), "x"), o); !errors.Is(err, ErrOptions) {
			t.Errorf("%+v: %v", o, err)
		}
	}
}

// A trace without events exports to every format.
func TestEmptyTrace(t *testing.T) {
	dir := t.TempDir()
	path := genTrace(t, dir, 15, genOptions{})
	for _, f := range []Format{Parquet, CSV, JSONL, Pprof, SVG, PNG, HTML} {
		if f == Parquet && !ParquetSupported {
			continue
		}
		out := filepath.Join(dir, "empty."+f.String())
		res, err := Export(path, out, Options{Format: f})
		if err != nil || res.Events != 0 || (res.Bytes == 0) != (f == JSONL) {
			t.Errorf("%s: %+v, %v", f, res, err)
		}
	}
	data, _ := os.ReadFile(filepath.Join(dir, "empty.html"))
	if !strings.Contains(string(data), `"total":[],"grid":[],"series":[]`) {
		t.Errorf("the empty page's chart data is not empty lists")
	}
}

// Progress is reported for every batch of every pass.
func TestProgress(t *testing.T) {
	dir := t.TempDir()
	path := genTrace(t, dir, 14, genOptions{ops: 2000, batch: 100})
	passes := map[string]int{}
	exportTo(t, path, filepath.Join(dir, "p.html"), Options{Format: HTML, Progress: func(pass string, done, total int) {
		if total <= 0 || done > total {
			t.Errorf("%s: %d of %d", pass, done, total)
		}
		passes[pass] = max(passes[pass], done)
	}})
	r, _ := format.Open(path)
	n := r.NumBatches()
	r.Close()
	if passes["analyze"] != n || passes["types"] != n {
		t.Errorf("passes %v, want %d batches each of analyze and types", passes, n)
	}
}
