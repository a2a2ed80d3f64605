package main

import (
	"io"

	"github.com/heaptrace/heaptrace/analyze"
	"github.com/heaptrace/heaptrace/format"
	"github.com/spf13/cobra"
)

type analyzeOptions struct {
	json   bool
	points int
}

func newAnalyzeCmd() *cobra.Command {
	var opts analyzeOptions
	cmd := &cobra.Command{
		Use:   "analyze FILE",
		Short: "Report sizes by type, the peak at each layer and the growth curve of a trace",
		Args:  exactArgs(1, "a trace file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAnalyze(cmd.OutOrStdout(), args[0], opts)
		},
	}
	cmd.Flags().BoolVar(&opts.json, "json", false, "print the report as one JSON object (keys documented in the README)")
	cmd.Flags().IntVar(&opts.points, "points", 100, "at most this many points in the growth curve (at least 4)")
	return cmd
}

func runAnalyze(w io.Writer, path string, opts analyzeOptions) error {
	if opts.points < 4 {
		return usageError("--points %d: need at least 4", opts.points)
	}
	r, err := format.Open(path)
	if err != nil {
		return err
	}
	defer r.Close()
	rep, err := analyze.Run(r, path, analyze.Options{Points: opts.points})
	if err != nil {
		return err
	}
	if opts.json {
		return rep.WriteJSON(w)
	}
	return rep.WriteText(w)
}
