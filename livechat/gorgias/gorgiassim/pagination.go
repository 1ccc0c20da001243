package gorgiassim

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
)

// cursor is a keyset position: the id the next page starts after, or the
// id the previous page ends before, in the list's order.
type cursor struct {
	After  int64 `json:"a,omitempty"`
	Before int64 `json:"b,omitempty"`
}

func (c cursor) encode() *string {
	raw, _ := json.Marshal(c)
	return ptr(base64.RawURLEncoding.EncodeToString(raw))
}

// pageQuery reads limit (1 to 100, default 30) and cursor; it answers 400
// itself when they are wrong.
func pageQuery(w http.ResponseWriter, r *http.Request) (limit int, c cursor, ok bool) {
	limit = 30
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			writeError(w, http.StatusBadRequest, "Invalid query parameters.", map[string]any{"limit": []string{"Must be greater than or equal to 1 and less than or equal to 100."}})
			return 0, c, false
		}
		limit = n
	}
	if v := r.URL.Query().Get("cursor"); v != "" {
		raw, err := base64.RawURLEncoding.DecodeString(v)
		if err != nil || json.Unmarshal(raw, &c) != nil {
			writeError(w, http.StatusBadRequest, "Invalid query parameters.", map[string]any{"cursor": []string{"Invalid cursor."}})
			return 0, c, false
		}
	}
	return limit, c, true
}

// writePage answers one page of items already in the list's order, with
// Gorgias's cursor-pagination envelope.
func writePage[T any](w http.ResponseWriter, items []T, id func(T) int64, limit int, c cursor) {
	start, end := 0, len(items)
	switch {
	case c.After != 0:
		start = len(items)
		for i, it := range items {
			if id(it) == c.After {
				start = i + 1
				break
			}
		}
		end = min(start+limit, len(items))
	case c.Before != 0:
		for i, it := range items {
			if id(it) == c.Before {
				end = i
				break
			}
		}
		start = max(end-limit, 0)
	default:
		end = min(limit, len(items))
	}
	meta := map[string]*string{"next_cursor": nil, "prev_cursor": nil}
	if end < len(items) && end > start {
		meta["next_cursor"] = cursor{After: id(items[end-1])}.encode()
	}
	if start > 0 && start < len(items) {
		meta["prev_cursor"] = cursor{Before: id(items[start])}.encode()
	}
	data := items[start:end]
	if data == nil {
		data = []T{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data, "meta": meta, "object": "list", "uri": ""})
}
