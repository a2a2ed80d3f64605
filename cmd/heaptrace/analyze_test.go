package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/heaptrace/heaptrace/format"
)

// rawFigures are figures computed here straight from a trace's rows,
// independently of package analyze: what is live at the end (by site and
// type), requests by size and who served them, pymalloc's arenas and
// blocks at the end.
type rawFigures struct {
	final, parked    int64
	leaks            map[string][2]int64 // "site|type" -> objects, bytes (parked objects left out)
	requests         int64
	served           map[string]int64 // free_list, pymalloc, raw -> requests
	arenas           int64
	blockBytes       int64
	rawChunks        int64
	typeAllocs       map[string]int64
	temporary, calls int64
}

func rawFiguresOf(t *testing.T, path string) rawFigures {
	t.Helper()
	r, err := format.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	h := r.Header()
	type obj struct {
		size          int64
		site, typ     string
		parked, pre   bool
		lowerPymalloc bool
	}
	live := map[uint64]*obj{}
	f := rawFigures{leaks: map[string][2]int64{}, served: map[string]int64{}, typeAllocs: map[string]int64{}}
	var lastLower uint64
	lastLowerPymalloc := false
	var lastAlloc uint64
	lastOK := false
	var b format.Batch
	for {
		err := r.Next(&b)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		for i, op := range b.Op {
			seq, addr, size := b.Seq[i], b.Addr[i], b.Size[i]
			typ, site := h.Types[b.Type[i]], h.Sites[b.Site[i]]
			switch b.Layer[i] {
			case format.LayerInterp:
				if op == format.OpCall {
					f.calls++
				}
			case format.LayerOS:
				if typ == "arena" && op == format.OpAlloc {
					f.arenas++
				} else if typ == "arena" && op == format.OpFree {
					f.arenas--
				}
			case format.LayerPymalloc, format.LayerRaw:
				sign := map[format.Op]int64{format.OpAlloc: 1, format.OpReallocTo: 1, format.OpFree: -1, format.OpReallocFrom: -1}[op]
				if b.Layer[i] == format.LayerPymalloc {
					f.blockBytes += sign * b.Block[i]
				} else {
					f.rawChunks += sign * b.Block[i]
				}
				if sign > 0 {
					lastLower, lastLowerPymalloc = addr, b.Layer[i] == format.LayerPymalloc
				}
			case format.LayerObject:
				pre := seq <= h.Meta.SetupEvents
				switch op {
				case format.OpAlloc, format.OpReallocTo:
					live[addr] = &obj{size: size, site: site, typ: typ, pre: pre}
					if pre {
						continue
					}
					lastAlloc, lastOK = addr, true
					f.final += size
					f.requests++
					if op == format.OpAlloc {
						f.typeAllocs[typ]++
					}
					if lastLower == addr && lastLowerPymalloc {
						f.served["pymalloc"]++
					} else {
						f.served["raw"]++
					}
				case format.OpFree, format.OpReallocFrom:
					o := live[addr]
					delete(live, addr)
					if pre {
						continue
					}
					if op == format.OpFree && lastOK && lastAlloc == addr && !o.parked && !o.pre {
						f.temporary++
					}
					lastOK = false
					if !o.pre {
						f.final -= o.size
					}
				case format.OpCache:
					if o := live[addr]; !pre && !o.pre {
						o.parked = true
					}
				case format.OpReuse:
					if o := live[addr]; !pre && !o.pre {
						o.parked, o.site, o.typ = false, site, typ
						f.requests++
						f.served["free_list"]++
					}
				}
			}
		}
	}
	for _, o := range live {
		switch {
		case o.pre:
		case o.parked:
			f.parked += o.size
		default:
			k := o.site + "|" + o.typ
			f.leaks[k] = [2]int64{f.leaks[k][0] + 1, f.leaks[k][1] + o.size}
		}
	}
	return f
}

