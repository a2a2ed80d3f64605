package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/heaptrace/heaptrace/format"
)

// layerPeaks computes each layer's peak and final bytes from a trace's
// rows: requested bytes of the object layer, blocks of pymalloc and raw,
// sizes of the os layer.
func layerPeaks(t *testing.T, path string) (peak, final [3]int64) {
	t.Helper()
	r, err := format.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var b format.Batch
	for {
		err := r.Next(&b)
		if errors.Is(err, io.EOF) {
			return peak, final
		}
		if err != nil {
			t.Fatal(err)
		}
		for i, op := range b.Op {
			sign := map[format.Op]int64{format.OpAlloc: 1, format.OpReallocTo: 1, format.OpFree: -1, format.OpReallocFrom: -1}[op]
			l, n := -1, b.Size[i]
			switch b.Layer[i] {
			case format.LayerObject:
				l = 0
			case format.LayerPymalloc, format.LayerRaw:
				l, n = 1, b.Block[i]
			case format.LayerOS:
				l = 2
			}
			if l >= 0 {
				final[l] += sign * n
				peak[l] = max(peak[l], final[l])
			}
		}
	}
}

// diff compares two runs by layer, type and site; --fail-if guards a
// test suite: exit 3 when a threshold is crossed, 0 otherwise.
func TestDiff(t *testing.T) {
	a := record(t, "leaky-cache", "1000")
	b := record(t, "leaky-cache", "2000")
	pa, fa := layerPeaks(t, a)
	pb, fb := layerPeaks(t, b)

	code, stdout, stderr := heaptrace(t, "diff", "--json", "--top", "0", a, b)
	if code != 0 || stderr != "" {
		t.Fatalf("diff: exit %d, stderr %q", code, stderr)
	}
	var d struct {
		Layers []struct {
			Layer  string `json:"layer"`
			APeak  int64  `json:"a_peak_bytes"`
			BPeak  int64  `json:"b_peak_bytes"`
			AFinal int64  `json:"a_final_bytes"`
			BFinal int64  `json:"b_final_bytes"`
		} `json:"layers"`
		Types []struct {
			Name       string `json:"name"`
			PeakChange int64  `json:"peak_change"`
		} `json:"types"`
		Sites  []json.RawMessage `json:"sites"`
		Failed bool              `json:"failed"`
	}
	if err := json.Unmarshal([]byte(stdout), &d); err != nil {
		t.Fatal(err)
	}
	for i, l := range d.Layers {
		if [4]int64{l.APeak, l.BPeak, l.AFinal, l.BFinal} != [4]int64{pa[i], pb[i], fa[i], fb[i]} {
			t.Errorf("layer %s: %+v; the rows give peaks %d, %d and finals %d, %d", l.Layer, l, pa[i], pb[i], fa[i], fb[i])
		}
	}
	if len(d.Types) == 0 || len(d.Sites) == 0 || d.Failed {
		t.Errorf("types %v, %d sites, failed %v", d.Types, len(d.Sites), d.Failed)
	}
	growth := float64(pb[0]-pa[0]) * 100 / float64(pa[0]) // about 100%: twice the calls
	for _, tc := range []struct {
		name   string
		flags  []string
		code   int
		stderr string
	}{
		{"no threshold", nil, 0, ""},
		{"growth under", []string{"--fail-if", "growth>" + pct(growth+1)}, 0, ""},
		{"growth over", []string{"--fail-if", "growth>" + pct(growth-1)}, 3, "threshold crossed: growth>"},
		{"peak under", []string{"--fail-if", "peak>64MiB"}, 0, ""},
		{"peak over", []string{"--fail-if", "peak>1KiB"}, 3, "threshold crossed: peak>1KiB"},
		{"several, one over", []string{"--fail-if", "peak>64MiB", "--fail-if", "os.peak>1B", "--fail-if", "final>1GB"}, 3, "threshold crossed: os.peak>1B"},
		{"several, none over", []string{"--fail-if", "peak>64MiB", "--fail-if", "final>1GB", "--fail-if", "type:str.final<1%"}, 0, ""},
		{"a type", []string{"--fail-if", "type:tuple.peak>50%"}, 3, "type:tuple.peak>50%"},
		{"a site", []string{"--fail-if", "site:cache_store.allocated>1MiB"}, 0, ""},
		{"bad expression", []string{"--fail-if", "peak>>3"}, 2, "--fail-if 'peak>>3': expected a size or percentage after '>'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append(append([]string{"diff"}, tc.flags...), a, b)
			code, stdout, stderr := heaptrace(t, args...)
			if code != tc.code || !strings.Contains(stderr, tc.stderr) || (tc.stderr == "" && stderr != "") {
				t.Errorf("exit %d, stderr %q; want %d, %q", code, stderr, tc.code, tc.stderr)
			}
			if tc.code != 2 && !strings.Contains(stdout, "Peak and final at each layer") {
				t.Errorf("no comparison printed:\n%s", stdout)
			}
			if tc.code == 3 && !strings.Contains(stdout, "CROSSED") {
				t.Errorf("the crossed threshold is not shown:\n%s", stdout)
			}
		})
	}
	code, stdout, _ = heaptrace(t, "diff", "--csv", a, b)
	rows, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	if code != 0 || err != nil || len(rows) < 4 || rows[0][0] != "kind" || rows[1][0] != "layer" {
		t.Errorf("--csv: exit %d, %v, %v", code, err, rows)
	}
}

func pct(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) + "%" }

func TestDiffBadInput(t *testing.T) {
	a := record(t, "list-growth", "100")
	big := record(t, "leaky-cache", "2000") // 513 objects live at once: the live table grows
	missing := filepath.Join(t.TempDir(), "nope.arrow")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"diff", a}, 2, "two trace files, A then B"},
		{[]string{"diff", a, missing}, 1, "nope.arrow"},
		{[]string{"diff", "--json", "--csv", a, a}, 2, "--json and --csv"},
		{[]string{"diff", "--top", "-2", a, a}, 2, "--top -2"},
		{[]string{"diff", "--max-memory", "lots", a, a}, 2, `--max-memory: "lots" is not a size`},
		{[]string{"diff", "--max-memory", "1KiB", a, big}, 1, "over --max-memory 1 KiB"},
		{[]string{"diff", "--type", "nothing", a, a}, 0, ""},
	} {
		code, stdout, stderr := heaptrace(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d, %q", tc.args, code, stderr, tc.code, tc.want)
		}
		if tc.code == 0 && !strings.Contains(stdout, `A: --type "nothing" matches no type`) {
			t.Errorf("%v: no warning in\n%s", tc.args, stdout)
		}
	}
}
