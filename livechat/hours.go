package livechat

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"switchboard"
)

// What happens when a user asks for an agent while the bot's team is closed
// or nobody is available (Availability.WhenUnavailable).
const (
	// UnavailableOpen opens the session anyway: CSML Studio's behaviour,
	// and the default.
	UnavailableOpen = "open"
	// UnavailableRefuse opens nothing and sends the bot
	// LIVECHAT_SESSION_UNAVAILABLE.
	UnavailableRefuse = "refuse"
	// UnavailableTicket opens the session as an offline ticket that waits
	// on the platform; the user is told when they will be answered.
	UnavailableTicket = "ticket"
)

// Why a bot's team is unavailable (event.reason of
// LIVECHAT_SESSION_UNAVAILABLE).
const (
	ReasonClosed  = "closed"
	ReasonNoAgent = "no_agent"
)

// Which agents must be there for the team to be available
// (Availability.Agents).
const (
	// AgentsIgnore looks at business hours only (the default).
	AgentsIgnore = "ignore"
	// AgentsOnline also needs an online agent: on the desk, one who set
	// "online" and used the desk within IdleAfter; on Chatwoot, an agent
	// of the bot's inbox whose availability is online.
	AgentsOnline = "online"
)

// Defaults of the availability settings.
const (
	DefaultIdleAfter     = 10 * time.Minute
	DefaultTicketMessage = "Our team is away right now. Leave your message here: we will answer you from {next_open}."
	// DefaultTicketMessageNoTime is told when no opening time is known
	// (nobody online, no business hours).
	DefaultTicketMessageNoTime = "Our team is away right now. Leave your message here: we will answer you as soon as we can."
	// maxShiftsPerDay and maxDates bound what a user can configure.
	maxShiftsPerDay = 8
	maxDates        = 400
	// horizon is how far ahead NextOpen looks for an opening.
	horizon = 400
)

// Availability is when a bot's agents take conversations: business hours in
// a time zone, and whether an agent must be online. The zero value of a
// field is its default; a bot without Availability is always available.
type Availability struct {
	// TimeZone is an IANA name ("Europe/Paris"); UTC when empty.
	TimeZone string `json:"time_zone,omitempty"`
	// Weekly are the opening hours of each day of the week, by lowercase
	// English name ("monday"), several shifts a day when split. A day not
	// listed is closed; no Weekly at all means open every day, all day.
	Weekly map[string][]Shift `json:"weekly,omitempty"`
	// Holidays are dates ("2026-12-25") closed all day.
	Holidays []string `json:"holidays,omitempty"`
	// Exceptions replace the weekly hours of one date (also a holiday):
	// other hours, or none to close.
	Exceptions []DateHours `json:"exceptions,omitempty"`
	// Agents is AgentsIgnore (default) or AgentsOnline.
	Agents string `json:"agents,omitempty"`
	// IdleAfter is how long a desk agent who set "online" counts as online
	// without using the desk (default 10m).
	IdleAfter Duration `json:"idle_after,omitempty"`
	// WhenUnavailable is UnavailableOpen (default), UnavailableRefuse or
	// UnavailableTicket.
	WhenUnavailable string `json:"when_unavailable,omitempty"`
	// TicketMessage is what the user is told when an offline ticket opens;
	// {next_open} is replaced with the next opening time.
	TicketMessage string `json:"ticket_message,omitempty"`
	// TicketMessageNoTime is told instead when no opening time is known.
	TicketMessageNoTime string `json:"ticket_message_no_time,omitempty"`
}

// Shift is one stretch of opening hours in a day, "09:00" to "12:30" in the
// time zone's wall-clock time; To may be "24:00".
type Shift struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// DateHours are the hours of one date ("2026-12-24"); no Hours means
// closed.
type DateHours struct {
	Date  string  `json:"date"`
	Hours []Shift `json:"hours"`
}

var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
}

var clockTime = regexp.MustCompile(`^([01][0-9]|2[0-3]):([0-5][0-9])$|^24:00$`)

// minutes reads "09:30" as minutes after midnight.
func minutes(hhmm string) (int, bool) {
	if !clockTime.MatchString(hhmm) {
		return 0, false
	}
	h, _ := strconv.Atoi(hhmm[:2])
	m, _ := strconv.Atoi(hhmm[3:])
	return h*60 + m, true
}

