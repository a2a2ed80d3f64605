package main

import (
	"context"
	"errors"
	"io"
	"os"
	"time"

	"github.com/heaptrace/heaptrace/internal/cpython"
	"github.com/heaptrace/heaptrace/internal/driver"
	"github.com/heaptrace/heaptrace/model/pyobj"
	"github.com/heaptrace/heaptrace/workload/python/syntax"
	"github.com/spf13/cobra"
)

type compareOptions struct {
	json    bool
	timeout time.Duration
}

func newCompareCmd() *cobra.Command {
	var opts compareOptions
	cmd := &cobra.Command{
		Use:   "compare script.py",
		Short: "Run a script on the real CPython 3.11 (tracemalloc) and on the model, and print both",
		Args:  exactArgs(1, "a script"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCompare(cmd.OutOrStdout(), args[0], opts)
		},
	}
	cmd.Flags().BoolVar(&opts.json, "json", false, "print the comparison as one JSON object (keys in the README)")
	cmd.Flags().DurationVar(&opts.timeout, "timeout", 2*time.Minute, "stop either run after this long")
	return cmd
}

func runCompare(w io.Writer, script string, opts compareOptions) error {
	src, err := os.ReadFile(script)
	if err != nil {
		return err
	}
	ip, err := cpython.Find("3.11")
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), opts.timeout)
	defer cancel()
	c, err := driver.Compare(ctx, ip, script, src, pyobj.Profile{})
	var se *syntax.Error
	if errors.As(err, &se) {
		return &exitError{exitUsage, err}
	}
	if err != nil {
		return err
	}
	if opts.json {
		return c.WriteJSON(w)
	}
	return c.WriteText(w)
}
