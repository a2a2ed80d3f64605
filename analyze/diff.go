// This file defines Diff, which compares the analyses of two traces: what
// changed between a baseline run (A) and a new one (B), by layer, type and
// site, with --fail-if thresholds.

package analyze

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
)

// DiffReports are the reports Diff needs from each trace; pass them as
// Options.Reports to Run.
var DiffReports = []string{"summary", "types", "peak"}

// DiffReport is what changed from trace A to trace B. Its JSON form is
// documented in the README ("diff").
type DiffReport struct {
	A            DiffSide          `json:"a"`
	B            DiffSide          `json:"b"`
	Layers       []LayerDiff       `json:"layers"`
	Types        []EntryDiff       `json:"types"`
	Sites        []EntryDiff       `json:"sites"`
	OmittedTypes int               `json:"omitted_types"`
	OmittedSites int               `json:"omitted_sites"`
	Thresholds   []ThresholdResult `json:"thresholds"`
	Failed       bool              `json:"failed"`
	Warnings     []string          `json:"warnings"`
}

// DiffSide names one of the two traces.
type DiffSide struct {
	Trace     string `json:"trace"`
	Workload  string `json:"workload"`
	Events    uint64 `json:"events"`
	Truncated bool   `json:"truncated"`
	Anomalies int    `json:"anomaly_count"`
}

// LayerDiff is one layer's peak and final bytes in A and B.
type LayerDiff struct {
	Layer       string   `json:"layer"`
	APeak       int64    `json:"a_peak_bytes"`
	BPeak       int64    `json:"b_peak_bytes"`
	PeakChange  int64    `json:"peak_change"`
	PeakPct     *float64 `json:"peak_change_pct"`
	AFinal      int64    `json:"a_final_bytes"`
	BFinal      int64    `json:"b_final_bytes"`
	FinalChange int64    `json:"final_change"`
}

// EntryDiff is one type's or site's figures in A and B: bytes allocated
// over the run, live at the object layer's peak, live at the end.
type EntryDiff struct {
	Name        string `json:"name"`
	AAllocs     int64  `json:"a_allocs"`
	BAllocs     int64  `json:"b_allocs"`
	AAlloc      int64  `json:"a_alloc_bytes"`
	BAlloc      int64  `json:"b_alloc_bytes"`
	APeak       int64  `json:"a_peak_live_bytes"`
	BPeak       int64  `json:"b_peak_live_bytes"`
	AFinal      int64  `json:"a_final_live_bytes"`
	BFinal      int64  `json:"b_final_live_bytes"`
	PeakChange  int64  `json:"peak_change"`
	FinalChange int64  `json:"final_change"`
	AllocChange int64  `json:"alloc_change"`
}

// Diff compares b (the new run) with a (the baseline): every layer, then
// the types and sites whose figures changed, largest change first, at
// most top of each (0: all); then the thresholds, checked on the pair.
// a and b must have been analysed with DiffReports (or all reports).
func Diff(a, b *Report, top int, thresholds []Threshold) (*DiffReport, error) {
	d := &DiffReport{
		A:        DiffSide{a.Trace, a.Workload, a.Events, a.Truncated, a.AnomalyCount},
		B:        DiffSide{b.Trace, b.Workload, b.Events, b.Truncated, b.AnomalyCount},
		Warnings: []string{},
	}
	for _, w := range a.Warnings {
		d.Warnings = append(d.Warnings, "A: "+w)
	}
	for _, w := range b.Warnings {
		d.Warnings = append(d.Warnings, "B: "+w)
	}
	d.Warnings = append(d.Warnings, modelWarnings(a, b)...)
	for i, la := range a.Layers {
		lb := b.Layers[i]
		ld := LayerDiff{Layer: la.Layer, APeak: la.PeakBytes, BPeak: lb.PeakBytes, PeakChange: lb.PeakBytes - la.PeakBytes,
			AFinal: la.FinalBytes, BFinal: lb.FinalBytes, FinalChange: lb.FinalBytes - la.FinalBytes}
		if la.PeakBytes != 0 {
			pct := math.Round(float64(ld.PeakChange)*10000/float64(la.PeakBytes)) / 100
			ld.PeakPct = &pct
		}
		d.Layers = append(d.Layers, ld)
	}
	entries := map[string]*EntryDiff{}
	for _, t := range a.ByType {
		entries[t.Type] = &EntryDiff{Name: t.Type, AAllocs: t.Allocs, AAlloc: t.AllocBytes, APeak: t.PeakLiveBytes, AFinal: t.FinalLiveBytes}
	}
	for _, t := range b.ByType {
		e := entries[t.Type]
		if e == nil {
			e = &EntryDiff{Name: t.Type}
			entries[t.Type] = e
		}
		e.BAllocs, e.BAlloc, e.BPeak, e.BFinal = t.Allocs, t.AllocBytes, t.PeakLiveBytes, t.FinalLiveBytes
	}
	d.Types, d.OmittedTypes = changed(entries, top)
	if a.allSites == nil || b.allSites == nil {
		return nil, fmt.Errorf("analyze: diff: the sites were not analysed (Run with DiffReports)")
	}
	entries = map[string]*EntryDiff{}
	for _, s := range a.allSites {
		entries[s.Site] = &EntryDiff{Name: s.Site, AAllocs: s.Allocs, AAlloc: s.AllocBytes, APeak: s.PeakLiveBytes, AFinal: s.FinalLiveBytes}
	}
	for _, s := range b.allSites {
		e := entries[s.Site]
		if e == nil {
			e = &EntryDiff{Name: s.Site}
			entries[s.Site] = e
		}
		e.BAllocs, e.BAlloc, e.BPeak, e.BFinal = s.Allocs, s.AllocBytes, s.PeakLiveBytes, s.FinalLiveBytes
	}
	d.Sites, d.OmittedSites = changed(entries, top)
	var err error
	if d.Thresholds, err = CheckThresholds(thresholds, a, b); err != nil {
		return nil, err
	}
	d.Failed = len(Crossed(d.Thresholds)) > 0
	return d, nil
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// changed returns the entries whose figures differ, the largest change
// first, cut to top, and how many were cut.
func changed(entries map[string]*EntryDiff, top int) ([]EntryDiff, int) {
	out := []EntryDiff{}
	for _, e := range entries {
		e.PeakChange, e.FinalChange, e.AllocChange = e.BPeak-e.APeak, e.BFinal-e.AFinal, e.BAlloc-e.AAlloc
		if e.PeakChange != 0 || e.FinalChange != 0 || e.AllocChange != 0 || e.AAllocs != e.BAllocs {
			out = append(out, *e)
		}
	}
	size := func(e EntryDiff) int64 { return max(abs(e.PeakChange), abs(e.FinalChange), abs(e.AllocChange)) }
	sort.Slice(out, func(i, j int) bool {
		if si, sj := size(out[i]), size(out[j]); si != sj {
			return si > sj
		}
		return out[i].Name < out[j].Name
	})
	n := len(out)
	if top > 0 && n > top {
		n = top
	}
	return out[:n], len(out) - n
}

// WriteJSON writes d as one indented JSON object.
func (d *DiffReport) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(d)
}

