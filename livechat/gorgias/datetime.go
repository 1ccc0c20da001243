package gorgias

import (
	"fmt"
	"time"
)

// datetimeLayouts are the forms of Gorgias's datetimes. The API reference
// writes them without a zone, in UTC ("created_datetime":
// "2020-01-27T10:42:21.468912", https://developers.gorgias.com/reference/the-ticketmessage-object),
// Python's isoformat() of a naive datetime, which drops the fraction when it
// is zero; RFC 3339 with an offset or Z is accepted as well.
var datetimeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999",
}

// parseDatetime reads a Gorgias datetime; a time without a zone is UTC.
func parseDatetime(s string) (time.Time, error) {
	for _, layout := range datetimeLayouts {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("gorgias datetime %q is neither ISO 8601 without a zone (2020-01-27T10:42:21.468912) nor RFC 3339", s)
}