// The reports of recorded traces (synthetic workloads and Python
// scripts) agree with figures computed from their rows.
func TestAnalyzeReportsAgreeWithRawRows(t *testing.T) {
	script := writeScript(t, "calls.py", `
def words(n):
    out = []
    for i in range(n):
        out.append("w" + str(i % 50))
    return out

def count(ws):
    d = {}
    for w in ws:
        d[w] = d.get(w, 0) + len(str(w))
    return d

keep = []
for k in range(30):
    keep.append(count(words(200)))
`)
	traces := map[string]string{"calls.py": filepath.Join(t.TempDir(), "calls.arrow")}
	if code, _, stderr := heaptrace(t, "record", script, "-o", traces["calls.py"]); code != 0 {
		t.Fatalf("record: %s", stderr)
	}
	for _, w := range []string{"list-growth", "dict-churn", "leaky-cache", "fragmentation", "big-strings"} {
		traces[w] = record(t, w, "3000")
	}
	for name, path := range traces {
		t.Run(name, func(t *testing.T) {
			raw := rawFiguresOf(t, path)
			code, stdout, stderr := heaptrace(t, "analyze", "--json", "--top", "0", path)
			if code != 0 || stderr != "" {
				t.Fatalf("analyze: exit %d, stderr %q", code, stderr)
			}
			var rep struct {
				FinalBytes int64 `json:"final_bytes"`
				Reports    struct {
					Leaks struct {
						Bytes       int64 `json:"bytes"`
						ParkedBytes int64 `json:"parked_bytes"`
						Rows        []struct {
							Site    string `json:"site"`
							Type    string `json:"type"`
							Objects int64  `json:"objects"`
							Bytes   int64  `json:"bytes"`
						} `json:"rows"`
					} `json:"leaks"`
					Sizes struct {
						Requests int64 `json:"requests"`
						Served   []struct {
							By       string `json:"by"`
							Requests int64  `json:"requests"`
						} `json:"served"`
					} `json:"sizes"`
					Types struct {
						Rows []struct {
							Type   string `json:"type"`
							Allocs int64  `json:"allocs"`
						} `json:"rows"`
					} `json:"types"`
					Lifetimes struct {
						Temporary int64 `json:"temporary"`
					} `json:"lifetimes"`
					Summary struct {
						Calls int64 `json:"calls"`
					} `json:"summary"`
					Fragmentation struct {
						End struct {
							Arenas     int64 `json:"arenas"`
							BlockBytes int64 `json:"block_bytes"`
						} `json:"end"`
						RawChunks int64 `json:"raw_chunk_bytes"`
					} `json:"fragmentation"`
				} `json:"reports"`
			}
			if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
				t.Fatal(err)
			}
			rs := rep.Reports
			if rep.FinalBytes != raw.final || rs.Leaks.Bytes+rs.Leaks.ParkedBytes != raw.final || rs.Leaks.ParkedBytes != raw.parked {
				t.Errorf("final %d = leaks %d + parked %d; the rows give %d = ... + %d", rep.FinalBytes, rs.Leaks.Bytes, rs.Leaks.ParkedBytes, raw.final, raw.parked)
			}
			if len(rs.Leaks.Rows) != len(raw.leaks) {
				t.Errorf("%d leak rows, the rows give %d", len(rs.Leaks.Rows), len(raw.leaks))
			}
			for _, l := range rs.Leaks.Rows {
				if w := raw.leaks[l.Site+"|"+l.Type]; w != [2]int64{l.Objects, l.Bytes} {
					t.Errorf("leak %s %s: %d objects, %d bytes; the rows give %v", l.Site, l.Type, l.Objects, l.Bytes, w)
				}
			}
			if rs.Sizes.Requests != raw.requests {
				t.Errorf("%d requests, the rows give %d", rs.Sizes.Requests, raw.requests)
			}
			for _, s := range rs.Sizes.Served {
				if s.Requests != raw.served[s.By] {
					t.Errorf("served by %s: %d, the rows give %d", s.By, s.Requests, raw.served[s.By])
				}
			}
			for _, ty := range rs.Types.Rows {
				if ty.Allocs != raw.typeAllocs[ty.Type] {
					t.Errorf("type %s: %d allocs, the rows give %d", ty.Type, ty.Allocs, raw.typeAllocs[ty.Type])
				}
			}
			if rs.Lifetimes.Temporary != raw.temporary || rs.Summary.Calls != raw.calls {
				t.Errorf("%d temporary, %d calls; the rows give %d, %d", rs.Lifetimes.Temporary, rs.Summary.Calls, raw.temporary, raw.calls)
			}
			f := rs.Fragmentation
			if f.End.Arenas != raw.arenas || f.End.BlockBytes != raw.blockBytes || f.RawChunks != raw.rawChunks {
				t.Errorf("fragmentation: %d arenas, %d in blocks, %d in chunks; the rows give %d, %d, %d",
					f.End.Arenas, f.End.BlockBytes, f.RawChunks, raw.arenas, raw.blockBytes, raw.rawChunks)
			}
		})
	}
}

