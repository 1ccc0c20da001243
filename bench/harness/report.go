package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"switchboard/bench/internal/loadtest"
)

// Report is what a run did and found.
type Report struct {
	Config   Config
	Database string // what the instances ran on
	Out      string
	Start    time.Time
	// LoadEnd is when users stopped starting new things; End when the
	// checks began (after the drain).
	LoadEnd, End time.Time

	Users int
	// ByChannel counts the users by channel: webapp (the chat page), api
	// (the Chat API), and each messaging channel's type.
	ByChannel map[string]int
	// UserMessages counts what users typed: to the bot, and to agents.
	ToBot, ToAgents int
	// AgentMessages counts what agents wrote.
	AgentMessages int
	// Started counts sessions by platform; Ended by end reason (as
	// switchboard recorded them).
	Started, Ended map[string]int
	// Refused counts the handoffs the closed bot refused.
	Refused int

	// Killed and Restarted are when the instance was killed and ready again.
	KilledInstance       int
	Killed, Restarted    time.Time
	OutageFrom, OutageTo time.Time
	// ChannelOutageFrom and ChannelOutageTo are when Config.ChannelOutage
	// was cut off.
	ChannelOutageFrom, ChannelOutageTo time.Time

	verdict *verdict
	// Errors are what clients met and went on after (retries,
	// reconnections), by kind.
	Errors map[string]*errCount
	// BalancerRefused counts requests the balancer answered 502/503.
	BalancerRefused int64
	Redeliveries    int
	// Webhooks are the channel simulators' webhook calls, by channel
	// type; Swapped counts the channel customers' messages switchboard
	// processed after one they wrote later (reordered deliveries).
	Webhooks map[string]webhookCount
	Swapped  int
	Logs     logSummary
	// CPU is where the machine's CPU went while users started new things
	// (the duration).
	CPU cpuMeter
	// Problems are failures outside the checks (a user that could not go
	// on, the hard deadline); Notes are limits of the checks.
	Problems, Notes []string
}

// Failed reports whether any check failed.
func (r *Report) Failed() bool {
	if len(r.Problems) > 0 || r.verdict == nil {
		return true
	}
	for _, t := range r.verdict.tallies {
		if !t.ok() {
			return true
		}
	}
	return false
}

// at says when t happened, from the start of the load.
func (r *Report) at(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return "t+" + t.Sub(r.Start).Round(100*time.Millisecond).String()
}

// Write prints the report.
func (r *Report) Write(w io.Writer) {
	c := r.Config
	fmt.Fprintf(w, "switchboard load and fault harness: %d instance(s) on %s, %d users (%s), %s of load (+%s drain)\n",
		c.Instances, r.Database, r.Users, counts(r.ByChannel), r.LoadEnd.Sub(r.Start).Round(time.Second), r.End.Sub(r.LoadEnd).Round(time.Second))
	fmt.Fprintf(w, "run folder: %s\n", r.Out)
	if c.Kill > 0 {
		fmt.Fprintf(w, "kill -9 of instance %d at %s, ready again at %s\n", r.KilledInstance, r.at(r.Killed), r.at(r.Restarted))
	}
	if c.Outage > 0 {
		fmt.Fprintf(w, "%s outage from %s to %s\n", c.Platform, r.at(r.OutageFrom), r.at(r.OutageTo))
	}
	if c.ChannelOutage != "" {
		fmt.Fprintf(w, "%s outage (API answers 5xx) from %s to %s\n", c.ChannelOutage, r.at(r.ChannelOutageFrom), r.at(r.ChannelOutageTo))
	}
	fmt.Fprintf(w, "bot turns: %d; messages: %d user -> agent, %d agent -> user\n", r.ToBot, r.ToAgents, r.AgentMessages)
	fmt.Fprintf(w, "sessions started: %s; ended: %s; handoffs refused: %d\n", counts(r.Started), counts(r.Ended), r.Refused)
	fmt.Fprintf(w, "CPU: %s\n", &r.CPU)
	if v := r.verdict; v != nil {
		fmt.Fprintln(w, "\nlatency:")
		writeLatencies(w, "user -> agent", v.toAgent)
		writeLatencies(w, "agent -> user", v.toUser)
		writeLatencies(w, "bot turn", v.botTurn)
		fmt.Fprintln(w, "\nchecks (expected / arrived / lost / duplicated / out of order / unexpected):")
		for _, name := range v.order {
			t := v.tallies[name]
			mark := "ok  "
			if !t.ok() {
				mark = "FAIL"
			}
			fmt.Fprintf(w, "  %s %-48s %6d %6d %4d %4d %4d %4d\n", mark, name, t.Expected, t.Arrived, t.Lost, t.Duplicated, t.OutOfOrder, t.Unexpected)
			if !t.ok() {
				for _, e := range t.Examples {
					fmt.Fprintf(w, "         %s\n", e)
				}
			}
		}
	}
	fmt.Fprintln(w, "\nerrors met and recovered from:")
	kinds := make([]string, 0, len(r.Errors))
	for k := range r.Errors {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		fmt.Fprintf(w, "  %5d %s (last: %s)\n", r.Errors[k].N, k, r.Errors[k].Sample)
	}
	fmt.Fprintf(w, "  %5d answered 502/503 by the balancer\n", r.BalancerRefused)
	for _, name := range slices.Sorted(maps.Keys(r.Webhooks)) {
		c := r.Webhooks[name]
		fmt.Fprintf(w, "  %5d %s webhook calls: %d posted twice by the chaos, %d failed at first\n", c.Calls, name, c.Twice, c.Failed)
	}
	if r.Swapped > 0 {
		fmt.Fprintf(w, "  %5d channel customers' messages processed after one written later (reordered deliveries)\n", r.Swapped)
	}
	fmt.Fprintf(w, "  %5d callbacks delivered again (same delivery id, dropped)\n", r.Redeliveries)
	fmt.Fprintf(w, "instance logs: %d lines, %s\n", r.Logs.Lines, counts(r.Logs.ByLevel))
	for _, m := range r.Logs.top(8) {
		fmt.Fprintf(w, "  %5d %s\n", r.Logs.Messages[m], m)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "NOTE: %s\n", n)
	}
	for _, p := range r.Problems {
		fmt.Fprintf(w, "PROBLEM: %s\n", p)
	}
	if r.Failed() {
		fmt.Fprintln(w, "\nRESULT: FAIL")
	} else {
		fmt.Fprintln(w, "\nRESULT: every check passed")
	}
}

// writeLatencies prints one direction's latencies, all platforms first.
func writeLatencies(w io.Writer, what string, m map[string]*loadtest.Latencies) {
	keys := make([]string, 0, len(m))
	for k := range m {
		if k != "all" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range append([]string{"all"}, keys...) {
		if l := m[k]; l != nil {
			fmt.Fprintf(w, "  %-14s %-9s %s\n", what, k, l.Summary())
		}
	}
}

// counts prints a map of counts as "a 1, b 2".
func counts(m map[string]int) string {
	if len(m) == 0 {
		return "none"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}
