// This file defines a trace's header: its metadata and the type and site
// tables that the type and site columns index.

package format

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// Version is the trace format version this package writes. It is stored
// as the decimal string of the heaptrace.format_version schema metadata.
// See the package documentation for when it changes.
const Version = 2

// OldestVersion is the oldest format version this package reads: readers
// take every version from OldestVersion to Version.
const OldestVersion = 1

// The schema metadata keys of a trace.
const (
	KeyFormatVersion = "heaptrace.format_version" // decimal Version; the one required key
	KeyProfile       = "heaptrace.profile"        // the modelled interpreter, e.g. "cpython-3.11"
	KeyWorkload      = "heaptrace.workload"       // what ran, e.g. a script's name
	KeyToolVersion   = "heaptrace.tool_version"   // the heaptrace that wrote the file
	KeyParams        = "heaptrace.params"         // model parameters, a JSON object
	KeySetupEvents   = "heaptrace.setup_events"   // decimal count of set-up events; optional, 0 when absent
)

// The first entry of each table: the type of events that have none, and the
// site of events whose source position is unknown.
const (
	NoType      = "none"
	UnknownSite = "?"
)

// Limits on the tables, set by the index types of the type (int16) and site
// (int32) columns.
const (
	MaxTypes = math.MaxInt16 + 1
	MaxSites = math.MaxInt32

	// MaxTableBytes bounds the bytes of the names of one table.
	MaxTableBytes = 64 << 20
)

// Meta is a trace's metadata, stored as the Arrow schema's key/value
// metadata.
type Meta struct {
	// FormatVersion is the trace format version. Writers store Version
	// (zero means Version); readers return what the file says.
	FormatVersion int
	// Profile names the modelled interpreter, e.g. "cpython-3.11".
	Profile string
	// Workload names what ran, e.g. "words.py".
	Workload string
	// ToolVersion is the version of the tool that wrote the trace.
	ToolVersion string
	// Params is a JSON object of the model's parameters, opaque to this
	// package. The writer stores "{}" when it is empty.
	Params string
	// SetupEvents counts the first events of the trace that build the
	// state which exists before measuring starts, as objects exist before
	// tracemalloc.start() in CPython (an interpreter's globals dict, say).
	// They are real memory at every layer, but tracemalloc-comparable
	// figures ignore allocations made in them, and freeing such an
	// allocation later counts nothing, as tracemalloc ignores untraced
	// pointers.
	SetupEvents uint64
}

// Header is what a trace declares before its events: the metadata and the
// tables that the type and site columns index. Both tables are complete
// before the first event (a workload knows its type names and its source
// sites before it runs), so each is written once.
type Header struct {
	Meta Meta
	// Types are the object type names ("int", "list.items", "arena", ...);
	// Types[0] is NoType.
	Types []string
	// Sites are source positions, e.g. "count_words (words.py:12)";
	// Sites[0] is UnknownSite.
	Sites []string
}

// check reports the first thing wrong with a header that is about to be
// written.
func (h *Header) check() error {
	if v := h.Meta.FormatVersion; v != 0 && v != Version {
		return fmt.Errorf("header: format version %d, this package writes version %d", v, Version)
	}
	if p := h.Meta.Params; p != "" {
		if !json.Valid([]byte(p)) || !bytes.HasPrefix(bytes.TrimSpace([]byte(p)), []byte("{")) {
			return fmt.Errorf("header: params are not a JSON object: %.40q", p)
		}
	}
	if err := checkTable("type", h.Types, NoType, MaxTypes); err != nil {
		return err
	}
	return checkTable("site", h.Sites, UnknownSite, MaxSites)
}

// checkTable checks that names starts with first and holds at most max
// distinct non-empty names.
func checkTable(what string, names []string, first string, max int) error {
	switch {
	case len(names) == 0:
		return fmt.Errorf("header: empty %s table: %s 0 must be %q", what, what, first)
	case names[0] != first:
		return fmt.Errorf("header: %s 0 is %q, want %q", what, names[0], first)
	case len(names) > max:
		return fmt.Errorf("header: %d %s names, at most %d fit the %s column", len(names), what, max, what)
	}
	seen := make(map[string]int, len(names))
	total := 0
	for i, name := range names {
		total += len(name)
		if total > MaxTableBytes {
			return fmt.Errorf("header: %s names over %d bytes", what, MaxTableBytes)
		}
		if name == "" {
			return fmt.Errorf("header: %s %d has an empty name", what, i)
		}
		if j, ok := seen[name]; ok {
			return fmt.Errorf("header: %s %d and %s %d are both %q", what, j, what, i, name)
		}
		seen[name] = i
	}
	return nil
}

// metadata returns the schema metadata of m, in a fixed key order.
func (m Meta) metadata() (keys, values []string) {
	params := m.Params
	if params == "" {
		params = "{}"
	}
	keys = []string{KeyFormatVersion, KeyProfile, KeyWorkload, KeyToolVersion, KeyParams, KeySetupEvents}
	values = []string{strconv.Itoa(m.FormatVersion), m.Profile, m.Workload, m.ToolVersion, params, strconv.FormatUint(m.SetupEvents, 10)}
	return keys, values
}
