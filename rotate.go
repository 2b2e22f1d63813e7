package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"bureau/connection"
	"bureau/secret"
	"bureau/sso"
)

// rotateMasterKey replaces the master key (SEC-04): every sealed secret's
// data key is re-wrapped under the new key in one transaction; the secrets
// themselves are not re-encrypted. With a key file the new key is written
// beside it first (master.key.next) and renamed over it after the commit,
// so an interruption at any point leaves every secret readable. With
// BUREAU_MASTER_KEY the new key comes from standard input (or is generated)
// and is printed for the operator to install.
func rotateMasterKey(ctx context.Context, stdin io.Reader, stdout io.Writer) error {
	cfg, db, err := openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	current, err := secret.MasterKey(cfg.MasterKey, cfg.DataDir)
	if err != nil {
		return err
	}
	fromEnv := cfg.MasterKey != ""
	nextPath := filepath.Join(cfg.DataDir, secret.NextKeyFile)
	var next []byte
	if fromEnv {
		if next, err = keyFromInput(stdin); err != nil {
			return err
		}
	} else if pending, err := secret.PendingKeys(cfg.DataDir); err != nil {
		return err
	} else if len(pending) > 0 {
		next = pending[0] // finish the interrupted rotation
	} else {
		if next, err = secret.NewKey(); err != nil {
			return err
		}
		if err := secret.WriteKeyFile(nextPath, next); err != nil {
			return err
		}
	}
	from, err := secret.NewBox(current, next)
	if err != nil {
		return err
	}
	to, err := secret.NewBox(next)
	if err != nil {
		return err
	}
	var conns, ssos, unreadable int
	err = db.Write(ctx, func(tx *sql.Tx) error {
		var u1, u2 int
		var err error
		if conns, u1, err = connection.Rewrap(ctx, tx, from, to); err != nil {
			return err
		}
		if ssos, u2, err = sso.Rewrap(ctx, tx, from, to); err != nil {
			return err
		}
		unreadable = u1 + u2
		return nil
	})
	if err != nil {
		return fmt.Errorf("re-wrap: %w (nothing changed; the current key stays in use)", err)
	}
	fmt.Fprintf(stdout, "re-wrapped %d connection secrets and %d SSO client secrets under key %s (was %s)\n",
		conns, ssos, to.KeyID(), secret.KeyID(current))
	if unreadable > 0 {
		fmt.Fprintf(stdout, "%d secrets could not be opened with the current key and were left as they were: re-enter them in the web app\n", unreadable)
	}
	if fromEnv {
		fmt.Fprintf(stdout, "\nSet the new master key before starting Bureau again:\nBUREAU_MASTER_KEY=%s\n", hex.EncodeToString(next))
		return nil
	}
	if err := os.Rename(nextPath, filepath.Join(cfg.DataDir, secret.MasterKeyFile)); err != nil {
		return fmt.Errorf("install the new key (the secrets are already re-wrapped; it stays in %s and is loaded from there): %w", nextPath, err)
	}
	fmt.Fprintf(stdout, "new master key written to %s; back it up, apart from the database backups\n",
		filepath.Join(cfg.DataDir, secret.MasterKeyFile))
	return nil
}

// keyFromInput reads a 64-hex-digit key from piped input, or generates one
// when nothing is piped.
func keyFromInput(stdin io.Reader) ([]byte, error) {
	if f, ok := stdin.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			return secret.NewKey()
		}
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read new key: %w", err)
	}
	line = strings.TrimSpace(line)
	if line == "" {
		return secret.NewKey()
	}
	key, err := hex.DecodeString(line)
	if err != nil || len(key) != 32 {
		return nil, errors.New("the new key on standard input must be 64 hex characters (openssl rand -hex 32)")
	}
	return key, nil
}
