package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"switchboard"
	"switchboard/botfile"
	"switchboard/engine"
	"switchboard/store/sqlite"
)

// runChat talks to a bot in the terminal: each line typed is a text event,
// the bot's messages are printed, buttons are numbered and typing a number
// sends that button's payload. It runs the real engine on a SQLite store in
// a local data folder, so conversations, holds and memories persist between
// runs exactly as on the server.
func runChat(ctx context.Context, args []string, std stdio) error {
	fs := newFlagSet("chat", std)
	data := fs.String("data", "./switchboard-data/chat", "data `folder` where conversations and memories are kept")
	user := fs.String("user", "me", "the `id` of the user you play (each user has its own memories)")
	metadata := fs.String("metadata", "", "`JSON` object the bot reads as _metadata")
	fs.Usage = func() {
		fmt.Fprintln(std.err, "usage: switchboard chat [flags] PATH\n\nPATH is a bot folder (bot.json + flows/), a bot.json file or a CSML engine BotModel JSON file.")
		fs.PrintDefaults()
	}
	path, err := parseWithPath(fs, args)
	if err != nil {
		return err
	}
	var meta json.RawMessage
	if *metadata != "" {
		meta = json.RawMessage(*metadata)
		if !json.Valid(meta) || !strings.HasPrefix(strings.TrimSpace(*metadata), "{") {
			return &exitError{code: 2, err: errors.New("--metadata must be a JSON object")}
		}
	}
	bot, err := botfile.Load(path)
	if err != nil {
		return err
	}
	// Modules given by URL are downloaded as serve --bot does, from public
	// addresses.
	if err := botfile.NewModuleFetcher(nil).Fetch(ctx, &bot); err != nil {
		return fmt.Errorf("load bot %s: %w", path, err)
	}
	if err = os.MkdirAll(*data, 0o700); err != nil {
		return fmt.Errorf("create data folder: %w", err)
	}
	store, err := sqlite.Open(ctx, filepath.Join(*data, "switchboard.db"), sqlite.Options{})
	if err != nil {
		return err
	}
	defer store.Close()
	eng := engine.New(store, nil, engine.NewBots(), engine.Config{})
	if _, err := eng.Bots().Put(switchboard.NewBotVersion(bot, switchboard.SystemClock{}.Now())); err != nil {
		return fmt.Errorf("load bot %s: %s", path, switchboard.ErrorMessage(err))
	}
	c := &chat{eng: eng, out: std.out, key: switchboard.ClientKey{BotID: bot.ID, ChannelID: "terminal", UserID: *user}, metadata: meta}
	fmt.Fprintf(std.out, "Talking to %s. Type a message, a number to press a button, /quit to leave.\n", bot.Name)
	return c.loop(ctx, std.in)
}

// chat is one terminal conversation.
type chat struct {
	eng      *engine.Engine
	out      io.Writer
	key      switchboard.ClientKey
	metadata json.RawMessage
	// buttons are the payloads of the buttons last shown, by number.
	buttons []string
}

func (c *chat) loop(ctx context.Context, in io.Reader) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), 64<<10)
	for {
		fmt.Fprint(c.out, "> ")
		if !sc.Scan() {
			fmt.Fprintln(c.out)
			return sc.Err()
		}
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "":
			continue
		case line == "/quit" || line == "/exit":
			return nil
		}
		if err := c.send(ctx, c.payload(line)); err != nil {
			fmt.Fprintf(c.out, "! %s\n", switchboard.ErrorMessage(err))
		}
		if ctx.Err() != nil {
			return nil
		}
	}
}

// payload is what a line sends: the payload of a numbered button, else
// the text.
func (c *chat) payload(line string) switchboard.Payload {
	if n, err := strconv.Atoi(line); err == nil && n >= 1 && n <= len(c.buttons) {
		content, _ := json.Marshal(map[string]string{"payload": c.buttons[n-1]})
		return switchboard.Payload{ContentType: "payload", Content: content}
	}
	content, _ := json.Marshal(map[string]string{"text": line})
	return switchboard.Payload{ContentType: "text", Content: content}
}

func (c *chat) send(ctx context.Context, p switchboard.Payload) error {
	reply, err := c.eng.HandleEvent(ctx, engine.Request{Client: c.key, Payload: p, Metadata: c.metadata})
	if err != nil {
		return err
	}
	c.buttons = nil
	for _, m := range reply.Messages {
		c.render(m.Payload.ContentType, m.Payload.Content, "")
	}
	if reply.ConversationEnd {
		fmt.Fprintln(c.out, "  (end of conversation)")
	}
	return nil
}