// Named reports print those reports alone, in text, JSON and CSV.
func TestAnalyzeNamedReports(t *testing.T) {
	path := record(t, "leaky-cache", "300")
	sections := map[string]string{
		"summary": "Peak heap:", "types": "By type", "peak": "Peak at each layer", "growth": "Growth (requested bytes",
		"leaks": "Still live at the end", "sites": "Top sites by bytes allocated", "sizes": "Requests by size",
		"lifetimes": "Lifetimes in events", "fragmentation": "Fragmentation: pymalloc",
	}
	for name := range sections {
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := heaptrace(t, "analyze", name, path)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			for other, heading := range sections {
				if got := strings.Contains(stdout, heading); got != (other == name) {
					t.Errorf("analyze %s: section %q shown: %v", name, heading, got)
				}
			}
			code, stdout, _ = heaptrace(t, "analyze", "--json", name, path)
			var rep struct {
				PeakBytes int64                      `json:"peak_bytes"`
				Reports   map[string]json.RawMessage `json:"reports"`
			}
			if err := json.Unmarshal([]byte(stdout), &rep); code != 0 || err != nil || len(rep.Reports) != 1 || rep.Reports[name] == nil || rep.PeakBytes == 0 {
				t.Errorf("--json %s: exit %d, %v, reports %v", name, code, err, rep.Reports)
			}
			code, stdout, _ = heaptrace(t, "analyze", "--csv", name, path)
			rows, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
			if code != 0 || err != nil || len(rows) < 2 {
				t.Errorf("--csv %s: exit %d, %v, %d rows", name, code, err, len(rows))
			}
		})
	}
	// no report named: all of them; the JSON keeps the summary keys at the top
	code, stdout, _ := heaptrace(t, "analyze", "--json", path)
	var all map[string]any
	json.Unmarshal([]byte(stdout), &all)
	reports, _ := all["reports"].(map[string]any)
	if code != 0 || len(reports) != len(sections) || all["by_type"] == nil || all["growth"] == nil || all["peak_bytes"] == nil {
		t.Errorf("analyze --json: exit %d, %d reports, keys %v", code, len(reports), keys(all))
	}
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Filters, --top and the thresholds of analyze, and the command-line
// errors, each with its exit status and one line on stderr.
func TestAnalyzeFlags(t *testing.T) {
	path := record(t, "dict-churn", "500")
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr []string
	}{
		{"type filter", []string{"analyze", "types", "--type", "str", path}, 0, []string{"filtered: object-layer allocations of type \"str\"", "| str "}, nil},
		{"type glob", []string{"analyze", "types", "--type", "dict*", path}, 0, []string{"| dict.keys ", "| dict "}, nil},
		{"site filter", []string{"analyze", "leaks", "--site", "dict-churn:", path}, 0, []string{"site containing \"dict-churn:\""}, nil},
		{"filter matching nothing", []string{"analyze", "summary", "--type", "tuple", path}, 0, []string{`warning: the filters (--type "tuple") match no allocation`}, nil},
		{"filter matching nothing, json", []string{"analyze", "--json", "summary", "--type", "nope", path}, 0, []string{`"warnings": [`}, []string{`heaptrace: warning: --type "nope" matches no type`}},
		{"top", []string{"analyze", "types", "--top", "1", path}, 0, []string{"more types; --top 0 shows all"}, nil},
		{"under the threshold", []string{"analyze", "summary", "--fail-if", "peak>1TiB", "--fail-if", "os.final>1TiB", path}, 0, []string{"Thresholds (--fail-if)", "| ok "}, nil},
		{"over the threshold", []string{"analyze", "summary", "--fail-if", "peak>1TiB", "--fail-if", "peak>1KiB", path}, 3, []string{"CROSSED"}, []string{"threshold crossed: peak>1KiB"}},
		{"threshold in json", []string{"analyze", "--json", "summary", "--fail-if", "type:str.peak>=1", path}, 3, []string{`"crossed": true`}, []string{"type:str.peak>=1"}},
		{"unknown report", []string{"analyze", "leek", path}, 2, nil, []string{`unknown report "leek"`, "leaks"}},
		{"csv without a report", []string{"analyze", "--csv", path}, 2, nil, []string{"--csv prints one table: name one report"}},
		{"csv with two reports", []string{"analyze", "--csv", "leaks", "sites", path}, 2, nil, []string{"name one report"}},
		{"json and csv", []string{"analyze", "--json", "--csv", "leaks", path}, 2, nil, []string{"--json and --csv"}},
		{"negative top", []string{"analyze", "--top", "-1", path}, 2, nil, []string{"--top -1"}},
		{"bad threshold", []string{"analyze", "--fail-if", "peak>>3", path}, 2, nil, []string{"--fail-if 'peak>>3': expected a size or percentage after '>'"}},
		{"growth of one trace", []string{"analyze", "--fail-if", "growth>10%", path}, 2, nil, []string{"heaptrace diff A B"}},
		{"bad glob", []string{"analyze", "--type", "[", path}, 1, nil, []string{`--type "["`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := heaptrace(t, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tc.code, stderr)
			}
			for _, w := range tc.stdout {
				if !strings.Contains(stdout, w) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout)
				}
			}
			for _, w := range tc.stderr {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q lacks %q", stderr, w)
				}
			}
			if len(tc.stderr) == 0 && stderr != "" {
				t.Errorf("stderr %q, want nothing (no progress bar off a terminal)", stderr)
			}
			if n := strings.Count(strings.TrimSpace(stderr), "\n"); n > 0 {
				t.Errorf("stderr has %d lines:\n%s", n+1, stderr)
			}
		})
	}
}

