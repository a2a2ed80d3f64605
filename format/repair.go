// This file defines Repair, which turns a trace cut short into a complete
// one.

package format

import (
	"errors"
	"fmt"
	"io"
)

// RepairResult says what Repair kept.
type RepairResult struct {
	Batches   int
	Events    uint64
	Truncated bool // the input was cut short
}

// Repair copies every complete batch of the trace r into a new, properly
// closed trace written to w, with the same header and, unless opts say
// otherwise, the same compression.
// A trace cut short (a crash, a kill) thus becomes a complete file that
// any Arrow file reader opens; a complete trace is copied as it is. The
// batches after the first undecodable one are lost, as they are to any
// reader.
func Repair(w io.WriteSeeker, r *Reader, opts ...WriterOption) (RepairResult, error) {
	var res RepairResult
	opts = append([]WriterOption{WithCompression(r.Compression())}, opts...)
	fw, err := NewWriter(w, r.Header(), opts...)
	if err != nil {
		return res, fmt.Errorf("format: repair %s: %w", r.name, err)
	}
	var b Batch
	for {
		err := r.Next(&b)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// what came before is kept: a corrupt batch ends the data as a
			// cut does
			res.Truncated = true
			break
		}
		if b.Len() == 0 {
			continue
		}
		if err := fw.Write(&b); err != nil {
			return res, fmt.Errorf("format: repair %s: batch %d: %w", r.name, res.Batches, err)
		}
		res.Batches++
		res.Events += uint64(b.Len())
	}
	res.Truncated = res.Truncated || r.Truncated()
	if err := fw.Close(); err != nil {
		return res, fmt.Errorf("format: repair %s: %w", r.name, err)
	}
	return res, nil
}
