package main

import (
	"log/slog"

	"switchboard/app"
)

// lowFileLimit is the open file limit under which serve warns: each
// connection takes an open file.
const lowFileLimit = 4096

// raiseFileLimit raises the open file limit as far as the system allows and
// logs it: the server's automatic connection limit follows from it.
func raiseFileLimit(log *slog.Logger) {
	soft, hard, err := app.RaiseFileLimit()
	switch {
	case soft == 0:
		log.Warn("the open file limit is unknown; max_conns is 10000 unless set", "err", err)
		return
	case err != nil:
		log.Warn("could not raise the open file limit to its hard limit", "limit", soft, "hard_limit", hard, "err", err)
	default:
		log.Info("open file limit", "limit", soft)
	}
	if soft < lowFileLimit {
		log.Warn("the open file limit is low: each connection takes an open file; raise it (LimitNOFILE= in a systemd unit, ulimit -n, docker run --ulimit nofile=)", "limit", soft)
	}
}
