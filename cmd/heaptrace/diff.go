package main

import (
	"fmt"
	"io"

	"github.com/heaptrace/heaptrace/analyze"
	"github.com/spf13/cobra"
)

type diffOptions struct {
	json   bool
	csv    bool
	top    int
	typ    string
	site   string
	failIf []string
	maxMem string    // --max-memory; "": driver.DefaultMaxMemory
	stderr io.Writer // progress bar and warnings; nil: neither
}

func newDiffCmd() *cobra.Command {
	opts := diffOptions{}
	cmd := &cobra.Command{
		Use:   "diff A B",
		Short: "Show what changed between two traces, and fail when a threshold is crossed",
		Long: `diff analyses trace A (the baseline) and trace B (the new run) and shows what
changed: the peak and final bytes at each layer, then the types and sites
whose bytes changed, largest change first.

--fail-if makes it a test: it exits with status 3 when any threshold holds
(0 otherwise). A size compares B's value; a percentage, the change from A
to B; growth is the change of the peak:

  peak>64MiB            B's object-layer peak (tracemalloc's) is over 64 MiB
  final>1GB             B's bytes live at the end are over 10^9
  growth>10%            B's peak is more than 10% over A's
  os.peak>200MiB        B's peak of mapped memory
  allocator.final>5%    the allocator's final bytes grew more than 5%
  type:list.peak>1MiB   lists live at B's peak
  site:words.py:12.allocated>10MB   bytes allocated at sites containing "words.py:12"`,
		Example: `  heaptrace diff before.arrow after.arrow
  heaptrace diff --fail-if 'growth>10%' --fail-if 'peak>64MiB' before.arrow after.arrow
  heaptrace diff --json before.arrow after.arrow`,
		Args: exactArgs(2, "two trace files, A then B"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.stderr = cmd.ErrOrStderr()
			return runDiff(cmd.OutOrStdout(), args[0], args[1], opts)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.json, "json", false, "print the comparison as one JSON object (keys documented in the README)")
	f.BoolVar(&opts.csv, "csv", false, "print the comparison as one CSV table")
	f.IntVar(&opts.top, "top", 10, "rows of the type and site tables (0: all)")
	f.StringVar(&opts.typ, "type", "", "only object-layer allocations of this type (a name or a glob) in both traces")
	f.StringVar(&opts.site, "site", "", "only object-layer allocations at sites containing this text in both traces")
	f.StringVar(&opts.maxMem, "max-memory", "", "stop with an error when a trace's table of live objects would need more than this, e.g. 4GiB (0: no bound; default: half of this machine's or container's memory)")
	f.StringArrayVar(&opts.failIf, "fail-if", nil, "exit with status 3 when this holds, e.g. 'peak>64MiB', 'growth>10%' (repeatable)")
	return cmd
}

func runDiff(w io.Writer, pathA, pathB string, opts diffOptions) error {
	switch {
	case opts.top < 0:
		return usageError("--top %d: need 0 (all) or more", opts.top)
	case opts.json && opts.csv:
		return usageError("--json and --csv: choose one")
	}
	thresholds, err := parseThresholds(opts.failIf)
	if err != nil {
		return err
	}
	maxMem, err := maxMemory(opts.maxMem)
	if err != nil {
		return err
	}
	aopts := analyze.Options{Reports: analyze.DiffReports, Type: opts.typ, Site: opts.site, MaxMemory: maxMem}
	a, err := analyzeFile(pathA, aopts, opts.stderr)
	if err != nil {
		return err
	}
	b, err := analyzeFile(pathB, aopts, opts.stderr)
	if err != nil {
		return err
	}
	d, err := analyze.Diff(a, b, opts.top, thresholds)
	if err != nil {
		return err
	}
	if opts.stderr != nil && (opts.json || opts.csv) {
		for _, wn := range d.Warnings {
			fmt.Fprintf(opts.stderr, "heaptrace: warning: %s\n", wn)
		}
	}
	switch {
	case opts.json:
		err = d.WriteJSON(w)
	case opts.csv:
		err = d.WriteCSV(w)
	default:
		err = d.WriteText(w)
	}
	if err != nil {
		return err
	}
	return thresholdError(d.Thresholds)
}
