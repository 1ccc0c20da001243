package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
)

// readClaims completes the sessions of one bot with what only the sessions
// export (the CSV an administrator downloads) tells: the team each was
// routed to and whether an agent claimed it.
func readClaims(ctx context.Context, adm *admin, bot string, sessions map[string]serverSession) error {
	var raw []byte
	if err := adm.do(ctx, http.MethodGet, "/v1/admin/sessions/export?bot_id="+url.QueryEscape(bot), "", nil, &raw); err != nil {
		return fmt.Errorf("sessions export: %w", err)
	}
	rows, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
	if err != nil || len(rows) == 0 {
		return fmt.Errorf("sessions export of %s: not CSV with a header: %v", bot, err)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	for _, name := range []string{"id", "team", "claimed_at"} {
		if _, ok := col[name]; !ok {
			return fmt.Errorf("sessions export of %s: no column %q", bot, name)
		}
	}
	for _, row := range rows[1:] {
		s, ok := sessions[row[col["id"]]]
		if !ok {
			continue // started after the list was read: checkStarted tells
		}
		s.Team, s.Claimed = row[col["team"]], row[col["claimed_at"]] != ""
		sessions[s.ID] = s
	}
	return nil
}