// WriteText writes d for people.
func (d *DiffReport) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "heaptrace diff\n  A: %s (%s, %s events)\n  B: %s (%s, %s events)\n",
		d.A.Trace, d.A.Workload, Count(int64(d.A.Events)), d.B.Trace, d.B.Workload, Count(int64(d.B.Events)))
	for _, wn := range d.Warnings {
		fmt.Fprintf(ew, "warning: %s\n", wn)
	}
	for _, s := range []DiffSide{d.A, d.B} {
		if s.Truncated {
			fmt.Fprintf(ew, "warning: %s was cut short; its figures cover its complete batches\n", s.Trace)
		}
		if s.Anomalies > 0 {
			fmt.Fprintf(ew, "warning: %s has %d anomalies (heaptrace analyze lists them)\n", s.Trace, s.Anomalies)
		}
	}
	fmt.Fprintf(ew, "\nPeak and final at each layer\n")
	var rows [][]string
	for _, l := range d.Layers {
		pct := "-"
		if l.PeakPct != nil {
			pct = signedPercent(*l.PeakPct)
		} else if l.BPeak > 0 {
			pct = signedPercent(math.Inf(1))
		}
		rows = append(rows, []string{layerTitles[l.Layer], Bytes(l.APeak), Bytes(l.BPeak), signedBytes(l.PeakChange), pct,
			Bytes(l.AFinal), Bytes(l.BFinal), signedBytes(l.FinalChange)})
	}
	table(ew, []string{"Layer", "A peak", "B peak", "Change", "%", "A final", "B final", "Change"}, rows)
	for _, part := range []struct {
		what    string
		rows    []EntryDiff
		omitted int
	}{{"Type", d.Types, d.OmittedTypes}, {"Site", d.Sites, d.OmittedSites}} {
		fmt.Fprintf(ew, "\nBy %s, largest change first (requested bytes: allocated over the run, live at the peak, live at the end)\n", strings.ToLower(part.what))
		if len(part.rows) == 0 {
			fmt.Fprintf(ew, "(no %s changed)\n", strings.ToLower(part.what))
			continue
		}
		rows = rows[:0]
		for _, e := range part.rows {
			rows = append(rows, []string{e.Name, Bytes(e.AAlloc), Bytes(e.BAlloc), signedBytes(e.AllocChange),
				Bytes(e.APeak), Bytes(e.BPeak), signedBytes(e.PeakChange), Bytes(e.AFinal), Bytes(e.BFinal), signedBytes(e.FinalChange)})
		}
		table(ew, []string{part.what, "A allocated", "B allocated", "Change", "A at peak", "B at peak", "Change", "A at end", "B at end", "Change"}, rows)
		omitted(ew, part.omitted, strings.ToLower(part.what)+"s that changed")
	}
	writeThresholds(ew, d.Thresholds)
	return ew.err
}

// WriteCSV writes d as one table: a row per layer, changed type and
// changed site, with the columns kind, name, a_alloc_bytes,
// b_alloc_bytes, a_peak_bytes, b_peak_bytes, a_final_bytes,
// b_final_bytes (allocated bytes are empty for layers).
func (d *DiffReport) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	i64 := func(n int64) string { return strconv.FormatInt(n, 10) }
	rows := [][]string{{"kind", "name", "a_alloc_bytes", "b_alloc_bytes", "a_peak_bytes", "b_peak_bytes", "a_final_bytes", "b_final_bytes"}}
	for _, l := range d.Layers {
		rows = append(rows, []string{"layer", l.Layer, "", "", i64(l.APeak), i64(l.BPeak), i64(l.AFinal), i64(l.BFinal)})
	}
	for _, part := range []struct {
		kind string
		rows []EntryDiff
	}{{"type", d.Types}, {"site", d.Sites}} {
		for _, e := range part.rows {
			rows = append(rows, []string{part.kind, e.Name, i64(e.AAlloc), i64(e.BAlloc), i64(e.APeak), i64(e.BPeak), i64(e.AFinal), i64(e.BFinal)})
		}
	}
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("analyze: write csv: %w", err)
	}
	return nil
}
