package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
)

// Setting returns a document, or nil when it was never set.
func (t *tx) Setting(ctx context.Context, name string) (json.RawMessage, error) {
	if t.useCache() {
		return t.cachedSetting(ctx, name)
	}
	return t.readSetting(ctx, name)
}

// readSetting reads a setting from the database.
func (t *tx) readSetting(ctx context.Context, name string) (json.RawMessage, error) {
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

// SettingNames returns the names that start with prefix, in order.
func (t *tx) SettingNames(ctx context.Context, prefix string) ([]string, error) {
	names, err := queryAll(ctx, t, scanName, `SELECT name FROM settings WHERE substr(name, 1, ?) = ? ORDER BY name`,
		len(prefix), prefix)
	if err != nil {
		return nil, fmt.Errorf("setting names: %w", err)
	}
	return names, nil
}

func scanName(r scanner) (string, error) {
	var s string
	err := r.Scan(&s)
	return s, err
}

func scanSetting(r scanner) (json.RawMessage, error) {
	var v json.RawMessage
	err := r.Scan(jsonCol{&v})
	return v, err
}
