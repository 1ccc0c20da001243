package app_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"switchboard"
	"switchboard/app"
	"switchboard/appearance"
)

// TestLanguagesFromTheDataFolder: a language file in the data folder's
// languages/ is what a bot's chat page and the desk can speak; a broken one
// stops the server with the file named.
func TestLanguagesFromTheDataFolder(t *testing.T) {
	s := startServer(t, switchboard.SystemClock{}, nil)
	s.stop()
	dir := filepath.Join(s.cfg.DataDir, app.LanguagesDir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "de.json"), []byte(`{"name": "Deutsch", "messages": {"Send": "Senden"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	s.start()
	defer s.stop()
	if err := s.app.Store.Update(context.Background(), func(tx switchboard.Tx) error {
		return appearance.Save(context.Background(), tx, "livechat-demo", appearance.Appearance{Language: "de"})
	}); err != nil {
		t.Fatal(err)
	}
	res, err := http.Get(s.chatURL())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(body), `<html lang="de">`) || !strings.Contains(string(body), ">Senden</button>") {
		t.Errorf("the chat page in German: %d\n%s", res.StatusCode, body)
	}
	res, err = http.Get(s.app.URL() + "/desk/api/languages/de")
	if err != nil {
		t.Fatal(err)
	}
	var lang struct{ Code string }
	if json.NewDecoder(res.Body).Decode(&lang) != nil || lang.Code != "de" {
		t.Errorf("the desk in German: %d %+v", res.StatusCode, lang)
	}
	res.Body.Close()

	s.stop()
	if err := os.WriteFile(filepath.Join(dir, "it.json"), []byte(`{"messages": {}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := s.cfg
	cfg.Log = slog.New(slog.DiscardHandler)
	if _, err := app.New(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "it.json") {
		t.Errorf("a broken language file: %v, want an error naming it.json", err)
	}
}
