// This file defines the pprof export: a heap profile by call stack, in the
// profile.proto format that `go tool pprof` and other pprof tools read.

package export

import (
	"fmt"
	"io"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/google/pprof/profile"
	"github.com/heaptrace/heaptrace/analyze"
	"github.com/heaptrace/heaptrace/format"
)

// The profile's sample types, in the order of each sample's values. The
// first four are those of Go's heap profiles, so pprof's -alloc_space,
// -inuse_objects, ... select them; peak_* is what was live at the object
// layer's peak (tracemalloc's peak), and is the default.
var pprofSampleTypes = []*profile.ValueType{
	{Type: "alloc_objects", Unit: "count"},
	{Type: "alloc_space", Unit: "bytes"},
	{Type: "inuse_objects", Unit: "count"},
	{Type: "inuse_space", Unit: "bytes"},
	{Type: "peak_objects", Unit: "count"},
	{Type: "peak_space", Unit: "bytes"},
}

// DefaultSampleType is the sample type that pprof shows unless told
// otherwise: the bytes live at tracemalloc's peak.
const DefaultSampleType = "peak_space"

// siteRE splits a site label, "function (file:line)".
var siteRE = regexp.MustCompile(`^(.*) \((.*):(\d+)\)$`)

// parseSite returns the function, file and line of a site label. A site
// that is not "function (file:line)" is a function of that name. A
// function whose name is in angle brackets ("<module>", "<lambda>",
// "<listcomp>") is qualified by its file's name ("<module> words.py"): pprof
// shows a bare "<module>" as "<unknown>", and the module level of every
// file would be one function.
func parseSite(site string) (fn, file string, line int64) {
	m := siteRE.FindStringSubmatch(site)
	if m == nil {
		return site, "", 0
	}
	fn, file = m[1], m[2]
	line, _ = strconv.ParseInt(m[3], 10, 64)
	if isSpecial(fn) {
		fn += " " + path.Base(file)
	}
	return fn, file, line
}

// isSpecial reports whether a Python function name is one in angle
// brackets. pprof takes angle brackets for C++ template arguments and
// removes them from a name unless its system name differs, so such
// functions get the bare name as their system name.
func isSpecial(fn string) bool { return strings.HasPrefix(fn, "<") && strings.Contains(fn, ">") }

// writePprof writes a heap profile of the trace: one sample per call
// stack and type (label "type"), with each sample type's value.
func writePprof(w io.Writer, r *format.Reader, path, name string, opts Options) (uint64, error) {
	rep, err := analyze.Run(r, name, analyze.Options{Reports: []string{"summary"}, Progress: opts.progress("analyze"), MaxMemory: opts.MaxMemory})
	if err != nil {
		return 0, asMemoryError(err)
	}
	r2, err := format.Open(path)
	if err != nil {
		return 0, err
	}
	defer r2.Close()
	h := r2.Header()
	p := newReplay(h, true)
	p.name, p.limit = name, opts.MaxMemory
	events, err := p.run(r2, []uint64{rep.PeakSeq}, func(int) { p.snapshot() }, opts.progress("profile"))
	if err != nil {
		return events, err
	}
	prof := buildProfile(p, h, rep)
	if err := prof.CheckValid(); err != nil {
		return events, fmt.Errorf("pprof: %w", err)
	}
	return events, prof.Write(w)
}

// buildProfile makes the profile of a finished replay.
func buildProfile(p *replay, h format.Header, rep *analyze.Report) *profile.Profile {
	prof := &profile.Profile{
		SampleType:        pprofSampleTypes,
		DefaultSampleType: DefaultSampleType,
		PeriodType:        &profile.ValueType{Type: "space", Unit: "bytes"},
		Period:            1,
		Comments: []string{
			"heaptrace heap profile of " + rep.Trace,
			fmt.Sprintf("workload %s, profile %s, %d events", h.Meta.Workload, h.Meta.Profile, rep.Events),
			fmt.Sprintf("peak_* is what was live at the peak: %d bytes at event %d", rep.PeakBytes, rep.PeakSeq),
		},
	}
	// one mapping, the workload, whose functions are all known: pprof
	// then neither looks for a binary nor symbolizes
	m := &profile.Mapping{ID: 1, File: h.Meta.Workload, HasFunctions: true, HasFilenames: true, HasLineNumbers: true}
	prof.Mapping = []*profile.Mapping{m}
	type fnKey struct{ name, file string }
	funcs := map[fnKey]*profile.Function{}
	locs := map[uint32]*profile.Location{}
	location := func(site uint32) *profile.Location {
		if l, ok := locs[site]; ok {
			return l
		}
		fn, file, line := parseSite(h.Sites[site])
		f, ok := funcs[fnKey{fn, file}]
		if !ok {
			system := fn
			if isSpecial(fn) {
				system, _, _ = strings.Cut(fn, " ")
			}
			f = &profile.Function{ID: uint64(len(prof.Function) + 1), Name: fn, SystemName: system, Filename: file}
			funcs[fnKey{fn, file}] = f
			prof.Function = append(prof.Function, f)
		}
		l := &profile.Location{ID: uint64(len(prof.Location) + 1), Mapping: m, Line: []profile.Line{{Function: f, Line: line}}}
		locs[site] = l
		prof.Location = append(prof.Location, l)
		return l
	}
	for i, t := range p.tallies {
		if t.allocs == 0 && t.live == 0 && t.peak == 0 {
			continue // a stack that allocated nothing and holds nothing
		}
		k := p.tkeys[i]
		s := &profile.Sample{
			Value: []int64{t.allocs, t.allocBytes, t.live, t.liveBytes, t.peak, t.peakBytes},
			Label: map[string][]string{"type": {h.Types[k.typ]}},
		}
		for _, site := range p.stacks.sites(k.stack) {
			s.Location = append(s.Location, location(site))
		}
		prof.Sample = append(prof.Sample, s)
	}
	return prof
}
