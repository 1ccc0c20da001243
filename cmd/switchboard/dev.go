package main

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// devCommands are the tools for trying switchboard without outside accounts
// (platform simulators); each tool's file adds itself.
var devCommands = map[string]command{}

// runDev dispatches `switchboard dev TOOL`.
func runDev(ctx context.Context, args []string, std stdio) error {
	names := make([]string, 0, len(devCommands))
	for n := range devCommands {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(std.out, "Usage: switchboard dev TOOL [flags]\n\nTools:")
		for _, n := range names {
			fmt.Fprintf(std.out, "  %-14s %s\n", n, devCommands[n].summary)
		}
		if len(args) == 0 {
			return &exitError{code: 2, err: errors.New("")}
		}
		return nil
	}
	tool, ok := devCommands[args[0]]
	if !ok {
		return &exitError{code: 2, err: fmt.Errorf("unknown tool %q: use one of %s", args[0], strings.Join(names, ", "))}
	}
	return tool.run(ctx, args[1:], std)
}
