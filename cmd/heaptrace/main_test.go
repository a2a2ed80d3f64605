package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/ipc"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/heaptrace/heaptrace/format"
)

// heaptrace runs the command in-process and returns its exit status and output.
func heaptrace(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func record(t *testing.T, workload string, scale string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), workload+".arrow")
	code, out, errOut := heaptrace(t, "record", "--workload", workload, "--scale", scale, "-o", path, "--batch", "1000")
	if code != 0 {
		t.Fatalf("record: exit %d\n%s%s", code, out, errOut)
	}
	return path
}

// The JSON report agrees with totals computed here straight from the
// trace's rows: allocation sizes minus free sizes is the final size, the
// running sum's maximum is the peak, and per type likewise.
func TestAnalyzeJSONAgreesWithRawTotals(t *testing.T) {
	for _, w := range []string{"list-growth", "dict-churn", "leaky-cache", "fragmentation", "big-strings"} {
		t.Run(w, func(t *testing.T) {
			path := record(t, w, "3000")
			rep := analyzeTrace(t, path)
			r, err := format.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			types := r.Header().Types
			var events uint64
			var cur, peak, allocated, freed int64
			var peakSeq uint64
			final := map[string]int64{}
			allocs := map[string]int64{}
			var b format.Batch
			for {
				err := r.Next(&b)
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				events += uint64(b.Len())
				for i := range b.Seq {
					if b.Layer[i] != format.LayerObject {
						continue
					}
					typ := types[b.Type[i]]
					switch b.Op[i] {
					case format.OpAlloc, format.OpReallocTo:
						cur += b.Size[i]
						allocated += b.Size[i]
						final[typ] += b.Size[i]
						if b.Op[i] == format.OpAlloc {
							allocs[typ]++
						}
						if cur > peak {
							peak, peakSeq = cur, b.Seq[i]
						}
					case format.OpFree, format.OpReallocFrom:
						cur -= b.Size[i]
						freed += b.Size[i]
						final[typ] -= b.Size[i]
					}
				}
			}
			if rep.Events != events || rep.FinalBytes != allocated-freed || rep.FinalBytes != cur {
				t.Errorf("events %d final %d; the rows give %d events, %d allocated - %d freed = %d", rep.Events, rep.FinalBytes, events, allocated, freed, allocated-freed)
			}
			if rep.PeakBytes != peak || rep.PeakSeq != peakSeq {
				t.Errorf("peak %d at #%d; the rows give %d at #%d", rep.PeakBytes, rep.PeakSeq, peak, peakSeq)
			}
			for _, ts := range rep.ByType {
				if ts.FinalLiveBytes != final[ts.Type] || ts.Allocs != allocs[ts.Type] {
					t.Errorf("type %s: final %d allocs %d; the rows give %d and %d", ts.Type, ts.FinalLiveBytes, ts.Allocs, final[ts.Type], allocs[ts.Type])
				}
			}
			if n := len(rep.Growth); n == 0 || n > 100 || rep.Growth[n-1].Bytes != rep.FinalBytes {
				t.Errorf("growth curve of %d points ending %v", n, rep.Growth[n-1:])
			}
		})
	}
}

func TestDemo(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "demo.arrow")
	code, stdout, stderr := heaptrace(t, "demo", "-o", out)
	if code != 0 {
		t.Fatalf("demo: exit %d\n%s", code, stderr)
	}
	for _, want := range []string{"samples/word_count.py", "By type", "Peak heap", "Growth", "┤", "| str "} {
		if !strings.Contains(stdout, want) {
			t.Errorf("demo output lacks %q:\n%s", want, stdout)
		}
	}
	if _, err := os.Stat(out); err != nil {
		t.Error(err)
	}
}

