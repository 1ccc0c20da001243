package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"switchboard"
	"switchboard/botfile"
	"switchboard/csml"
)

// runValidate checks a bot as the reference's /validate does: every parse
// and lint error with its position and an excerpt; warnings are printed
// but do not make the bot invalid. Exit status 1 when invalid.
func runValidate(_ context.Context, args []string, std stdio) error {
	fs := newFlagSet("validate", std)
	asJSON := fs.Bool("json", false, "print {valid, errors, warnings} as JSON for tools")
	fs.Usage = func() {
		fmt.Fprintln(std.err, "usage: switchboard validate [--json] PATH\n\nPATH is a bot folder (bot.json + flows/), a bot.json file or a CSML engine BotModel JSON file.")
		fs.PrintDefaults()
	}
	path, err := parseWithPath(fs, args)
	if err != nil {
		return err
	}
	bot, err := botfile.Load(path)
	var diags []csml.Diagnostic
	if err != nil {
		diags = []csml.Diagnostic{{Message: err.Error(), Severity: csml.SeverityError}}
	} else {
		_, diags = csml.Compile(csmlSource(bot, true))
	}
	valid := true
	for _, d := range diags {
		if d.Severity != csml.SeverityWarning {
			valid = false
		}
	}
	if *asJSON {
		err = writeValidation(std.out, valid, diags)
	} else {
		err = printValidation(std.out, path, bot, diags)
	}
	if err != nil {
		return err
	}
	if !valid {
		return &exitError{code: 1, err: errors.New("")}
	}
	return nil
}

// parseWithPath parses flags and one PATH argument, which may come before
// or after the flags.
func parseWithPath(fs *flag.FlagSet, args []string) (string, error) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return args[0], parseFlags(fs, args[1:])
	}
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return "", &exitError{code: 0}
	case err != nil:
		return "", &exitError{code: 2, err: errors.New("")}
	case fs.NArg() == 0:
		fs.Usage()
		return "", &exitError{code: 2, err: errors.New("")}
	}
	return fs.Arg(0), parseFlags(fs, fs.Args()[1:])
}

// csmlSource is a stored bot as csml.Compile takes it.
func csmlSource(b switchboard.Bot, dropBroken bool) csml.Source {
	src := csml.Source{
		ID: b.ID, Name: b.Name, DefaultFlow: b.DefaultFlow, Env: b.Env,
		CustomComponents: b.CustomComponents, AppsEndpoint: b.AppsEndpoint, DropBrokenFlows: dropBroken,
	}
	for _, f := range b.Flows {
		src.Flows = append(src.Flows, csml.FlowSource{ID: f.ID, Name: f.Name, Content: f.Content, Commands: f.Commands})
	}
	return src
}

// validationError is one problem in the reference's /validate shape.
type validationError struct {
	Flow        string `json:"flow"`
	StartLine   int    `json:"start_line"`
	StartColumn int    `json:"start_column"`
	EndLine     int    `json:"end_line"`
	EndColumn   int    `json:"end_column"`
	Message     string `json:"message"`
}

func writeValidation(w io.Writer, valid bool, diags []csml.Diagnostic) error {
	out := struct {
		Valid    bool              `json:"valid"`
		Errors   []validationError `json:"errors"`
		Warnings []validationError `json:"warnings"`
	}{Valid: valid, Errors: []validationError{}, Warnings: []validationError{}}
	for _, d := range diags {
		// The message holds the excerpt and the caret, as the reference's.
		v := validationError{d.Flow, d.Line, d.Column, d.EndLine, d.EndColumn, d.Format()}
		if d.Severity == csml.SeverityWarning {
			out.Warnings = append(out.Warnings, v)
		} else {
			out.Errors = append(out.Errors, v)
		}
	}
	return writeJSON(w, out)
}

// printValidation writes the problems for a person: where, what, and the
// source line with a caret under the column.
func printValidation(w io.Writer, path string, bot switchboard.Bot, diags []csml.Diagnostic) error {
	var b strings.Builder
	errs, warns := 0, 0
	for _, d := range diags {
		kind := "error"
		if d.Severity == csml.SeverityWarning {
			kind, warns = "warning", warns+1
		} else {
			errs++
		}
		switch {
		case d.Flow != "" && d.Line > 0:
			fmt.Fprintf(&b, "%s: flow %s, line %d, column %d: %s\n", kind, d.Flow, d.Line, d.Column, d.Message)
		case d.Flow != "":
			fmt.Fprintf(&b, "%s: flow %s: %s\n", kind, d.Flow, d.Message)
		default:
			fmt.Fprintf(&b, "%s: %s\n", kind, d.Message)
		}
		if d.Excerpt != "" {
			for _, l := range strings.Split(d.Excerpt, "\n") {
				b.WriteString("    " + l + "\n")
			}
		}
	}
	name := bot.Name
	if name == "" {
		name = path
	}
	switch {
	case errs > 0:
		fmt.Fprintf(&b, "%s is not valid: %d error(s), %d warning(s)\n", name, errs, warns)
	case warns > 0:
		fmt.Fprintf(&b, "%s is valid, with %d warning(s)\n", name, warns)
	default:
		fmt.Fprintf(&b, "%s is valid (%d flows)\n", name, len(bot.Flows))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