// Anomalies are reported with their event numbers, and the analysis goes
// on to the end.
func TestAnalyzeAnomalies(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.arrow")
	writeTrace(t, path, []format.Op{format.OpAlloc, format.OpFree, format.OpFree, format.OpFree, format.OpAlloc}, []uint64{0x10, 0x10, 0x10, 0x20, 0x30})
	code, stdout, _ := heaptrace(t, "analyze", "summary", path)
	for _, w := range []string{"2 anomalies", "#3: free of 0x10, which was freed already at event #2", "#4: free of 0x20, which is not allocated", "Peak heap: 32 B"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("output lacks %q:\n%s", w, stdout)
		}
	}
	if code != 0 {
		t.Errorf("exit %d", code)
	}
}

// writeTrace writes object-layer events of 32 bytes.
func writeTrace(t *testing.T, path string, ops []format.Op, addrs []uint64) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := format.NewWriter(f, format.Header{Meta: format.Meta{Workload: "bad"}, Types: []string{format.NoType, "int"}, Sites: []string{format.UnknownSite}})
	if err != nil {
		t.Fatal(err)
	}
	var b format.Batch
	for i, op := range ops {
		b.Append(uint64(i+1), op, format.LayerObject, 1, 32, 32, addrs[i], 0)
	}
	if err := w.Write(&b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

// --max-memory stops an analysis whose live objects need more, naming the
// file and the event, and --bounded then analyses it with no table of
// live objects, with the same figures for what it reports.
func TestAnalyzeMaxMemoryAndBounded(t *testing.T) {
	path := record(t, "leaky-cache", "2000")
	code, stdout, stderr := heaptrace(t, "analyze", "--max-memory", "1KiB", path)
	if code != 1 || stdout != "" {
		t.Errorf("--max-memory 1KiB: exit %d, stdout %q: want 1 and nothing", code, stdout)
	}
	for _, w := range []string{"heaptrace: analyze " + path + ": event #", "objects are live", "over --max-memory 1 KiB", "use --bounded"} {
		if !strings.Contains(stderr, w) {
			t.Errorf("--max-memory 1KiB: stderr %q lacks %q", stderr, w)
		}
	}

	reports := []string{"summary", "types", "peak", "growth", "sizes"}
	var full, bounded map[string]any
	for _, c := range []struct {
		args []string
		into *map[string]any
	}{{nil, &full}, {[]string{"--bounded", "--max-memory", "1KiB"}, &bounded}} {
		args := append(append(append([]string{"analyze", "--json", "--top", "0"}, c.args...), reports...), path)
		code, stdout, stderr := heaptrace(t, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		if err := json.Unmarshal([]byte(stdout), c.into); err != nil {
			t.Fatal(err)
		}
	}
	if bounded["bounded"] != true {
		t.Errorf("bounded JSON lacks \"bounded\": true")
	}
	for _, r := range []string{"summary", "types", "growth", "sizes"} {
		f, b := full["reports"].(map[string]any)[r], bounded["reports"].(map[string]any)[r]
		if fj, bj := mustJSON(t, f), mustJSON(t, b); fj != bj {
			t.Errorf("%s: bounded\n%s\nfull\n%s", r, bj, fj)
		}
	}
	fp, bp := full["reports"].(map[string]any)["peak"].(map[string]any), bounded["reports"].(map[string]any)["peak"].(map[string]any)
	if mustJSON(t, fp["by_type"]) != mustJSON(t, bp["by_type"]) || bp["sites_unknown"] != true {
		t.Errorf("peak: bounded %v, full %v", bp, fp)
	}

	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"analyze", "--max-memory", "lots", path}, 2, `--max-memory: "lots" is not a size`},
		{[]string{"analyze", "--bounded", "leaks", path}, 1, "--bounded: the leaks report follows each live object"},
		{[]string{"analyze", "--bounded", "--site", "x", path}, 1, "--bounded: --site needs each object's allocation site"},
	} {
		if code, _, stderr := heaptrace(t, tc.args...); code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q: want %d and %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