// Bad input: one line naming the file and the problem, a non-zero status.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	notArrow := filepath.Join(dir, "notes.txt")
	os.WriteFile(notArrow, []byte("just some text, not a trace\n"), 0o644)
	otherArrow := filepath.Join(dir, "other.arrow")
	writeOtherArrow(t, otherArrow)
	v2 := filepath.Join(dir, "v2.arrow")
	writeNextVersion(t, record(t, "list-growth", "10"), v2)
	empty := filepath.Join(dir, "empty.arrow")
	os.WriteFile(empty, nil, 0o644)
	for _, tc := range []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"missing file", []string{"analyze", filepath.Join(dir, "nope.arrow")}, 1, []string{"nope.arrow", "no such file"}},
		{"not arrow", []string{"analyze", notArrow}, 1, []string{"notes.txt", "not an Arrow IPC file"}},
		{"empty file", []string{"analyze", empty}, 1, []string{"empty.arrow", "not an Arrow IPC file"}},
		{"other arrow", []string{"analyze", otherArrow}, 1, []string{"other.arrow", "not a heaptrace trace"}},
		{"a later version", []string{"analyze", v2}, 1, []string{"v2.arrow", fmt.Sprintf("format version %d", format.Version+1), "reads versions 1 to"}},
		{"unknown workload", []string{"record", "--workload", "nope", "-o", filepath.Join(dir, "x.arrow")}, 2, []string{`"nope"`, "list-growth", "leaky-cache"}},
		{"no workload", []string{"record"}, 2, []string{"--workload", "list-growth"}},
		{"bad compression", []string{"record", "--workload", "list-growth", "--compress", "gzip", "-o", filepath.Join(dir, "y.arrow")}, 2, []string{"gzip"}},
		{"bad level", []string{"record", "--workload", "list-growth", "--level", "max", "-o", filepath.Join(dir, "y.arrow")}, 2, []string{"--level", `"max"`, "best"}},
		{"level without a codec", []string{"record", "--workload", "list-growth", "--compress", "none", "--level", "best", "-o", filepath.Join(dir, "y.arrow")}, 2, []string{"--level best", "lz4 or zstd"}},
		{"analyze no file", []string{"analyze"}, 2, []string{"a trace file"}},
		{"bad points", []string{"analyze", "--points", "2", notArrow}, 2, []string{"--points"}},
		{"unknown flag", []string{"analyze", "--nope", notArrow}, 2, []string{"--nope"}},
		{"unwritable output", []string{"record", "--workload", "list-growth", "-o", filepath.Join(dir, "no", "such", "dir.arrow")}, 1, []string{"dir.arrow"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := heaptrace(t, tc.args...)
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
			if strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "panic") {
				t.Errorf("stack trace in %q", stderr)
			}
		})
	}
	for _, f := range []string{"x.arrow", "y.arrow"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			t.Errorf("%s: refused flags left a file behind", f)
		}
	}
}

// TestRecordLevels: each codec's best level writes a smaller trace than
// its default, which analyses to the same report.
func TestRecordLevels(t *testing.T) {
	dir := t.TempDir()
	for _, codec := range []string{"lz4", "zstd"} {
		var size [2]int64
		var report [2]string
		for i, level := range []string{"default", "best"} {
			path := filepath.Join(dir, codec+"-"+level+".arrow")
			if code, _, errOut := heaptrace(t, "record", "--workload", "steady", "--scale", "20000", "--compress", codec, "--level", level, "-o", path); code != 0 {
				t.Fatalf("record --compress %s --level %s: exit %d: %s", codec, level, code, errOut)
			}
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			size[i] = fi.Size()
			code, out, errOut := heaptrace(t, "analyze", "--json", path)
			if code != 0 {
				t.Fatalf("analyze %s: exit %d: %s", path, code, errOut)
			}
			report[i] = strings.ReplaceAll(out, path, "TRACE")
		}
		if size[1] >= size[0] {
			t.Errorf("%s: --level best wrote %d bytes, the default %d", codec, size[1], size[0])
		}
		if report[1] != report[0] {
			t.Errorf("%s: the best level's trace analyses differently:\n%s\nwant\n%s", codec, report[1], report[0])
		}
	}
}

