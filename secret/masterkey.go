// Package secret keeps Bureau's master key. The key lives in a file in the
// data directory (mode 0600), apart from the database, so a copy of the
// database alone holds nothing that forges sessions or opens secrets.
package secret

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// MasterKeyFile is the key's file name inside the data directory.
const MasterKeyFile = "master.key"

// LoadOrCreateMasterKey reads the 32-byte master key from dataDir, creating
// it on first start.
func LoadOrCreateMasterKey(dataDir string) ([]byte, error) {
	path := filepath.Join(dataDir, MasterKeyFile)
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, fmt.Errorf("master key: %w", err)
		}
		if err := os.MkdirAll(dataDir, 0o700); err != nil {
			return nil, fmt.Errorf("master key: %w", err)
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, fmt.Errorf("master key: %w", err)
		}
		if _, err := f.WriteString(hex.EncodeToString(key) + "\n"); err != nil {
			f.Close()
			return nil, fmt.Errorf("master key: %w", err)
		}
		if err := f.Close(); err != nil {
			return nil, fmt.Errorf("master key: %w", err)
		}
		return key, nil
	}
	if err != nil {
		return nil, fmt.Errorf("master key: %w", err)
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(raw)))
	if err != nil || len(key) != 32 {
		return nil, fmt.Errorf("master key %s: not 64 hex characters", path)
	}
	return key, nil
}

// MasterKey is the configured key when there is one (64 hex characters,
// from the master_key setting or BUREAU_MASTER_KEY: for installations that
// keep it in a secret store), else the key file in dataDir.
func MasterKey(configured, dataDir string) ([]byte, error) {
	if configured == "" {
		return LoadOrCreateMasterKey(dataDir)
	}
	key, err := hex.DecodeString(strings.TrimSpace(configured))
	if err != nil || len(key) != 32 {
		return nil, errors.New("master_key: not 64 hex characters (generate one with: openssl rand -hex 32)")
	}
	return key, nil
}

// Derive returns a sub-key for one purpose, so no key serves two ends.
func Derive(master []byte, purpose string) []byte {
	m := hmac.New(sha256.New, master)
	m.Write([]byte("bureau/" + purpose))
	return m.Sum(nil)
}

// NextKeyFile holds the new master key while a rotation is under way. If
// a rotation stops between committing the re-wrapped keys and renaming the
// file, both keys are loaded at the next start and nothing is unreadable.
const NextKeyFile = "master.key.next"

// PendingKeys returns the key of an unfinished rotation, if any, to load
// beside the master key.
func PendingKeys(dataDir string) ([][]byte, error) {
	raw, err := os.ReadFile(filepath.Join(dataDir, NextKeyFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("master key: %w", err)
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(raw)))
	if err != nil || len(key) != 32 {
		return nil, fmt.Errorf("%s: not 64 hex characters", NextKeyFile)
	}
	return [][]byte{key}, nil
}

// NewKey returns 32 random bytes.
func NewKey() ([]byte, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("master key: %w", err)
	}
	return key, nil
}

// WriteKeyFile writes a key file with mode 0600, refusing to overwrite.
func WriteKeyFile(path string, key []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("master key: %w", err)
	}
	if _, err := f.WriteString(hex.EncodeToString(key) + "\n"); err != nil {
		f.Close()
		return fmt.Errorf("master key: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("master key: %w", err)
	}
	return f.Close()
}
