package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image/png"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/heaptrace/heaptrace/analyze"
	"github.com/heaptrace/heaptrace/export"
)

// interopMissing skips a test that needs a tool that is not installed, or
// fails it when HEAPTRACE_REQUIRE_INTEROP is set (as .ci/run sets it).
func interopMissing(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("HEAPTRACE_REQUIRE_INTEROP") != "" {
		t.Fatalf("%s (HEAPTRACE_REQUIRE_INTEROP is set: .ci/run installs it)", msg)
	}
	t.Skip(msg)
}

// recordScript records a Python script and returns the trace's path.
func recordScript(t *testing.T, script string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), strings.TrimSuffix(filepath.Base(script), ".py")+".arrow")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"record", script, "-o", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("record %s: exit %d\n%s", script, code, stderr.String())
	}
	return out
}

// exportCmd runs heaptrace export and fails the test unless it succeeds.
func exportCmd(t *testing.T, args ...string) {
	t.Helper()
	code, _, stderr := heaptrace(t, append([]string{"export"}, args...)...)
	if code != 0 {
		t.Fatalf("export %v: exit %d: %s", args, code, stderr)
	}
	if !strings.HasPrefix(stderr, "exported ") {
		t.Errorf("export %v: stderr %q", args, stderr)
	}
}

// analyzeJSON is what the tests read of analyze --json.
type analyzeJSON struct {
	Events     uint64 `json:"events"`
	PeakBytes  int64  `json:"peak_bytes"`
	PeakSeq    uint64 `json:"peak_seq"`
	FinalBytes int64  `json:"final_bytes"`
	ByType     []struct {
		Type           string `json:"type"`
		Allocs         int64  `json:"allocs"`
		Frees          int64  `json:"frees"`
		AllocBytes     int64  `json:"alloc_bytes"`
		PeakLiveBytes  int64  `json:"peak_live_bytes"`
		FinalLiveBytes int64  `json:"final_live_bytes"`
	} `json:"by_type"`
	Growth []struct {
		Seq   uint64 `json:"seq"`
		Bytes int64  `json:"bytes"`
	} `json:"growth"`
	Reports struct {
		Summary struct {
			AllocBytes int64 `json:"alloc_bytes"`
		} `json:"summary"`
		Leaks struct {
			Objects int64 `json:"objects"`
			Bytes   int64 `json:"bytes"`
			Rows    []struct {
				Site    string `json:"site"`
				Type    string `json:"type"`
				Objects int64  `json:"objects"`
				Bytes   int64  `json:"bytes"`
			} `json:"rows"`
		} `json:"leaks"`
		Sites struct {
			ByAllocated []analyze.SiteRow `json:"by_allocated"`
			ByPeak      []analyze.SiteRow `json:"by_peak"`
		} `json:"sites"`
	} `json:"reports"`
}

func analyzeTrace(t *testing.T, path string) analyzeJSON {
	t.Helper()
	code, out, stderr := heaptrace(t, "analyze", "--json", "--top", "0", path)
	if code != 0 {
		t.Fatalf("analyze: exit %d: %s", code, stderr)
	}
	var rep analyzeJSON
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	return rep
}

