package driver

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/heaptrace/heaptrace/analyze"
	"github.com/heaptrace/heaptrace/internal/cpython"
	"github.com/heaptrace/heaptrace/model"
	"github.com/heaptrace/heaptrace/model/pyobj"
)

// This file defines the side-by-side comparison of one script on several
// Python versions: what an upgrade does to its memory.

// VersionComparison is one script on several Python versions. Versions
// holds, per version in the order asked, the real CPython's figures beside
// the model's with that version's profile (the CPython side is missing
// when that version is not installed); ByType sets each type's live bytes
// at the end side by side across the versions. Its JSON form is documented
// in the README.
type VersionComparison struct {
	Script    string        `json:"script"`
	Allocator string        `json:"allocator"`
	Versions  []*Comparison `json:"versions"`
	ByType    []VersionType `json:"by_type"`
}

// VersionType is one type's live objects at the end, reachable from the
// script's globals, on each version (in the order of Versions).
type VersionType struct {
	Type     string        `json:"type"`
	Versions []TypeFigures `json:"versions"`
}

// TypeFigures is one type's objects and sys.getsizeof bytes on one
// version, measured on CPython and on the model.
type TypeFigures struct {
	CPythonCount int   `json:"cpython_count"`
	CPythonBytes int64 `json:"cpython_bytes"`
	ModelCount   int   `json:"model_count"`
	ModelBytes   int64 `json:"model_bytes"`
}

// CompareVersions runs script on each profile's version of CPython, found
// by find (cpython.Find), and on the model with that profile and cfg. A
// version find cannot provide is compared on the model only, with the
// reason in its Comparison's CPythonMissing.
func CompareVersions(ctx context.Context, find func(version string) (cpython.Interpreter, error), script string, src []byte, profiles []pyobj.Profile, cfg model.Config) (*VersionComparison, error) {
	if cfg == (model.Config{}) {
		cfg = model.DefaultConfig()
	}
	vc := &VersionComparison{Script: script, Allocator: AllocatorOf(cfg)}
	for _, p := range profiles {
		var c *Comparison
		ip, err := find(p.Version)
		if err != nil {
			c, err = compare(ctx, nil, err.Error(), script, src, p, cfg)
		} else {
			c, err = compare(ctx, &ip, "", script, src, p, cfg)
		}
		if err != nil {
			return nil, err
		}
		vc.Versions = append(vc.Versions, c)
	}
	rows := map[string]*VersionType{}
	for i, c := range vc.Versions {
		for _, t := range c.ByType {
			r := rows[t.Type]
			if r == nil {
				r = &VersionType{Type: t.Type, Versions: make([]TypeFigures, len(vc.Versions))}
				rows[t.Type] = r
			}
			r.Versions[i] = TypeFigures{t.CPythonCount, t.CPythonBytes, t.ModelCount, t.ModelBytes}
		}
	}
	useCPython := vc.allMeasured()
	for _, r := range rows {
		vc.ByType = append(vc.ByType, *r)
	}
	bytesOf := func(r VersionType) int64 {
		var most int64
		for _, f := range r.Versions {
			most = max(most, f.ModelBytes)
			if useCPython {
				most = max(most, f.CPythonBytes)
			}
		}
		return most
	}
	sort.Slice(vc.ByType, func(i, j int) bool {
		a, b := bytesOf(vc.ByType[i]), bytesOf(vc.ByType[j])
		if a != b {
			return a > b
		}
		return vc.ByType[i].Type < vc.ByType[j].Type
	})
	return vc, nil
}

// allMeasured reports whether every version has CPython's figures.
func (vc *VersionComparison) allMeasured() bool {
	for _, c := range vc.Versions {
		if c.CPythonMissing != "" {
			return false
		}
	}
	return true
}

