package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/heaptrace/heaptrace/samples"
	"github.com/spf13/cobra"
)

// demoSample is the bundled script `heaptrace demo` runs by default.
const demoSample = "word_count.py"

type demoOptions struct {
	sample string
	out    string
}

func newDemoCmd() *cobra.Command {
	var opts demoOptions
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Record a bundled sample script to a file in this folder and print its analysis",
		Args:  exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDemo(cmd.OutOrStdout(), cmd.ErrOrStderr(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.sample, "sample", demoSample, "the bundled sample to run (see heaptrace samples)")
	cmd.Flags().StringVarP(&opts.out, "output", "o", "heaptrace-demo.arrow", "the trace file to write")
	return cmd
}

func runDemo(stdout, stderr io.Writer, opts demoOptions) error {
	src, err := samples.Read(opts.sample)
	if err != nil {
		return usageError("no sample %q; the samples are: %s", opts.sample, joinNames(samples.Names()))
	}
	fmt.Fprintf(stdout, "heaptrace demo: samples/%s\n%s\n", opts.sample, headerComment(src))
	if err := runRecordSource(stdout, stderr, "samples/"+opts.sample, src, recordOptions{out: opts.out, compress: "zstd", level: "default", heapLimit: "1GiB"}); err != nil {
		return err
	}
	fmt.Fprintln(stdout)
	return runAnalyze(stdout, opts.out, analyzeOptions{points: 100, top: 10, reports: []string{"summary", "types", "peak", "growth", "sites"}})
}

// headerComment returns a script's leading comment block.
func headerComment(src []byte) string {
	var b strings.Builder
	for _, line := range strings.Split(string(src), "\n") {
		if !strings.HasPrefix(line, "#") {
			break
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

func newSamplesCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "samples",
		Short: "List the bundled sample scripts (run one with heaptrace demo --sample NAME)",
		Args:  exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			w := cmd.OutOrStdout()
			for _, name := range samples.Names() {
				src, _ := samples.Read(name)
				first := strings.TrimSpace(strings.TrimPrefix(strings.SplitN(headerComment(src), "\n", 2)[0], "#"))
				fmt.Fprintf(w, "%-22s %s\n", name, first)
			}
			return nil
		},
	}
}
