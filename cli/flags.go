package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

// parseFlags parses args with fs, allowing flags after positional
// arguments ("discover alice@example.com --json") as users type them.
// It returns the positional arguments.
func parseFlags(fs *flag.FlagSet, args []string, env *Env) ([]string, error) {
	fs.SetOutput(io.Discard)
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			why := flagError(err)
			fmt.Fprintf(env.Stderr, "mailsetup %s: %s\n", fs.Name(), why.In(env.lang))
			printFlags(env.Stderr, fs, env.lang)
			return nil, &usageError{why}
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if rest[0] == "--" {
			return append(positional, rest[1:]...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error {
	*s = append(*s, v)
	return nil
}
