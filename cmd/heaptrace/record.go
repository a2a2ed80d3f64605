package main

import (
	"fmt"
	"io"

	"github.com/heaptrace/heaptrace/analyze"
	"github.com/heaptrace/heaptrace/format"
	"github.com/heaptrace/heaptrace/internal/driver"
	"github.com/heaptrace/heaptrace/workload/synthetic"
	"github.com/spf13/cobra"
)

type recordOptions struct {
	workload  string
	out       string
	scale     int
	compress  string
	batchSize int
}

func newRecordCmd() *cobra.Command {
	var opts recordOptions
	cmd := &cobra.Command{
		Use:   "record --workload NAME -o FILE",
		Short: "Run a workload on the heap model and write every event to an Arrow trace",
		Args:  exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRecord(cmd.OutOrStdout(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.workload, "workload", "", "the synthetic workload to run (see heaptrace workloads)")
	f.StringVarP(&opts.out, "output", "o", "", "the trace file to write (default NAME.arrow)")
	f.IntVar(&opts.scale, "scale", 0, "the workload's size parameter (default: the workload's own)")
	f.StringVar(&opts.compress, "compress", "none", "compression of the trace's batches: none, lz4 or zstd")
	f.IntVar(&opts.batchSize, "batch", 0, "events per record batch (default 65536)")
	return cmd
}

func (o *recordOptions) workloadAndCodec() (driver.Workload, format.Compression, error) {
	if o.workload == "" {
		return nil, 0, usageError("record needs --workload NAME; known workloads: %s", joinNames(synthetic.Names()))
	}
	w, err := synthetic.Lookup(o.workload)
	if err != nil {
		return nil, 0, usageError("%v", err)
	}
	if o.scale < 0 {
		return nil, 0, usageError("--scale %d: must not be negative", o.scale)
	}
	if o.batchSize < 0 {
		return nil, 0, usageError("--batch %d: must not be negative", o.batchSize)
	}
	c, err := format.ParseCompression(o.compress)
	if err != nil {
		return nil, 0, usageError("--compress: %v", err)
	}
	if o.out == "" {
		o.out = w.Name + ".arrow"
	}
	return driver.Synthetic(w, o.scale), c, nil
}

func runRecord(w io.Writer, opts recordOptions) error {
	wl, codec, err := opts.workloadAndCodec()
	if err != nil {
		return err
	}
	res, err := driver.Record(wl, driver.RecordOptions{Out: opts.out, Compression: codec, BatchSize: opts.batchSize})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "recorded %s events of %s to %s (%s): peak %s requested, %s OS memory at the end\n",
		analyze.Count(int64(res.Events)), wl.Name(), opts.out, analyze.Bytes(res.FileBytes),
		analyze.Bytes(res.Stats.RequestedPeak), analyze.Bytes(res.Stats.OSMapped))
	if res.RunErr != nil {
		return fmt.Errorf("%s: %w (the trace up to that point is complete)", wl.Name(), res.RunErr)
	}
	return nil
}
