package livechat

import (
	"strings"
	"testing"
	"time"
)

// officeHours is a team in a time zone with a split shift on weekdays, a
// short Saturday, a holiday and an exception.
func officeHours(tz string) *Availability {
	weekday := []Shift{{From: "14:00", To: "18:00"}, {From: "09:00", To: "12:00"}}
	return &Availability{
		TimeZone: tz,
		Weekly: map[string][]Shift{
			"monday": weekday, "tuesday": weekday, "wednesday": weekday, "thursday": weekday, "friday": weekday,
			"saturday": {{From: "10:00", To: "13:00"}},
		},
		Holidays:   []string{"2026-10-23"},
		Exceptions: []DateHours{{Date: "2026-10-24", Hours: []Shift{{From: "10:00", To: "11:00"}}}},
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// A week in Paris that ends with the change from summer time (UTC+2) to
// winter time (UTC+1) on Sunday 25 October 2026.
func TestOpenAtAcrossAWeekWithDaylightSavingAHolidayAndASplitShift(t *testing.T) {
	a := officeHours("Europe/Paris")
	if err := a.validate(); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		now  string
		open bool
		next string
	}{
		{"2026-10-19T06:59:00Z", false, "2026-10-19T07:00:00Z"}, // Monday 08:59 CEST
		{"2026-10-19T07:00:00Z", true, ""},                      // Monday 09:00 CEST
		{"2026-10-19T10:30:00Z", false, "2026-10-19T12:00:00Z"}, // the lunch break of the split shift
		{"2026-10-19T12:00:00Z", true, ""},                      // 14:00, the afternoon shift
		{"2026-10-19T15:59:59Z", true, ""},                      // 17:59:59
		{"2026-10-19T16:00:00Z", false, "2026-10-20T07:00:00Z"}, // 18:00: closed until Tuesday
		{"2026-10-22T17:00:00Z", false, "2026-10-24T08:00:00Z"}, // Thursday evening: Friday is a holiday, Saturday's exception opens at 10:00
		{"2026-10-23T09:00:00Z", false, "2026-10-24T08:00:00Z"}, // the holiday itself
		{"2026-10-24T08:30:00Z", true, ""},                      // Saturday 10:30, inside the exception
		{"2026-10-24T09:30:00Z", false, "2026-10-26T08:00:00Z"}, // 11:30: the exception closed early; Sunday is closed; Monday 09:00 is 08:00Z in winter time
		{"2026-10-25T12:00:00Z", false, "2026-10-26T08:00:00Z"}, // Sunday, the day of the change
		{"2026-10-26T08:00:00Z", true, ""},                      // Monday 09:00 CET
		{"2026-10-26T07:59:00Z", false, "2026-10-26T08:00:00Z"},
	}
	for _, c := range cases {
		open, next := a.OpenAt(mustTime(t, c.now))
		got := ""
		if !next.IsZero() {
			got = next.UTC().Format(time.RFC3339)
		}
		if open != c.open || got != c.next {
			t.Errorf("at %s: open %v, next %q; want %v, %q", c.now, open, got, c.open, c.next)
		}
	}
}

// The same hours in New York, whose clocks change a week later than
// Europe's, and in Tokyo, a day ahead of UTC in the evening.
func TestOpenAtFollowsEachTimeZone(t *testing.T) {
	ny := officeHours("America/New_York")
	// Friday 30 October 17:59 EDT (UTC-4) is open; the next opening after
	// 18:00 is Saturday 10:00 EDT; after Saturday 13:00, Monday 2 November
	// 09:00 EST (UTC-5), past the change of 1 November.
	for _, c := range []struct {
		now  string
		open bool
		next string
	}{
		{"2026-10-30T21:59:00Z", true, ""},
		{"2026-10-30T22:00:00Z", false, "2026-10-31T14:00:00Z"},
		{"2026-10-31T17:00:00Z", false, "2026-11-02T14:00:00Z"},
	} {
		open, next := ny.OpenAt(mustTime(t, c.now))
		if open != c.open || (c.next != "" && !next.Equal(mustTime(t, c.next))) {
			t.Errorf("New York at %s: open %v, next %s; want %v, %s", c.now, open, next.UTC(), c.open, c.next)
		}
	}
	// Sunday 18 October 23:30 UTC is Monday 08:30 in Tokyo: closed for
	// 30 minutes more.
	tokyo := officeHours("Asia/Tokyo")
	open, next := tokyo.OpenAt(mustTime(t, "2026-10-18T23:30:00Z"))
	if open || !next.Equal(mustTime(t, "2026-10-19T00:00:00Z")) {
		t.Errorf("Tokyo: open %v, next %s; want closed until 00:00Z", open, next.UTC())
	}
	if got := tokyo.FormatNextOpen(next); got != "Monday 19 October 09:00 (Asia/Tokyo)" {
		t.Errorf("FormatNextOpen = %q", got)
	}
}

func TestOpenAtWithoutWeeklyHoursIsOpenButOnHolidays(t *testing.T) {
	a := &Availability{Holidays: []string{"2026-12-25"}}
	if open, _ := a.OpenAt(mustTime(t, "2026-12-24T23:00:00Z")); !open {
		t.Error("closed on an ordinary day")
	}
	open, next := a.OpenAt(mustTime(t, "2026-12-25T12:00:00Z"))
	if open || !next.Equal(mustTime(t, "2026-12-26T00:00:00Z")) {
		t.Errorf("on the holiday: open %v, next %s", open, next)
	}
	never := &Availability{Weekly: map[string][]Shift{}}
	if open, next := never.OpenAt(mustTime(t, "2026-12-25T12:00:00Z")); open || !next.IsZero() {
		t.Errorf("no hours at all: open %v, next %s; want closed, never", open, next)
	}
}

func TestAvailabilityValidateNamesTheFieldAtFault(t *testing.T) {
	cases := map[string]*Availability{
		"time_zone":         {TimeZone: "Mars/Olympus"},
		"weekly has a day":  {Weekly: map[string][]Shift{"Monday": nil}},
		"weekly.monday[0]":  {Weekly: map[string][]Shift{"monday": {{From: "9am", To: "12:00"}}}},
		"ends (02:00)":      {Weekly: map[string][]Shift{"friday": {{From: "22:00", To: "02:00"}}}},
		"holidays":          {Holidays: []string{"25/12/2026"}},
		"exceptions[0]":     {Exceptions: []DateHours{{Date: "2026-13-01"}}},
		"agents":            {Agents: "everyone"},
		"when_unavailable":  {WhenUnavailable: "maybe"},
		"idle_after":        {IdleAfter: Duration(time.Second)},
		"ticket_message is": {TicketMessage: strings.Repeat("x", maxTextSetting+1)},
	}
	for want, a := range cases {
		err := Settings{Availability: a}.Validate()
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v", want, err)
		}
	}
}

