//go:build !linux

package driver

// machineMemory returns 0: it cannot tell the machine's memory here.
func machineMemory() int64 { return 0 }
