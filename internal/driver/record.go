package driver

import (
	"errors"
	"fmt"
	"os"

	"github.com/heaptrace/heaptrace/format"
	"github.com/heaptrace/heaptrace/model"
	"github.com/heaptrace/heaptrace/model/pyobj"
	"github.com/heaptrace/heaptrace/recorder"
	"github.com/heaptrace/heaptrace/workload/python"
	"github.com/heaptrace/heaptrace/workload/synthetic"
)

// ToolVersion is written into every trace; the command sets it.
var ToolVersion = "dev"

// Workload is something that runs on the heap: a synthetic pattern or a
// Python script.
type Workload interface {
	// Name is written into the trace's metadata.
	Name() string
	// Declare registers every type and site the workload will use with
	// o's heap and returns the function that runs it.
	Declare(o *pyobj.Objects) (run func() error, err error)
}

// RecordOptions say where and how to record.
type RecordOptions struct {
	Out         string             // the trace file to write
	Compression format.Compression // default none
	Level       format.Level       // how hard to compress; default format.LevelDefault
	BatchSize   int                // events per batch; 0: the recorder's default
	Config      model.Config       // zero value: model.DefaultConfig()
	Profile     pyobj.Profile      // zero value: pyobj.CPython311()
	HeapLimit   int64              // requests past this many bytes fail (MemoryError); 0: none
	Check       bool               // verify the heap's invariants after every request (slow)
}

// Result sums up a recording.
type Result struct {
	Events    uint64
	Stats     model.Stats // the heap at the end
	FileBytes int64
	RunErr    error    // the workload's own error (the trace is still complete)
	Notes     []string // what the workload has to say at the end
}

// noter is a workload with something to report after its run.
type noter interface {
	Notes() []string
}

// Record runs w on a fresh heap and writes every event to opts.Out. The
// file is created only once the workload has declared itself, so a
// workload that cannot start (a script with a syntax error) leaves no file.
// An error from the workload's run does not spoil the trace: it is closed
// properly and the error is returned in Result.RunErr.
func Record(w Workload, opts RecordOptions) (Result, error) {
	if opts.Config == (model.Config{}) {
		opts.Config = model.DefaultConfig()
	}
	if opts.Profile.Name == "" {
		opts.Profile = pyobj.CPython311()
	}
	h, err := model.NewHeap(opts.Config, nil)
	if err != nil {
		return Result{}, err
	}
	o := pyobj.New(h, opts.Profile)
	if opts.HeapLimit > 0 {
		h.SetLimit(opts.HeapLimit)
	}
	h.SetCheck(opts.Check)
	// What Declare builds exists before measuring starts: its events go
	// first in the trace, counted as set-up (format.Meta.SetupEvents).
	var setup []model.Event
	h.SetObserver(model.ObserverFunc(func(e model.Event) { setup = append(setup, e) }))
	run, err := w.Declare(o)
	h.SetObserver(nil)
	if err != nil {
		return Result{}, err
	}
	params, err := Params(opts.Config, opts.Profile)
	if err != nil {
		return Result{}, err
	}
	hdr := format.Header{
		Meta: format.Meta{
			Profile:     opts.Profile.Name,
			Workload:    w.Name(),
			ToolVersion: ToolVersion,
			Params:      params,
			SetupEvents: uint64(len(setup)),
		},
		Types: h.TypeNames(),
		Sites: h.SiteNames(),
	}
	f, err := os.Create(opts.Out)
	if err != nil {
		return Result{}, err
	}
	var ropts []recorder.Option
	if opts.BatchSize > 0 {
		ropts = append(ropts, recorder.WithBatchSize(opts.BatchSize))
	}
	ropts = append(ropts, recorder.WithCompression(opts.Compression), recorder.WithLevel(opts.Level))
	rec, err := recorder.New(f, hdr, ropts...)
	if err != nil {
		f.Close()
		os.Remove(opts.Out)
		return Result{}, fmt.Errorf("record %s: %w", opts.Out, err)
	}
	for _, e := range setup {
		rec.Observe(e)
	}
	h.SetObserver(rec)
	runErr := run()
	if cerr := h.CheckErr(); cerr != nil && runErr == nil {
		runErr = fmt.Errorf("model invariant broken (--check): %w", cerr)
	}
	h.SetObserver(nil)
	res := Result{Events: rec.Events(), Stats: h.Stats(), RunErr: runErr}
	if n, ok := w.(noter); ok {
		res.Notes = n.Notes()
	}
	err = errors.Join(rec.Close(), f.Close())
	if err != nil {
		return res, fmt.Errorf("record %s: %w", opts.Out, err)
	}
	if fi, err := os.Stat(opts.Out); err == nil {
		res.FileBytes = fi.Size()
	}
	return res, nil
}

// Synthetic adapts a synthetic workload at a scale (0: its default).
func Synthetic(w *synthetic.Workload, scale int) Workload { return syntheticWorkload{w, scale} }

type syntheticWorkload struct {
	w     *synthetic.Workload
	scale int
}

func (s syntheticWorkload) Name() string { return s.w.Name }

func (s syntheticWorkload) Declare(o *pyobj.Objects) (func() error, error) {
	r := s.w.Declare(o)
	return func() error { return r.Do(s.scale) }, nil
}

// Python adapts a parsed script.
func Python(p *python.Program, opts python.Options) Workload {
	return &pythonWorkload{p: p, opts: opts}
}

type pythonWorkload struct {
	p    *python.Program
	opts python.Options
	in   *python.Interp
}

func (w *pythonWorkload) Name() string { return w.p.Name() }

func (w *pythonWorkload) Declare(o *pyobj.Objects) (func() error, error) {
	in, err := w.p.Declare(o, w.opts)
	if err != nil {
		return nil, err
	}
	w.in = in
	return in.Run, nil
}

// Notes reports objects that only reference cycles keep alive at the end.
func (w *pythonWorkload) Notes() []string {
	if w.in == nil {
		return nil
	}
	if n := w.in.LiveInCycles(); n > 0 {
		return []string{fmt.Sprintf("%d objects are live at the end only because of reference cycles (the cyclic collector had not reached them)", n)}
	}
	return nil
}

// Measurement is what tracemalloc would report for a script on the model.
type Measurement struct {
	Current, Peak int64 // tracemalloc's current and peak
	Blocks        int   // live traced allocations at the end
	ByType        map[string]python.TypeSize
	RunErr        error // the script's own error, if it raised
}

// Measure runs a script on a fresh heap of cfg (zero:
// model.DefaultConfig()), without a trace file, and returns tracemalloc's
// figures for it: the globals dict exists before measuring starts, as in
// internal/cpython's harness.
func Measure(p *python.Program, opts python.Options, profile pyobj.Profile, cfg model.Config) (*Measurement, error) {
	if profile.Name == "" {
		profile = pyobj.CPython311()
	}
	if cfg == (model.Config{}) {
		cfg = model.DefaultConfig()
	}
	tm := model.NewTracemalloc()
	h, err := model.NewHeap(cfg, tm)
	if err != nil {
		return nil, err
	}
	in, err := p.Declare(pyobj.New(h, profile), opts)
	if err != nil {
		return nil, err
	}
	tm.Start()
	runErr := in.Run()
	return &Measurement{Current: tm.Current(), Peak: tm.Peak(), Blocks: tm.Blocks(), ByType: in.ReachableByType(), RunErr: runErr}, nil
}
