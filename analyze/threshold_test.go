package analyze

import (
	"strings"
	"testing"
)

func TestParseThreshold(t *testing.T) {
	for _, tc := range []struct {
		expr string
		want Threshold
	}{
		{"peak>64MiB", Threshold{Scope: "objects", Metric: "peak", Op: ">", Value: 64 << 20}},
		{"final>1GB", Threshold{Scope: "objects", Metric: "final", Op: ">", Value: 1e9}},
		{"growth>10%", Threshold{Scope: "objects", Metric: "growth", Op: ">", Value: 10, Percent: true}},
		{"os.peak>200MiB", Threshold{Scope: "os", Metric: "peak", Op: ">", Value: 200 << 20}},
		{"allocator.final <= 1.5 kib", Threshold{Scope: "allocator", Metric: "final", Op: "<=", Value: 1536}},
		{" objects.allocated>=100 ", Threshold{Scope: "objects", Metric: "allocated", Op: ">=", Value: 100}},
		{"type:list.peak>1MiB", Threshold{Scope: "type:list", Metric: "peak", Op: ">", Value: 1 << 20}},
		{"type:list.items.final<0.5KB", Threshold{Scope: "type:list.items", Metric: "final", Op: "<", Value: 500}},
		{"site:<module> (a.py:9).peak>1", Threshold{Scope: "site:<module> (a.py:9)", Metric: "peak", Op: ">", Value: 1}},
		{"site:a.py:12.allocated>-5%", Threshold{Scope: "site:a.py:12", Metric: "allocated", Op: ">", Value: -5, Percent: true}},
		{"growth<-2%", Threshold{Scope: "objects", Metric: "growth", Op: "<", Value: -2, Percent: true}},
	} {
		got, err := ParseThreshold(tc.expr)
		if err != nil {
			t.Errorf("%q: %v", tc.expr, err)
			continue
		}
		tc.want.Expr = tc.expr
		if got != tc.want {
			t.Errorf("%q: %+v, want %+v", tc.expr, got, tc.want)
		}
		again, err := ParseThreshold(got.String())
		again.Expr = got.Expr
		if err != nil || again != got {
			t.Errorf("%q: String %q parses to %+v, %v", tc.expr, got.String(), again, err)
		}
	}
}

func TestParseThresholdErrors(t *testing.T) {
	for _, tc := range []struct{ expr, want string }{
		{"peak>>3", "--fail-if 'peak>>3': expected a size or percentage after '>'"},
		{"", "--fail-if '': empty: expected e.g. peak>64MiB"},
		{"peek>3", `--fail-if 'peek>3': unknown metric "peek" (peak, final, allocated or growth)`},
		{"peak=3", "--fail-if 'peak=3': expected >, >=, < or <= after 'peak'"},
		{"peak>3 parsecs", `--fail-if 'peak>3 parsecs': unknown unit "parsecs" (B, KB, MB, GB, TB, KiB, MiB, GiB, TiB, or % for a change)`},
		{"peak>", "--fail-if 'peak>': expected a size or percentage after '>'"},
		{"peak>MiB", "--fail-if 'peak>MiB': expected a size or percentage after '>'"},
		{"peak>1.2.3", `--fail-if 'peak>1.2.3': "1.2.3" is not a number`},
		{"type:.peak>1", "--fail-if 'type:.peak>1': empty type name"},
		{"type:list>1", "--fail-if 'type:list>1': expected .peak, .final, .allocated or .growth after the type name"},
		{"os.allocated>1", "--fail-if 'os.allocated>1': allocated is measured at the object layer, for objects, types and sites, not os"},
		{">3", `--fail-if '>3': expected a metric (peak, final, allocated or growth) at ">3"`},
		{"peak>" + strings.Repeat("9", 300) + "TiB", "is too large"},
		{"peak>" + strings.Repeat("9", 400), "is not a number"},
	} {
		_, err := ParseThreshold(tc.expr)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.expr, err, tc.want)
		}
	}
}

