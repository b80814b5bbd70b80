#!/usr/bin/env python3
"""Reads the results of one `dotnet test` run (a TRX file) for scripts/test.sh.

  trx-report.py counts TRX     prints "PASSED FAILED SKIPPED" (errors, timeouts and aborts count as failed)
  trx-report.py failed TRX     prints the name of each test that did not pass, one per line
  trx-report.py slowest N TRX  prints the N slowest tests with their durations, slowest first
"""
import sys
import xml.etree.ElementTree as ET

NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
FAILED = ("failed", "error", "timeout", "aborted")


def root(path):
    return ET.parse(path).getroot()


def seconds(duration):
    hours, minutes, secs = duration.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(secs)


def counts(path):
    counters = root(path).find(f"{NS}ResultSummary/{NS}Counters")
    get = lambda name: int(counters.get(name, "0")) if counters is not None else 0
    print(get("passed"), sum(get(name) for name in FAILED), get("notExecuted"))


def failed(path):
    for result in root(path).iter(f"{NS}UnitTestResult"):
        if result.get("outcome", "").lower() in FAILED:
            print(result.get("testName"))


def slowest(n, path):
    results = [(seconds(r.get("duration", "0:0:0")), r.get("testName", "?")) for r in root(path).iter(f"{NS}UnitTestResult")]
    for duration, name in sorted(results, reverse=True)[:n]:
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