// Bad input: an unknown format lists the known ones; an output that
// cannot be written fails before the trace is read; an existing output is
// kept without --force.
func TestExportBadInput(t *testing.T) {
	dir := t.TempDir()
	trace := record(t, "list-growth", "100")
	existing := filepath.Join(dir, "kept.csv")
	os.WriteFile(existing, []byte("keep me"), 0o644)
	missing := filepath.Join(dir, "missing.arrow")
	for _, tc := range []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"unknown format", []string{trace, "--to", "xlsx", "-o", filepath.Join(dir, "x.xlsx")}, 2, []string{`"xlsx"`, "parquet, csv, jsonl, pprof, svg, png, html"}},
		{"unknown extension", []string{trace, "-o", filepath.Join(dir, "x.xlsx")}, 2, []string{"x.xlsx", "--to", "parquet, csv"}},
		{"no output", []string{trace, "--to", "csv"}, 2, []string{"-o"}},
		{"no trace", []string{"--to", "csv", "-o", filepath.Join(dir, "y.csv")}, 2, []string{"a trace file"}},
		{"missing directory", []string{missing, "--to", "csv", "-o", filepath.Join(dir, "no", "such", "x.csv")}, 1, []string{"cannot write", "no/such/x.csv", "does not exist"}},
		{"parent is a file", []string{missing, "-o", filepath.Join(existing, "x.svg")}, 1, []string{"kept.csv", "is not a directory"}},
		{"exists", []string{trace, "-o", existing}, 1, []string{"kept.csv", "exists", "--force"}},
		{"partition of csv", []string{trace, "--partition-events", "10", "-o", filepath.Join(dir, "z.csv")}, 2, []string{"Parquet", "csv"}},
		{"bad compression", []string{trace, "--compress", "lzo", "-o", filepath.Join(dir, "z.parquet")}, 2, []string{"lzo", "zstd"}},
		{"not a trace", []string{existing, "--to", "html", "-o", filepath.Join(dir, "z.html")}, 1, []string{"kept.csv", "not an Arrow IPC file"}},
		{"missing trace", []string{missing, "-o", filepath.Join(dir, "z.html")}, 1, []string{"missing.arrow", "no such file"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := heaptrace(t, append([]string{"export"}, tc.args...)...)
			if code != tc.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tc.code, stderr)
			}
			if strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
				t.Errorf("want one line, got:\n%s", stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q lacks %q", stderr, w)
				}
			}
		})
	}
	if data, _ := os.ReadFile(existing); string(data) != "keep me" {
		t.Error("an existing output was overwritten without --force")
	}
	exportCmd(t, trace, "-o", existing, "--force")
	if data, _ := os.ReadFile(existing); !strings.HasPrefix(string(data), "seq,op,layer,") {
		t.Errorf("--force did not replace the output: %.40q", data)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != "kept.csv" {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

// Every format through the command line, the format taken from -o's
// extension.
func TestExportFormats(t *testing.T) {
	dir := t.TempDir()
	trace := record(t, "dict-churn", "2000")
	outs := []string{"t.csv", "t.jsonl", "t.pb.gz", "t.svg", "t.png", "t.html"}
	if export.ParquetSupported {
		outs = append(outs, "t.parquet")
	}
	for _, out := range outs {
		exportCmd(t, trace, "-o", filepath.Join(dir, out))
		if fi, err := os.Stat(filepath.Join(dir, out)); err != nil || fi.Size() < 200 {
			t.Errorf("%s: %v", out, err)
		}
	}
	if !export.ParquetSupported {
		code, _, stderr := heaptrace(t, "export", trace, "-o", filepath.Join(dir, "t.parquet"))
		if code != exitUsage || !strings.Contains(stderr, "noparquet") {
			t.Errorf("parquet in a noparquet build: exit %d, %s", code, stderr)
		}
		return
	}
	exportCmd(t, trace, "--to", "parquet", "--partition-events", "50000", "-o", filepath.Join(dir, "ds"))
	folders, _ := filepath.Glob(filepath.Join(dir, "ds", "chunk=*", "events.parquet"))
	rep := analyzeTrace(t, trace)
	if want := int((rep.Events + 49999) / 50000); len(folders) != want {
		t.Errorf("%d chunks, want %d", len(folders), want)
	}
}

// duckdb runs the SQL files in DuckDB (the @duckdb/node-api npm package)
// over source and returns each file's rows, numbers as strings.
func duckdb(t *testing.T, source string, files ...string) map[string][]map[string]any {
	t.Helper()
	node, err := exec.LookPath("node")
	script, _ := filepath.Abs("../../internal/interop/duckdb-sql.mjs")
	module, _ := filepath.Abs("../../internal/interop/node_modules/@duckdb/node-api")
	if _, serr := os.Stat(module); err != nil || serr != nil {
		interopMissing(t, "node or @duckdb/node-api missing (run npm ci in internal/interop): %v %v", err, serr)
	}
	cmd := exec.Command(node, append([]string{script, source}, files...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("duckdb: %v\n%s", err, stderr.String())
	}
	res := map[string][]map[string]any{}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("duckdb: %v: %s", err, out)
	}
	return res
}

func num(v any) int64 {
	switch x := v.(type) {
	case string:
		n, _ := strconv.ParseInt(x, 10, 64)
		return n
	case float64:
		return int64(x)
	}
	return -1 << 62
}

// A real DuckDB reads the Parquet export, one file and a partitioned
// dataset, and the queries of docs/sql, run as they are, give the peak,
// the final bytes, the by-type table and the leaks of analyze --json.
// word_count.py has set-up events and more than 2^20 events, so that the
// queries' two-level running sum spans chunks.
func TestExportDuckDB(t *testing.T) {
	if !export.ParquetSupported {
		t.Skip("built with the noparquet tag")
	}
	sqlFiles, _ := filepath.Glob("../../docs/sql/*.sql")
	if len(sqlFiles) < 4 {
		t.Fatalf("docs/sql holds %v", sqlFiles)
	}
	countSQL := filepath.Join(t.TempDir(), "count.sql")
	os.WriteFile(countSQL, []byte("SELECT count(*) AS n, count(DISTINCT seq) AS seqs, min(seq) AS first, max(seq) AS last FROM trace;\n"), 0o644)
	files := append(sqlFiles, countSQL)
	traces := map[string]string{
		"word_count": recordScript(t, "../../samples/word_count.py"),
		"dict-churn": record(t, "dict-churn", "3000"),
	}
	for name, trace := range traces {
		rep := analyzeTrace(t, trace)
		dir := t.TempDir()
		file := filepath.Join(dir, name+".parquet")
		dataset := filepath.Join(dir, name+"-dataset")
		exportCmd(t, trace, "-o", file)
		exportCmd(t, trace, "--to", "parquet", "--partition-events", "40000", "--compress", "snappy", "-o", dataset)
		for source, from := range map[string]string{
			"file":    fmt.Sprintf("read_parquet('%s')", file),
			"dataset": fmt.Sprintf("read_parquet('%s/*/*.parquet', hive_partitioning = true)", dataset),
		} {
			t.Run(name+"/"+source, func(t *testing.T) {
				res := duckdb(t, from, files...)
				c := res["count.sql"][0]
				if num(c["n"]) != int64(rep.Events) || num(c["seqs"]) != int64(rep.Events) || num(c["first"]) != 1 || num(c["last"]) != int64(rep.Events) {
					t.Errorf("DuckDB counts %v; the trace has %d events", c, rep.Events)
				}
				p := res["peak.sql"]
				if len(p) != 1 || num(p[0]["peak_bytes"]) != rep.PeakBytes || num(p[0]["peak_seq"]) != int64(rep.PeakSeq) || num(p[0]["final_bytes"]) != rep.FinalBytes {
					t.Errorf("peak.sql: %v; analyze: peak %d at %d, final %d", p, rep.PeakBytes, rep.PeakSeq, rep.FinalBytes)
				}

				byType := map[string]map[string]any{}
				for _, row := range res["by_type.sql"] {
					byType[row["type"].(string)] = row
				}
				if len(byType) != len(rep.ByType) {
					t.Errorf("by_type.sql: %d types, analyze %d", len(byType), len(rep.ByType))
				}
				for _, want := range rep.ByType {
					got := byType[want.Type]
					if got == nil || num(got["allocs"]) != want.Allocs || num(got["frees"]) != want.Frees || num(got["alloc_bytes"]) != want.AllocBytes ||
						num(got["peak_live_bytes"]) != want.PeakLiveBytes || num(got["final_live_bytes"]) != want.FinalLiveBytes {
						t.Errorf("by_type.sql %s: %v; analyze %+v", want.Type, got, want)
					}
				}

				leaks := map[string][2]int64{}
				var objects, bytes int64
				for _, row := range res["leaks.sql"] {
					leaks[row["site"].(string)+" "+row["type"].(string)] = [2]int64{num(row["objects"]), num(row["bytes"])}
					objects += num(row["objects"])
					bytes += num(row["bytes"])
				}
				l := rep.Reports.Leaks
				if objects != l.Objects || bytes != l.Bytes || len(leaks) != len(l.Rows) {
					t.Errorf("leaks.sql: %d rows, %d objects, %d bytes; analyze %d rows, %d objects, %d bytes", len(leaks), objects, bytes, len(l.Rows), l.Objects, l.Bytes)
				}
				for _, row := range l.Rows {
					if got := leaks[row.Site+" "+row.Type]; got != [2]int64{row.Objects, row.Bytes} {
						t.Errorf("leaks.sql %s %s: %v; analyze %d objects, %d bytes", row.Site, row.Type, got, row.Objects, row.Bytes)
					}
				}

				g := res["growth.sql"]
				var high int64
				for _, b := range g {
					high = max(high, num(b["high_bytes"]))
				}
				if len(g) == 0 || len(g) > 100 || high != rep.PeakBytes || num(g[len(g)-1]["end_bytes"]) != rep.FinalBytes || num(g[len(g)-1]["last_seq"]) != int64(rep.Events) {
					t.Errorf("growth.sql: %d buckets, highest %d, last %v; analyze peak %d, final %d", len(g), high, g[len(g)-1:], rep.PeakBytes, rep.FinalBytes)
				}
			})
		}
	}
}

// pprofName is how go tool pprof -lines names a site: "describe
// (cache.py:20)" is "describe cache.py:20", and a <module> is qualified by
// its file's name.
func pprofName(site string) string {
	m := regexp.MustCompile(`^(.*) \((.*):(\d+)\)$`).FindStringSubmatch(site)
	if m == nil {
		return site
	}
	fn := m[1]
	if strings.HasPrefix(fn, "<") {
		fn += " " + path.Base(m[2])
	}
	return fn + " " + m[2] + ":" + m[3]
}

// pprofTop runs pprof -top -lines in bytes and returns the total and the
// top entry's value and name.
func pprofTop(t *testing.T, pprof, profile string, args ...string) (total, flat int64, name, out string) {
	t.Helper()
	cmd := exec.Command(pprof, append(append([]string{"-top", "-lines", "-unit=B"}, args...), profile)...)
	data, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go tool pprof: %v\n%s", err, data)
	}
	out = string(data)
	m := regexp.MustCompile(`of (\d+)B total`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no total in:\n%s", out)
	}
	total, _ = strconv.ParseInt(m[1], 10, 64)
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		if strings.Contains(l, "flat%") && i+1 < len(lines) {
			f := strings.Fields(lines[i+1])
			flat, _ = strconv.ParseInt(strings.TrimSuffix(f[0], "B"), 10, 64)
			return total, flat, strings.Join(f[5:], " "), out
		}
	}
	t.Fatalf("no entries in:\n%s", out)
	return
}

