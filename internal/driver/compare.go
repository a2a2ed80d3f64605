package driver

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"

	"github.com/heaptrace/heaptrace/analyze"
	"github.com/heaptrace/heaptrace/internal/cpython"
	"github.com/heaptrace/heaptrace/model"
	"github.com/heaptrace/heaptrace/model/pyobj"
	"github.com/heaptrace/heaptrace/workload/python"
)

// Comparison sets the real CPython's tracemalloc figures for a script
// beside the model's. Its JSON form is documented in the README.
type Comparison struct {
	Script       string           `json:"script"`
	Python       string           `json:"python"`
	Profile      string           `json:"profile"`
	Allocator    string           `json:"allocator"`
	Measures     []CompareMeasure `json:"measures"`
	ByType       []CompareType    `json:"by_type"`
	CPythonError string           `json:"cpython_error,omitempty"`
	ModelError   string           `json:"model_error,omitempty"`
	// CPythonMissing says why there are no CPython figures (its fields
	// are then zero): CompareVersions found no interpreter of that version.
	CPythonMissing string `json:"cpython_missing,omitempty"`
}

// CompareMeasure is one figure on both sides; DiffPercent is the model's
// difference from CPython, in percent of CPython's figure.
type CompareMeasure struct {
	Measure     string  `json:"measure"`
	CPython     int64   `json:"cpython"`
	Model       int64   `json:"model"`
	DiffPercent float64 `json:"diff_percent"`
}

// CompareType is one type's live objects at the end, reachable from the
// script's globals (count and sys.getsizeof bytes), on both sides.
type CompareType struct {
	Type         string  `json:"type"`
	CPythonCount int     `json:"cpython_count"`
	CPythonBytes int64   `json:"cpython_bytes"`
	ModelCount   int     `json:"model_count"`
	ModelBytes   int64   `json:"model_bytes"`
	DiffPercent  float64 `json:"diff_percent"`
}

func diffPercent(cpy, model int64) float64 {
	if cpy == 0 {
		if model == 0 {
			return 0
		}
		return math.Inf(1)
	}
	return 100 * float64(model-cpy) / float64(cpy)
}

// Compare runs script (its text in src) on the interpreter ip and on the
// model with the same method: the globals dict made first, free lists
// empty, measuring from the first statement; exec's function object in
// the peak. profile should model ip's version; cfg is the model's heap
// (zero: model.DefaultConfig()), and without pymalloc CPython runs with
// PYTHONMALLOC=malloc too.
func Compare(ctx context.Context, ip cpython.Interpreter, script string, src []byte, profile pyobj.Profile, cfg model.Config) (*Comparison, error) {
	return compare(ctx, &ip, "", script, src, profile, cfg)
}

