// Command switchboard runs CSML chatbots with a handoff to human agents.
//
// Run `switchboard help` for the commands. This package is the only one that
// knows flags, environment variables and configuration files; everything else
// takes plain structs.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// command is one subcommand.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, std stdio) error
}

// stdio is where a command reads and writes.
type stdio struct {
	in       io.Reader
	out, err io.Writer
}

// commands lists every subcommand by name.
var commands = map[string]command{
	"demo":     {"start a demo server with the livechat example bot and an agent account", runDemo},
	"serve":    {"start the server with bots loaded from folders (--bot DIR)", runServe},
	"agent":    {"manage desk agents: agent add --email E --name N [--admin] [--bot ID]..., agent signout --email E, agent password --email E", runAgent},
	"secrets":  {"rotate the key that seals secrets at rest: secrets status|rotate|reseal|prune", runSecrets},
	"csml":     {"run the CSML interpreter once on JSON: csml run < input.json", runCSML},
	"validate": {"check a bot's CSML: validate [--json] PATH", runValidate},
	"chat":     {"talk to a bot in the terminal: chat PATH", runChat},
	"dev":      {"tools to try switchboard without outside accounts (platform simulators)", runDev},
	"livechat": {"livechat url BOT: the URL to paste in the bot's livechat platform", runLivechat},
	"migrate":  {"apply pending schema migrations: migrate [--database URL | --data DIR]", runMigrate},
}

// exitError carries a process exit status other than 1.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr}))
}

// run dispatches to a subcommand and turns its error into an exit status.
func run(ctx context.Context, args []string, std stdio) int {
	stdout, stderr := std.out, std.err
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "switchboard: unknown command %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	err := cmd.run(ctx, args[1:], std)
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil && ee.err.Error() != "" {
			fmt.Fprintf(stderr, "switchboard %s: %v\n", args[0], ee.err)
		}
		return ee.code
	}
	fmt.Fprintf(stderr, "switchboard %s: %v\n", args[0], err)
	return 1
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "switchboard runs CSML chatbots and hands conversations over to human agents.")
	fmt.Fprintln(w, "\nUsage: switchboard <command> [flags]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-9s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun `switchboard <command> -h` for the flags of a command.")
}
