package main

import (
	"errors"
	"flag"
	"strings"
)

// newFlagSet returns a flag set that reports errors instead of exiting, so
// a bad flag is a usage error (exit 2) with the command's flags listed on
// standard error.
func newFlagSet(name string, std stdio) *flag.FlagSet {
	fs := flag.NewFlagSet("switchboard "+name, flag.ContinueOnError)
	fs.SetOutput(std.err)
	return fs
}

// parseFlags parses args; -h prints the flags and succeeds.
func parseFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		return &exitError{code: 0}
	}
	if err != nil {
		return &exitError{code: 2, err: errors.New("")}
	}
	if fs.NArg() > 0 {
		return &exitError{code: 2, err: errors.New("unexpected argument " + strings.Join(fs.Args(), " "))}
	}
	return nil
}

// listFlag collects a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }
