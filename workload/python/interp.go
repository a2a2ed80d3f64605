package python

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"time"

	"github.com/heaptrace/heaptrace/model"
	"github.com/heaptrace/heaptrace/model/pyobj"
	"github.com/heaptrace/heaptrace/workload/python/syntax"
)

// Program is a parsed and compiled script.
type Program struct {
	file    *syntax.File
	module  *Code
	codes   map[syntax.Node]*Code
	formats map[*syntax.BinOp]*syntax.JoinedStr // %-formats the AST optimizer makes f-strings
	inline  bool                                // compiled with comprehensions inlined
}

// Parse parses and compiles a script. Errors are *syntax.Error values
// ("file:line:col: message", or "...: unsupported: what").
func Parse(name string, src []byte) (*Program, error) {
	f, err := syntax.Parse(name, src)
	if err != nil {
		return nil, err
	}
	mod, codes, formats, err := compile(f, false)
	if err != nil {
		return nil, err
	}
	return &Program{file: f, module: mod, codes: codes, formats: formats}, nil
}

// forProfile returns p compiled for profile's behaviours: p itself, or p
// compiled again with comprehensions inlined or not.
func (p *Program) forProfile(profile *pyobj.Profile) (*Program, error) {
	if p.inline == profile.InlineComprehensions {
		return p, nil
	}
	mod, codes, formats, err := compile(p.file, profile.InlineComprehensions)
	if err != nil {
		return nil, err
	}
	return &Program{file: p.file, module: mod, codes: codes, formats: formats, inline: profile.InlineComprehensions}, nil
}

// Name returns the script's file name.
func (p *Program) Name() string { return p.file.Name }

// Options bound and direct a run.
type Options struct {
	Stdout         io.Writer     // where print writes; nil discards
	MaxEvents      uint64        // stop after this many heap events (0: no limit)
	Timeout        time.Duration // stop after this long (0: no limit)
	RecursionLimit int           // sys.getrecursionlimit(); 0 means 1000
	// Stop, when closed, stops the run at the next statement with an error
	// wrapping ErrInterrupted (record closes it on SIGINT and SIGTERM).
	Stop <-chan struct{}
	// Setup is a program run during Declare, in the same globals, before
	// measuring starts: what it leaves (objects, free lists) exists before
	// the script as state prepared before tracemalloc.start() would.
	Setup *Program
}

// ErrLimit is wrapped by the errors that stop a run at --max-events or
// --timeout.
var ErrLimit = errors.New("limit reached")

// ErrInterrupted is wrapped by the error that stops a run when
// Options.Stop is closed.
var ErrInterrupted = errors.New("interrupted")

// ErrInternal is wrapped by the error a run returns when the interpreter
// broke one of its own invariants (a bug): the user gets an error, never
// a Go stack trace, and the trace up to there is kept.
var ErrInternal = errors.New("heaptrace internal error (please report it)")

// Interp runs one program on one heap.
type Interp struct {
	prog  *Program
	o     *pyobj.Objects
	h     *model.Heap
	opts  Options
	start time.Time
	steps uint64

	globals  *Dict
	builtins map[string]Value
	modules  map[string]*Module

	smallInts  [262]*Int
	latin1     [256]*Str
	byteChars  [256]*Bytes
	emptyStr   *Str
	emptyTuple *Tuple
	emptyBytes *Bytes
	consts     map[syntax.Expr]Value
	interned   map[string]*Str
	sliceCache *sliceObj

	frames []*Frame
	// classOnce: a class was made, and with it the blocks every later
	// class shares (Profile.ClassOnceBlocks)
	classOnce bool
	runs      map[syntax.Node]int // executions of adaptive instructions not yet specialised
	// noArgsTuple: the calls that 3.11 makes with an args tuple and this
	// profile without (Profile.NoArgsTuple)
	noArgsTuple map[string]bool
	exc         excTypes
	gc          gcState
}

