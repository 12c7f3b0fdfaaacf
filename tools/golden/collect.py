#!/usr/bin/env python3
"""Golden files for `sft export --format collect|list` (Tests/SmithCLITests/Golden/sft-*.jsonl).

What it runs (the reference code, never a re-implementation):
  * collect: swesmith 0.0.9 from PyPI, swesmith.train.traj_mgr.collect_trajs.main, on the sample run
    (examples/sample), style xml (its transform_traj_xml), from examples/sample as the working directory
    with --traj_dir trajectories/lead/sample-run and --eval_dir logs/run_evaluation/sample-eval, as a user
    would type them: traj_id hashes that path string (generate_hash(str(traj_dir))). REPO_DIR is pointed at
    examples/sample so the xml transform reads examples/sample/agent/swesmith_infer.yaml, the prompt the
    CLI test builds with. `swebench` (two constants) and `tqdm` are stubbed: nothing else of them is used.
    Its lines come in thread-completion order; the test sorts both sides.
  * list: the SWE-smith repository's transform_to_ft_list.py (@ cf2e649) writes, for each path of its list,
    json.dumps(transform_traj_xml(json.load(path))) + "\\n" with the repository's transform_traj_xml
    (vendored in swesmith_repo_traj_utils.py, the xml-v1 code); the list here is the sample run's resolved
    trajectories sorted by instance id, which is what `sft build` (xml-v1, only resolved) keeps, in its order.

How to run (from the package root):
    tools/setup --deps-only
    .build/golden-venv/bin/python tools/golden/collect.py
"""

import json
import os
import sys
import tempfile
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample"
OUT = ROOT / "Tests" / "SmithCLITests" / "Golden"
sys.dont_write_bytecode = True

_constants = types.ModuleType("swebench.harness.constants")
_constants.KEY_INSTANCE_ID = "instance_id"
_constants.LOG_REPORT = "report.json"
sys.modules["swebench"] = types.ModuleType("swebench")
sys.modules["swebench.harness"] = types.ModuleType("swebench.harness")
sys.modules["swebench.harness.constants"] = _constants
try:
    import tqdm.auto  # noqa: F401
except ImportError:
    _tqdm = types.ModuleType("tqdm")
    _auto = types.ModuleType("tqdm.auto")
    _auto.tqdm = lambda iterable, **kwargs: iterable
    sys.modules["tqdm"] = _tqdm
    sys.modules["tqdm.auto"] = _auto

import swesmith  # noqa: E402

assert swesmith.__version__ == "0.0.9", f"need swesmith 0.0.9, found {swesmith.__version__}"
swesmith.REPO_DIR = SAMPLE
from swesmith.train.traj_mgr import collect_trajs  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
_cwd = os.getcwd()
os.chdir(SAMPLE)  # the vendored repository utils open agent/swesmith_infer.yaml relative to it
try:
    import swesmith_repo_traj_utils as utils_v1  # noqa: E402
finally:
    os.chdir(_cwd)

TRAJ_DIR = "trajectories/lead/sample-run"
EVAL_DIR = "logs/run_evaluation/sample-eval"


def collect() -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(SAMPLE)
        try:
            collect_trajs.main(out_dir=Path(tmp), traj_dir=Path(TRAJ_DIR), eval_dir=Path(EVAL_DIR), style="xml",
                               workers=4)
        finally:
            os.chdir(_cwd)
        return (Path(tmp) / "sample-eval.xml.jsonl").read_bytes()


def ft_list() -> bytes:
    paths = []
    for folder in sorted(p.name for p in (SAMPLE / TRAJ_DIR).iterdir() if p.is_dir()):
        report = SAMPLE / EVAL_DIR / folder / "report.json"
        if not report.exists():
            continue
        r = json.loads(report.read_text())
        if (r[folder] if folder in r else r).get("resolved", False):
            paths.append(SAMPLE / TRAJ_DIR / folder / f"{folder}.traj")
    out = ""
    for path in paths:  # transform_to_ft_list.main's loop
        out += json.dumps(utils_v1.transform_traj_xml(json.loads(path.read_text()))) + "\n"
    return out.encode()


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "sft-collect-sample.jsonl").write_bytes(collect())
    (OUT / "sft-list-sample.jsonl").write_bytes(ft_list())
    print(f"wrote {OUT}/sft-collect-sample.jsonl, sft-list-sample.jsonl")
