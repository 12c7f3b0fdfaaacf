#!/usr/bin/env python3
"""Golden lines for smithlog's `mini-v1` SFT transform (Tests/SmithDatasetsTests/Golden/mini/).

No reference implementation exists (SWE-smith's transforms read SWE-agent trajectories only), so
this script is the transform's executable definition, as documented in schema/README.md ("SFT transforms"):

  A mini-swe-agent trajectory (`<id>/<id>.traj.json`) is a JSON object whose `trajectory_format`
  is "mini-swe-agent-1" (1.x) or "mini-swe-agent-1.1" (2.x) and whose `messages` is a list of
  objects. The line keeps the messages up to and including the last one whose `role` is
  "assistant": what the model was sent in its last call plus its reply. What follows it was never
  sent to a model (1.x's closing user message with the submission or the limit, 2.x's
  `role: "exit"` message, an observation the step limit cut off). Each kept message becomes
  {"role": ..., "content": ...} plus "tool_calls" and "tool_call_id" when the message has them
  (2.x tool-call models), in that key order, values as they are (content may be null or a list);
  `extra`, 1.x's `timestamp` and every other key are dropped. The line is
  json.dumps({"messages": [...], "instance_id": ID}) + "\\n" with json.dumps' defaults
  (ensure_ascii, ", " and ": "), ID being the trajectory's folder name, as in SWE-smith's
  transform_to_ft. A trajectory that is not such an object, has another trajectory_format, a
  message without role or content, or no assistant message, gives no line (the error below).

Stdlib only. How to run (from the package root):
    python3 tools/golden/mini_sft.py            # rewrite the golden files
    python3 tools/golden/mini_sft.py --check    # fail if they would change

Output, under Tests/SmithDatasetsTests/Golden/mini/:
  inputs/*.traj.json      small synthetic trajectories for the cases the fixtures lack
  cases.json              one entry per trajectory: the output file or the error
  lines/<case>.jsonl
The real trajectories are the runs under Tests/Fixtures/mini-swe-agent/ (see tools/golden/mini_swe_agent_runs.py).
"""

import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "Tests" / "Fixtures" / "mini-swe-agent"
GOLDEN = ROOT / "Tests" / "SmithDatasetsTests" / "Golden" / "mini"
FORMATS = ("mini-swe-agent-1", "mini-swe-agent-1.1")
KEPT = ("tool_calls", "tool_call_id")


class MiniError(Exception):
    pass


def transform_mini_v1(traj) -> dict:
    """The mini-v1 transform: the trajectory as json.loads read it -> {"messages": [...]}."""
    if not isinstance(traj, dict):
        raise MiniError("$: expected an object")
    fmt = traj.get("trajectory_format")
    if fmt not in FORMATS:
        raise MiniError(f"$.trajectory_format: expected one of {FORMATS}, found {fmt!r}")
    messages = traj.get("messages")
    if not isinstance(messages, list):
        raise MiniError("$.messages: expected a list")
    last = None
    for i, m in enumerate(messages):
        if not isinstance(m, dict):
            raise MiniError(f"$.messages[{i}]: expected an object")
        if m.get("role") == "assistant":
            last = i
    if last is None:
        raise MiniError("$.messages: no assistant message")
    out = []
    for i, m in enumerate(messages[: last + 1]):
        for key in ("role", "content"):
            if key not in m:
                raise MiniError(f"$.messages[{i}]: no {key!r}")
        kept = {"role": m["role"], "content": m["content"]}
        for key in KEPT:
            if key in m:
                kept[key] = m[key]
        out.append(kept)
    return {"messages": out}


def line(traj_bytes: bytes, instance_id: str) -> str:
    ft = transform_mini_v1(json.loads(traj_bytes.decode("utf-8")))
    ft["instance_id"] = instance_id
    return json.dumps(ft) + "\n"


# Synthetic cases (name -> document) for what the two real files lack.
def _traj(messages, fmt="mini-swe-agent-1.1", **extra):
    return {"info": {"exit_status": "Submitted", "submission": ""}, "messages": messages,
            "trajectory_format": fmt, **extra}


