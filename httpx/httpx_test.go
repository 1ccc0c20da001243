package httpx

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"switchboard"
)

func decode(t *testing.T, body string, max int64) error {
	t.Helper()
	r := httptest.NewRequest("POST", "/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	var v struct {
		Name string `json:"name"`
		N    int    `json:"n"`
	}
	return DecodeJSON(httptest.NewRecorder(), r, max, true, &v)
}

func TestDecodeJSONSaysWhatIsWrong(t *testing.T) {
	cases := []struct {
		body string
		code switchboard.Code
		msg  string
	}{
		{`{"name": "a"}`, "", ""},
		{`{"name": `, switchboard.EINVALID, "ends too early"},
		{`{"name": "a",}`, switchboard.EINVALID, "malformed JSON at byte"},
		{`{"n": "x"}`, switchboard.EINVALID, `field "n" must be int`},
		{`{"other": 1}`, switchboard.EINVALID, `unknown field "other"`},
		{``, switchboard.EINVALID, "body is empty"},
		{`{} {}`, switchboard.EINVALID, "after the JSON value"},
		{`{"name": "` + strings.Repeat("a", 200) + `"}`, switchboard.ETOOLARGE, "larger than 100 bytes"},
	}
	for _, c := range cases {
		err := decode(t, c.body, 100)
		if switchboard.ErrorCode(err) != c.code || !strings.Contains(switchboard.ErrorMessage(err), c.msg) {
			t.Errorf("body %.30q: got %v, want %s containing %q", c.body, err, c.code, c.msg)
		}
	}
}

func TestWriteErrorHidesInternalDetails(t *testing.T) {
	rec := httptest.NewRecorder()
	WriteError(rec, httptest.NewRequest("GET", "/", nil), slog.New(slog.DiscardHandler), errors.New("db password is hunter2"))
	if rec.Code != 500 || strings.Contains(rec.Body.String(), "hunter2") {
		t.Fatalf("got %d %s", rec.Code, rec.Body)
	}
	rec = httptest.NewRecorder()
	WriteError(rec, httptest.NewRequest("GET", "/", nil), nil, switchboard.Errorf(switchboard.ECONFLICT, "busy"))
	var body ErrorBody
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || rec.Code != 409 || body.Error.Code != switchboard.ECONFLICT || body.Error.Message != "busy" {
		t.Fatalf("got %d %s", rec.Code, rec.Body)
	}
}

func TestRecoverKeepsServing(t *testing.T) {
	h := Recover(slog.New(slog.DiscardHandler), http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != 500 {
		t.Fatalf("got %d", rec.Code)
	}
}

func TestCheckPathRefusesNULAndInvalidUTF8(t *testing.T) {
	h := CheckPath(nil, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	for path, want := range map[string]int{
		"/chat/abc":           http.StatusNoContent,
		"/chat/%C3%A9t%C3%A9": http.StatusNoContent,
		"/chat/%00":           http.StatusBadRequest,
		"/chat/%FF":           http.StatusBadRequest,
		"/chat/a%0Ab":         http.StatusBadRequest,
	} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		if w.Code != want {
			t.Errorf("GET %s: %d, want %d (%s)", path, w.Code, want, w.Body)
		}
		if want == http.StatusBadRequest && !strings.Contains(w.Body.String(), "the URL path") {
			t.Errorf("GET %s: %s, want an error naming the URL path", path, w.Body)
		}
	}
}
