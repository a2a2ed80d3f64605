package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/heaptrace/heaptrace/analyze"
	"github.com/heaptrace/heaptrace/format"
	"github.com/spf13/cobra"
)

func newValidateCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "validate FILE",
		Short: "Check a trace: schema, version, event numbers, and that every free matches a live allocation at every layer",
		Args:  exactArgs(1, "a trace file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runValidate(cmd.OutOrStdout(), args[0], asJSON)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the verdict as one JSON object")
	return cmd
}

// runValidate prints a verdict: exit 0 when valid, 1 when events
// contradict each other, 2 when the file cannot be read as a trace.
func runValidate(w io.Writer, path string, asJSON bool) error {
	r, err := format.Open(path)
	if err != nil {
		return &exitError{exitUsage, err}
	}
	defer r.Close()
	v := analyze.Validate(r, path, 20)
	if asJSON {
		if err := writeJSON(w, v); err != nil {
			return err
		}
	} else {
		state := "complete"
		switch {
		case v.ReadError != "":
			state = "then a batch that cannot be read"
		case v.Truncated:
			state = "cut short (readable up to its last complete batch; heaptrace repair makes it whole)"
		}
		fmt.Fprintf(w, "%s: %s events in %d batches, %s\n", path, analyze.Count(int64(v.Events)), v.Batches, state)
		for _, p := range v.Problems {
			fmt.Fprintf(w, "  #%d %s: %s\n", p.Seq, p.Layer, p.Message)
		}
		if v.ProblemCount > len(v.Problems) {
			fmt.Fprintf(w, "  ... and %d more\n", v.ProblemCount-len(v.Problems))
		}
	}
	switch {
	case v.ReadError != "":
		return &exitError{exitUsage, fmt.Errorf("%s", v.ReadError)}
	case v.ProblemCount > 0:
		return fmt.Errorf("%s: invalid: %d events contradict the ones before them", path, v.ProblemCount)
	}
	if !asJSON {
		fmt.Fprintf(w, "valid: every free matches a live allocation at every layer\n")
	}
	return nil
}

func newRepairCmd() *cobra.Command {
	var out string
	var force bool
	cmd := &cobra.Command{
		Use:   "repair FILE -o OUT",
		Short: "Copy every complete batch of a trace cut short into a complete trace",
		Args:  exactArgs(1, "a trace file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRepair(cmd.OutOrStdout(), args[0], out, force)
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "the repaired trace to write (required)")
	cmd.Flags().BoolVar(&force, "force", false, "overwrite OUT if it exists")
	return cmd
}

func runRepair(w io.Writer, in, out string, force bool) error {
	if out == "" {
		return usageError("repair needs -o OUT")
	}
	if _, err := os.Stat(out); err == nil && !force {
		return usageError("%s exists; use --force to overwrite it", out)
	}
	r, err := format.Open(in)
	if err != nil {
		return &exitError{exitUsage, err}
	}
	defer r.Close()
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	res, err := format.Repair(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out)
		return err
	}
	how := "was complete; copied"
	if res.Truncated {
		how = "was cut short; its complete batches copied"
	}
	fmt.Fprintf(w, "%s %s: %s events in %d batches written to %s\n", in, how, analyze.Count(int64(res.Events)), res.Batches, out)
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
