// Package recorder writes the events of a modelled heap to a trace file.
//
// It is the one bridge between the model and the trace format:
//
//	model.Heap --Event--> Recorder (a model.Observer) --Batch--> format.Writer --> trace.arrow
//
// The model knows nothing of files and package format nothing of the
// model; a Recorder turns each model.Event into a row of a format.Batch,
// mapping the model's Op and Layer to format's by value (their tests keep
// the two vocabularies equal), and hands the batch to a format.Writer each
// time it is full. The writer compresses and writes on a goroutine of its
// own while the next batch fills, so a compressed recording uses a second
// core. Its memory stays flat however long the run: it reuses two batch
// buffers of WithBatchSize events (65536 by default).
//
// Observe cannot return an error, so a Recorder remembers the first one:
// an event the trace cannot hold (a type or site outside the header's
// tables, a seq out of order) or a failed write. It then drops every later
// event, and Close and Err report the error. Close still flushes the events
// accepted before the error and writes the footer, so the file is a valid
// trace of the run up to its first problem.
package recorder
