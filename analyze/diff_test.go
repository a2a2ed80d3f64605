package analyze

import (
	"testing"
)

// Diff agrees with the oracles of its two traces: every layer, and every
// type and site whose figures changed, with the changes B minus A.
func TestDiffAgainstOracle(t *testing.T) {
	pa := genFile(t, 11, genOptions{ops: 2000})
	pb := genFile(t, 12, genOptions{ops: 2500, drain: true})
	oa, ob := runOracle(t, pa, "", ""), runOracle(t, pb, "", "")
	opts := Options{Reports: DiffReports}
	d, err := Diff(analyzeFile(t, pa, opts), analyzeFile(t, pb, opts), 0, []Threshold{mustThreshold(t, "growth>0%"), mustThreshold(t, "os.final>1TiB")})
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range d.Layers {
		eq(t, l.Layer, [4]int64{l.APeak, l.BPeak, l.AFinal, l.BFinal}, [4]int64{oa.layerPeak[i], ob.layerPeak[i], oa.layerCur[i], ob.layerCur[i]})
		eq(t, l.Layer+" change", l.PeakChange, ob.layerPeak[i]-oa.layerPeak[i])
	}
	for _, part := range []struct {
		what   string
		rows   []EntryDiff
		a, b   map[string]*oTally
		pa, pb map[string]oTally
	}{{"type", d.Types, oa.byType, ob.byType, oa.peakType, ob.peakType}, {"site", d.Sites, oa.bySite, ob.bySite, oa.peakSite, ob.peakSite}} {
		n := 0
		for _, k := range union(part.a, part.b) {
			x, y := part.a[k], part.b[k]
			if x == nil {
				x = &oTally{}
			}
			if y == nil {
				y = &oTally{}
			}
			if x.allocBytes != y.allocBytes || x.live != y.live || part.pa[k].live != part.pb[k].live || x.allocs+x.reallocs != y.allocs+y.reallocs {
				n++
			}
		}
		eq(t, part.what+" rows", len(part.rows), n)
		for _, e := range part.rows {
			x, y := part.a[e.Name], part.b[e.Name]
			if x == nil {
				x = &oTally{}
			}
			if y == nil {
				y = &oTally{}
			}
			eq(t, e.Name, [6]int64{e.AAlloc, e.BAlloc, e.APeak, e.BPeak, e.AFinal, e.BFinal},
				[6]int64{x.allocBytes, y.allocBytes, part.pa[e.Name].live, part.pb[e.Name].live, x.live, y.live})
			eq(t, e.Name+" changes", [3]int64{e.AllocChange, e.PeakChange, e.FinalChange}, [3]int64{e.BAlloc - e.AAlloc, e.BPeak - e.APeak, e.BFinal - e.AFinal})
		}
	}
	grew := ob.peak > oa.peak
	if d.Thresholds[0].Crossed != grew || d.Thresholds[1].Crossed || d.Failed != grew {
		t.Errorf("thresholds %+v, failed %v; B's peak grew: %v", d.Thresholds, d.Failed, grew)
	}
}

func union(a, b map[string]*oTally) []string {
	var out []string
	for k := range a {
		out = append(out, k)
	}
	for k := range b {
		if a[k] == nil {
			out = append(out, k)
		}
	}
	return out
}

// A trace compared with itself changes nothing and crosses no growth
// threshold.
func TestDiffOfATraceWithItself(t *testing.T) {
	p := genFile(t, 13, genOptions{ops: 1000})
	r := analyzeFile(t, p, Options{Reports: DiffReports})
	d, err := Diff(r, r, 0, []Threshold{mustThreshold(t, "growth>0%"), mustThreshold(t, "growth>0"), mustThreshold(t, "final>0%")})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Types) != 0 || len(d.Sites) != 0 || d.Failed {
		t.Errorf("types %v sites %v failed %v", d.Types, d.Sites, d.Failed)
	}
	if _, err := Diff(analyzeFile(t, p, Options{Reports: []string{"summary"}}), r, 0, nil); err == nil {
		t.Error("a diff without the sites: no error")
	}
}
