package livechat

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"switchboard"
)

// Team is a group of desk agents with a queue of its own. Bots route to it
// by ID ("billing"); the desk shows Name. Gorgias and Chatwoot have teams of
// their own: a session's team is looked up there by name (the team's ID or
// Name here, whichever the platform knows).
type Team struct {
	ID     string   `json:"id"`
	Name   string   `json:"name"`
	Agents []string `json:"agents"`
}

// teamsSetting is the SettingStore document that holds the desk's teams:
// a short list every desk page reads whole.
const teamsSetting = "desk.teams"

// maxTeams bounds the desk's teams.
const maxTeams = 200

// CheckTeamID checks a team's id: 1 to 64 lower-case letters, digits, '-'
// and '_', so that a bot's "Billing " and "billing" name one team.
func CheckTeamID(field, v string) error {
	if v == "" || len(v) > 64 {
		return switchboard.Errorf(switchboard.EINVALID, "%s %q must be 1 to 64 characters long", field, v)
	}
	for _, r := range v {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return switchboard.Errorf(switchboard.EINVALID, "%s %q contains %q: use lower-case letters, digits, '-' and '_'", field, v, r)
		}
	}
	return nil
}

// Validate checks a team an administrator typed.
func (t Team) Validate() error {
	if err := CheckTeamID("team.id", t.ID); err != nil {
		return err
	}
	if t.Name == "" {
		return switchboard.Errorf(switchboard.EINVALID, "team.name is missing: give the name agents see")
	}
	return switchboard.CheckName("team.name", t.Name, 100)
}

// LoadTeams reads the desk's teams, in the order they were made.
func LoadTeams(ctx context.Context, tx switchboard.Tx) ([]Team, error) {
	raw, err := tx.Setting(ctx, teamsSetting)
	if err != nil || raw == nil {
		return nil, err
	}
	var teams []Team
	if err := json.Unmarshal(raw, &teams); err != nil {
		return nil, fmt.Errorf("decode teams: %w", err)
	}
	return teams, nil
}

// SaveTeams stores the desk's teams.
func SaveTeams(ctx context.Context, tx switchboard.Tx, teams []Team) error {
	if len(teams) > maxTeams {
		return switchboard.Errorf(switchboard.EINVALID, "the desk has %d teams: keep at most %d", len(teams), maxTeams)
	}
	for i := range teams {
		if teams[i].Agents == nil {
			teams[i].Agents = []string{}
		}
	}
	raw, _ := json.Marshal(teams) // plain strings always encode
	if err := tx.PutSetting(ctx, teamsSetting, raw); err != nil {
		return fmt.Errorf("save teams: %w", err)
	}
	return nil
}

// FindTeam returns the team with this id, or nil.
func FindTeam(teams []Team, id string) *Team {
	for i := range teams {
		if teams[i].ID == id {
			return &teams[i]
		}
	}
	return nil
}

// TeamsOf returns the ids of the teams an agent is in.
func TeamsOf(teams []Team, agentID string) []string {
	var out []string
	for _, t := range teams {
		if slices.Contains(t.Agents, agentID) {
			out = append(out, t.ID)
		}
	}
	return out
}
