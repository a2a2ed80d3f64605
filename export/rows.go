// This file defines the row-wise exports, CSV and JSON Lines, and the
// columns that they share with the Parquet export.

package export

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/heaptrace/heaptrace/format"
)

// Columns are the columns of the tabular exports (Parquet, CSV, JSON
// Lines), in order: the trace's columns with every dictionary resolved to
// its text, and setup, true for the trace's set-up events
// (format.Meta.SetupEvents), which tracemalloc-comparable figures leave
// out. In Parquet, seq and addr are signed 64-bit integers (INT64, as
// Spark and Trino read them; their values are far below 2^63).
var Columns = []string{"seq", "op", "layer", "type", "size", "block", "addr", "site", "setup"}

// rowFormat writes events one row at a time.
type rowFormat interface {
	// quote returns a string value as the format writes it.
	quote(s string) string
	// header returns what comes before the first row.
	header() string
	// row appends one row to buf; the strings are quoted already.
	row(buf []byte, seq uint64, op, layer, typ string, size, block int64, addr uint64, site string, setup bool) []byte
}

// writeRows writes every event of r to w as rows of f, and returns how many.
func writeRows(w io.Writer, r *format.Reader, f rowFormat, progress func(done, total int)) (uint64, error) {
	h := r.Header()
	quoteAll := func(names []string) []string {
		q := make([]string, len(names))
		for i, n := range names {
			q[i] = f.quote(n)
		}
		return q
	}
	ops, layers := quoteAll(format.OpNames()), quoteAll(format.LayerNames())
	types, sites := quoteAll(h.Types), quoteAll(h.Sites)
	setup := h.Meta.SetupEvents

	bw := bufio.NewWriterSize(w, 1<<20)
	if _, err := bw.WriteString(f.header()); err != nil {
		return 0, err
	}
	var b format.Batch
	var buf []byte
	var events uint64
	total := r.NumBatches()
	for done := 1; ; done++ {
		err := r.Next(&b)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return events, err
		}
		for i, seq := range b.Seq {
			buf = f.row(buf[:0], seq, ops[b.Op[i]], layers[b.Layer[i]], types[b.Type[i]],
				b.Size[i], b.Block[i], b.Addr[i], sites[b.Site[i]], seq <= setup)
			if _, err := bw.Write(buf); err != nil {
				return events, err
			}
		}
		events += uint64(b.Len())
		if progress != nil {
			progress(done, total)
		}
	}
	return events, bw.Flush()
}

// csvRows is RFC 4180 CSV with a header line: strings are quoted when they
// hold a comma, a quote or a line break, booleans are true and false.
type csvRows struct{}

func (csvRows) header() string { return strings.Join(Columns, ",") + "\n" }

func (csvRows) quote(s string) string {
	var sb strings.Builder
	w := csv.NewWriter(&sb)
	w.Write([]string{s})
	w.Flush()
	return strings.TrimSuffix(sb.String(), "\n")
}

func (csvRows) row(buf []byte, seq uint64, op, layer, typ string, size, block int64, addr uint64, site string, setup bool) []byte {
	buf = strconv.AppendUint(buf, seq, 10)
	buf = append(buf, ',')
	buf = append(buf, op...)
	buf = append(buf, ',')
	buf = append(buf, layer...)
	buf = append(buf, ',')
	buf = append(buf, typ...)
	buf = append(buf, ',')
	buf = strconv.AppendInt(buf, size, 10)
	buf = append(buf, ',')
	buf = strconv.AppendInt(buf, block, 10)
	buf = append(buf, ',')
	buf = strconv.AppendUint(buf, addr, 10)
	buf = append(buf, ',')
	buf = append(buf, site...)
	buf = append(buf, ',')
	buf = strconv.AppendBool(buf, setup)
	return append(buf, '\n')
}

// jsonRows is JSON Lines: one object per event, keys in column order.
type jsonRows struct{}

func (jsonRows) header() string { return "" }

func (jsonRows) quote(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(b)
}

func (jsonRows) row(buf []byte, seq uint64, op, layer, typ string, size, block int64, addr uint64, site string, setup bool) []byte {
	buf = append(buf, `{"seq":`...)
	buf = strconv.AppendUint(buf, seq, 10)
	buf = append(buf, `,"op":`...)
	buf = append(buf, op...)
	buf = append(buf, `,"layer":`...)
	buf = append(buf, layer...)
	buf = append(buf, `,"type":`...)
	buf = append(buf, typ...)
	buf = append(buf, `,"size":`...)
	buf = strconv.AppendInt(buf, size, 10)
	buf = append(buf, `,"block":`...)
	buf = strconv.AppendInt(buf, block, 10)
	buf = append(buf, `,"addr":`...)
	buf = strconv.AppendUint(buf, addr, 10)
	buf = append(buf, `,"site":`...)
	buf = append(buf, site...)
	buf = append(buf, `,"setup":`...)
	buf = strconv.AppendBool(buf, setup)
	return append(buf, "}\n"...)
}