SYS = {"role": "system", "content": "sys"}
USER = {"role": "user", "content": "Fix \u00e9 \U0001F600 \"quotes\" \\ \t"}
SYNTHETIC = {
    "null_and_list_content": _traj([
        SYS, USER,
        {"role": "assistant", "content": None, "tool_calls": None, "extra": {"cost": 1.5e-3}},
        {"role": "tool", "content": [{"type": "text", "text": "out"}], "tool_call_id": "c1", "x": 1},
        {"role": "assistant", "content": "done", "reasoning_content": "dropped", "tool_calls": [
            {"id": "c2", "type": "function", "index": 0, "function": {"name": "bash", "arguments": "{}"}}]},
    ]),
    "duplicate_keys": None,  # written as text below: json.loads keeps the last value at the first place
    "trailing_after_assistant": _traj([
        SYS, USER, {"role": "assistant", "content": "a"}, {"role": "user", "content": "obs"},
        {"role": "exit", "content": "", "extra": {"exit_status": "LimitsExceeded", "submission": ""}},
    ], fmt="mini-swe-agent-1"),
    "numbers": _traj([SYS, {"role": "assistant", "content": 1.0, "tool_call_id": 10000000000000000000000}]),
    "no_assistant": _traj([SYS, USER]),
    "other_format": _traj([SYS, {"role": "assistant", "content": "a"}], fmt="mini-swe-agent-2"),
    "swe_agent_traj": {"trajectory": [], "history": [], "info": {}},
    "missing_content": _traj([SYS, {"role": "assistant"}]),
    "message_not_object": _traj([SYS, "hello", {"role": "assistant", "content": "a"}]),
    # 2.x's Responses-API models save the raw response object as the assistant message: no role, so no line.
    "responses_api": _traj([SYS, USER, {"object": "response", "output": [
        {"type": "function_call", "call_id": "c1", "name": "bash", "arguments": "{}"}], "extra": {}},
        {"type": "function_call_output", "call_id": "c1", "output": "ok"}]),
}
DUPLICATE_KEYS = (
    '{"trajectory_format": "mini-swe-agent-1", "messages": [{"role": "system", "content": "first", '
    '"content": "second"}, {"role": "user", "role": "assistant", "content": "c", "tool_call_id": 1, '
    '"tool_call_id": "two"}], "instance_id": "x"}'
)


def build(dest: Path):
    (dest / "inputs").mkdir(parents=True)
    (dest / "lines").mkdir()
    sources = []
    for path in sorted(FIXTURES.glob("v*/run/*/*.traj.json")):
        rel = path.relative_to(ROOT / "Tests" / "Fixtures").as_posix()
        name = "fixture." + path.parts[-4] + "." + path.parent.name
        sources.append((name, "fixtures:" + rel, path.parent.name, path.read_bytes()))
    for name, doc in SYNTHETIC.items():
        text = DUPLICATE_KEYS if doc is None else json.dumps(doc, indent=1)
        (dest / "inputs" / f"{name}.traj.json").write_text(text)
        sources.append((name, f"inputs/{name}.traj.json", name, text.encode()))
    cases = []
    for name, source, iid, data in sources:
        case = {"name": name, "input": source, "instance_id": iid, "version": "mini-v1"}
        try:
            out = line(data, iid)
        except MiniError as e:
            case["error"] = str(e)
        else:
            (dest / "lines" / f"{name}.jsonl").write_text(out)
            case["output"] = f"lines/{name}.jsonl"
        cases.append(case)
    (dest / "cases.json").write_text(json.dumps(cases, indent=1) + "\n")


def same_tree(a: Path, b: Path) -> bool:
    fa = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    fb = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    return fa == fb and all((a / p).read_bytes() == (b / p).read_bytes() for p in fa)


def main(argv):
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "mini"
        build(fresh)
        if "--check" in argv:
            ok = GOLDEN.exists() and same_tree(fresh, GOLDEN)
            print("golden files up to date" if ok else "golden files differ: regenerate")
            return 0 if ok else 1
        if GOLDEN.exists():
            shutil.rmtree(GOLDEN)
        shutil.copytree(fresh, GOLDEN)
    print(f"wrote {GOLDEN}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
