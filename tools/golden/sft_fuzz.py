#!/usr/bin/env python3
"""Differential fuzzing of smithlog's SFT transforms against the reference (tools/test runs 500 cases).

Writes N random trajectories and, per version, the reference's line or its error, to DIR;
SmithDatasetsTests' fuzz test compares the Swift transform with them when SMITHLOG_SFT_FUZZ_DIR
is set. Uses the same reference code as sft.py (same venv).

    .build/golden-venv/bin/python tools/golden/sft_fuzz.py /tmp/sft-fuzz 2000 [seed]   # venv: tools/setup
    SMITHLOG_SFT_FUZZ_DIR=/tmp/sft-fuzz swift test --scratch-path .build-sft --filter SFTFuzz
"""

import json
import random
import sys
from pathlib import Path

sys.dont_write_bytecode = True  # keep tools/golden free of __pycache__
sys.path.insert(0, str(Path(__file__).resolve().parent))
import sft  # noqa: E402  (loads the reference code)

STRINGS = ["", " ", "x", "plain text", "  padded\n", "\u3000wide\u3000", "\x85next\x1c", "caf\u00e9", "\U0001F600 ok",
           "quote ' and \" and \\", "tab\there", "ctl\x01\x7f", "\u2028sep", "Exit due to cost limit",
           "Exit due to context window", "tool", "assistant", "system", "e\u0301", "\u00e9", "NaN"]
KEYS = ["command", "path", "old_str", "new_str", "file_text", "view_range", "insert_line", "x", "caf\u00e9", ""]


def rstr(r):
    if r.random() < 0.8:
        return r.choice(STRINGS)
    return "".join(r.choice("ab \n\t\u00e9\U0001F600'\"\\") for _ in range(r.randint(0, 8)))


def rnum_text(r):
    return r.choice(["0", "-0", "1", "-17", "12345678901234567890123", "0.1", "1.0", "-0.0", "1e16", "1E2", "2.50",
                     "1e-05", "1e400", "-1e400", "123456789.123456789", "NaN", "Infinity", "-Infinity", "5e-324"])


def rjson_text(r, depth=0):
    """Random JSON text (as Python would accept it), with duplicate keys and odd numbers."""
    c = r.random()
    if depth > 2 or c < 0.35:
        return r.choice([json.dumps(rstr(r)), rnum_text(r), "true", "false", "null"])
    if c < 0.6:
        return "[" + ", ".join(rjson_text(r, depth + 1) for _ in range(r.randint(0, 3))) + "]"
    pairs = [f"{json.dumps(r.choice(KEYS))}: {rjson_text(r, depth + 1)}" for _ in range(r.randint(0, 4))]
    return "{" + ", ".join(pairs) + "}"


def rvalue(r, depth=0):
    return json.loads(rjson_text(r, depth))


def rargs(r):
    c = r.random()
    if c < 0.8:
        pairs = [f"{json.dumps(r.choice(KEYS))}: {rjson_text(r, 1)}" for _ in range(r.randint(0, 5))]
        return (" " if r.random() < 0.1 else "") + "{" + ", ".join(pairs) + "}"
    if c < 0.88:
        return r.choice(["{bad", "", "[1]", "null", "{} x", "\ufeff{}", '{"a": "\\ud800"}'])
    return rvalue(r)  # not a string at all


def rcall(r):
    if r.random() < 0.05:
        return rvalue(r)
    f = {}
    if r.random() < 0.95:
        f["name"] = r.choice(["bash", "str_replace_editor", "submit"]) if r.random() < 0.9 else rvalue(r)
    if r.random() < 0.97:
        f["arguments"] = rargs(r)
    return {"id": "c", "type": "function", "function": f}


def rcontent(r, role):
    c = r.random()
    if c < 0.45:
        return rstr(r)
    if c < 0.8:
        return [{"type": "text", "text": rstr(r) if r.random() < 0.9 else rvalue(r)}]
    if c < 0.88:
        return [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}][: r.randint(0, 2)]
    return rvalue(r)


def rmessage(r):
    roles = ["system", "user", "assistant", "tool", "assistant", "assistant"]
    role = r.choice(roles) if r.random() < 0.95 else rvalue(r)
    m = {"role": role}
    if r.random() < 0.97:
        m["content"] = rcontent(r, role)
    if role == "assistant" or r.random() < 0.1:
        if r.random() < 0.9:
            m["thought"] = rstr(r) if r.random() < 0.85 else rvalue(r)
        if r.random() < 0.9:
            m["action"] = rstr(r) if r.random() < 0.9 else rvalue(r)
        if r.random() < 0.85:
            m["tool_calls"] = [rcall(r) for _ in range(r.randint(0, 2))] if r.random() < 0.9 else rvalue(r)
    if r.random() < 0.05:
        m["role"] = role  # a repeated key, written again below by the dumper
    return m


def rstep(r):
    s = {"action": "a", "thought": "t"}
    if r.random() < 0.9:
        responses = ["ok", "Exit due to cost limit", "Exit due to context window"]
        s["response"] = r.choice(responses) if r.random() < 0.9 else rvalue(r)
    msgs = [rmessage(r) for _ in range(r.randint(0, 5))]
    c = r.random()
    if c < 0.3:
        s["messages"] = msgs
    elif c < 0.9:
        s["query"] = msgs
    elif c < 0.95:
        s["query"] = rvalue(r)
    return s


def rtraj(r):
    if r.random() < 0.02:
        return json.dumps(rvalue(r))
    steps = [rstep(r) for _ in range(r.randint(0, 3))]
    text = json.dumps({"trajectory": steps, "info": {}}, indent=r.choice([None, 1]), ensure_ascii=r.random() < 0.5)
    if r.random() < 0.05:
        text = text.replace('"role": ', '"role": "dup", "role": ', 1)
    return text


def main(argv):
    out = Path(argv[0])
    n = int(argv[1]) if len(argv) > 1 else 1000
    r = random.Random(int(argv[2]) if len(argv) > 2 else 1)
    out.mkdir(parents=True, exist_ok=True)
    cases = []
    for i in range(n):
        text = rtraj(r)
        name = f"t{i:05d}"
        (out / f"{name}.traj").write_text(text, encoding="utf-8")
        for version in sft.VERSIONS:
            entry = {"name": name, "version": version}
            try:
                line = sft.reference_line(text.encode("utf-8"), name, version)
            except Exception as e:
                entry["error"] = f"{type(e).__name__}: {e}"
            else:
                (out / f"{name}.{version}.jsonl").write_text(line, encoding="utf-8")
                entry["output"] = f"{name}.{version}.jsonl"
            cases.append(entry)
    (out / "cases.json").write_text(json.dumps(cases), encoding="utf-8")
    ok = sum(1 for c in cases if "output" in c)
    print(f"{n} trajectories, {len(cases)} cases, {ok} lines, {len(cases) - ok} errors -> {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