// go tool pprof reads the pprof export: its totals are analyze's, its top
// entry is analyze's top site for each sample type, no function is
// <unknown>, and its web UI draws the flame graph.
func TestExportPprof(t *testing.T) {
	// the pprof binary itself, so that killing it stops the web UI
	// (go tool pprof runs it as a child)
	goTool, err := exec.LookPath("go")
	if err != nil {
		interopMissing(t, "go not found: %v", err)
	}
	bin, err := exec.Command(goTool, "tool", "-n", "pprof").Output()
	if err != nil {
		t.Fatalf("go tool -n pprof: %v", err)
	}
	pprof := strings.TrimSpace(string(bin))
	script := filepath.Join(t.TempDir(), "stacks.py")
	os.WriteFile(script, []byte(`def make(n):
    return [str(i) * 3 for i in range(n)]

def keep(store, n):
    store.append(make(n))

store = []
for i in range(40):
    keep(store, 300)
order = sorted(store[0], key=lambda s: len(s))
del store[10:]
`), 0o644)
	for _, trace := range []string{recordScript(t, script), recordScript(t, "../../samples/leaky_cache.py")} {
		t.Run(filepath.Base(trace), func(t *testing.T) {
			rep := analyzeTrace(t, trace)
			prof := filepath.Join(t.TempDir(), "heap.pb.gz")
			exportCmd(t, trace, "-o", prof)
			sites := append([]analyze.SiteRow(nil), rep.Reports.Sites.ByAllocated...)
			for _, tc := range []struct {
				args  []string
				total int64
				value func(analyze.SiteRow) int64
			}{
				{nil, rep.PeakBytes, func(r analyze.SiteRow) int64 { return r.PeakLiveBytes }},
				{[]string{"-sample_index=alloc_space"}, rep.Reports.Summary.AllocBytes, func(r analyze.SiteRow) int64 { return r.AllocBytes }},
				{[]string{"-sample_index=inuse_space"}, rep.FinalBytes, func(r analyze.SiteRow) int64 { return r.FinalLiveBytes }},
			} {
				total, flat, name, out := pprofTop(t, pprof, prof, tc.args...)
				slices.SortStableFunc(sites, func(a, b analyze.SiteRow) int { return int(tc.value(b) - tc.value(a)) })
				var best []string
				for _, s := range sites {
					if tc.value(s) == tc.value(sites[0]) {
						best = append(best, pprofName(s.Site))
					}
				}
				if total != tc.total || flat != tc.value(sites[0]) || !slices.Contains(best, name) {
					t.Errorf("pprof %v: %q with %dB of %dB; analyze: %v with %d of %d\n%s", tc.args, name, flat, total, best, tc.value(sites[0]), tc.total, out)
				}
				if strings.Contains(out, "<unknown>") {
					t.Errorf("pprof %v shows <unknown>:\n%s", tc.args, out)
				}
			}
			// the flame graph of pprof's web UI
			l, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			addr := l.Addr().String()
			l.Close()
			cmd := exec.Command(pprof, "-http="+addr, "-no_browser", prof)
			var log bytes.Buffer
			cmd.Stdout, cmd.Stderr = &log, &log
			cmd.WaitDelay = 5 * time.Second
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer func() { cmd.Process.Kill(); cmd.Wait() }()
			var body []byte
			for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
				resp, err := http.Get("http://" + addr + "/ui/flamegraph")
				if err != nil {
					continue
				}
				body, _ = io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("flame graph: %s\n%s", resp.Status, body)
				}
				break
			}
			// the function that allocated most, whose name needs no escaping
			for _, s := range rep.Reports.Sites.ByAllocated {
				fn := strings.SplitN(pprofName(s.Site), " ", 2)[0]
				if strings.ContainsAny(fn, "<>&") {
					continue
				}
				if !bytes.Contains(body, []byte(fn)) {
					t.Errorf("the flame graph page does not name %q (pprof said %s)", fn, log.String())
				}
				break
			}
		})
	}
}