// WriteJSON writes vc as one JSON object.
func (vc *VersionComparison) WriteJSON(w io.Writer) error {
	type out VersionComparison
	v := out(*vc)
	v.Versions = make([]*Comparison, len(vc.Versions))
	for i, c := range vc.Versions {
		cc := *c
		cc.Measures = append([]CompareMeasure(nil), c.Measures...)
		cc.ByType = append([]CompareType(nil), c.ByType...)
		for j := range cc.Measures {
			cc.Measures[j].DiffPercent = finite(cc.Measures[j].DiffPercent)
		}
		for j := range cc.ByType {
			cc.ByType[j].DiffPercent = finite(cc.ByType[j].DiffPercent)
		}
		v.Versions[i] = &cc
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func finite(f float64) float64 {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return 0
	}
	return f
}

// WriteText writes vc as three tables: peak and final per version, CPython
// beside the model; the change from the first version; and the live
// objects by type on each version.
func (vc *VersionComparison) WriteText(w io.Writer) error {
	var names []string
	for _, c := range vc.Versions {
		names = append(names, versionOf(c))
	}
	fmt.Fprintf(w, "%s on %s (allocator %s): the real CPython (tracemalloc) and the heaptrace model, side by side\n",
		vc.Script, strings.Join(names, ", "), vc.Allocator)
	for _, c := range vc.Versions {
		if c.CPythonMissing != "" {
			fmt.Fprintf(w, "note: %s: model only (%s)\n", c.Profile, c.CPythonMissing)
		}
		if c.CPythonError != "" || c.ModelError != "" {
			fmt.Fprintf(w, "note: %s: the script raised: CPython %q, model %q (figures up to there)\n", c.Profile, c.CPythonError, c.ModelError)
		}
	}
	cpy := func(c *Comparison, v int64) string {
		if c.CPythonMissing != "" {
			return "-"
		}
		return analyze.Bytes(v)
	}
	diff := func(c *Comparison, m CompareMeasure) string {
		if c.CPythonMissing != "" {
			return "-"
		}
		return percent(m.DiffPercent)
	}
	var rows [][]string
	for _, c := range vc.Versions {
		p, f := c.Measure("peak traced bytes"), c.Measure("final traced bytes")
		rows = append(rows, []string{c.Python, cpy(c, p.CPython), analyze.Bytes(p.Model), diff(c, p),
			cpy(c, f.CPython), analyze.Bytes(f.Model), diff(c, f)})
	}
	analyze.Table(w, []string{"Python", "Peak, CPython", "Peak, model", "Difference", "Final, CPython", "Final, model", "Difference"}, rows)

	if len(vc.Versions) > 1 {
		base := vc.Versions[0]
		fmt.Fprintf(w, "\nChange from %s (%s)\n", base.Python, base.Profile)
		change := func(c *Comparison, measure string, cpython bool) string {
			b, m := base.Measure(measure), c.Measure(measure)
			if cpython {
				if c.CPythonMissing != "" || base.CPythonMissing != "" {
					return "-"
				}
				return signedChange(b.CPython, m.CPython)
			}
			return signedChange(b.Model, m.Model)
		}
		rows = rows[:0]
		for _, c := range vc.Versions[1:] {
			rows = append(rows, []string{c.Python,
				change(c, "peak traced bytes", true), change(c, "peak traced bytes", false),
				change(c, "final traced bytes", true), change(c, "final traced bytes", false)})
		}
		analyze.Table(w, []string{"Python", "Peak, CPython", "Peak, model", "Final, CPython", "Final, model"}, rows)
	}

	useCPython := vc.allMeasured()
	whose := "CPython's figures"
	if !useCPython {
		whose = "the model's figures: not every version was measured"
	}
	fmt.Fprintf(w, "\nLive at the end, by type (sys.getsizeof of the objects reachable from the script's globals; %s)\n", whose)
	header := []string{"Type"}
	for i, c := range vc.Versions {
		header = append(header, versionOf(c)+" objects", versionOf(c)+" bytes")
		if i > 0 {
			header = append(header, "change")
		}
	}
	rows = rows[:0]
	for _, t := range vc.ByType {
		row := []string{t.Type}
		var first int64
		for i, f := range t.Versions {
			n, b := f.ModelCount, f.ModelBytes
			if useCPython {
				n, b = f.CPythonCount, f.CPythonBytes
			}
			row = append(row, analyze.Count(int64(n)), analyze.Bytes(b))
			if i == 0 {
				first = b
			} else {
				row = append(row, signedChange(first, b))
			}
		}
		rows = append(rows, row)
	}
	analyze.Table(w, header, rows)
	return nil
}

// versionOf returns the Python version c's profile models, e.g. "3.12".
func versionOf(c *Comparison) string { return strings.TrimPrefix(c.Profile, "cpython-") }

// signedChange formats the change from a to b: "+1.5 KiB (+3.2%)", "0".
func signedChange(a, b int64) string {
	d := b - a
	if d == 0 {
		return "0"
	}
	sign := "+"
	if d < 0 {
		sign = ""
	}
	if a == 0 {
		return sign + analyze.Bytes(d) + " (new)"
	}
	return fmt.Sprintf("%s%s (%+.1f%%)", sign, analyze.Bytes(d), 100*float64(d)/float64(a))
}
