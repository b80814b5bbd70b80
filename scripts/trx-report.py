#!/usr/bin/env python3
"""Reads the results of one `dotnet test` run (the TRX files in a folder, one per test project) for
scripts/test.sh.

  trx-report.py counts DIR     prints "PASSED FAILED SKIPPED" (errors, timeouts and aborts count as failed)
  trx-report.py failed DIR     prints the name of each test that did not pass, one per line
  trx-report.py slowest N DIR  prints the N slowest tests with their durations, slowest first
"""
import glob
import os
import sys
import xml.etree.ElementTree as ET

NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
FAILED = ("failed", "error", "timeout", "aborted")


def roots(folder):
    return [ET.parse(path).getroot() for path in sorted(glob.glob(os.path.join(folder, "**", "*.trx"), recursive=True))]


def results(folder):
    return [result for root in roots(folder) for result in root.iter(f"{NS}UnitTestResult")]


def seconds(duration):
    hours, minutes, secs = duration.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(secs)


def counts(folder):
    totals = {}
    for root in roots(folder):
        counters = root.find(f"{NS}ResultSummary/{NS}Counters")
        for name in ("passed", "notExecuted") + FAILED:
            totals[name] = totals.get(name, 0) + (int(counters.get(name, "0")) if counters is not None else 0)
    print(totals.get("passed", 0), sum(totals.get(name, 0) for name in FAILED), totals.get("notExecuted", 0))


def failed(folder):
    for result in results(folder):
        if result.get("outcome", "").lower() in FAILED:
            print(result.get("testName"))


def slowest(n, folder):
    timed = [(seconds(r.get("duration", "0:0:0")), r.get("testName", "?")) for r in results(folder)]
    for duration, name in sorted(timed, reverse=True)[:n]:
        print(f"{duration:7.1f} s  {name if len(name) <= 160 else name[:157] + '...'}")


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "counts":
        counts(*args)
    elif command == "failed":
        failed(*args)
    elif command == "slowest":
        slowest(int(args[0]), args[1])
    else:
        sys.exit(f"trx-report.py: unknown command {command}")