// Declare prepares prog to run on o's heap: it registers every type name
// and every source site (a site is "function (file:line)"), then builds
// the state that exists before tracing starts in a CPython measurement:
// the globals dict holding __builtins__ and __name__. The caller records
// the events of Declare as set-up, not as the script's.
func (p *Program) Declare(o *pyobj.Objects, opts Options) (*Interp, error) {
	if opts.RecursionLimit == 0 {
		opts.RecursionLimit = 1000
	}
	p, err := p.forProfile(&o.Profile)
	if err != nil {
		return nil, err
	}
	if opts.Setup != nil {
		if opts.Setup, err = opts.Setup.forProfile(&o.Profile); err != nil {
			return nil, err
		}
	}
	in := &Interp{prog: p, o: o, h: o.Heap, opts: opts, consts: map[syntax.Expr]Value{}, modules: map[string]*Module{}}
	for _, t := range pyobj.Types() {
		in.h.Type(t)
	}
	names := slices.Sorted(maps.Keys(o.Profile.FixedSizes))
	for _, t := range names {
		in.h.Type(t)
	}
	in.h.Type("instance.values")
	in.h.Type("buffer") // C char buffers (a float's digits)
	codes := []*Code{p.module}
	for _, c := range p.codes {
		codes = append(codes, c)
	}
	sort.Slice(codes, func(i, j int) bool {
		if codes[i].pos.Line != codes[j].pos.Line {
			return codes[i].pos.Line < codes[j].pos.Line
		}
		return codes[i].pos.Col < codes[j].pos.Col
	})
	for _, c := range codes {
		c.sites = map[int]model.SiteID{}
		for _, line := range c.siteLines {
			c.sites[line] = in.h.Site(fmt.Sprintf("%s (%s:%d)", c.qualname, c.file, line))
		}
		if c.kind == codeClass {
			in.h.Type(c.name)
		}
	}
	for i := range in.smallInts {
		in.smallInts[i] = &Int{Obj: Obj{static: true}, v: int64(i - 5)}
	}
	for i := range in.latin1 {
		in.latin1[i] = staticStr(string(rune(i)))
	}
	for i := range in.byteChars {
		in.byteChars[i] = &Bytes{Obj{static: true}, string([]byte{byte(i)})}
	}
	in.emptyStr = staticStr("")
	in.emptyTuple = &Tuple{Obj: Obj{static: true}}
	in.emptyBytes = &Bytes{Obj: Obj{static: true}}
	in.exc = newExcTypes()
	in.builtins = in.makeBuiltins()
	in.gc.init(o.Profile.GCThresholds, o.Profile.GCAtEvalBreaker)
	in.noArgsTuple = map[string]bool{}
	for _, name := range o.Profile.NoArgsTuple {
		in.noArgsTuple[name] = true
	}

	in.globals, err = in.newDict()
	if err != nil {
		return nil, err
	}
	for _, k := range []string{"__builtins__", "__name__"} {
		if err := in.dictSet(in.globals, staticStr(k), None); err != nil {
			return nil, err
		}
	}
	// the measurement's gc.collect() before tracing: the collector's
	// counts start at zero (the free lists are empty already)
	in.gc.count = [3]int{}
	// start-up code has sliced (the harness's own path[:i]): the
	// one-entry slice cache holds an untraced slice, which gc.collect()
	// does not free
	if err := in.prefillSliceCache(); err != nil {
		return nil, err
	}
	if opts.Setup != nil {
		if err := in.runSetup(opts.Setup); err != nil {
			return nil, err
		}
	}
	return in, nil
}

// Run executes the script. Like exec() in CPython it makes a function
// object for the module's code, which lives until the end. An uncaught
// Python exception is returned as a *PyError with its traceback; a limit
// as an error wrapping ErrLimit.
func (in *Interp) Run() (err error) {
	defer func() {
		if r := recover(); r != nil {
			line := 0
			if n := len(in.frames); n > 0 {
				line = in.frames[n-1].line
			}
			err = fmt.Errorf("%w: line %d: %v", ErrInternal, line, r)
		}
	}()
	in.start = time.Now()
	fn, ferr := in.fixed("function")
	if ferr != nil {
		return ferr
	}
	fr := &Frame{code: in.prog.module, globals: in.globals}
	in.setSite(fr, 1)
	_, err = in.runFrame(fr, func() (ctl, error) { return in.execBlock(fr, in.prog.module.body) })
	in.freeFixed("function", fn)
	if err == nil {
		// exec() returns to a CALL, which checks the eval breaker: a
		// collection the script scheduled runs now (3.12+)
		in.evalBreaker()
	}
	return err
}

// runSetup runs a set-up program in the script's globals.
func (in *Interp) runSetup(p *Program) error {
	for n, c := range p.codes {
		in.prog.codes[n] = c
	}
	for _, c := range append([]*Code{p.module}, codesOf(p)...) {
		c.sites = map[int]model.SiteID{}
	}
	fr := &Frame{code: p.module, globals: in.globals}
	_, err := in.runFrame(fr, func() (ctl, error) { return in.execBlock(fr, p.module.body) })
	return err
}

func codesOf(p *Program) []*Code {
	out := make([]*Code, 0, len(p.codes))
	for _, c := range p.codes {
		out = append(out, c)
	}
	return out
}

// setSite makes (the frame's code, line) the current site.
func (in *Interp) setSite(fr *Frame, line int) {
	fr.line = line
	if id, ok := fr.code.sites[line]; ok {
		in.h.SetSite(id)
	}
}

// checkLimits is called on every statement.
func (in *Interp) checkLimits() error {
	in.steps++
	if err := in.h.CheckErr(); err != nil {
		return fmt.Errorf("model invariant broken (--check): %w", err)
	}
	if in.opts.MaxEvents > 0 && in.h.Events() > in.opts.MaxEvents {
		return fmt.Errorf("stopped after %d events (--max-events): %w", in.opts.MaxEvents, ErrLimit)
	}
	if in.opts.Timeout > 0 && in.steps%1024 == 0 && time.Since(in.start) > in.opts.Timeout {
		return fmt.Errorf("stopped after %v (--timeout): %w", in.opts.Timeout, ErrLimit)
	}
	if in.opts.Stop != nil && in.steps%256 == 0 {
		select {
		case <-in.opts.Stop:
			return fmt.Errorf("stopped by a signal after %d events: %w", in.h.Events(), ErrInterrupted)
		default:
		}
	}
	return nil
}

// Lines returns the script's source lines, for tracebacks.
func (p *Program) Lines() []string { return p.file.Lines }
