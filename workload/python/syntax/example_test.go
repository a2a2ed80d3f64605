package syntax_test

import (
	"fmt"
	"os"

	"github.com/heaptrace/heaptrace/workload/python/syntax"
)

func ExampleParse() {
	src := []byte("total = 0\nfor x in range(3):\n    total += x * 2\n")
	f, err := syntax.Parse("example.py", src)
	if err != nil {
		fmt.Println(err)
		return
	}
	syntax.Fprint(os.Stdout, f)
	// Output:
	// File "example.py"
	//   Assign @1:1
	//     targets:
	//       Name total @1:1
	//     value: Int 0 @1:9
	//   For @2:1
	//     target: Name x @2:5
	//     iter: Call @2:10
	//       func: Name range @2:10
	//       args:
	//         Int 3 @2:16
	//     body:
	//       AugAssign += @3:5
	//         target: Name total @3:5
	//         value: BinOp * @3:14
	//           left: Name x @3:14
	//           right: Int 2 @3:18
}

func ExampleParse_error() {
	_, err := syntax.Parse("example.py", []byte("with open(path) as f:\n    data = f.read()\n"))
	fmt.Println(err)
	if perr, ok := err.(*syntax.Error); ok {
		fmt.Println(perr.Pos.Line, perr.Pos.Col, perr.Unsupported)
	}
	_, err = syntax.Parse("example.py", []byte("if x\n    pass\n"))
	fmt.Println(err)
	// Output:
	// example.py:1:1: unsupported: with statement
	// 1 1 true
	// example.py:1:5: expected ':'
}

func ExampleWalk() {
	f, err := syntax.Parse("example.py", []byte("print(len(xs), max(xs, key=abs))\n"))
	if err != nil {
		fmt.Println(err)
		return
	}
	syntax.Walk(f, func(n syntax.Node) bool {
		if call, ok := n.(*syntax.Call); ok {
			if name, ok := call.Func.(*syntax.Name); ok {
				fmt.Printf("%s: call of %s\n", call.Pos, name.Id)
			}
		}
		return true
	})
	// Output:
	// 1:1: call of print
	// 1:7: call of len
	// 1:16: call of max
}
