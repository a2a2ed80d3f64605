package driver

// fallbackMaxMemory is DefaultMaxMemory where the machine's memory is not
// known.
const fallbackMaxMemory = 8 << 30

// DefaultMaxMemory is the default bound on the analyzer's table of live
// objects (analyze.Options.MaxMemory): half of the memory this process may
// use (machineMemory), so that a trace whose live objects would not fit
// stops with an error instead of the machine swapping or killing the
// process.
func DefaultMaxMemory() int64 {
	if m := machineMemory(); m > 0 {
		return m / 2
	}
	return fallbackMaxMemory
}
