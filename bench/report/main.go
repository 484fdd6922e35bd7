// Command report turns loadgen's JSON lines into bench/RESULTS.md: one
// table of every cell, verdict's ratio to each other target, the targets the
// project set (met or missed), and the machine and commands of the run.
//
//	report --results results.jsonl --machine machine.txt --commands commands.txt --out bench/RESULTS.md
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/verdict-project/verdict/bench/result"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "report:", err)
		}
		os.Exit(2)
	}
}

// maxText bounds each verbatim text file the report includes.
const maxText = 1 << 20

func readText(path string) (string, error) {
	if path == "" {
		return "", nil
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxText+1))
	if err != nil {
		return "", err
	}
	if len(b) > maxText {
		return "", fmt.Errorf("%s: longer than %d bytes", path, maxText)
	}
	return string(b), nil
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	resultsPath := fs.String("results", "", "loadgen JSON lines (required)")
	machinePath := fs.String("machine", "", "text describing the machine, included verbatim")
	commandsPath := fs.String("commands", "", "the commands of the run, included verbatim")
	notesPath := fs.String("notes", "", "further notes, included verbatim")
	date := fs.String("date", time.Now().UTC().Format("2006-01-02 15:04 MST"), "date of the run")
	base := fs.String("baseline", "verdict", "target whose ratios to the others are reported")
	out := fs.String("out", "", "write here instead of standard output")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *resultsPath == "" {
		return errors.New("--results is required")
	}
	f, err := os.Open(*resultsPath)
	if err != nil {
		return err
	}
	rs, err := result.Read(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", *resultsPath, err)
	}
	in := Input{Results: rs, Baseline: *base, Date: *date}
	if in.Machine, err = readText(*machinePath); err != nil {
		return err
	}
	if in.Commands, err = readText(*commandsPath); err != nil {
		return err
	}
	if in.Notes, err = readText(*notesPath); err != nil {
		return err
	}
	w := stdout
	if *out != "" {
		of, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer of.Close()
		w = of
	}
	_, err = io.WriteString(w, Render(in))
	return err
}
