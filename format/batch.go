// This file defines Batch, the unit that writers take and readers return.

package format

// MaxBatchLen is the most events one batch may hold. Readers use it to bound
// the memory a batch may claim, so writers refuse longer batches.
const MaxBatchLen = 1 << 24

// Batch is a column-wise slice of events: row i is the event (Seq[i],
// Op[i], ...). All columns have the same length. Type indexes
// Header.Types and Site indexes Header.Sites.
type Batch struct {
	Seq   []uint64
	Op    []Op
	Layer []Layer
	Type  []uint16
	Size  []int64
	Block []int64
	Addr  []uint64
	Site  []uint32
}

// Len returns the number of events in b.
func (b *Batch) Len() int { return len(b.Seq) }

// Reset empties b, keeping its capacity.
func (b *Batch) Reset() {
	b.Seq = b.Seq[:0]
	b.Op = b.Op[:0]
	b.Layer = b.Layer[:0]
	b.Type = b.Type[:0]
	b.Size = b.Size[:0]
	b.Block = b.Block[:0]
	b.Addr = b.Addr[:0]
	b.Site = b.Site[:0]
}

// Append adds one event to b.
func (b *Batch) Append(seq uint64, op Op, l Layer, typ uint16, size, block int64, addr uint64, site uint32) {
	b.Seq = append(b.Seq, seq)
	b.Op = append(b.Op, op)
	b.Layer = append(b.Layer, l)
	b.Type = append(b.Type, typ)
	b.Size = append(b.Size, size)
	b.Block = append(b.Block, block)
	b.Addr = append(b.Addr, addr)
	b.Site = append(b.Site, site)
}

// columnsEqual reports whether all of b's columns have the same length.
func (b *Batch) columnsEqual() bool {
	n := len(b.Seq)
	return len(b.Op) == n && len(b.Layer) == n && len(b.Type) == n && len(b.Size) == n &&
		len(b.Block) == n && len(b.Addr) == n && len(b.Site) == n
}
