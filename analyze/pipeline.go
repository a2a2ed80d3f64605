// This file defines pipeline, which replays a trace in three stages, each
// on a goroutine of its own, a batch at a time: decoding the batches and
// replaying their allocator and os layers; the object table (the live
// objects, looked up by address); and the counting of the object layer.

package analyze

import (
	"errors"
	"io"

	"github.com/heaptrace/heaptrace/format"
)

// pipelineDepth is the number of batches in flight: one in each stage,
// and one waiting between each two. Memory stays at these batches (and
// their resolved records) whatever the trace's length.
const pipelineDepth = 5

// staged is a batch on its way through the pipeline, with the object
// table's resolved records of its object-layer rows.
type staged struct {
	b   format.Batch
	rec records
}

// pipeline calls lower, table and count with each batch of r, in order:
// lower on the goroutine that decodes the batches, table on a second, and
// count on the caller's, each at most a few batches ahead of the next. It
// returns the reader's error or table's, which stops the pipeline, or nil
// at the end of the trace. The batch and records passed to count are
// valid until count returns.
func pipeline(r *format.Reader, lower func(*format.Batch), table func(*format.Batch, *records) error,
	count func(*format.Batch, *records)) error {
	free := make(chan *staged, pipelineDepth)
	for range pipelineDepth {
		free <- new(staged)
	}
	decoded := make(chan *staged, pipelineDepth)
	full := make(chan *staged, pipelineDepth)
	stop := make(chan struct{}) // closed when table fails
	var readErr error           // set before decoded is closed
	go func() {
		defer close(decoded)
		for {
			var s *staged
			select {
			case s = <-free:
			case <-stop:
				return
			}
			if s == nil {
				return // free is closed
			}
			if e := r.Next(&s.b); e != nil {
				if !errors.Is(e, io.EOF) {
					readErr = e
				}
				return
			}
			lower(&s.b)
			select {
			case decoded <- s:
			case <-stop:
				return
			}
		}
	}()
	var tableErr error // set before full is closed
	go func() {
		defer close(full)
		for s := range decoded {
			if tableErr = table(&s.b, &s.rec); tableErr != nil {
				close(stop)
				for range decoded {
				}
				return
			}
			full <- s
		}
	}()
	for s := range full {
		count(&s.b, &s.rec)
		free <- s
	}
	close(free)
	if tableErr != nil {
		return tableErr
	}
	return readErr
}
