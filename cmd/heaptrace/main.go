// Command heaptrace records how a Python program's heap is built, event by
// event, on a model of CPython's memory manager, and analyses the trace.
package main

import "os"

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }
