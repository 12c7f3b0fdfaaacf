#!/usr/bin/env python3
"""Writes Tests/Fixtures/mini-swe-agent/{v1,v2}/: two real mini-swe-agent batch runs, made by the tool itself.

mini-swe-agent's repository ships no whole trajectory file (its tests/test_data/*.traj.json are bare message
lists), so these runs are produced by mini-swe-agent's own SWE-bench batch runner code: `process_instance`
and `RunBatchProgressManager` of minisweagent.run.extra.swebench (1.x) / minisweagent.run.benchmarks.swebench
(2.x), with the package's own swebench.yaml config, a local environment instead of docker (a two-file git
repository made here) and the package's deterministic test models instead of an LLM (model_name
`deterministic` / `deterministic_toolcall`; 2.x answers with tool calls). Nothing in the files is edited.

Each run is two invocations of the batch runner, each writing its own exit_statuses_<time.time()>.yaml as the
runner's main() does: the first one finishes demo__calc-1 (Submitted) and demo__calc-2 (LimitsExceeded at the
step limit of 2); the second redoes demo__calc-2, which is Submitted, so the later file supersedes the earlier
one for demo__calc-2. preds.json is the runner's, updated by both invocations. The runner module imports
`datasets` for its main() only: a stub module stands in for it.

How to run (needs network once for PyPI):
    python3 -m venv /tmp/msa1 && /tmp/msa1/bin/pip install mini-swe-agent==1.17.5
    python3 -m venv /tmp/msa2 && /tmp/msa2/bin/pip install mini-swe-agent==2.4.6
    /tmp/msa1/bin/python tools/golden/mini_swe_agent_runs.py Tests/Fixtures/mini-swe-agent/v1/run
    /tmp/msa2/bin/python tools/golden/mini_swe_agent_runs.py Tests/Fixtures/mini-swe-agent/v2/run
The files differ from one run of this script to the next only in times (timestamps, the yaml names).
"""

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import types

import yaml

# The runner module imports Hugging Face `datasets` for its main() (loading SWE-bench); process_instance does
# not use it, so a stub stands in rather than installing it.
sys.modules.setdefault("datasets", types.SimpleNamespace(load_dataset=None))

import minisweagent  # noqa: E402

V2 = int(minisweagent.__version__.split(".")[0]) >= 2
if V2:
    from minisweagent.config import builtin_config_dir
    from minisweagent.models.test_models import make_toolcall_output
    from minisweagent.run.benchmarks import swebench
    from minisweagent.run.benchmarks.utils.batch_progress import RunBatchProgressManager

    CONFIG = builtin_config_dir / "benchmarks" / "swebench.yaml"
else:
    from minisweagent.config import builtin_config_dir
    from minisweagent.run.extra import swebench
    from minisweagent.run.extra.utils.batch_progress import RunBatchProgressManager

    CONFIG = builtin_config_dir / "extra" / "swebench.yaml"

SUBMIT = "echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT && git add -A && git diff --cached"


def reply(n: int, thought: str, command: str):
    """One model answer: a THOUGHT and a bash block (1.x), a tool call (2.x)."""
    if not V2:
        return f"THOUGHT: {thought}\n\n```bash\n{command}\n```"
    call = f"call_{n}"
    return make_toolcall_output(
        thought,
        [{"id": call, "type": "function", "function": {"name": "bash", "arguments": json.dumps({"command": command})}}],
        [{"command": command, "tool_call_id": call}],
    )


def config(repo: Path, outputs: list) -> dict:
    cfg = yaml.safe_load(CONFIG.read_text())
    cfg["agent"]["step_limit"] = 2
    cfg["environment"] = {"environment_class": "local", "cwd": str(repo), "timeout": 60}
    if V2:
        cfg["model"] = {
            "model_class": "minisweagent.models.test_models.DeterministicToolcallModel",
            "model_name": "deterministic_toolcall",
            "outputs": outputs,
        }
    else:
        cfg["model"] = {"model_class": "deterministic", "model_name": "deterministic", "outputs": outputs}
    return cfg


def make_repo(root: Path) -> Path:
    repo = root / "calc"
    repo.mkdir()
    (repo / "calc.py").write_text("def add(a, b):\n    return a - b\n")
    (repo / "README.md").write_text("calc\n")
    git = ["git", "-c", "user.name=demo", "-c", "user.email=demo@example.com"]
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run(git + ["add", "-A"], cwd=repo, check=True)
    subprocess.run(git + ["commit", "-q", "-m", "calc"], cwd=repo, check=True)
    return repo


def reset(repo: Path) -> None:
    subprocess.run(["git", "reset", "-q", "--hard"], cwd=repo, check=True)


def invocation(out: Path, repo: Path, runs: list) -> None:
    """One batch-runner invocation over `runs` [(instance, outputs)], as its main() drives process_instance."""
    progress = RunBatchProgressManager(len(runs), out / f"exit_statuses_{time.time()}.yaml")
    for instance, outputs in runs:
        reset(repo)
        swebench.process_instance(instance, out, config(repo, outputs), progress)
    time.sleep(0.01)  # the next invocation's file gets a later time


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    fix = "sed -i 's/a - b/a + b/' calc.py"
    one = {"instance_id": "demo__calc-1", "problem_statement": "add() subtracts instead of adding."}
    two = {"instance_id": "demo__calc-2", "problem_statement": "add(2, 2) returns 0, expected 4."}
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repo(Path(tmp))
        invocation(
            out,
            repo,
            [
                (one, [reply(1, "Fix the operator.", fix), reply(2, "Submit.", SUBMIT)]),
                (two, [reply(1, "Look around.", "ls"), reply(2, "Read it.", "cat calc.py"), reply(3, "x", "ls")]),
            ],
        )
        swap = "sed -i 's/a - b/b + a/' calc.py"
        invocation(out, repo, [(two, [reply(1, "Add instead.", swap), reply(2, "Submit.", SUBMIT)])])


if __name__ == "__main__":
    main(Path(sys.argv[1]))
