package postgres

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"
)

// settingSQL reads a document by name.
const settingSQL = `SELECT value FROM settings WHERE name = $1`

// Setting returns a document, or nil when it was never set.
func (t *tx) Setting(ctx context.Context, name string) (json.RawMessage, error) {
	v, err := queryOne(ctx, t, scanJSON, settingSQL, name)
	if err != nil || v == nil {
		return nil, wrap("setting", err)
	}
	return *v, nil
}

// PutSetting creates or replaces a document.
func (t *tx) PutSetting(ctx context.Context, name string, value json.RawMessage) error {
	_, err := t.exec(ctx, `INSERT INTO settings (name, value) VALUES ($1, $2)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value`, name, jsonArg(value))
	return wrap("put setting", err)
}

// SettingNames returns the names that start with prefix (as text, not a
// pattern), in byte order.
func (t *tx) SettingNames(ctx context.Context, prefix string) ([]string, error) {
	names, err := queryAll(ctx, t, scanString, `SELECT name FROM settings WHERE starts_with(name, $1) ORDER BY name`, prefix)
	return names, wrap("setting names", err)
}

// scanJSON scans a single JSON document.
func scanJSON(r pgx.Row) (json.RawMessage, error) {
	var v json.RawMessage
	err := r.Scan(jsonCol(&v))
	return v, err
}
