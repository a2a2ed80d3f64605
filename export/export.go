// This file defines Format, Options and Export, which check the output,
// read the trace and hand it to the writer of one format.

package export

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/heaptrace/heaptrace/format"
)

// ErrOptions is what errors of options match (errors.Is): an unknown
// format, options that do not go together, a value out of range. Their
// messages say which.
var ErrOptions = errors.New("export: bad options")

// optionsError is an error of the options.
type optionsError struct{ msg string }

func (e *optionsError) Error() string        { return e.msg }
func (e *optionsError) Is(target error) bool { return target == ErrOptions }

func optionsErrorf(format string, args ...any) error {
	return &optionsError{fmt.Sprintf(format, args...)}
}

// Format is an export format.
type Format int

// The formats.
const (
	Parquet Format = iota + 1
	CSV
	JSONL
	Pprof
	SVG
	PNG
	HTML
)

var formatNames = []string{Parquet: "parquet", CSV: "csv", JSONL: "jsonl", Pprof: "pprof", SVG: "svg", PNG: "png", HTML: "html"}

// String returns the format's name, as --to takes it.
func (f Format) String() string {
	if f > 0 && int(f) < len(formatNames) {
		return formatNames[f]
	}
	return fmt.Sprintf("format(%d)", int(f))
}

// FormatNames lists the formats' names in the order of the constants.
func FormatNames() []string { return append([]string(nil), formatNames[1:]...) }

// ParseFormat returns the format called name. The error of an unknown name
// lists the known ones.
func ParseFormat(name string) (Format, error) {
	for f, n := range formatNames {
		if n != "" && strings.EqualFold(n, name) {
			return Format(f), nil
		}
	}
	return 0, optionsErrorf("unknown format %q: the formats are %s", name, strings.Join(FormatNames(), ", "))
}

// extensions maps file name endings to the format they imply.
var extensions = []struct {
	ext string
	f   Format
}{
	{".parquet", Parquet}, {".csv", CSV}, {".jsonl", JSONL}, {".ndjson", JSONL},
	{".pb.gz", Pprof}, {".pprof", Pprof}, {".svg", SVG}, {".png", PNG}, {".html", HTML}, {".htm", HTML},
}

// FormatOf returns the format that the name of an output file implies
// ("x.parquet", "x.pb.gz", "x.html"), or false.
func FormatOf(path string) (Format, bool) {
	lower := strings.ToLower(path)
	for _, e := range extensions {
		if strings.HasSuffix(lower, e.ext) {
			return e.f, true
		}
	}
	return 0, false
}

// Options tune an export. The zero value writes the whole trace with each
// format's defaults.
type Options struct {
	// Format is the format to write; required.
	Format Format
	// Force replaces an existing output. Without it an existing output is
	// an error (ErrExists), found before any work.
	Force bool
	// PartitionEvents, for Parquet, writes a directory instead of a file:
	// a Hive-style partitioned dataset with one folder of PartitionEvents
	// events each (chunk=0/, chunk=1/, ...). 0 writes one file.
	PartitionEvents int64
	// Compression is Parquet's codec: "zstd" (the default), "snappy" or
	// "none".
	Compression string
	// Points bounds the growth curve of the charts (svg, png, html); 0
	// means 1000 for pictures and 4000 for the html page.
	Points int
	// Types is how many types the charts stack, the others summed as
	// "other"; 0 means 8.
	Types int
	// Top bounds the rows of the html page's tables; 0 means 25.
	Top int
	// Title is the charts' title; "" means the workload's name.
	Title string
	// Progress, if set, is called after each batch of each pass over the
	// trace with the pass's name ("analyze", "write", ...), the batches
	// done and the batches in the file (-1 when unknown).
	Progress func(pass string, done, total int)
	// MaxMemory bounds, in bytes, the tables of live objects that the
	// profile and the charts replay the trace with (0: no bound); a trace
	// whose live objects need more stops the export with an error. Parquet,
	// CSV and JSON lines need no such table.
	MaxMemory int64
}

func (o *Options) progress(pass string) func(done, total int) {
	if o.Progress == nil {
		return nil
	}
	return func(done, total int) { o.Progress(pass, done, total) }
}

// Result says what an export wrote.
type Result struct {
	Out    string        // the file or directory written
	Events uint64        // events read from the trace
	Files  int           // files written
	Bytes  int64         // bytes written, all files
	Took   time.Duration // time from the start to the output's rename into place
}

// Export reads the trace file at path and writes it to out in
// opts.Format. It checks out before reading anything: an existing output
// without Force, or a place that cannot be written, is an error at once.
// The output appears complete or not at all: it is written under a
// temporary name in out's directory and renamed into place at the end.
func Export(path, out string, opts Options) (*Result, error) {
	start := time.Now()
	if err := opts.check(); err != nil {
		return nil, err
	}
	o, err := createOutput(out, opts.Format == Parquet && opts.PartitionEvents > 0, opts.Force)
	if err != nil {
		return nil, err
	}
	defer o.abort()
	r, err := format.Open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	name := filepath.Base(path)
	res := &Result{Out: out}
	switch opts.Format {
	case Parquet:
		res.Events, err = writeParquet(o, r, opts)
	case CSV:
		res.Events, err = writeRows(o.file, r, csvRows{}, opts.progress("write"))
	case JSONL:
		res.Events, err = writeRows(o.file, r, jsonRows{}, opts.progress("write"))
	case Pprof:
		res.Events, err = writePprof(o.file, r, path, name, opts)
	case SVG, PNG:
		res.Events, err = writeChart(o.file, r, path, name, opts)
	case HTML:
		res.Events, err = writeHTML(o.file, r, path, name, opts)
	}
	if err != nil {
		return nil, fmt.Errorf("export: %s to %s: %w", opts.Format, out, err)
	}
	if res.Files, res.Bytes, err = o.commit(); err != nil {
		return nil, err
	}
	res.Took = time.Since(start)
	return res, nil
}

// check checks the options that do not depend on the trace.
func (o *Options) check() error {
	if o.Format < Parquet || o.Format > HTML {
		return optionsErrorf("export: %v is not a format", o.Format)
	}
	if o.Format == Parquet && !ParquetSupported {
		return optionsErrorf("export: this heaptrace was built without Parquet (the noparquet build tag); build it without the tag")
	}
	if o.PartitionEvents < 0 {
		return optionsErrorf("export: partition of %d events: must not be negative", o.PartitionEvents)
	}
	if o.PartitionEvents > 0 && o.Format != Parquet {
		return optionsErrorf("export: partitioned datasets are written in Parquet, not %s", o.Format)
	}
	if o.Compression != "" && o.Format != Parquet {
		return optionsErrorf("export: compression applies to Parquet, not %s", o.Format)
	}
	switch o.Compression {
	case "", "zstd", "snappy", "none":
	default:
		return optionsErrorf("export: unknown Parquet compression %q: zstd, snappy or none", o.Compression)
	}
	if o.Points != 0 && o.Points < 4 {
		return optionsErrorf("export: %d points: at least 4", o.Points)
	}
	if o.Types < 0 || o.Top < 0 {
		return optionsErrorf("export: types and top must not be negative")
	}
	return nil
}
