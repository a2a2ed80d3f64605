package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/heaptrace/heaptrace/analyze"
	"github.com/heaptrace/heaptrace/format"
	"github.com/heaptrace/heaptrace/internal/driver"
	"github.com/spf13/cobra"
)

// exitThreshold is the exit status when a --fail-if threshold is crossed.
const exitThreshold = 3

type analyzeOptions struct {
	reports []string // none: all
	json    bool
	csv     bool
	points  int
	top     int
	typ     string
	site    string
	failIf  []string
	maxMem  string // --max-memory; "": driver.DefaultMaxMemory
	bounded bool
	stderr  io.Writer // progress bar and warnings; nil: neither
}

func newAnalyzeCmd() *cobra.Command {
	opts := analyzeOptions{}
	cmd := &cobra.Command{
		Use:   "analyze [REPORT...] FILE",
		Short: "Report what used the memory of a trace, when, where in the code, and what was never given back",
		Long: `analyze replays a trace and prints the reports named (all of them when
none is named), computed together in one pass:

  summary        events, allocations and frees, peak and final at each layer
  types          per object type: allocations, frees, bytes, live at the peak and at the end
  peak           the peak at each layer, and what was live at the object-layer peak
  growth         the heap over the run, in all and per type
  leaks          what is still live at the end, by site and type
  sites          the sites and call stacks that allocated most, and held most at the peak
  sizes          requests by size class, and who served them
  lifetimes      how many events objects live, by type; temporary allocations by site
  fragmentation  pymalloc's arena and pool use; arenas kept mapped by one block`,
		Example: `  heaptrace analyze trace.arrow
  heaptrace analyze leaks sites --top 5 trace.arrow
  heaptrace analyze --json types trace.arrow
  heaptrace analyze --csv growth --type 'list*' trace.arrow
  heaptrace analyze --fail-if 'peak>64MiB' trace.arrow`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError("analyze takes a trace file, after the reports if any; see %s --help", cmd.CommandPath())
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.reports = args[:len(args)-1]
			opts.stderr = cmd.ErrOrStderr()
			return runAnalyze(cmd.OutOrStdout(), args[len(args)-1], opts)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.json, "json", false, "print the reports as one JSON object (keys documented in the README)")
	f.BoolVar(&opts.csv, "csv", false, "print one report's main table as CSV (name the report)")
	f.IntVar(&opts.points, "points", 100, "at most this many points in each growth curve (at least 4)")
	f.IntVar(&opts.top, "top", 10, "rows of each table (0: all)")
	f.StringVar(&opts.typ, "type", "", "only object-layer allocations of this type (a name or a glob: 'list*')")
	f.StringVar(&opts.site, "site", "", "only object-layer allocations at sites containing this text ('words.py:12')")
	f.StringArrayVar(&opts.failIf, "fail-if", nil, "exit with status 3 when this holds, e.g. 'peak>64MiB', 'os.peak>200MiB', 'type:list.final>1MiB' (repeatable)")
	f.StringVar(&opts.maxMem, "max-memory", "", "stop with an error when the table of live objects would need more than this, e.g. 4GiB (0: no bound; default: half of this machine's or container's memory)")
	f.BoolVar(&opts.bounded, "bounded", false, "keep no memory per live object: take what each free ends from its row (summary, types, peak by type, growth, sizes, fragmentation; frees not checked)")
	return cmd
}

// maxMemory parses --max-memory.
func maxMemory(s string) (int64, error) {
	if s == "" {
		return driver.DefaultMaxMemory(), nil
	}
	n, err := parseSize(s)
	if err != nil {
		return 0, usageError("--max-memory: %v", err)
	}
	return n, nil
}

// checkReports checks the report names of a command line.
func checkReports(names []string) error {
	for _, n := range names {
		found := false
		for _, r := range analyze.ReportNames {
			found = found || r == n
		}
		if !found {
			return usageError("unknown report %q: the reports are %s", n, strings.Join(analyze.ReportNames, ", "))
		}
	}
	return nil
}

// parseThresholds parses --fail-if flags.
func parseThresholds(exprs []string) ([]analyze.Threshold, error) {
	var ts []analyze.Threshold
	for _, e := range exprs {
		t, err := analyze.ParseThreshold(e)
		if err != nil {
			return nil, &exitError{exitUsage, err}
		}
		ts = append(ts, t)
	}
	return ts, nil
}

// thresholdError is the error of crossed thresholds, with its exit status.
func thresholdError(results []analyze.ThresholdResult) error {
	crossed := analyze.Crossed(results)
	if len(crossed) == 0 {
		return nil
	}
	return &exitError{exitThreshold, fmt.Errorf("threshold crossed: %s", strings.Join(crossed, ", "))}
}

// analyzeFile runs the analysis of one trace file, with a progress bar on
// stderr when it is a terminal.
func analyzeFile(path string, opts analyze.Options, stderr io.Writer) (*analyze.Report, error) {
	r, err := format.Open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	if stderr != nil {
		p := analyze.NewProgress(stderr, path)
		defer p.Done()
		opts.Progress = p.Update
	}
	return analyze.Run(r, path, opts)
}

func runAnalyze(w io.Writer, path string, opts analyzeOptions) error {
	switch {
	case opts.points < 4:
		return usageError("--points %d: need at least 4", opts.points)
	case opts.top < 0:
		return usageError("--top %d: need 0 (all) or more", opts.top)
	case opts.json && opts.csv:
		return usageError("--json and --csv: choose one")
	case opts.csv && len(opts.reports) != 1:
		return usageError("--csv prints one table: name one report (%s)", strings.Join(analyze.ReportNames, ", "))
	}
	if err := checkReports(opts.reports); err != nil {
		return err
	}
	thresholds, err := parseThresholds(opts.failIf)
	if err != nil {
		return err
	}
	for _, t := range thresholds {
		if t.Percent || t.Metric == "growth" {
			return usageError("--fail-if '%s': a change (a percentage or growth) compares two traces: use heaptrace diff A B", t.Expr)
		}
	}
	maxMem, err := maxMemory(opts.maxMem)
	if err != nil {
		return err
	}
	rep, err := analyzeFile(path, analyze.Options{
		Points: opts.points, Reports: opts.reports, Top: opts.top, Type: opts.typ, Site: opts.site, Thresholds: thresholds,
		MaxMemory: maxMem, Bounded: opts.bounded,
	}, opts.stderr)
	if err != nil {
		return err
	}
	if opts.stderr != nil && (opts.json || opts.csv) {
		for _, wn := range rep.Warnings {
			fmt.Fprintf(opts.stderr, "heaptrace: warning: %s\n", wn)
		}
	}
	switch {
	case opts.json:
		err = rep.WriteJSON(w)
	case opts.csv:
		err = rep.WriteCSV(w, opts.reports[0])
	default:
		err = rep.WriteText(w)
	}
	if err != nil {
		return err
	}
	return thresholdError(rep.Thresholds)
}
