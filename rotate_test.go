package main

import (
	"context"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bureau/audit"
	"bureau/connection"
	_ "bureau/connector/all"
	"bureau/secret"
	"bureau/sso"
	"bureau/store"
)

// SEC-04: rotate-master-key re-wraps every data key under a new master key;
// after a restart (a fresh Box from the new key file) every secret opens,
// and the old key opens none of them.
func TestRotateMasterKey(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("BUREAU_DATA_DIR", dir)
	t.Chdir(dir)
	if code, _, errOut := runCLI(t, "violet tractor mirrors seventeen\n", "setup", "--tenant-name", "Northwind", "--tenant-slug", "northwind",
		"--owner-name", "Ann", "--owner-email", "ann@northwind.example", "--account-name", "Acme", "--account-slug", "acme", "--password-stdin"); code != 0 {
		t.Fatalf("setup: %s", errOut)
	}
	oldKey, err := secret.MasterKey("", dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db, tenantID, accountID := openTestDB(t, dir)
	box, _ := secret.NewBox(oldKey)
	conns := &connection.Service{DB: db, Box: box, Now: time.Now}
	if _, err := conns.Put(ctx, audit.Actor{Kind: audit.ActorSystem}, tenantID, accountID, connection.Input{Provider: "robomotion",
		Settings: map[string]string{"url": "https://api.robomotion.example"}, Secrets: map[string]string{"api_token": "robomotion-token-1"}}); err != nil {
		t.Fatal(err)
	}
	ssoSvc := &sso.Service{DB: db, Box: box, Now: time.Now}
	clientSecret := "entra-secret-1"
	if _, err := ssoSvc.Put(ctx, audit.Actor{Kind: audit.ActorSystem}, tenantID, sso.Input{Issuer: "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0",
		ClientID: "app", ClientSecret: &clientSecret, GroupRoles: map[string]string{"g": "consultant"}}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	code, out, errOut := runCLI(t, "", "rotate-master-key")
	if code != 0 || !strings.Contains(out, "re-wrapped 1 connection secrets and 1 SSO client secrets") {
		t.Fatalf("rotate: %d %s %s", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, secret.NextKeyFile)); !os.IsNotExist(err) {
		t.Fatal("the pending key file is still there")
	}
	newKey, err := secret.MasterKey("", dir)
	if err != nil || hex.EncodeToString(newKey) == hex.EncodeToString(oldKey) {
		t.Fatalf("new key: %v", err)
	}
	db, tenantID, accountID = openTestDB(t, dir)
	newBox, _ := secret.NewBox(newKey)
	conns = &connection.Service{DB: db, Box: newBox, Now: time.Now}
	v, err := conns.Get(ctx, db.R, tenantID, accountID)
	if err != nil || v.Secrets["api_token"].NeedsReentry {
		t.Fatalf("connection secret after rotation: %+v %v", v.Secrets, err)
	}
	if got, err := (&sso.Service{DB: db, Box: newBox}).ClientSecret(ctx, tenantID); err != nil || got != clientSecret {
		t.Fatalf("sso secret after rotation: %q %v", got, err)
	}
	conns.Box = box // the old key alone opens nothing any more
	if v, _ := conns.Get(ctx, db.R, tenantID, accountID); !v.Secrets["api_token"].NeedsReentry {
		t.Fatal("the old master key still opens the secret")
	}
}

func openTestDB(t *testing.T, dir string) (*store.DB, string, string) {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(dir, "bureau.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var tenantID, accountID string
	if err := db.R.QueryRow(`SELECT tenant_id, id FROM accounts WHERE slug = 'acme'`).Scan(&tenantID, &accountID); err != nil {
		t.Fatal(err)
	}
	return db, tenantID, accountID
}
