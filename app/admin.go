package app

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"switchboard/internal/ownerfile"
)

// AdminTokenFile is where the admin token is kept when the environment does
// not give one: in the data folder, readable by its owner only.
const AdminTokenFile = "admin.token"

// minAdminToken is the shortest admin token accepted from the configuration.
const minAdminToken = 24

// loadAdminToken returns the configured admin token, else the one in the
// data folder's token file, created with a fresh random token on first start.
func loadAdminToken(configured, dataDir string) (string, error) {
	if configured != "" {
		return configured, nil
	}
	path := filepath.Join(dataDir, AdminTokenFile)
	if err := ownerfile.Check(path); err != nil {
		return "", fmt.Errorf("admin token file: %w", err)
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		b := make([]byte, 32)
		_, _ = rand.Read(b) // crypto/rand.Read never fails
		data = []byte(base64.RawURLEncoding.EncodeToString(b) + "\n")
		if err := ownerfile.Write(path, data); err != nil {
			return "", fmt.Errorf("admin token: %w", err)
		}
	} else if err != nil {
		return "", fmt.Errorf("admin token: %w", err)
	}
	token := strings.TrimSpace(string(data))
	if len(token) < minAdminToken {
		return "", fmt.Errorf("admin token file %s holds %d characters: use at least %d random ones, or delete it to get a new one", path, len(token), minAdminToken)
	}
	return token, nil
}

// AdminURL is the administration's page.
func (a *App) AdminURL() string { return a.URL() + "/admin/" }

// AdminTokenSource says where the admin token comes from, for the banner:
// the token file's path, or the environment. The token itself is never
// printed.
func (a *App) AdminTokenSource() string {
	if a.cfg.AdminToken != "" {
		return "SWITCHBOARD_ADMIN_TOKEN"
	}
	return filepath.Join(a.cfg.DataDir, AdminTokenFile)
}
