#!/usr/bin/env python3
"""Golden files for smithlog's SFT transforms and combine (Tests/SmithDatasetsTests/Golden/).

What it runs (the reference code, never a re-implementation):
  * xml-v2, ticks-v2, tool-v2: swesmith 0.0.9 from PyPI, module swesmith.train.traj_mgr.utils
    (its transform_traj_xml / transform_traj_backticks / transform_traj_toolcalls).
  * xml-v1, ticks-v1: the SWE-smith repository's swesmith/train/traj_mgr/utils.py as it was before
    swesmith 0.0.9 (the version that made the published ft_xml_*.jsonl: it reads `thought` and
    `tool_calls` unconditionally and has no cost-limit rule in get_messages), vendored verbatim
    in swesmith_repo_traj_utils.py beside this script from SWE-bench/SWE-smith (MIT licence,
    Copyright (c) 2025 John Yang). The code index this was read from stores that file only as
    the fork shubhamrgandhi/SWE-smith @ 1725c60 (its transform_to_ft.py is upstream's, writing
    ft_<style>_<eval dir>.jsonl); the exact file at upstream cf2e649 could not be pinned.
  * the line writer of transform_to_ft.py (same file history): traj["instance_id"] = folder;
    json.dumps(traj) + "\\n".
  * combine: swesmith 0.0.9 swesmith.train.traj_mgr.combine_trajs.merge_and_shuffle_jsonl (same
    as the repository's), driven through its input() prompts. `swebench` is only imported there
    for KEY_INSTANCE_ID, so a stub module provides that one constant.

The system prompt is agent.templates.system_template of Tests/Fixtures/swe-smith/agent/
swesmith_infer.yaml (swesmith 0.0.9 reads REPO_DIR/agent/swesmith_infer.yaml; REPO_DIR is pointed
at Tests/Fixtures/swe-smith).

How to run (from the package root; needs network once for PyPI):
    tools/setup --deps-only    # .build/golden-venv with the pinned packages of requirements.txt
    .build/golden-venv/bin/python tools/golden/sft.py            # rewrite the golden files
    .build/golden-venv/bin/python tools/golden/sft.py --check    # fail if they would change
    .build/golden-venv/bin/python tools/golden/sft.py --bench N  # time the reference on N exports

Output, under Tests/SmithDatasetsTests/Golden/:
  sft/system_prompt.txt          the prompt the xml style puts in system messages
  sft/inputs/*.traj              small synthetic trajectories for cases the fixtures lack
  sft/cases.json                 one entry per trajectory x version: the output file or the error
  sft/lines/<case>.<version>.jsonl
  combine/inputs/*.jsonl, combine/cases.json, combine/<case>/<name>.jsonl + metadata__<name>.json
"""

import builtins
import contextlib
import io
import json
import os
import shutil
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "Tests" / "Fixtures"
GOLDEN = ROOT / "Tests" / "SmithDatasetsTests" / "Golden"
INFER_YAML_DIR = FIXTURES / "swe-smith"

# ---------------------------------------------------------------------------------------------
# Reference code: swesmith 0.0.9 (PyPI)
# ---------------------------------------------------------------------------------------------

# combine_trajs imports KEY_INSTANCE_ID from swebench, a heavy package; the constant is all it uses.
_swebench = types.ModuleType("swebench")
_harness = types.ModuleType("swebench.harness")
_constants = types.ModuleType("swebench.harness.constants")
_constants.KEY_INSTANCE_ID = "instance_id"
sys.modules.setdefault("swebench", _swebench)
sys.modules.setdefault("swebench.harness", _harness)
sys.modules.setdefault("swebench.harness.constants", _constants)

import swesmith  # noqa: E402

assert swesmith.__version__ == "0.0.9", f"need swesmith 0.0.9, found {swesmith.__version__}"
swesmith.REPO_DIR = INFER_YAML_DIR  # utils reads REPO_DIR / "agent" / "swesmith_infer.yaml" at import
from swesmith.train.traj_mgr import utils as utils_v2  # noqa: E402
from swesmith.train.traj_mgr import combine_trajs as combine_v2  # noqa: E402

