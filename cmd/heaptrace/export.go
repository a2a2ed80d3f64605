package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/heaptrace/heaptrace/analyze"
	"github.com/heaptrace/heaptrace/export"
	"github.com/spf13/cobra"
)

type exportOptions struct {
	to     string
	out    string
	stderr io.Writer // progress bars and the closing line
	maxMem string    // --max-memory; "": driver.DefaultMaxMemory
	opts   export.Options
}

func newExportCmd() *cobra.Command {
	var opts exportOptions
	cmd := &cobra.Command{
		Use:   "export FILE --to FORMAT -o OUT",
		Short: "Write a trace for other tools: Parquet, CSV, JSON Lines, a pprof profile, a chart, an html report",
		Long: `export writes a trace in a format other tools read:

  parquet  the events as a table (DuckDB, pandas, Spark, Trino); with
           --partition-events N, a directory of chunk=K/ folders of N events each
  csv      the events as CSV, with a header line
  jsonl    the events as JSON Lines, one object per event
  pprof    a heap profile by call stack for go tool pprof: alloc_space,
           alloc_objects, inuse_* (live at the end), peak_* (live at the peak, the default)
  svg, png the growth chart: the total and the types stacked, the peak marked
  html     one self-contained page: summary, zoomable growth chart, tables by
           type and site, what was live at the peak, what was left at the end

The table formats have the columns seq, op, layer, type, size, block, addr,
site and setup (true for the trace's set-up events). docs/sql holds the
analyses as SQL over the Parquet export.

The format is --to's, or else the one -o's extension implies (.parquet, .csv,
.jsonl, .pb.gz, .svg, .png, .html). An existing output is replaced only with
--force; the output appears when it is complete.`,
		Example: `  heaptrace export trace.arrow -o trace.parquet
  heaptrace export trace.arrow --to parquet --partition-events 10000000 -o trace-dataset
  heaptrace export trace.arrow -o heap.pb.gz && go tool pprof -http=: heap.pb.gz
  heaptrace export trace.arrow -o report.html`,
		Args: exactArgs(1, "a trace file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.stderr = cmd.ErrOrStderr()
			return runExport(args[0], opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.to, "to", "", "the format: "+strings.Join(export.FormatNames(), ", ")+" (default: from -o's extension)")
	f.StringVarP(&opts.out, "output", "o", "", "the file to write (a directory with --partition-events)")
	f.BoolVar(&opts.opts.Force, "force", false, "replace the output if it exists")
	f.Int64Var(&opts.opts.PartitionEvents, "partition-events", 0, "parquet: write a directory with a folder of this many events each (0: one file)")
	f.StringVar(&opts.opts.Compression, "compress", "", "parquet: zstd, snappy or none (default zstd)")
	f.IntVar(&opts.opts.Points, "points", 0, "svg, png, html: at most this many points in the total curve (default 1000; html 4000)")
	f.IntVar(&opts.opts.Types, "types", 0, "svg, png, html: stack this many types, the rest as \"other\" (default 8)")
	f.IntVar(&opts.opts.Top, "top", 0, "html: rows of each table (default 25)")
	f.StringVar(&opts.opts.Title, "title", "", "svg, png, html: the title (default: the workload's name)")
	f.StringVar(&opts.maxMem, "max-memory", "", "pprof, svg, png, html: stop with an error when the tables of live objects would need more than this, e.g. 4GiB (0: no bound; default: half of this machine's or container's memory)")
	return cmd
}

func runExport(path string, o exportOptions) error {
	if o.out == "" {
		return usageError("export needs -o OUT, the file to write")
	}
	maxMem, err := maxMemory(o.maxMem)
	if err != nil {
		return err
	}
	o.opts.MaxMemory = maxMem
	switch {
	case o.to != "":
		f, err := export.ParseFormat(o.to)
		if err != nil {
			return usageError("--to: %v", err)
		}
		o.opts.Format = f
	default:
		f, ok := export.FormatOf(o.out)
		if !ok {
			return usageError("cannot tell the format from %q: give --to (%s)", o.out, strings.Join(export.FormatNames(), ", "))
		}
		o.opts.Format = f
	}
	var bar *analyze.Progress
	pass := ""
	o.opts.Progress = func(p string, done, total int) {
		if p != pass {
			bar.Done()
			bar, pass = analyze.NewProgress(o.stderr, path+": "+p), p
		}
		bar.Update(done, total)
	}
	res, err := export.Export(path, o.out, o.opts)
	bar.Done()
	if errors.Is(err, export.ErrOptions) {
		return &exitError{exitUsage, err}
	}
	if err != nil {
		return err
	}
	files := ""
	if res.Files != 1 {
		files = fmt.Sprintf(" in %d files", res.Files)
	}
	fmt.Fprintf(o.stderr, "exported %s events of %s to %s: %s%s, %s, in %.2fs\n", analyze.Count(int64(res.Events)), path, res.Out,
		o.opts.Format, files, analyze.Bytes(res.Bytes), res.Took.Seconds())
	return nil
}
