package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"

	"switchboard/botfile"
	"switchboard/csml/lsp"
)

// runCSMLLSP serves the CSML language server on stdin and stdout until the
// editor stops it.
func runCSMLLSP(ctx context.Context, args []string, std stdio) error {
	fs := newFlagSet("csml lsp", std)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	err := lsp.Serve(ctx, std.in, std.out, lsp.Options{LoadBot: loadBotOfFlow})
	if err != nil {
		return &exitError{code: 1, err: err}
	}
	return nil
}

// loadBotOfFlow finds the bot folder a flow file is in (DIR/flows/NAME.csml
// with DIR/bot.json) and loads it as validate does; a file elsewhere is no
// bot's (the server then takes it as a bot of one flow).
func loadBotOfFlow(path string) (lsp.Bot, error) {
	flowsDir := filepath.Dir(path)
	root := filepath.Dir(flowsDir)
	if !strings.EqualFold(filepath.Base(flowsDir), "flows") {
		return lsp.Bot{}, nil
	}
	if _, err := os.Stat(filepath.Join(root, "bot.json")); err != nil {
		return lsp.Bot{}, nil
	}
	file := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	bot, err := botfile.Load(root)
	if err != nil {
		return lsp.Bot{}, err
	}
	b := lsp.Bot{Key: root, Source: csmlSource(bot, true), Flow: file, Files: map[string]string{}}
	for _, f := range bot.Flows {
		b.Files[f.Name] = filepath.Join(flowsDir, f.Name+".csml")
		if strings.EqualFold(f.Name, file) {
			b.Flow = f.Name
		}
	}
	return b, nil
}
