package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/heaptrace/heaptrace/analyze"
	"github.com/heaptrace/heaptrace/format"
	"github.com/heaptrace/heaptrace/internal/driver"
	"github.com/heaptrace/heaptrace/workload/python"
	"github.com/heaptrace/heaptrace/workload/synthetic"
	"github.com/spf13/cobra"
)

// exitInterrupted is record's status when SIGINT or SIGTERM stopped it
// (128 + SIGINT, as shells report it).
const exitInterrupted = 130

type recordOptions struct {
	script    string
	source    []byte // the script's text when it is not a file (a bundled sample)
	stop      <-chan struct{}
	workload  string
	out       string
	scale     int
	compress  string
	level     string
	batchSize int
	maxEvents uint64
	heapLimit string
	timeout   time.Duration
	check     bool

	// the "what if": Python version, allocator policy and tunables
	python    string
	allocator string
	arenaSize string         // "": CPython's
	poolSize  string         // "": CPython's
	freeLists map[string]int // only the free lists given on the command line
}

func newRecordCmd() *cobra.Command {
	var opts recordOptions
	cmd := &cobra.Command{
		Use:   "record [script.py | --workload NAME] -o FILE",
		Short: "Run a Python script or a synthetic workload on the heap model and write every event to an Arrow trace",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usageError("record takes one script (%d given)", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.script = args[0]
			}
			policyFlagsChanged(cmd, &opts)
			return runRecord(cmd.OutOrStdout(), cmd.ErrOrStderr(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.workload, "workload", "", "a synthetic workload to run instead of a script (see heaptrace workloads)")
	f.StringVarP(&opts.out, "output", "o", "", "the trace file to write (default: the script's or workload's name + .arrow)")
	f.IntVar(&opts.scale, "scale", 0, "a synthetic workload's size parameter (default: the workload's own)")
	f.StringVar(&opts.compress, "compress", "zstd", "compression of the trace's batches: zstd (smallest), lz4 (faster, 3 to 5 times larger) or none (32 bytes an event; what Arrow JS reads without a codec)")
	f.StringVar(&opts.level, "level", "default", "how hard lz4 or zstd works: fastest, default, better or best (zstd best: traces a fifth to a quarter smaller and quicker to analyse, recorded 2.5 to 4 times slower)")
	f.IntVar(&opts.batchSize, "batch", 0, "events per record batch (default 65536)")
	f.Uint64Var(&opts.maxEvents, "max-events", 0, "stop a script after this many heap events (0: no limit)")
	f.StringVar(&opts.heapLimit, "heap-limit", "1GiB", "raise MemoryError in the script past this many requested bytes (0: no limit)")
	f.DurationVar(&opts.timeout, "timeout", 0, "stop a script after this long, e.g. 30s (0: no limit)")
	f.BoolVar(&opts.check, "check", false, "verify every invariant of the heap model after every request (slow: for small runs)")
	addPolicyFlags(cmd, &opts)
	return cmd
}

// workload resolves what to run: a parsed script or a synthetic workload.
func (o *recordOptions) resolve(stdout io.Writer) (driver.Workload, []string, error) {
	if o.scale < 0 || o.batchSize < 0 {
		return nil, nil, usageError("--scale and --batch must not be negative")
	}
	switch {
	case o.script != "" && o.workload != "":
		return nil, nil, usageError("record takes a script or --workload, not both")
	case o.script != "":
		src := o.source
		if src == nil {
			var err error
			if src, err = os.ReadFile(o.script); err != nil {
				return nil, nil, err
			}
		}
		p, err := python.Parse(o.script, src)
		if err != nil {
			return nil, nil, &exitError{exitUsage, err}
		}
		if o.out == "" {
			o.out = strings.TrimSuffix(filepath.Base(o.script), ".py") + ".arrow"
		}
		return driver.Python(p, python.Options{Stdout: stdout, MaxEvents: o.maxEvents, Timeout: o.timeout, Stop: o.stop}), p.Lines(), nil
	case o.workload != "":
		w, err := synthetic.Lookup(o.workload)
		if err != nil {
			return nil, nil, usageError("%v", err)
		}
		if o.out == "" {
			o.out = w.Name + ".arrow"
		}
		return driver.Synthetic(w, o.scale), nil, nil
	}
	return nil, nil, usageError("record needs a script or --workload NAME; known workloads: %s", joinNames(synthetic.Names()))
}

func runRecord(stdout, stderr io.Writer, opts recordOptions) error {
	// SIGINT and SIGTERM stop a script at its next statement; the trace is
	// then closed properly and the exit status says so.
	stop := make(chan struct{})
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-sigs:
			close(stop)
		case <-done:
		}
	}()
	opts.stop = stop

	c, err := format.ParseCompression(opts.compress)
	if err != nil {
		return usageError("--compress: %v", err)
	}
	level, err := format.ParseLevel(opts.level)
	switch {
	case err != nil:
		return usageError("--level: %v", err)
	case level != format.LevelDefault && c == format.None:
		return usageError("--level %s needs --compress lz4 or zstd", level)
	}
	limit, err := parseSize(opts.heapLimit)
	if err != nil {
		return usageError("--heap-limit: %v", err)
	}
	cfg, profile, err := opts.model()
	if err != nil {
		return err
	}
	wl, lines, err := opts.resolve(stdout)
	if err != nil {
		return err
	}
	res, err := driver.Record(wl, driver.RecordOptions{Out: opts.out, Compression: c, Level: level, BatchSize: opts.batchSize, HeapLimit: limit, Check: opts.check, Config: cfg, Profile: profile})
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "recorded %s events of %s (%s, %s) to %s (%s): peak %s requested, %s OS memory at the end\n",
		analyze.Count(int64(res.Events)), wl.Name(), profile.Name, driver.AllocatorOf(cfg), opts.out, analyze.Bytes(res.FileBytes),
		analyze.Bytes(res.Stats.RequestedPeak), analyze.Bytes(res.Stats.OSMapped))
	for _, n := range res.Notes {
		fmt.Fprintf(stderr, "note: %s\n", n)
	}
	var pe *python.PyError
	switch {
	case res.RunErr == nil:
		return nil
	case errors.As(res.RunErr, &pe):
		fmt.Fprint(stderr, pe.Traceback(lines))
		return fmt.Errorf("%s: uncaught %s; the trace up to it is complete in %s", wl.Name(), pe.TypeName(), opts.out)
	case errors.Is(res.RunErr, python.ErrInterrupted):
		return &exitError{exitInterrupted, fmt.Errorf("%s: %v; the trace up to there is complete in %s", wl.Name(), res.RunErr, opts.out)}
	case errors.Is(res.RunErr, python.ErrLimit):
		return fmt.Errorf("%s: %v; the trace up to there is complete in %s", wl.Name(), res.RunErr, opts.out)
	}
	return fmt.Errorf("%s: %w (the trace up to that point is complete in %s)", wl.Name(), res.RunErr, opts.out)
}

// runRecordSource records a script given as text.
func runRecordSource(stdout, stderr io.Writer, name string, src []byte, opts recordOptions) error {
	opts.script, opts.source = name, src
	return runRecord(stdout, stderr, opts)
}

// parseSize parses a byte count: "1048576", "64MiB", "1.5GB", "512k".
func parseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	units := []struct {
		suffix string
		mult   float64
	}{
		{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}, {"tib", 1 << 40},
		{"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9}, {"tb", 1e12},
		{"k", 1 << 10}, {"m", 1 << 20}, {"g", 1 << 30}, {"b", 1},
	}
	low := strings.ToLower(s)
	mult := 1.0
	for _, u := range units {
		if strings.HasSuffix(low, u.suffix) {
			low, mult = strings.TrimSpace(strings.TrimSuffix(low, u.suffix)), u.mult
			break
		}
	}
	var v float64
	if _, err := fmt.Sscanf(low, "%g", &v); err != nil || !(v >= 0 && v*mult <= 1<<62) { // NaN fails too
		return 0, fmt.Errorf("%q is not a size (say 1048576, 64MiB or 1.5GB)", s)
	}
	return int64(v * mult), nil
}
