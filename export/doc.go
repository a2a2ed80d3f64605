// Package export writes a heaptrace trace in the formats of the tools that
// people already use: tables for data tools, a heap profile for pprof,
// pictures, and a page for a browser. It reads traces through
// format.Reader only, and takes the figures its pictures and page show
// from package analyze.
//
// # Formats
//
//	parquet  every event, one row each (Columns), in one Parquet file, or in a
//	         Hive-style partitioned dataset: chunk=0/events.parquet,
//	         chunk=1/events.parquet, ..., PartitionEvents events per folder
//	csv      every event, RFC 4180 with a header line
//	jsonl    every event, one JSON object per line
//	pprof    a heap profile (profile.proto, gzipped) by call stack and type
//	svg, png the growth chart
//	html     one self-contained page: summary, growth chart, tables
//
// The tabular formats share Columns: the trace's columns with the
// dictionaries resolved to text, and setup, true for the trace's set-up
// events. The SQL of the repository's docs/sql reads the Parquet export
// and computes analyze's figures from it.
//
// # Call stacks and tracemalloc's rules
//
// The pprof profile and the charts' by-type areas come from one more pass
// over the trace (replay), which keeps tracemalloc's view of the object
// layer as package analyze does, with each live allocation's type and call
// stack. A stack is rebuilt from the call and return rows: a call row
// pushes its site (where the call was made), a return pops it. A profile
// sample is one (stack, type) pair with six values: alloc_objects and
// alloc_space (requests, reallocs included), inuse_objects and inuse_space
// (live at the end), peak_objects and peak_space (live just after the
// event of tracemalloc's peak, the default sample type). A site label
// "function (file:line)" becomes a pprof function, file and line.
//
// # Outputs
//
// Export checks the output before it reads the trace: an existing output
// is an error (ErrExists) unless Options.Force is set, and a place that
// cannot be written is an error at once. The output is written under a
// temporary name beside it and renamed into place when complete, so that
// a failed export leaves nothing and a reader never sees half a file. A
// directory is replaced only by a dataset, and only if it holds nothing
// but chunk=K folders.
//
// # Parquet in the binary
//
// Arrow's Parquet writer (pqarrow) brings Arrow's compute kernels, Thrift
// and gRPC: about 30 MiB of binary and a minute of cold build. It is in
// the default build, so that "heaptrace export --to parquet" works for
// everyone; the noparquet build tag leaves it out (ParquetSupported is
// then false and a Parquet export is refused with ErrOptions).
package export
