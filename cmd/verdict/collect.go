package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/verdict-project/verdict/export"
)

func collectCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("collect-commands", flag.ContinueOnError)
	fs.SetOutput(stderr)
	bucket := fs.String("bucket", "", "bucket the question is about")
	principal := fs.String("principal", "", "caller ARN")
	key := fs.String("key", "", "object key, for object questions")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: verdict collect-commands --bucket B --principal ARN [--key K]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *bucket == "" || *principal == "" {
		fs.Usage()
		return errors.New("give --bucket and --principal")
	}
	fmt.Fprintln(stdout, "# Run in an empty directory with credentials of the bucket owner's account; then: verdict simulate --dir .")
	for _, c := range export.Commands(*bucket, *principal, *key) {
		fmt.Fprintln(stdout, c)
	}
	return nil
}
