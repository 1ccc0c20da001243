package storetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"switchboard"
)

// t0 is the suite's "now": in UTC and whole milliseconds, so that a store
// keeping at least millisecond precision gives it back exactly.
var t0 = time.Date(2030, 5, 6, 7, 8, 9, 123_000_000, time.UTC)

// at returns t0 moved by d.
func at(d time.Duration) time.Time { return t0.Add(d) }

// ptr returns a pointer to v.
func ptr[T any](v T) *T { return &v }

// update runs fn in a write transaction and fails the test if it fails.
func update(t *testing.T, s switchboard.Store, fn func(tx switchboard.Tx) error) {
	t.Helper()
	if err := s.Update(t.Context(), fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

// view runs fn in a read transaction and fails the test if it fails.
func view(t *testing.T, s switchboard.Store, fn func(tx switchboard.Tx) error) {
	t.Helper()
	if err := s.View(t.Context(), fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

// read runs fn in a read transaction and returns its result, failing the test
// on an error.
func read[T any](t *testing.T, s switchboard.Store, fn func(tx switchboard.Tx) (T, error)) T {
	t.Helper()
	var v T
	view(t, s, func(tx switchboard.Tx) error {
		var err error
		v, err = fn(tx)
		return err
	})
	return v
}

// wantCode fails the test unless err is an application error with code.
func wantCode(t *testing.T, what string, err error, code switchboard.Code) {
	t.Helper()
	if got := switchboard.ErrorCode(err); got != code {
		t.Errorf("%s: error %v (code %q), want code %q", what, err, got, code)
	}
}

// equal fails the test unless got and want hold the same data: times are
// compared as instants and must be in UTC, JSON documents are compared by
// meaning (a database may reformat them), the rest exactly.
func equal(t *testing.T, what string, got, want any) {
	t.Helper()
	if d := diff(reflect.ValueOf(got), reflect.ValueOf(want), what); d != "" {
		t.Errorf("%s", d)
	}
}

var (
	rawType  = reflect.TypeFor[json.RawMessage]()
	timeType = reflect.TypeFor[time.Time]()
)

// diff describes the first difference between got and want, or returns "".
func diff(got, want reflect.Value, path string) string {
	if !got.IsValid() || !want.IsValid() {
		if got.IsValid() != want.IsValid() {
			return fmt.Sprintf("%s: got %v, want %v", path, got, want)
		}
		return ""
	}
	if got.Type() != want.Type() {
		return fmt.Sprintf("%s: got a %s, want a %s", path, got.Type(), want.Type())
	}
	switch {
	case got.Type() == rawType:
		return diffJSON(got.Bytes(), want.Bytes(), path)
	case got.Type() == timeType:
		g, w := got.Interface().(time.Time), want.Interface().(time.Time)
		if !g.Equal(w) {
			return fmt.Sprintf("%s: got time %v, want %v", path, g, w)
		}
		if !w.IsZero() && g.Location() != time.UTC {
			return fmt.Sprintf("%s: got time %v in %v, want it in UTC", path, g, g.Location())
		}
		return ""
	}
	switch got.Kind() {
	case reflect.Pointer, reflect.Interface:
		if got.IsNil() || want.IsNil() {
			if got.IsNil() != want.IsNil() {
				return fmt.Sprintf("%s: got %s, want %s", path, show(got), show(want))
			}
			return ""
		}
		return diff(got.Elem(), want.Elem(), path)
	case reflect.Struct:
		for i := range got.NumField() {
			if d := diff(got.Field(i), want.Field(i), path+"."+got.Type().Field(i).Name); d != "" {
				return d
			}
		}
		return ""
	case reflect.Slice, reflect.Array:
		if got.Len() != want.Len() {
			return fmt.Sprintf("%s: got %d elements, want %d\n got: %s\nwant: %s", path, got.Len(), want.Len(), show(got), show(want))
		}
		for i := range got.Len() {
			if d := diff(got.Index(i), want.Index(i), fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
		return ""
	}
	if !reflect.DeepEqual(got.Interface(), want.Interface()) {
		return fmt.Sprintf("%s: got %#v, want %#v", path, got.Interface(), want.Interface())
	}
	return ""
}

// diffJSON compares two JSON documents by meaning; an absent document (nil)
// equals only an absent or empty one.
func diffJSON(got, want []byte, path string) string {
	if len(want) == 0 || len(got) == 0 {
		if len(got) != len(want) {
			return fmt.Sprintf("%s: got JSON %q, want %q", path, got, want)
		}
		return ""
	}
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		return fmt.Sprintf("%s: got invalid JSON %q: %v", path, got, err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		return fmt.Sprintf("%s: test wants invalid JSON %q: %v", path, want, err)
	}
	if !reflect.DeepEqual(g, w) {
		return fmt.Sprintf("%s: got JSON %s, want %s", path, got, want)
	}
	return ""
}

// show renders a value for a failure message.
func show(v reflect.Value) string {
	if !v.IsValid() {
		return "<nothing>"
	}
	if (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && v.IsNil() {
		return "nil"
	}
	b, err := json.Marshal(v.Interface())
	if err != nil {
		return fmt.Sprintf("%+v", v.Interface())
	}
	return string(bytes.TrimSpace(b))
}

// key returns the client key of user n of a common bot and channel.
func key(n int) switchboard.ClientKey {
	return switchboard.ClientKey{BotID: "bot1", ChannelID: "chan1", UserID: fmt.Sprintf("user%d", n)}
}

// text returns a text payload.
func text(s string) switchboard.Payload {
	c, _ := json.Marshal(map[string]string{"text": s})
	return switchboard.Payload{ContentType: "text", Content: c}
}

// ids returns the ids of messages or jobs, in order.
func ids[T any](xs []T, id func(T) int64) []int64 {
	out := []int64{}
	for _, x := range xs {
		out = append(out, id(x))
	}
	return out
}

func messageID(m switchboard.Message) int64 { return m.ID }
func jobID(j switchboard.Job) int64         { return j.ID }