import yaml  # noqa: E402

SYSTEM_PROMPT = yaml.safe_load((INFER_YAML_DIR / "agent" / "swesmith_infer.yaml").read_text())["agent"][
    "templates"
]["system_template"]
assert utils_v2.SYSTEM_PROMPT == SYSTEM_PROMPT

# ---------------------------------------------------------------------------------------------
# Reference code: the SWE-smith repository's utils.py before swesmith 0.0.9, vendored verbatim
# beside this script. It opens agent/swesmith_infer.yaml relative to the working directory.
# ---------------------------------------------------------------------------------------------

sys.dont_write_bytecode = True  # keep tools/golden free of __pycache__
sys.path.insert(0, str(Path(__file__).resolve().parent))
_cwd = os.getcwd()
os.chdir(INFER_YAML_DIR)
try:
    import swesmith_repo_traj_utils as utils_v1  # noqa: E402
finally:
    os.chdir(_cwd)
assert utils_v1.SYSTEM_PROMPT == SYSTEM_PROMPT


# smithlog's version names -> the reference function that defines them.
VERSIONS = {
    "xml-v1": utils_v1.transform_traj_xml,
    "xml-v2": utils_v2.transform_traj_xml,
    "ticks-v1": utils_v1.transform_traj_backticks,
    "ticks-v2": utils_v2.transform_traj_backticks,
    "tool-v2": utils_v2.transform_traj_toolcalls,
}


def reference_line(traj_bytes: bytes, instance_id: str, version: str) -> str:
    """transform_to_ft.py's per-folder work: load, transform, add the id, dump one line."""
    traj = VERSIONS[version](json.loads(traj_bytes.decode("utf-8")))
    traj["instance_id"] = instance_id
    return json.dumps(traj) + "\n"


# ---------------------------------------------------------------------------------------------
# Synthetic trajectories for what the fixtures lack (SWE-agent >= 1.1 `query` steps, cost exits,
# odd argument values, the error cases). Small on purpose.
# ---------------------------------------------------------------------------------------------


def _call(name, arguments, call_id="call_1"):
    """An OpenAI-style tool call; `arguments` is used as given when it is already a string."""
    args = arguments if isinstance(arguments, str) else json.dumps(arguments)
    return {"id": call_id, "type": "function", "function": {"name": name, "arguments": args}}


def _text(s):
    return [{"type": "text", "text": s}]


SYS = {"role": "system", "content": "You are a helpful assistant that can interact with a computer.", "agent": "main"}
USER = {"role": "user", "content": _text("<uploaded_files>\n/testbed\n</uploaded_files>\nFix the bug."),
        "agent": "main"}


def _asst(thought, calls, content=None, **extra):
    m = {"role": "assistant", "content": thought if content is None else content, "thought": thought}
    m["action"] = extra.pop("action", "str_replace_editor view /testbed")
    m["agent"] = "main"
    m["tool_calls"] = calls
    m["message_type"] = "action"
    m.update(extra)
    return m


def _tool(text, call_id="call_1"):
    return {"role": "tool", "content": _text(text), "agent": "main", "message_type": "observation",
            "tool_call_ids": [call_id]}


def _step(query=None, messages=None, response="ok", **extra):
    s = {"action": "submit", "observation": "", "response": response, "thought": "", "execution_time": 0.5,
         "state": {"working_dir": "/testbed"}}
    if query is not None:
        s["query"] = query
    if messages is not None:
        s["messages"] = messages
    s["extra_info"] = {}
    s.update(extra)
    return s


def _traj(steps):
    return {"trajectory": steps, "history": [], "info": {"exit_status": "submitted", "submission": ""},
            "replay_config": "{}", "environment": "swe_main"}


