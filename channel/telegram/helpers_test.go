package telegram_test

import (
	"errors"
	"strconv"
	"time"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func mustInt(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

func asRetry(err error, target *interface{ RetryAfter() time.Duration }) bool {
	return errors.As(err, target)
}
