package analyze

import "io"

// Table writes rows under header as the reports do: ASCII borders, the
// first column left-aligned and the others (numbers) right-aligned. Other
// commands' tables use it so that every table of heaptrace looks alike.
func Table(w io.Writer, header []string, rows [][]string) { table(w, header, rows) }
