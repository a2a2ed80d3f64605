package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/heaptrace/heaptrace/format"
	"github.com/spf13/cobra"
)

// version is the tool's version, written into every trace.
const version = "0.1.0"

// Exit statuses.
const (
	exitOK      = 0
	exitFailure = 1 // the work failed: bad input file, runtime error in a script
	exitUsage   = 2 // the command line or the script's syntax is wrong
)

// exitError carries an exit status with an error.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func usageError(format string, args ...any) error {
	return &exitError{exitUsage, fmt.Errorf(format, args...)}
}

// run executes the command line args and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	root := newRootCmd(stdout, stderr)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(stderr, "heaptrace: %v\n", err)
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	if errors.Is(err, format.ErrCorrupt) {
		return exitUsage // corrupt bytes in a trace: bad input
	}
	return exitFailure
}

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "heaptrace",
		Short: "See, event by event, how a Python program's heap is built",
		Long: `heaptrace runs a workload on a model of CPython's memory manager (OS
arenas, the raw allocator, pymalloc, per-type allocators; CPython 3.11, 3.12
or 3.13, pymalloc or malloc), records every allocate and free at every layer
into an Apache Arrow trace, and analyses it.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &exitError{exitUsage, err} })
	root.AddCommand(newRecordCmd(), newAnalyzeCmd(), newDiffCmd(), newCompareCmd(), newDemoCmd(), newSamplesCmd(), newDumpCmd(), newValidateCmd(), newRepairCmd(), newWorkloadsCmd(), newExportCmd())
	return root
}
