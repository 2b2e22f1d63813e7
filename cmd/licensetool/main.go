// Command licensetool makes Bureau license files.
//
//	licensetool keygen
//	licensetool sign -key <private key seed, hex> -tenant northwind -plan consulting -max-accounts 40 -expires 2027-12-31
//
// The private key is given on the command line (or in LICENSE_PRIVATE_KEY)
// and never stored in the repository; the binary checks licenses against the
// public key in license/publickey.txt.
package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"bureau/license"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "licensetool:", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: licensetool keygen | sign [flags]")
	}
	switch args[0] {
	case "keygen":
		pub, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "public key (put in license/publickey.txt): %s\nprivate key (keep secret):               %s\n",
			hex.EncodeToString(pub), hex.EncodeToString(priv.Seed()))
		return nil
	case "sign":
		return sign(args[1:], out)
	}
	return fmt.Errorf("unknown command %q", args[0])
}

func sign(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("sign", flag.ContinueOnError)
	key := fs.String("key", os.Getenv("LICENSE_PRIVATE_KEY"), "private key seed, 64 hex digits")
	var l license.License
	fs.StringVar(&l.Tenant, "tenant", "", "tenant slug")
	fs.StringVar(&l.Plan, "plan", "consulting", "trial | starter | growth | scale | consulting")
	fs.IntVar(&l.MaxAccounts, "max-accounts", 0, "active account cap (consulting)")
	expires := fs.String("expires", "", "last valid day, YYYY-MM-DD")
	if err := fs.Parse(args); err != nil {
		return err
	}
	seed, err := hex.DecodeString(*key)
	if err != nil || len(seed) != ed25519.SeedSize {
		return errors.New("-key must be the 64-hex-digit private key seed from `licensetool keygen`")
	}
	if l.Tenant == "" {
		return errors.New("-tenant is required")
	}
	if _, ok := license.Plans[l.Plan]; !ok {
		return fmt.Errorf("unknown plan %q", l.Plan)
	}
	if l.Expires, err = time.Parse(time.DateOnly, *expires); err != nil {
		return errors.New("-expires must be a date like 2027-12-31")
	}
	l.Issued = time.Now().UTC().Truncate(24 * time.Hour)
	fmt.Fprint(out, license.Sign(l, ed25519.NewKeyFromSeed(seed)))
	return nil
}