// Location returns the availability's time zone.
func (a *Availability) Location() (*time.Location, error) {
	if a.TimeZone == "" {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(a.TimeZone)
	if err != nil {
		return nil, switchboard.Errorf(switchboard.EINVALID, "livechat availability.time_zone %q is unknown: use an IANA name such as Europe/Paris or America/New_York", a.TimeZone)
	}
	return loc, nil
}

func checkShifts(where string, shifts []Shift) error {
	if len(shifts) > maxShiftsPerDay {
		return switchboard.Errorf(switchboard.EINVALID, "livechat availability.%s has %d shifts: keep it to %d", where, len(shifts), maxShiftsPerDay)
	}
	for i, s := range shifts {
		from, ok1 := minutes(s.From)
		to, ok2 := minutes(s.To)
		if !ok1 || !ok2 {
			return switchboard.Errorf(switchboard.EINVALID, "livechat availability.%s[%d] is from %q to %q: write times as HH:MM, 00:00 to 24:00", where, i, s.From, s.To)
		}
		if from >= to {
			return switchboard.Errorf(switchboard.EINVALID, "livechat availability.%s[%d] ends (%s) before it starts (%s): a shift past midnight is two shifts, one each day", where, i, s.To, s.From)
		}
	}
	return nil
}

func checkDate(where, date string) error {
	if _, err := time.Parse(time.DateOnly, date); err != nil {
		return switchboard.Errorf(switchboard.EINVALID, "livechat availability.%s %q is not a date: write it as YYYY-MM-DD", where, date)
	}
	return nil
}

// validate checks availability settings a user typed, naming the field at
// fault.
func (a *Availability) validate() error {
	if _, err := a.Location(); err != nil {
		return err
	}
	for day, shifts := range a.Weekly {
		if _, ok := weekdays[day]; !ok {
			return switchboard.Errorf(switchboard.EINVALID, "livechat availability.weekly has a day %q: use monday to sunday, in lowercase", day)
		}
		if err := checkShifts("weekly."+day, shifts); err != nil {
			return err
		}
	}
	if len(a.Holidays)+len(a.Exceptions) > maxDates {
		return switchboard.Errorf(switchboard.EINVALID, "livechat availability has %d holidays and exceptions: keep them under %d (remove past ones)", len(a.Holidays)+len(a.Exceptions), maxDates)
	}
	for _, d := range a.Holidays {
		if err := checkDate("holidays", d); err != nil {
			return err
		}
	}
	for i, x := range a.Exceptions {
		if err := checkDate(fmt.Sprintf("exceptions[%d].date", i), x.Date); err != nil {
			return err
		}
		if err := checkShifts(fmt.Sprintf("exceptions[%d].hours", i), x.Hours); err != nil {
			return err
		}
	}
	switch a.Agents {
	case "", AgentsIgnore, AgentsOnline:
	default:
		return switchboard.Errorf(switchboard.EINVALID, "livechat availability.agents %q is unknown: use ignore or online", a.Agents)
	}
	if d := time.Duration(a.IdleAfter); d != 0 && (d < time.Minute || d > 24*time.Hour) {
		return switchboard.Errorf(switchboard.EINVALID, "livechat availability.idle_after %s is out of range: use 1m to 24h", d)
	}
	switch a.WhenUnavailable {
	case "", UnavailableOpen, UnavailableRefuse, UnavailableTicket:
	default:
		return switchboard.Errorf(switchboard.EINVALID, "livechat availability.when_unavailable %q is unknown: use open, refuse or ticket", a.WhenUnavailable)
	}
	for field, v := range map[string]string{"ticket_message": a.TicketMessage, "ticket_message_no_time": a.TicketMessageNoTime} {
		if len(v) > maxTextSetting {
			return switchboard.Errorf(switchboard.EINVALID, "livechat availability.%s is %d bytes long: keep it under %d", field, len(v), maxTextSetting)
		}
	}
	return nil
}

// When returns what to do when unavailable, with the default applied.
func (a *Availability) When() string {
	if a == nil || a.WhenUnavailable == "" {
		return UnavailableOpen
	}
	return a.WhenUnavailable
}

// NeedsAgents reports whether an online agent is needed.
func (a *Availability) NeedsAgents() bool { return a != nil && a.Agents == AgentsOnline }

// Idle returns IdleAfter with its default.
func (a *Availability) Idle() time.Duration {
	if a == nil || a.IdleAfter <= 0 {
		return DefaultIdleAfter
	}
	return time.Duration(a.IdleAfter)
}

// shiftsOn returns the opening hours of a local date: an exception's, none
// on a holiday, else the weekly ones (all day without Weekly).
func (a *Availability) shiftsOn(date time.Time) []Shift {
	d := date.Format(time.DateOnly)
	for _, x := range a.Exceptions {
		if x.Date == d {
			return x.Hours
		}
	}
	for _, h := range a.Holidays {
		if h == d {
			return nil
		}
	}
	if a.Weekly == nil {
		return []Shift{{From: "00:00", To: "24:00"}}
	}
	return a.Weekly[strings.ToLower(date.Weekday().String())]
}

// at is the instant of a wall-clock time ("09:00", "24:00") on a local
// date, in loc: a time that a daylight saving change skips moves forward
// as time.Date does.
func at(date time.Time, hhmm string, loc *time.Location) time.Time {
	m, _ := minutes(hhmm)
	return time.Date(date.Year(), date.Month(), date.Day(), 0, m, 0, 0, loc)
}

// intervals returns the opening intervals of a local date, in order.
func (a *Availability) intervals(date time.Time, loc *time.Location) [][2]time.Time {
	shifts := a.shiftsOn(date)
	out := make([][2]time.Time, 0, len(shifts))
	for _, s := range shifts {
		out = append(out, [2]time.Time{at(date, s.From, loc), at(date, s.To, loc)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0].Before(out[j][0]) })
	return out
}

// OpenAt reports whether the business hours are open at now and, when they
// are not, when they next open (zero when they never do within a year).
func (a *Availability) OpenAt(now time.Time) (open bool, next time.Time) {
	loc, err := a.Location()
	if err != nil {
		loc = time.UTC // Validate refused it; stored settings predate a tz database change
	}
	local := now.In(loc)
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc)
	for i := 0; i < horizon; i++ {
		date := day.AddDate(0, 0, i)
		for _, iv := range a.intervals(date, loc) {
			switch {
			case i == 0 && !now.Before(iv[0]) && now.Before(iv[1]):
				return true, time.Time{}
			case iv[0].After(now):
				return false, iv[0]
			}
		}
	}
	return false, time.Time{}
}