// Headless Chromium opens the html report from a file: no console error,
// no request for anything but the file, the peak shown, the chart drawn
// with every series, zoom by a drag and back by a double-click, the
// tooltip, a sortable table; and a screenshot shows the chart.
func TestExportHTMLChromium(t *testing.T) {
	chromium := findChromium()
	if chromium == "" {
		interopMissing(t, "no chromium found (apt-get install chromium, or set HEAPTRACE_CHROMIUM)")
	}
	trace := recordScript(t, "../../samples/word_count.py")
	rep := analyzeTrace(t, trace)
	page := filepath.Join(t.TempDir(), "report.html")
	exportCmd(t, trace, "-o", page)
	url := "file://" + page

	b := startBrowser(t, chromium, 1280, 1600)
	b.do("Page.navigate", map[string]any{"url": url}, nil)
	b.waitEvent("Page.loadEventFired", 30*time.Second)

	type state struct {
		PeakText  string    `json:"peakText"`
		PeakBytes string    `json:"peakBytes"`
		Areas     []string  `json:"areas"`
		Series    []string  `json:"series"`
		Total     bool      `json:"total"`
		PeakMark  bool      `json:"peakMark"`
		PeakLabel string    `json:"peakLabel"`
		Types     []string  `json:"types"`
		View      []float64 `json:"view"`
		XTicks    []string  `json:"xticks"`
		Tip       string    `json:"tip"`
		Rect      struct {
			X, Y, W, H float64
		} `json:"rect"`
	}
	const probe = `(() => {
		const q = s => document.querySelector(s);
		const svg = q('#chart svg').getBoundingClientRect();
		const label = q('#chart .peak-label');
		const tip = q('#chart .tip');
		return {
			peakText: q('#peak').textContent, peakBytes: q('#peak').dataset.bytes,
			areas: [...document.querySelectorAll('#chart path.area')].map(p => p.dataset.type),
			series: JSON.parse(q('#chart-data').textContent).series.map(s => s.name),
			total: !!q('#chart path.total'), peakMark: !!q('#chart circle.peak'),
			peakLabel: label ? label.textContent : '',
			types: [...q('#types').tBodies[0].rows].map(r => r.cells[0].textContent),
			view: window.heaptraceChart.view.slice(),
			xticks: [...document.querySelectorAll('#chart .xtick')].map(t => t.textContent),
			tip: tip.hidden ? '' : tip.textContent,
			rect: {x: svg.x, y: svg.y, w: svg.width, h: svg.height},
		};
	})()`
	var s state
	b.eval(probe, &s)
	if s.PeakText != analyze.Bytes(rep.PeakBytes) || s.PeakBytes != strconv.FormatInt(rep.PeakBytes, 10) {
		t.Errorf("the page shows the peak as %q (%s bytes); analyze: %s", s.PeakText, s.PeakBytes, analyze.Bytes(rep.PeakBytes))
	}
	wantLabel := "peak " + analyze.Bytes(rep.PeakBytes) + " at event " + analyze.Count(int64(rep.PeakSeq))
	if !s.Total || !s.PeakMark || s.PeakLabel != wantLabel {
		t.Errorf("chart: total line %v, peak mark %v, label %q (want %q)", s.Total, s.PeakMark, s.PeakLabel, wantLabel)
	}
	if len(s.Series) < 2 || len(s.Areas) != len(s.Series) {
		t.Errorf("chart: %d areas %v for %d series %v", len(s.Areas), s.Areas, len(s.Series), s.Series)
	}
	if len(s.Types) == 0 || s.Types[0] != rep.ByType[0].Type {
		t.Errorf("types table starts %v, analyze with %s", s.Types, rep.ByType[0].Type)
	}
	if s.View[0] != 0 || s.View[1] != float64(rep.Events) {
		t.Errorf("initial view %v, want the whole run of %d events", s.View, rep.Events)
	}
	full := s

	// the screenshot shows the chart: its areas and the peak in their colours
	var shot struct {
		Data string `json:"data"`
	}
	b.do("Page.captureScreenshot", map[string]any{"format": "png"}, &shot)
	raw, _ := base64.StdEncoding.DecodeString(shot.Data)
	os.WriteFile(filepath.Join(t.TempDir(), "report.png"), raw, 0o644)
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if bd := img.Bounds(); bd.Dx() != 1280 || bd.Dy() != 1600 {
		t.Errorf("screenshot %v", bd)
	}
	colours := map[[3]uint32]int{}
	for y := int(full.Rect.Y); y < int(full.Rect.Y+full.Rect.H); y++ {
		for x := int(full.Rect.X); x < int(full.Rect.X+full.Rect.W); x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			colours[[3]uint32{r >> 8, g >> 8, bl >> 8}]++
		}
	}
	if n := colours[[3]uint32{0x4e, 0x79, 0xa7}]; n < 500 {
		t.Errorf("screenshot: %d pixels of the first type's colour in the chart", n)
	}
	if n := colours[[3]uint32{0xd6, 0x27, 0x28}]; n < 20 {
		t.Errorf("screenshot: %d pixels of the peak's colour in the chart", n)
	}

	// zoom: drag across the middle third of the chart
	x0, x1 := full.Rect.X+full.Rect.W/3, full.Rect.X+2*full.Rect.W/3
	y := full.Rect.Y + full.Rect.H/2
	b.mouse("mouseMoved", x0, y, 0)
	b.mouse("mousePressed", x0, y, 1)
	b.mouse("mouseMoved", (x0+x1)/2, y, 1)
	b.mouse("mouseMoved", x1, y, 1)
	b.mouse("mouseReleased", x1, y, 1)
	b.eval(probe, &s)
	if !(s.View[0] > 0 && s.View[1] < float64(rep.Events) && s.View[1]-s.View[0] < float64(rep.Events)/2) || slices.Equal(s.XTicks, full.XTicks) {
		t.Errorf("after a drag: view %v, ticks %v (before %v)", s.View, s.XTicks, full.XTicks)
	}
	// the tooltip
	b.mouse("mouseMoved", (x0+x1)/2, y, 0)
	b.eval(probe, &s)
	if !strings.HasPrefix(s.Tip, "event ") || !strings.Contains(s.Tip, "in all") {
		t.Errorf("tooltip %q", s.Tip)
	}
	// a double-click shows the whole run again
	b.mouse("mousePressed", x0, y, 1)
	b.mouse("mouseReleased", x0, y, 1)
	b.mouse("mousePressed", x0, y, 2)
	b.mouse("mouseReleased", x0, y, 2)
	b.eval(probe, &s)
	if !slices.Equal(s.View, full.View) {
		t.Errorf("after a double-click: view %v, want %v", s.View, full.View)
	}

	// a click on a header sorts the table by that column, largest first
	var allocs []float64
	b.eval(`(() => {
		document.querySelectorAll('#types thead th')[1].click();
		return [...document.querySelector('#types').tBodies[0].rows].map(r => Number(r.cells[1].dataset.v));
	})()`, &allocs)
	if len(allocs) == 0 || !slices.IsSortedFunc(allocs, func(a, b float64) int { return int(b - a) }) {
		t.Errorf("allocs column after a click: %v", allocs)
	}

	if p := b.problems(url); len(p) > 0 {
		t.Errorf("the page reported:\n%s", strings.Join(p, "\n"))
	}
}