// compare is Compare, and without an interpreter (ip nil) the model's
// side only, missing saying why.
func compare(ctx context.Context, ip *cpython.Interpreter, missing, script string, src []byte, profile pyobj.Profile, cfg model.Config) (*Comparison, error) {
	p, err := python.Parse(script, src)
	if err != nil {
		return nil, err
	}
	if profile.Name == "" {
		profile = pyobj.CPython311()
	}
	if cfg == (model.Config{}) {
		cfg = model.DefaultConfig()
	}
	real := &cpython.Measurement{Python: profile.Version}
	if ip != nil {
		run := *ip
		if !cfg.UsePymalloc {
			run.Env = append(append([]string(nil), run.Env...), "PYTHONMALLOC=malloc")
		}
		if real, err = run.Measure(ctx, script); err != nil {
			return nil, err
		}
	}
	// stop is closed by the goroutine alone: closing it here as well, when
	// the context ended just as the run did, closed it twice (a panic)
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			close(stop)
		case <-done:
		}
	}()
	mod, err := Measure(p, python.Options{Stop: stop}, profile, cfg)
	close(done)
	if err != nil {
		return nil, err
	}
	c := &Comparison{Script: script, Python: real.Python, Profile: profile.Name, Allocator: AllocatorOf(cfg), CPythonMissing: missing}
	if real.Error != nil {
		c.CPythonError = real.Error.Error()
	}
	if mod.RunErr != nil {
		c.ModelError = mod.RunErr.Error()
	}
	add := func(name string, cpy, mod int64) {
		c.Measures = append(c.Measures, CompareMeasure{name, cpy, mod, diffPercent(cpy, mod)})
	}
	add("peak traced bytes", real.Peak, mod.Peak)
	add("final traced bytes", real.Current, mod.Current)
	add("live allocations", int64(real.Blocks), int64(mod.Blocks))
	types := map[string]bool{}
	for t := range real.ByType {
		types[t] = true
	}
	for t := range mod.ByType {
		types[t] = true
	}
	for t := range types {
		r, m := real.ByType[t], mod.ByType[t]
		c.ByType = append(c.ByType, CompareType{t, r.Count, r.Bytes, m.Count, m.Bytes, diffPercent(r.Bytes, m.Bytes)})
	}
	sort.Slice(c.ByType, func(i, j int) bool {
		a, b := c.ByType[i], c.ByType[j]
		if a.CPythonBytes != b.CPythonBytes {
			return a.CPythonBytes > b.CPythonBytes
		}
		return a.Type < b.Type
	})
	return c, nil
}

// Measure returns the comparison of the named measure ("peak traced
// bytes", "final traced bytes", "live allocations").
func (c *Comparison) Measure(name string) CompareMeasure {
	for _, m := range c.Measures {
		if m.Measure == name {
			return m
		}
	}
	return CompareMeasure{}
}

// WriteJSON writes c as one JSON object (an infinite difference, where
// CPython has zero, is written as null).
func (c *Comparison) WriteJSON(w io.Writer) error {
	type out Comparison
	cc := *c
	fix := func(f *float64) {
		if math.IsInf(*f, 0) || math.IsNaN(*f) {
			*f = 0
		}
	}
	cc.Measures = append([]CompareMeasure(nil), c.Measures...)
	cc.ByType = append([]CompareType(nil), c.ByType...)
	for i := range cc.Measures {
		fix(&cc.Measures[i].DiffPercent)
	}
	for i := range cc.ByType {
		fix(&cc.ByType[i].DiffPercent)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out(cc))
}

// WriteText writes c as two tables.
func (c *Comparison) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "%s: CPython %s (tracemalloc) and the heaptrace model (%s, %s), side by side\n", c.Script, c.Python, c.Profile, c.Allocator)
	if c.CPythonError != "" || c.ModelError != "" {
		fmt.Fprintf(w, "the script raised: CPython %q, model %q (figures up to there)\n", c.CPythonError, c.ModelError)
	}
	rows := make([][]string, 0, len(c.Measures))
	for _, m := range c.Measures {
		cv, mv := analyze.Bytes(m.CPython), analyze.Bytes(m.Model)
		if m.Measure == "live allocations" {
			cv, mv = analyze.Count(m.CPython), analyze.Count(m.Model)
		}
		rows = append(rows, []string{m.Measure, cv, mv, percent(m.DiffPercent)})
	}
	analyze.Table(w, []string{"Measure", "CPython", "Model", "Difference"}, rows)
	fmt.Fprintf(w, "\nLive at the end, by type (sys.getsizeof of the objects reachable from the script's globals)\n")
	rows = rows[:0]
	for _, t := range c.ByType {
		rows = append(rows, []string{t.Type, analyze.Count(int64(t.CPythonCount)), analyze.Bytes(t.CPythonBytes),
			analyze.Count(int64(t.ModelCount)), analyze.Bytes(t.ModelBytes), percent(t.DiffPercent)})
	}
	analyze.Table(w, []string{"Type", "CPython objects", "CPython bytes", "Model objects", "Model bytes", "Difference"}, rows)
	return nil
}

func percent(p float64) string {
	if math.IsInf(p, 0) {
		return "new"
	}
	return fmt.Sprintf("%+.1f%%", p)
}
