package main

import (
	"strings"
	"testing"
	"time"

	"switchboard/app"
	"switchboard/livechat"
)

// The connection limits come from the flags, else the environment, else the
// configuration file; a bad value says which and what to write.
func TestConnSettings(t *testing.T) {
	cfg := app.Config{MaxConns: 10, MaxConnsPerAddr: 20, BodyTimeout: livechat.Duration(time.Minute)}
	if err := connSettings(&cfg, 0, 0, 0); err != nil || cfg.MaxConns != 10 || cfg.MaxConnsPerAddr != 20 || cfg.BodyTimeout != livechat.Duration(time.Minute) {
		t.Fatalf("file only: %v %+v", err, cfg)
	}
	t.Setenv("SWITCHBOARD_MAX_CONNS_PER_ADDR", "-1")
	t.Setenv("SWITCHBOARD_BODY_TIMEOUT", "45s")
	if err := connSettings(&cfg, 500, 0, 0); err != nil || cfg.MaxConns != 500 || cfg.MaxConnsPerAddr != -1 || cfg.BodyTimeout != livechat.Duration(45*time.Second) {
		t.Fatalf("flag and environment: %v %+v", err, cfg)
	}
	t.Setenv("SWITCHBOARD_MAX_CONNS", "many")
	if err := connSettings(&cfg, 0, 0, 0); err == nil || !strings.Contains(err.Error(), `SWITCHBOARD_MAX_CONNS="many": use a whole number`) {
		t.Fatalf("a bad number: %v", err)
	}
}
