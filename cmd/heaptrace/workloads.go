package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/heaptrace/heaptrace/workload/synthetic"
	"github.com/spf13/cobra"
)

func newWorkloadsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "workloads",
		Short: "List the synthetic workloads",
		Args:  exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runWorkloads(cmd.OutOrStdout())
		},
	}
}

func runWorkloads(w io.Writer) error {
	for _, name := range synthetic.Names() {
		wl, _ := synthetic.Lookup(name)
		fmt.Fprintf(w, "%-14s %s (default scale %d)\n", name, wl.Description, wl.DefaultScale)
	}
	return nil
}

func joinNames(names []string) string { return strings.Join(names, ", ") }
