package main

import (
	"io"

	"github.com/heaptrace/heaptrace/format"
	"github.com/spf13/cobra"
)

func newDumpCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "dump FILE",
		Short: "Print a trace as text, one event per line",
		Args:  exactArgs(1, "a trace file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDump(cmd.OutOrStdout(), args[0])
		},
	}
}

func runDump(w io.Writer, path string) error {
	r, err := format.Open(path)
	if err != nil {
		return err
	}
	defer r.Close()
	return format.Dump(w, r)
}

// exactArgs is cobra.ExactArgs with a message that says what is missing
// and a usage exit status.
func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usageError("%s takes %s (%d given); see %s --help", cmd.Name(), what, len(args), cmd.CommandPath())
		}
		return nil
	}
}
