package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/verdict-project/verdict/export"
	"github.com/verdict-project/verdict/store/embedded"
)

func importCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", env("VERDICT_DATA", "verdict-data"), "data directory of a stopped server (env VERDICT_DATA)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: verdict import [--data DATADIR] EXPORT-DIR")
		fs.PrintDefaults()
	}
	// Accept the export directory before or after the flags.
	var dir string
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		dir, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if dir == "" && fs.NArg() == 1 {
		dir = fs.Arg(0)
	}
	if dir == "" {
		fs.Usage()
		return errors.New("give the export directory")
	}
	ex, err := export.Load(dir)
	if err != nil {
		return err
	}
	db, err := embedded.Open(*data, embedded.Options{})
	if err != nil {
		return fmt.Errorf("opening %s (is the server still running?): %w", *data, err)
	}
	defer db.Close()
	if err := ex.Apply(context.Background(), db, time.Now()); err != nil {
		return err
	}
	users, buckets := 0, 0
	for _, a := range ex.Accounts {
		users += len(a.Users)
		buckets += len(a.Buckets)
		for _, u := range a.Users {
			fmt.Fprintf(stdout, "user %s: access key %s, secret %s\n", u.ARN(), export.UserAccessKeyID(a.ID, u.Name), export.UserSecret(a.ID, u.Name))
		}
	}
	fmt.Fprintf(stdout, "imported %d accounts, %d users, %d buckets, %d organizations into %s\n", len(ex.Accounts), users, buckets, len(ex.Orgs), *data)
	return nil
}
