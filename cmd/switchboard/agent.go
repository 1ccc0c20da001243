package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"switchboard"
	"switchboard/app"
	"switchboard/livechat/desk"
)

// agentUsage lists the agent subcommands.
const agentUsage = `usage:
  switchboard agent add --email E --name N [--admin] [--bot ID]... [--password-stdin] [--config FILE] [--data DIR | --database URL]
  switchboard agent signout --email E [--config FILE] [--data DIR | --database URL]
  switchboard agent password --email E [--password-stdin] [--config FILE] [--data DIR | --database URL]
The store is found as serve finds it: the flags, else SWITCHBOARD_DATA and
SWITCHBOARD_DATABASE, else the configuration file (--config or
SWITCHBOARD_CONFIG), else ./` + app.DefaultDataDir + `.`

// runAgent manages desk agents: add one, sign one out everywhere, or give
// one a new password.
func runAgent(ctx context.Context, args []string, std stdio) error {
	if len(args) == 0 {
		return &exitError{code: 2, err: errors.New(agentUsage)}
	}
	switch args[0] {
	case "add":
		return runAgentAdd(ctx, args[1:], std)
	case "signout", "password":
		return runAgentAccess(ctx, args[0], args[1:], std)
	}
	return &exitError{code: 2, err: fmt.Errorf("unknown agent command %q\n%s", args[0], agentUsage)}
}

// botList is a repeatable --bot flag.
type botList []string

func (b *botList) String() string      { return strings.Join(*b, ",") }
func (b *botList) Set(id string) error { *b = append(*b, id); return nil }

// runAgentAdd creates an agent.
func runAgentAdd(ctx context.Context, args []string, std stdio) error {
	out := std.out
	fs := newFlagSet("agent add", std)
	email := fs.String("email", "", "the agent's sign-in `email`")
	name := fs.String("name", "", "the agent's display `name`, shown to users")
	where := addStoreFlags(fs)
	fromStdin := fs.Bool("password-stdin", false, "read the password from standard input instead of generating one")
	admin := fs.Bool("admin", false, "the agent may also use the administration pages")
	var bots botList
	fs.Var(&bots, "bot", "a bot `ID` whose sessions the agent answers (repeat for several); none: every bot")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	password, err := readPassword(std, *fromStdin)
	if err != nil {
		return err
	}
	cfg, err := where.config()
	if err != nil {
		return err
	}
	fresh := !app.IsPostgres(cfg.Database) && !exists(filepath.Join(cfg.DataDir, app.SQLiteFile))
	store, err := where.open(ctx, false)
	if err != nil {
		return err
	}
	defer store.Close()
	n := desk.NewAgent{Email: *email, Name: *name, Password: password, Admin: *admin}
	if len(bots) > 0 {
		n.Bots = bots
	}
	a, err := desk.AddAgent(ctx, store, switchboard.SystemClock{}, n)
	if err != nil {
		return errors.New(switchboard.ErrorMessage(err))
	}
	fmt.Fprintf(out, "Agent %s <%s> can sign in to the desk", a.Name, a.Email)
	if a.Admin {
		fmt.Fprint(out, " and the administration")
	}
	if !*fromStdin {
		fmt.Fprintf(out, " with the password %s", password)
	}
	fmt.Fprintln(out, ".")
	if !a.SeesAllBots() {
		fmt.Fprintf(out, "They answer the sessions of these bots only: %s.\n", strings.Join(a.Bots, ", "))
	}
	fmt.Fprintf(out, "Saved in %s.\n", storePlace(cfg, store))
	if fresh {
		fmt.Fprintf(out, "There was no switchboard data there: a new database was made. If your server keeps its data elsewhere, add the agent again with --data set to the server's folder; else start the server with --data %s.\n", shellQuote(absPath(cfg.DataDir)))
	}
	return nil
}

// exists reports whether a file is there.
func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// runAgentAccess signs an agent out everywhere (signout), or gives it a new
// password, which signs it out everywhere too (password).
func runAgentAccess(ctx context.Context, cmd string, args []string, std stdio) error {
	fs := newFlagSet("agent "+cmd, std)
	email := fs.String("email", "", "the agent's sign-in `email`")
	where := addStoreFlags(fs)
	var fromStdin *bool
	if cmd == "password" {
		fromStdin = fs.Bool("password-stdin", false, "read the new password from standard input instead of generating one")
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if strings.TrimSpace(*email) == "" {
		return &exitError{code: 2, err: fmt.Errorf("--email is required: the email the agent signs in with\n%s", agentUsage)}
	}
	var password string
	if fromStdin != nil {
		var err error
		if password, err = readPassword(std, *fromStdin); err != nil {
			return err
		}
	}
	store, err := where.open(ctx, false)
	if err != nil {
		return err
	}
	defer store.Close()
	var a *switchboard.Agent
	err = store.View(ctx, func(tx switchboard.Tx) error {
		var err error
		a, err = tx.FindAgentByEmail(ctx, *email)
		return err
	})
	switch {
	case err != nil:
		return fmt.Errorf("find agent: %w", err)
	case a == nil:
		return fmt.Errorf("no agent signs in with %s: check the email (the Agents page lists them)", *email)
	}
	if cmd == "signout" {
		if _, err := desk.EndSignIns(ctx, store, a.ID); err != nil {
			return errors.New(switchboard.ErrorMessage(err))
		}
		fmt.Fprintf(std.out, "Agent %s <%s> is signed out everywhere.\n", a.Name, a.Email)
		return nil
	}
	if _, err := desk.SetPassword(ctx, store, a.ID, password); err != nil {
		return errors.New(switchboard.ErrorMessage(err))
	}
	fmt.Fprintf(std.out, "Agent %s <%s> is signed out everywhere and signs in", a.Name, a.Email)
	if !*fromStdin {
		fmt.Fprintf(std.out, " with the password %s", password)
	}
	fmt.Fprintln(std.out, " from now on.")
	return nil
}

// readPassword reads a password from the first line of standard input, or
// generates one.
func readPassword(std stdio, fromStdin bool) (string, error) {
	if !fromStdin {
		return desk.NewPassword(), nil
	}
	line, err := bufio.NewReader(std.in).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}
