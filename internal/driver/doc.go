// Package driver joins heaptrace's layers for the command line: it builds
// a heap for a profile, lets a workload declare its types and sites, starts
// a recorder on the output file, runs the workload and closes the trace,
// whatever way the workload ends. The command package only parses flags
// and calls it.
package driver