func TestTicketTextSaysWhenTheUserWillBeAnswered(t *testing.T) {
	a := &Availability{TimeZone: "Europe/Paris", TicketMessage: "Back {next_open}."}
	if got := a.TicketText(mustTime(t, "2026-10-26T08:00:00Z")); got != "Back Monday 26 October 09:00 (Europe/Paris)." {
		t.Error(got)
	}
	if got := a.TicketText(time.Time{}); got != DefaultTicketMessageNoTime {
		t.Error(got)
	}
}

func TestHandbackLinesAreTakenOutOfTheMessage(t *testing.T) {
	rest, values := Handback("All done!\n#handback order_id=1234\n  \\#handback next\\_flow = billing \nLIVECHAT_SESSION_END")
	if rest != "All done!\nLIVECHAT_SESSION_END" {
		t.Errorf("rest = %q", rest)
	}
	if len(values) != 2 || values["order_id"] != "1234" || values["next_flow"] != "billing" {
		t.Errorf("values = %v", values)
	}
	if rest, values := Handback("we use #handback in text"); rest != "we use #handback in text" || values != nil {
		t.Errorf("not a line: %q %v", rest, values)
	}
}

func TestRatingReadsOnlyTheFiveButtons(t *testing.T) {
	for p, want := range map[string]int{"LIVECHAT_CSAT_1": 1, "LIVECHAT_CSAT_5": 5, "LIVECHAT_CSAT_6": 0, "LIVECHAT_CSAT_SKIP": 0, "5": 0} {
		if got := Rating(p); got != want {
			t.Errorf("Rating(%q) = %d", p, got)
		}
	}
	q := (&CSAT{Labels: []string{"😞", "🙁", "😐", "🙂", "😀"}}).SurveyQuestion()
	if !strings.Contains(string(q.Content), `"title":"😀","payload":"LIVECHAT_CSAT_5"`) {
		t.Error(string(q.Content))
	}
}
