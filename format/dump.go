// This file defines Dump, which prints a trace as text.

package format

import (
	"bufio"
	"fmt"
	"io"
)

// Dump writes the trace r reads as text: the header (metadata, the sizes
// of the type and site tables, the number of batches), one line per event,
// e.g.
//
//	#12 object alloc list.items size=32 block=32 addr=0x7f0000003030 site=grow (g.py:3)
//
// and a last line with the number of events, which says whether the file
// was cut short. Dump reads r to its end.
func Dump(w io.Writer, r *Reader) error {
	bw := bufio.NewWriter(w)
	h := r.Header()
	fmt.Fprintf(bw, "heaptrace trace, format version %d\n", h.Meta.FormatVersion)
	fmt.Fprintf(bw, "profile:      %s\n", h.Meta.Profile)
	fmt.Fprintf(bw, "workload:     %s\n", h.Meta.Workload)
	fmt.Fprintf(bw, "tool_version: %s\n", h.Meta.ToolVersion)
	fmt.Fprintf(bw, "params:       %s\n", h.Meta.Params)
	fmt.Fprintf(bw, "setup_events: %d\n", h.Meta.SetupEvents)
	fmt.Fprintf(bw, "types:        %d\n", len(h.Types))
	fmt.Fprintf(bw, "sites:        %d\n", len(h.Sites))
	if n := r.NumBatches(); n >= 0 {
		fmt.Fprintf(bw, "batches:      %d\n", n)
	} else {
		fmt.Fprintf(bw, "batches:      unknown (no footer)\n")
	}

	var (
		b      Batch
		events uint64
	)
	for {
		err := r.Next(&b)
		if err == io.EOF {
			break
		}
		if err != nil {
			bw.Flush()
			return err
		}
		for i := 0; i < b.Len(); i++ {
			// The reader has checked the indices.
			fmt.Fprintf(bw, "#%d %s %s %s size=%d block=%d addr=%#x site=%s\n",
				b.Seq[i], b.Layer[i], b.Op[i], h.Types[b.Type[i]], b.Size[i], b.Block[i], b.Addr[i], h.Sites[b.Site[i]])
		}
		events += uint64(b.Len())
	}
	if r.Truncated() {
		fmt.Fprintf(bw, "events:       %d (the file was cut short)\n", events)
	} else {
		fmt.Fprintf(bw, "events:       %d\n", events)
	}
	return bw.Flush()
}
