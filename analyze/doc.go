// Package analyze replays a heaptrace trace, batch by batch, and reports
// what a user asks of it: sizes by object type, the peak at each layer of
// the heap (objects: requested bytes as tracemalloc counts them;
// allocator: pymalloc blocks and malloc chunks in use; os: bytes mapped)
// and how the heap grew. It reads package format only.
//
// Replay is streaming: its memory is the live allocations and the type
// table, never the events, so a trace of any length is analysed in the
// memory its live heap needs. The growth curve is downsampled as it
// streams (Downsampler), keeping each bucket's lowest and highest point,
// so the peak is never lost between points.
//
// The object layer follows tracemalloc's rules: an allocation made in the
// trace's set-up events (format.Meta.SetupEvents) is untraced, and freeing
// it counts nothing; objects parked on free lists still count. Events that
// contradict what came before (a free of an address that is not
// allocated) are reported as anomalies with their event number, and the
// replay goes on.
package analyze
