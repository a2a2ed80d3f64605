// This file defines the Arrow schema of a trace and checks a file's schema
// against it.

package format

import (
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
)

// The columns of a trace, in the order the writer stores them.
const (
	colOp = iota
	colLayer
	colType
	colSize
	colBlock
	colAddr
	colSite
	numColumns
)

// The dictionary types of the dictionary-encoded columns.
var (
	opType    = &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int8, ValueType: arrow.BinaryTypes.String}
	layerType = &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int8, ValueType: arrow.BinaryTypes.String}
	typeType  = &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int16, ValueType: arrow.BinaryTypes.String}
	siteType  = &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
)

// columns are the fields of a trace, indexed by the col constants.
var columns = [numColumns]arrow.Field{
	colOp:    {Name: "op", Type: opType},
	colLayer: {Name: "layer", Type: layerType},
	colType:  {Name: "type", Type: typeType},
	colSize:  {Name: "size", Type: arrow.PrimitiveTypes.Int64},
	colBlock: {Name: "block", Type: arrow.PrimitiveTypes.Int64},
	colAddr:  {Name: "addr", Type: arrow.PrimitiveTypes.Uint64},
	colSite:  {Name: "site", Type: siteType},
}

// ColumnNames lists the columns of a trace in the order they are written.
func ColumnNames() []string {
	names := make([]string, numColumns)
	for i, f := range columns {
		names[i] = f.Name
	}
	return names
}

// seqField is the first column of a version 1 trace: the event number,
// stored. Version 2 dropped it: events are numbered by their row, and
// the stored numbers were most of a compressed file (see doc.go).
var seqField = arrow.Field{Name: "seq", Type: arrow.PrimitiveTypes.Uint64}

// newSchema returns the Arrow schema of a trace with metadata m, of
// version m.FormatVersion.
func newSchema(m Meta) *arrow.Schema {
	keys, values := m.metadata()
	md := arrow.NewMetadata(keys, values)
	fields := columns[:]
	if m.FormatVersion == 1 {
		fields = append([]arrow.Field{seqField}, fields...)
	}
	return arrow.NewSchema(fields, &md)
}

// columnIndex maps each trace column (a col constant) to its position in a
// file's schema.
type columnIndex [numColumns]int

// noColumn is the position of a column the file does not have.
const noColumn = -1

// readSchema checks that s is the schema of a trace this package reads and
// returns its metadata, where its columns are, and where its seq column
// is (a version 1 file's; noColumn in later versions). Columns are found
// by name; a file may hold further columns, which are ignored. The error
// is an ErrNotTrace or ErrVersion.
func readSchema(s *arrow.Schema) (m Meta, idx columnIndex, seq int, err error) {
	seq = noColumn
	md := s.Metadata()
	v, ok := md.GetValue(KeyFormatVersion)
	if !ok {
		return m, idx, seq, errorf(ErrNotTrace, "not a heaptrace trace: no %s metadata", KeyFormatVersion)
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return m, idx, seq, errorf(ErrVersion, "format version %q, this heaptrace reads versions %d to %d", v, OldestVersion, Version)
	}
	if n < OldestVersion || n > Version {
		return m, idx, seq, errorf(ErrVersion, "format version %d, this heaptrace reads versions %d to %d", n, OldestVersion, Version)
	}
	m.FormatVersion = n
	m.Profile, _ = md.GetValue(KeyProfile)
	m.Workload, _ = md.GetValue(KeyWorkload)
	m.ToolVersion, _ = md.GetValue(KeyToolVersion)
	m.Params, _ = md.GetValue(KeyParams)
	if v, ok := md.GetValue(KeySetupEvents); ok {
		if m.SetupEvents, err = strconv.ParseUint(strings.TrimSpace(v), 10, 64); err != nil {
			return m, idx, seq, errorf(ErrNotTrace, "not a heaptrace trace: %s is %q, not a count", KeySetupEvents, v)
		}
	}

	fields := columns[:]
	if n == 1 {
		fields = append([]arrow.Field{seqField}, fields...)
	}
	var missing []string
	for c, want := range fields {
		found := s.FieldIndices(want.Name)
		switch {
		case len(found) == 0:
			missing = append(missing, want.Name)
			continue
		case len(found) > 1:
			return m, idx, seq, errorf(ErrNotTrace, "not a heaptrace trace: %d columns named %s", len(found), want.Name)
		}
		got := s.Field(found[0]).Type
		if !arrow.TypeEqual(got, want.Type) {
			return m, idx, seq, errorf(ErrNotTrace, "not a heaptrace trace: column %s is %s, want %s", want.Name, got, want.Type)
		}
		if n == 1 {
			if c == 0 {
				seq = found[0]
				continue
			}
			c--
		}
		idx[c] = found[0]
	}
	if len(missing) > 0 {
		return m, idx, seq, errorf(ErrNotTrace, "not a heaptrace trace: no column %s", strings.Join(missing, ", "))
	}
	return m, idx, seq, nil
}

// describe names a column for error messages.
func describe(col int) string { return "column " + columns[col].Name }
