// Package synthetic holds workloads written in Go against the per-type
// allocators: patterns of allocation at any scale, with no interpreter in
// the way. Each declares its sites and types before it runs (a trace's
// dictionaries are fixed when recording starts), then drives the heap the
// way CPython would for the Python shown in its description.
package synthetic