// FormatNextOpen writes an opening time for a user, in the bot's time
// zone: "Monday 7 December 09:00 (Europe/Paris)".
func (a *Availability) FormatNextOpen(t time.Time) string {
	loc, err := a.Location()
	if err != nil {
		loc = time.UTC
	}
	return t.In(loc).Format("Monday 2 January 15:04") + " (" + loc.String() + ")"
}

// TicketText is what the user is told when an offline ticket opens.
func (a *Availability) TicketText(next time.Time) string {
	if next.IsZero() {
		if a.TicketMessageNoTime != "" {
			return a.TicketMessageNoTime
		}
		return DefaultTicketMessageNoTime
	}
	msg := a.TicketMessage
	if msg == "" {
		msg = DefaultTicketMessage
	}
	return strings.ReplaceAll(msg, "{next_open}", a.FormatNextOpen(next))
}

// PresenceReader is implemented by providers whose platform says whether
// its agents are online (Chatwoot's availability). The engine calls it
// outside any transaction and keeps the answer for a while.
type PresenceReader interface {
	// OnlineAgents counts the agents who can answer the bot's sessions and
	// are online now.
	OnlineAgents(ctx context.Context, botID string, s Resolved) (int, error)
}

// LoadAvailability reads only the platform and the availability of a bot's
// settings: what every bot turn needs to tell the flow whether agents are
// there (_metadata.livechat), without opening the sealed secrets.
func LoadAvailability(ctx context.Context, tx switchboard.Tx, botID string) (platform string, a *Availability, err error) {
	raw, err := tx.Setting(ctx, SettingName(botID))
	if err != nil || !bytes.Contains(raw, []byte(`"availability"`)) {
		return PlatformDesk, nil, err // most bots: nothing to decode
	}
	var s struct {
		Platform     string        `json:"platform"`
		Availability *Availability `json:"availability"`
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", nil, fmt.Errorf("decode livechat settings of bot %s: %w", botID, err)
	}
	if s.Platform == "" {
		s.Platform = PlatformDesk
	}
	return s.Platform, s.Availability, nil
}
