package main

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"time"

	"github.com/heaptrace/heaptrace/internal/cpython"
	"github.com/heaptrace/heaptrace/internal/driver"
	"github.com/heaptrace/heaptrace/model"
	"github.com/heaptrace/heaptrace/model/pyobj"
	"github.com/heaptrace/heaptrace/workload/python/syntax"
	"github.com/spf13/cobra"
)

type compareOptions struct {
	json      bool
	timeout   time.Duration
	python    string
	allocator string
}

func newCompareCmd() *cobra.Command {
	var opts compareOptions
	cmd := &cobra.Command{
		Use:   "compare script.py",
		Short: "Run a script on the real CPython (tracemalloc) and on the model, and print both; several versions side by side",
		Long: `compare runs a script on the real CPython under tracemalloc and on the model
with the same method, and prints the peak and final traced bytes and the live
objects by type on both sides.

With several versions (--python 3.11,3.12,3.13) it prints each version's
figures, the change from the first version, and the live objects by type on
each: what an upgrade does to the script's memory. A version that is not
installed is shown from the model alone.`,
		Example: `  heaptrace compare script.py
  heaptrace compare --python 3.13 --json script.py
  heaptrace compare --python 3.11,3.12,3.13 script.py
  heaptrace compare --allocator malloc script.py`,
		Args: exactArgs(1, "a script"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCompare(cmd.OutOrStdout(), args[0], opts)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.json, "json", false, "print the comparison as one JSON object (keys in the README)")
	f.DurationVar(&opts.timeout, "timeout", 2*time.Minute, "stop each run after this long")
	f.StringVar(&opts.python, "python", pyobj.Versions()[0], "the Python version, or several separated by commas ("+strings.Join(pyobj.Versions(), ", ")+")")
	f.StringVar(&opts.allocator, "allocator", "pymalloc", "pymalloc, or malloc (CPython runs with PYTHONMALLOC=malloc)")
	return cmd
}

func runCompare(w io.Writer, script string, opts compareOptions) error {
	profiles, err := driver.Profiles(opts.python)
	if err != nil {
		return usageError("%v", err)
	}
	cfg := model.DefaultConfig()
	profile := profiles[0]
	if err := (driver.Policy{Allocator: opts.allocator}).Apply(&cfg, &profile); err != nil {
		return usageError("%v", err)
	}
	src, err := os.ReadFile(script)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), opts.timeout*time.Duration(len(profiles)))
	defer cancel()
	type writer interface {
		WriteJSON(io.Writer) error
		WriteText(io.Writer) error
	}
	var out writer
	if len(profiles) == 1 {
		ip, err := cpython.Find(profile.Version)
		if err != nil {
			return err
		}
		c, err := driver.Compare(ctx, ip, script, src, profile, cfg)
		if err != nil {
			return compareError(err)
		}
		out = c
	} else {
		vc, err := driver.CompareVersions(ctx, cpython.Find, script, src, profiles, cfg)
		if err != nil {
			return compareError(err)
		}
		out = vc
	}
	if opts.json {
		return out.WriteJSON(w)
	}
	return out.WriteText(w)
}

// compareError makes a script's syntax error a usage error.
func compareError(err error) error {
	var se *syntax.Error
	if errors.As(err, &se) {
		return &exitError{exitUsage, err}
	}
	return err
}
