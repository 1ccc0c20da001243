package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"switchboard"
	"switchboard/livechat/desk"
)

// runAgent manages desk agents; for now: add.
func runAgent(ctx context.Context, args []string, std stdio) error {
	out := std.out
	if len(args) == 0 || args[0] != "add" {
		return &exitError{code: 2, err: errors.New("usage: switchboard agent add --email E --name N [--admin] [--password-stdin] [--data DIR | --database URL]")}
	}
	fs := newFlagSet("agent add", std)
	email := fs.String("email", "", "the agent's sign-in `email`")
	name := fs.String("name", "", "the agent's display `name`, shown to users")
	where := addStoreFlags(fs)
	fromStdin := fs.Bool("password-stdin", false, "read the password from standard input instead of generating one")
	admin := fs.Bool("admin", false, "the agent may also use the administration pages")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	password := desk.NewPassword()
	if *fromStdin {
		line, err := bufio.NewReader(std.in).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("read password: %w", err)
		}
		password = strings.TrimRight(line, "\r\n")
	}
	store, err := where.open(ctx, false)
	if err != nil {
		return err
	}
	defer store.Close()
	a, err := desk.CreateAgent(ctx, store, switchboard.SystemClock{}, *email, *name, password)
	if err == nil && *admin {
		a, err = desk.ChangeAgent(ctx, store, a.ID, desk.AgentChange{Admin: admin})
	}
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
	return nil
}