ODD_ARGS = {
    "command": "str_replace",
    "path": "/testbed/src/caf\u00e9.py",
    "old_str": "    x = 'a'\n    return \"b\"\\n",
    "new_str": "    x = \u00ab\u00e9\u00bb \U0001F600\t\u2028end",
    "view_range": [1, -20],
    "insert_line": 7,
    "ratio": 0.1,
    "big": 1e16,
    "tiny": 1e-05,
    "flag": True,
    "nothing": None,
    "nested": {"a": "it's", "b": [1.5, False, None, {"c": "\u00e9\n"}]},
    "file_text": "",
}


def synthetic():
    """name -> trajectory (bytes). Names become instance ids."""
    q_ok = [SYS, USER,
            _asst("Let me look at the file.", [_call("str_replace_editor", {"command": "view", "path": "/testbed"})]),
            _tool("Here's the files"),
            _asst("  Edit it.\n", [_call("str_replace_editor", ODD_ARGS, "call_2")]),
            _tool("The file was edited", "call_2"),
            _asst("Two calls.", [_call("bash", {"command": "ls"}, "c3"), _call("submit", {}, "c4")]),
            _tool("ok", "c3"),
            _asst("No calls.", None),
            {"role": "user", "content": "plain string content", "agent": "main"},
            _asst("Exit due to cost limit", [], content="Exit due to cost limit"),
            ]
    cases = {}
    # SWE-agent >= 1.1: each step holds its own input as `query`; the last one is taken whole.
    cases["synthetic.query_ok"] = _traj([_step(query=q_ok[:3]), _step(query=q_ok)])
    # Cost and context exits: swesmith 0.0.9 takes the query of the step before the last.
    cases["synthetic.cost_exit"] = _traj([_step(query=q_ok[:6]), _step(query=q_ok, response="Exit due to cost limit")])
    cases["synthetic.context_exit"] = _traj(
        [_step(query=q_ok[:4]), _step(query=q_ok[:6]), _step(query=q_ok, response="Exit due to context window")])
    # ticks needs every non-assistant, non-system message to be a one-part list.
    q_ticks = q_ok[:9] + q_ok[10:]
    cases["synthetic.ticks_ok"] = _traj([_step(query=q_ticks[:4]), _step(query=q_ticks)])
    cases["synthetic.ticks_cost_exit"] = _traj(
        [_step(query=q_ticks[:4]), _step(query=q_ticks, response="Exit due to cost limit")])
    cases["synthetic.cost_exit_one_step"] = _traj([_step(query=q_ok, response="Exit due to cost limit")])
    cases["synthetic.query_no_response"] = _traj([{"query": q_ok, "action": "", "thought": ""}])
    # Pre-1.1 `messages` (history after the step): all but the last are used.
    cases["synthetic.messages_ok"] = _traj([_step(messages=q_ok + [_tool("diff --git a/x b/x")])])
    cases["synthetic.messages_empty"] = _traj([_step(messages=[])])
    # xml-v2 falls back to content, appends calls only when present, strips Python white space.
    cases["synthetic.no_tool_calls"] = _traj([_step(query=[SYS, USER, {
        "role": "assistant", "content": "\u3000\n I am done. \x85\x1c", "agent": "main"}])])
    cases["synthetic.no_thought"] = _traj([_step(query=[SYS, USER, {
        "role": "assistant", "content": "Looking.", "tool_calls": [_call("bash", {"command": "pwd"})]}])])
    cases["synthetic.thought_not_string"] = _traj([_step(query=[SYS, USER, _asst(12, [], action=None)])])
    cases["synthetic.assistant_content_list"] = _traj([_step(query=[SYS, USER, {
        "role": "assistant", "content": _text("listed"), "tool_calls": [_call("bash", {"command": "pwd"})]}])])
    cases["synthetic.thought_null"] = _traj([_step(query=[SYS, USER, _asst(None, None, content="c")])])
    cases["synthetic.odd_roles"] = _traj([_step(query=[
        {"role": "system", "content": _text("system as a list")},
        {"role": 5, "content": "numeric role"},
        {"role": "user", "content": [{"type": "text", "text": 42}]},
        {"role": "tool", "content": [{"text": {"k": [1, "\u00e9"]}}]},
    ])])
    # Errors the reference raises.
    cases["synthetic.no_steps"] = _traj([])
    cases["synthetic.no_trajectory_key"] = {"history": []}
    cases["synthetic.no_messages_no_query"] = _traj([{"action": "x", "response": "y"}])
    cases["synthetic.args_not_json"] = _traj([_step(query=[SYS, USER, _asst("t", [_call("bash", "{command: ls")])])])
    cases["synthetic.args_not_object"] = _traj([_step(query=[SYS, USER, _asst("t", [_call("bash", "[1, 2]")])])])
    cases["synthetic.args_not_string"] = _traj([_step(query=[SYS, USER, _asst("t", [
        {"id": "c", "type": "function", "function": {"name": "bash", "arguments": {"command": "ls"}}}])])])
    cases["synthetic.two_parts"] = _traj([_step(query=[SYS, {
        "role": "user", "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]}])])
    cases["synthetic.content_null"] = _traj([_step(query=[SYS, {"role": "user", "content": None}])])
    # Python's json.loads keeps the last of duplicate keys at the first one's place, and reads NaN.
    cases["synthetic.args_python_json"] = _traj([_step(query=[SYS, USER, _asst("t", [_call(
        "bash", '{"command": "first", "path": "/p", "command": "second", "n": -0.0,'
                ' "i": 123456789012345678901234567890,'
                ' "e": 1E2, "f": 2.50, "u": "\\ud83d\\ude00\\u00e9", "inf": 1e400}')])])])
    cases["synthetic.args_nan"] = _traj([_step(query=[SYS, USER, _asst("t", [_call(
        "bash", '{"a": NaN, "b": Infinity, "c": -Infinity}')])])])
    # What `tool` passes through untouched must still come out as Python re-dumps it.
    raw_tool = (b'{"trajectory": [{"response": "r", "query": [{"role":"system","content":"s","n":1.0E+2,"z":-0,'
                b'"dup":1,"dup":2,"x":1e400,"esc":"\\u00e9\\/\\b\\f\\u001f\\u007f"},'
                b'{"role": "user", "content": "caf\xc3\xa9 \xf0\x9f\x98\x80"}]}]}')
    out = {k: json.dumps(v, indent=1).encode() for k, v in cases.items()}
    out["synthetic.tool_passthrough"] = raw_tool
    return out


# ---------------------------------------------------------------------------------------------
# SFT goldens
# ---------------------------------------------------------------------------------------------


def fixture_trajs():
    """(case name, source for cases.json, instance id, bytes) for every .traj under Tests/Fixtures."""
    out = []
    for path in sorted(FIXTURES.rglob("*.traj")):
        rel = path.relative_to(FIXTURES).as_posix()
        name = rel.split("/")[0] + "." + path.parent.name + "." + path.stem
        out.append((name, "fixtures:" + rel, path.stem, path.read_bytes()))
    return out


def build_sft(out_dir: Path):
    (out_dir / "inputs").mkdir(parents=True)
    (out_dir / "lines").mkdir()
    (out_dir / "system_prompt.txt").write_text(SYSTEM_PROMPT, encoding="utf-8")
    sources = fixture_trajs()
    for name, data in synthetic().items():
        (out_dir / "inputs" / f"{name}.traj").write_bytes(data)
        sources.append((name, f"inputs/{name}.traj", name, data))
    cases = []
    for name, source, instance_id, data in sources:
        for version in VERSIONS:
            entry = {"name": name, "input": source, "instance_id": instance_id, "version": version}
            try:
                line = reference_line(data, instance_id, version)
            except Exception as e:  # the reference's own failure is the expected outcome
                entry["error"] = f"{type(e).__name__}: {e}"
            else:
                rel = f"lines/{name}.{version}.jsonl"
                (out_dir / rel).write_text(line, encoding="utf-8")
                entry["output"] = rel
            cases.append(entry)
    (out_dir / "cases.json").write_text(json.dumps(cases, indent=1) + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# combine goldens
# ---------------------------------------------------------------------------------------------


def _mini(iid, n, extra=None):
    d = {"messages": [{"role": "user", "content": f"line {n} of {iid}"}], "instance_id": iid}
    if extra:
        d.update(extra)
    return json.dumps(d) + "\n"


def combine_inputs(sft_dir: Path):
    """Small jsonl files: golden lines plus synthetic lines over several instance ids."""
    g = sft_dir / "lines"
    real = [
        (g / "synthetic.query_ok.xml-v1.jsonl").read_text(),
        (g / "synthetic.cost_exit.xml-v2.jsonl").read_text(),
        (g / "synthetic.odd_roles.xml-v2.jsonl").read_text(),
    ]
    ids = [
        "pandas-dev__pandas.95280573.pr_53652",
        "pandas-dev__pandas.95280573.func_pm_op_swap__abc123",
        "pandas-dev__pandas.95280573.func_pm_remove_cond__zz9",
        "getmoto__moto.694ce1f4.lm_rewrite__k2x7",
        "getmoto__moto.694ce1f4.combine_file__q1w2",
        "astropy__astropy-12907",
        "noversion",
    ]
    a = real[:1] + [_mini(ids[0], i) for i in range(4)] + [_mini(ids[1], 0), _mini(ids[5], 0)]
    # 25 lines for one id: random.sample switches from its pool to its set algorithm above 21.
    b = [_mini(ids[3], i) for i in range(25)] + real[1:2] + [_mini(ids[0], 10 + i) for i in range(2)]
    # Lines that Python re-dumps differently: compact separators, raw UTF-8, duplicate keys, 1E2.
    c = [
        '{"messages":[{"role":"user","content":"caf\u00e9 \U0001F600"}],"instance_id":"%s"}\n' % ids[4],
        '{"messages": [], "instance_id": "%s", "instance_id": "%s", "n": 1E2, "m": -0}\n' % (ids[2], ids[2]),
        real[2],
        _mini(ids[6], 0, {"resolved": True}),
        _mini(ids[4], 1),
    ]
    # A bad line stops the reference reading that file (it prints the error and goes on).
    d = [_mini(ids[1], 5), "{not json\n", _mini(ids[1], 6)]
    # A blank line at the end is also a JSON error for it; CRLF ends lines like LF.
    e = [_mini(ids[5], 1).replace("\n", "\r\n"), _mini(ids[5], 2), "\n"]
    return {
        "ft_xml_a.jsonl": "".join(a),
        "ft_xml_b.jsonl": "".join(b),
        "ft_xml_c.jsonl": "".join(c),
        "ft_xml_d.jsonl": "".join(d),
        "ft_xml_e.jsonl": "".join(e),
    }


COMBINE_CASES = [
    # name, files in selection order, seed, max_per_inst, output name
    ("s24_m3", ["ft_xml_b.jsonl", "ft_xml_a.jsonl", "ft_xml_c.jsonl"], 24, 3, "combined"),
    ("s24_m1", ["ft_xml_b.jsonl", "ft_xml_a.jsonl", "ft_xml_c.jsonl"], 24, 1, "combined_m1"),
    ("s7_m3", ["ft_xml_b.jsonl", "ft_xml_a.jsonl", "ft_xml_c.jsonl"], 7, 3, "combined.v2"),
    ("s7_m1", ["ft_xml_b.jsonl", "ft_xml_a.jsonl", "ft_xml_c.jsonl"], 7, 1, "s7m1"),
    ("bad_lines", ["ft_xml_d.jsonl", "ft_xml_e.jsonl", "ft_xml_a.jsonl", "ft_xml_d.jsonl"], 24, 3, "with_errors"),
    ("max0", ["ft_xml_a.jsonl"], 24, 0, "empty"),
]


def run_combine(workdir: Path, files, seed, max_per_inst, name):
    """Runs merge_and_shuffle_jsonl as a user would: default sft_dir, answers to its two prompts."""
    sft_dir = Path("trajectories_sft/")
    listing = sorted(f for f in os.listdir(workdir / sft_dir) if f.endswith(".jsonl"))
    answers = iter([" ".join(str(listing.index(f)) for f in files), name])
    old_cwd, old_input = os.getcwd(), builtins.input
    os.chdir(workdir)
    builtins.input = lambda prompt="": next(answers)
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            combine_v2.merge_and_shuffle_jsonl(max_per_inst=max_per_inst, seed=seed)
    finally:
        builtins.input = old_input
        os.chdir(old_cwd)
    out = workdir / sft_dir / f"{name}.jsonl"
    meta = workdir / sft_dir / f"metadata__{out.stem}.json"
    result = out.read_bytes(), meta.read_bytes()
    out.unlink()
    meta.unlink()
    return result


def build_combine(out_dir: Path, sft_dir: Path):
    inputs = combine_inputs(sft_dir)
    (out_dir / "inputs").mkdir(parents=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "trajectories_sft").mkdir()
        for fname, text in inputs.items():
            (out_dir / "inputs" / fname).write_bytes(text.encode("utf-8"))
            (work / "trajectories_sft" / fname).write_bytes(text.encode("utf-8"))
        cases = []
        for case, files, seed, m, name in COMBINE_CASES:
            out, meta = run_combine(work, files, seed, m, name)
            (out_dir / case).mkdir()
            (out_dir / case / f"{name}.jsonl").write_bytes(out)
            (out_dir / case / f"metadata__{name}.json").write_bytes(meta)
            cases.append({"name": case, "files": files, "sft_dir": "trajectories_sft", "seed": seed,
                          "max_per_inst": m, "output_name": name,
                          "output": f"{case}/{name}.jsonl", "metadata": f"{case}/metadata__{name}.json"})
    (out_dir / "cases.json").write_text(json.dumps(cases, indent=1) + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------------------------


def build(dest: Path):
    build_sft(dest / "sft")
    build_combine(dest / "combine", dest / "sft")
    (dest / "README.md").write_text(
        "Golden files generated by tools/golden/sft.py (swesmith 0.0.9 and the vendored SWE-smith\n"
        "repository transforms); do not edit by hand. Regenerate with the command in its docstring.\n")


def same_tree(a: Path, b: Path) -> bool:
    fa = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    fb = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    if fa != fb:
        print("file lists differ:", set(map(str, fa)) ^ set(map(str, fb)))
        return False
    diff = [str(p) for p in fa if (a / p).read_bytes() != (b / p).read_bytes()]
    if diff:
        print("contents differ:", diff)
    return not diff


def bench(n: int):
    """Reference export of n samples: read .traj, transform (xml-v2), write one jsonl."""
    src = (FIXTURES / "swe-smith/trajectories/pandas-dev__pandas.95280573.pr_53856"
           / "pandas-dev__pandas.95280573.pr_53856.traj")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "ft.jsonl"
        t0 = time.perf_counter()
        with open(out, "w") as f:
            for i in range(n):
                traj = utils_v2.transform_traj_xml(json.load(open(src, "r")))
                traj["instance_id"] = f"pandas-dev__pandas.95280573.pr_53856_{i}"
                f.write(json.dumps(traj) + "\n")
        dt = time.perf_counter() - t0
    print(f"python reference: {n} exports of {src.stat().st_size} B trajectory in {dt:.2f} s ({n / dt:.1f}/s)")


def main(argv):
    if argv[:1] == ["--bench"]:
        bench(int(argv[1]) if len(argv) > 1 else 1000)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "Golden"
        build(fresh)
        if argv[:1] == ["--check"]:
            ok = same_tree(fresh, GOLDEN)
            print("golden files are up to date" if ok else "golden files are stale")
            return 0 if ok else 1
        if GOLDEN.exists():
            shutil.rmtree(GOLDEN)
        shutil.copytree(fresh, GOLDEN)
    print(f"wrote {GOLDEN}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
