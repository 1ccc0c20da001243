package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
)

// Setting returns a document, or nil when it was never set.
func (t *tx) Setting(ctx context.Context, name string) (json.RawMessage, error) {
	v, err := queryOne(ctx, t, scanSetting, `SELECT value FROM settings WHERE name = ?`, name)
	if err != nil {
		return nil, fmt.Errorf("setting: %w", err)
	}
	if v == nil {
		return nil, nil
	}
	return *v, nil
}

// PutSetting creates or replaces a document.
func (t *tx) PutSetting(ctx context.Context, name string, value json.RawMessage) error {
	_, err := t.exec(ctx, `INSERT INTO settings (name, value) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value`, name, jsonArg(value))
	if err != nil {
		return fmt.Errorf("put setting: %w", err)
	}
	return nil
}

func scanSetting(r scanner) (json.RawMessage, error) {
	var v json.RawMessage
	err := r.Scan(jsonCol{&v})
	return v, err
}
