// Command rpasim serves a vendor simulator on a local port with sample data,
// on the real clock, so a person or the end-to-end tests can point a Bureau
// account at it:
//
//	go run ./cmd/rpasim uipath-cloud            # one simulator on a free port
//	go run ./cmd/rpasim -listen :9101 blue-prism
//	go run ./cmd/rpasim all                     # every simulator, one port each
//
// For each simulator it prints one JSON line: the provider, its URL, and the
// settings and secrets to enter on the account's Connection page (plus
// secrets it refuses, for trying the error path). Ctrl-C stops it.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"bureau/connector/automationanywhere/aasim"
	"bureau/connector/blueprism/bpsim"
	"bureau/connector/powerautomate/pasim"
	"bureau/connector/robomotion/robosim"
	"bureau/connector/simkit"
	"bureau/connector/uipath/uipathsim"
)

var sims = map[string]func(simkit.Options) simkit.Sim{
	"uipath-cloud":        func(o simkit.Options) simkit.Sim { return uipathsim.NewCloud(o) },
	"uipath-onprem":       func(o simkit.Options) simkit.Sim { return uipathsim.NewOnPrem(o) },
	"blue-prism":          func(o simkit.Options) simkit.Sim { return bpsim.New(o) },
	"automation-anywhere": func(o simkit.Options) simkit.Sim { return aasim.New(o) },
	"power-automate":      func(o simkit.Options) simkit.Sim { return pasim.New(o) },
	"robomotion":          func(o simkit.Options) simkit.Sim { return robosim.New(o) },
}

// Started is what rpasim prints for each simulator.
type Started struct {
	Provider     string            `json:"provider"`
	URL          string            `json:"url"`
	Settings     map[string]string `json:"settings"`
	Secrets      map[string]string `json:"secrets"`
	WrongSecrets map[string]string `json:"wrong_secrets"`
}

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to serve on (one simulator only; \"all\" uses free ports)")
	pending := flag.Duration("run-pending", 3*time.Second, "how long a started run stays pending")
	duration := flag.Duration("run-duration", 15*time.Second, "how long a started run then runs")
	jobs := flag.Int("jobs", 60, "seeded jobs per simulator")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: rpasim [flags] PROVIDER|all\nproviders: %s\n", strings.Join(names(), ", "))
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	which := []string{flag.Arg(0)}
	if which[0] == "all" {
		which = names()
		*listen = "127.0.0.1:0"
	} else if sims[which[0]] == nil {
		flag.Usage()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opts := simkit.Options{Clock: simkit.RealClock(), RunPending: *pending, RunDuration: *duration,
		Counts: simkit.Counts{Processes: 6, Jobs: *jobs, Robots: 4, Schedules: 3}}
	out := json.NewEncoder(os.Stdout)
	for _, name := range which {
		sim := sims[name](opts)
		ln, err := net.Listen("tcp", *listen)
		if err != nil {
			fmt.Fprintf(os.Stderr, "rpasim %s: %v\n", name, err)
			os.Exit(1)
		}
		url := "http://" + ln.Addr().String()
		srv := &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = srv.Serve(ln) }()
		defer srv.Close()
		_ = out.Encode(Started{Provider: name, URL: url, Settings: sim.Settings(url), Secrets: sim.Secrets(), WrongSecrets: sim.WrongSecrets()})
	}
	<-ctx.Done()
}

func names() []string {
	out := make([]string, 0, len(sims))
	for n := range sims {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}
