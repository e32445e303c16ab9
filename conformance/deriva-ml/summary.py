"""Counts a JUnit XML report's outcomes by test directory: passed, failed, errors, skipped."""
import collections
import sys
import xml.etree.ElementTree as ET

counts = collections.defaultdict(collections.Counter)
for case in ET.parse(sys.argv[1]).iter("testcase"):
    parts = case.get("classname", "").split(".")
    directory = "/".join(parts[:2]) if len(parts) > 2 else parts[0]
    outcome = "passed"
    for child in case:
        if child.tag in ("failure", "error", "skipped"):
            outcome = {"failure": "failed", "error": "errors", "skipped": "skipped"}[child.tag]
    counts[directory][outcome] += 1
total = collections.Counter()
print(f"{'directory':28} {'passed':>7} {'failed':>7} {'errors':>7} {'skipped':>8}")
for directory in sorted(counts):
    c = counts[directory]
    total.update(c)
    print(f"{directory:28} {c['passed']:7} {c['failed']:7} {c['errors']:7} {c['skipped']:8}")
print(f"{'all':28} {total['passed']:7} {total['failed']:7} {total['errors']:7} {total['skipped']:8}")