// writeOtherArrow writes a valid Arrow IPC file that is not a trace.
func writeOtherArrow(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	schema := arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int64}}, nil)
	w, err := ipc.NewFileWriter(f, ipc.WithSchema(schema))
	if err != nil {
		t.Fatal(err)
	}
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	b.Field(0).(*array.Int64Builder).AppendValues([]int64{1, 2, 3}, nil)
	rec := b.NewRecord()
	defer rec.Release()
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// writeNextVersion copies a trace, changing its format version to the
// next one, which this heaptrace does not read.
func writeNextVersion(t *testing.T, src, dst string) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	// the version is a flatbuffer string, length 1 then "1\x00", stored
	// near its key; it appears in the schema and again in the footer
	key := []byte(format.KeyFormatVersion)
	val := []byte{1, 0, 0, 0, '0' + format.Version, 0}
	n := 0
	for i := 0; i+len(key) < len(data); i++ {
		if !bytes.Equal(data[i:i+len(key)], key) {
			continue
		}
		lo, hi := max(i-64, 0), min(i+len(key)+64, len(data))
		if j := bytes.Index(data[lo:hi], val); j >= 0 {
			data[lo+j+4] = '0' + format.Version + 1
			n++
		}
	}
	if n == 0 {
		t.Fatal("format version not found in the file")
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// An independent Arrow implementation (the apache-arrow npm package) reads
// a recorded trace: it sees the documented columns, the metadata, every
// row, and the same object-layer totals.
func TestIndependentArrowReader(t *testing.T) {
	node, err := exec.LookPath("node")
	script, _ := filepath.Abs("../../internal/interop/read-arrow.mjs")
	modules, _ := filepath.Abs("../../internal/interop/node_modules/apache-arrow")
	if _, serr := os.Stat(modules); err != nil || serr != nil {
		if os.Getenv("HEAPTRACE_REQUIRE_INTEROP") != "" {
			t.Fatalf("node or apache-arrow missing (run npm ci in internal/interop): %v %v", err, serr)
		}
		t.Skip("node or internal/interop/node_modules missing: run `npm ci` in internal/interop")
	}
	// Arrow JS reads compressed batches only with a codec registered by
	// hand, so this trace is uncompressed
	path := filepath.Join(t.TempDir(), "dict-churn.arrow")
	if code, out, errOut := heaptrace(t, "record", "--workload", "dict-churn", "--scale", "2000", "--compress", "none", "-o", path); code != 0 {
		t.Fatalf("record: exit %d\n%s%s", code, out, errOut)
	}
	out, err := exec.Command(node, script, path).Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var seen struct {
		Fields []struct {
			Name string `json:"name"`
			Type string `json:"type"`
		} `json:"fields"`
		Metadata map[string]string `json:"metadata"`
		Rows     int               `json:"rows"`
		SizeByOp map[string]string `json:"sizeByOp"`
		First    []map[string]string
	}
	if err := json.Unmarshal(out, &seen); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	var names []string
	for _, f := range seen.Fields {
		names = append(names, f.Name)
	}
	if got, want := strings.Join(names, ","), strings.Join(format.ColumnNames(), ","); got != want {
		t.Errorf("columns %s, want %s", got, want)
	}
	for _, f := range seen.Fields {
		if (f.Name == "op" || f.Name == "layer" || f.Name == "type" || f.Name == "site") && !strings.HasPrefix(f.Type, "Dictionary") {
			t.Errorf("column %s has type %s, want a dictionary", f.Name, f.Type)
		}
	}
	if seen.Metadata[format.KeyFormatVersion] != strconv.Itoa(format.Version) || seen.Metadata["heaptrace.workload"] != "dict-churn" {
		t.Errorf("metadata %v", seen.Metadata)
	}
	if seen.First[0]["op"] == "" || seen.First[0]["layer"] == "" {
		t.Errorf("dictionaries not resolved to text: %v", seen.First[0])
	}
	_, js, _ := heaptrace(t, "analyze", "--json", path)
	var rep struct {
		Events     int   `json:"events"`
		FinalBytes int64 `json:"final_bytes"`
	}
	json.Unmarshal([]byte(js), &rep)
	if seen.Rows != rep.Events {
		t.Errorf("node sees %d rows, analyze %d events", seen.Rows, rep.Events)
	}
	sum := func(k string) int64 {
		var n int64
		json.Unmarshal([]byte(seen.SizeByOp[k]), &n)
		return n
	}
	if got := sum("object/alloc") + sum("object/realloc_to") - sum("object/free") - sum("object/realloc_from"); got != rep.FinalBytes {
		t.Errorf("node's sums give final %d, analyze %d", got, rep.FinalBytes)
	}
}
