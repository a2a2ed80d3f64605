//go:build noparquet

// This file stands in for the Parquet export in builds with the
// noparquet tag, which leave Arrow's Parquet writer out.

package export

import "github.com/heaptrace/heaptrace/format"

// ParquetSupported reports whether this build writes Parquet.
const ParquetSupported = false

// KeyPartitionEvents is the Parquet metadata key that a file of a
// partitioned dataset carries: the events per folder.
const KeyPartitionEvents = "heaptrace.partition_events"

func writeParquet(o *output, r *format.Reader, opts Options) (uint64, error) {
	panic("export: Parquet is not built in") // Options.check refuses it first
}
