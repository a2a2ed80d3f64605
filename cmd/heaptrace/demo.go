package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// demoWorkload is what `heaptrace demo` records.
const demoWorkload = "leaky-cache"

func newDemoCmd() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Record a bundled workload to a file in this folder and print its analysis",
		Args:  exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDemo(cmd.OutOrStdout(), out)
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "heaptrace-demo.arrow", "the trace file to write")
	return cmd
}

func runDemo(w io.Writer, out string) error {
	if err := runRecord(w, w, recordOptions{workload: demoWorkload, out: out, compress: "none"}); err != nil {
		return err
	}
	fmt.Fprintln(w)
	return runAnalyze(w, out, analyzeOptions{points: 100})
}
