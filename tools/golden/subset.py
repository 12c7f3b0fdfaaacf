#!/usr/bin/env python3
"""Golden subset exports for the CLI tests: what SWE-smith writes for a subset (json.dump(rows, f, indent=2)).

Run from the repository root:  tools/golden/subset.py
Writes Tests/SmithCLITests/Golden/*.json (committed). Needs only python3.
"""
import json
import os

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
out = os.path.join(root, "Tests", "SmithCLITests", "Golden")
os.makedirs(out, exist_ok=True)


def write(name, rows):
    with open(os.path.join(out, name), "w") as f:
        json.dump(rows, f, indent=2)


rows = json.load(open(os.path.join(root, "examples/sample/datasets/swesmith-sample.json")))
# The seed's example condition: instance_id LIKE '%.pr\_%' ESCAPE '\' AND f2p_count BETWEEN 2 AND 5
write("subset-pr-2to5.json", [r for r in rows if ".pr_" in r["instance_id"] and 2 <= len(r["FAIL_TO_PASS"]) <= 5])
# SWE-bench rows keep FAIL_TO_PASS as JSON-encoded strings; json.dump writes them back as strings.
lite = json.load(open(os.path.join(root, "Tests/Fixtures/swe-agent/data_sources/swe-bench-lite-test.json")))
write("subset-lite-all.json", lite)