// Any input parses or fails with an error, never a panic; what parses
// prints in a canonical form that parses back to the same threshold.
func FuzzParseThreshold(f *testing.F) {
	for _, s := range []string{"peak>64MiB", "growth>10%", "type:list.items.final<=3kb", "site:<module> (a.py:1).peak>0", "peak>>3", "os.peak>1e9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		th, err := ParseThreshold(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "--fail-if '") {
				t.Errorf("%q: error %q does not name the flag", s, err)
			}
			return
		}
		again, err := ParseThreshold(th.String())
		if err != nil {
			t.Fatalf("%q parses to %+v, whose String %q does not parse: %v", s, th, th.String(), err)
		}
		again.Expr = th.Expr
		if again != th {
			t.Fatalf("%q: %+v; its String %q parses to %+v", s, th, th.String(), again)
		}
	})
}

func TestThresholdCheck(t *testing.T) {
	a := &Report{PeakBytes: 100 << 20, FinalBytes: 10 << 20,
		Layers:   []LayerStats{{"objects", 100 << 20, 5, 10 << 20}, {"allocator", 110 << 20, 5, 11 << 20}, {"os", 200 << 20, 4, 150 << 20}},
		ByType:   []TypeStats{{Type: "list", AllocBytes: 5 << 20, PeakLiveBytes: 2 << 20, FinalLiveBytes: 1 << 20}},
		allSites: []SiteRow{{Site: "f (a.py:1)", AllocBytes: 50 << 20, PeakLiveBytes: 30 << 20}, {Site: "g (a.py:2)", AllocBytes: 10 << 20, PeakLiveBytes: 5 << 20}}}
	b := &Report{PeakBytes: 115 << 20, FinalBytes: 10 << 20,
		Layers:   []LayerStats{{"objects", 115 << 20, 5, 10 << 20}, {"allocator", 120 << 20, 5, 11 << 20}, {"os", 260 << 20, 4, 150 << 20}},
		ByType:   []TypeStats{{Type: "dict", AllocBytes: 5 << 20, PeakLiveBytes: 2 << 20}},
		allSites: []SiteRow{{Site: "f (a.py:1)", AllocBytes: 40 << 20, PeakLiveBytes: 30 << 20}}}
	for _, tc := range []struct {
		expr    string
		crossed bool
	}{
		{"peak>64MiB", true},
		{"peak>115MiB", false},
		{"peak>=115MiB", true},
		{"growth>10%", true},
		{"growth>15%", false},
		{"growth>=15%", true},
		{"growth>14MiB", true},
		{"final>0%", false},
		{"final<=0%", true},
		{"os.peak>200MiB", true},
		{"os.peak>30%", false},
		{"os.peak>29%", true},
		{"allocator.peak<120MiB", false},
		{"type:list.peak>1MiB", false}, // no list in B
		{"type:list.final<-99%", true},
		{"type:dict.peak>1%", true}, // new in B: an infinite change
		{"type:dict.allocated>5MiB", false},
		{"site:a.py.allocated>45MiB", false},
		{"site:a.py.allocated<-30%", true},
		{"site:f (a.py:1).peak>29MiB", true},
	} {
		th := mustThreshold(t, tc.expr)
		res, err := th.Check(a, b)
		if err != nil {
			t.Errorf("%s: %v", tc.expr, err)
			continue
		}
		if res.Crossed != tc.crossed {
			t.Errorf("%s: crossed %v, want %v (%s)", tc.expr, res.Crossed, tc.crossed, res.Detail)
		}
	}
	if _, err := mustThreshold(t, "growth>1%").Check(nil, b); err == nil || !strings.Contains(err.Error(), "heaptrace diff") {
		t.Errorf("a change on one trace: %v", err)
	}
	if res, err := mustThreshold(t, "peak>1MiB").Check(nil, b); err != nil || !res.Crossed || res.Detail != "objects peak 115 MiB" {
		t.Errorf("one trace: %+v, %v", res, err)
	}
}
