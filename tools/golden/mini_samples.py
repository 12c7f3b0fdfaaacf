#!/usr/bin/env python3
"""Writes the mini-swe-agent trajectories under Tests/Fixtures/mini-swe-agent/transform/.

The files are written by mini-swe-agent's own code (MIT, SWE-agent/mini-swe-agent), not by this
script: its DefaultAgent runs real bash commands through its LocalEnvironment in a throw-away git
repository, answered by its test model (DeterministicModel in 1.x, DeterministicToolcallModel in
2.x) instead of an LLM, and the trajectory is saved the way its SWE-bench batch runner saves it
(1.x: run.utils.save.save_traj with instance_id; 2.x: agent.save with info and instance_id).

How to run (needs mini-swe-agent's sources at the two tags, e.g. `git archive v1.17.5 src`, and
pydantic, jinja2, PyYAML; no network, no LLM):
    python3 tools/golden/mini_samples.py 1 /path/to/mini-swe-agent@v1.17.5/src
    python3 tools/golden/mini_samples.py 2 /path/to/mini-swe-agent@v2.4.6/src

Timestamps, costs and the platform in `info.config` differ on every run; the committed files are
one such run, and the SFT transform reads none of those fields.
"""

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests" / "Fixtures" / "mini-swe-agent" / "transform"
IID = "demo__calc-1"
TASK = "calc.add(2, 3) returns -1 instead of 5."


def repo(tmp: Path) -> Path:
    r = tmp / "repo"
    r.mkdir()
    (r / "calc.py").write_text("def add(a, b):\n    return a - b\n")
    for cmd in (["git", "init", "-q"], ["git", "add", "."],
                ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "init"]):
        subprocess.run(cmd, cwd=r, check=True)
    return r


def v1(src: Path):
    sys.path.insert(0, str(src))
    import yaml
    from minisweagent.agents.default import DefaultAgent
    from minisweagent.environments.local import LocalEnvironment
    from minisweagent.models.test_models import DeterministicModel
    from minisweagent.run.utils.save import save_traj

    config = yaml.safe_load((src / "minisweagent/config/extra/swebench.yaml").read_text())
    outputs = [
        "THOUGHT: Let me look at the file.\n\n```bash\ncat calc.py\n```",
        "THOUGHT: Two blocks by mistake.\n\n```bash\nls\n```\n\n```bash\npwd\n```",
        "THOUGHT: `add` subtracts; fix it.\n\n```bash\nsed -i 's/a - b/a + b/' calc.py && python3 -c "
        "'import calc; print(calc.add(2, 3))'\n```",
        "THOUGHT: Fixed; submit.\n\n```bash\necho COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT && git add -A && "
        "git diff --cached\n```",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        r = repo(Path(tmp))
        agent = DefaultAgent(DeterministicModel(outputs=outputs, cost_per_call=0.01), LocalEnvironment(cwd=str(r)), **config["agent"])
        exit_status, result = agent.run(TASK)
        save_traj(agent, OUT / "1.x" / IID / f"{IID}.traj.json", exit_status=exit_status, result=result,
                  instance_id=IID)


def v2(src: Path):
    sys.path.insert(0, str(src))
    import yaml
    from minisweagent.agents.default import DefaultAgent
    from minisweagent.environments.local import LocalEnvironment
    from minisweagent.models.test_models import DeterministicToolcallModel, make_toolcall_output

    config = yaml.safe_load((src / "minisweagent/config/benchmarks/swebench.yaml").read_text())

    def call(n, command, content=None):
        cid = f"call_{n}"
        tool_call = {"id": cid, "type": "function",
                     "function": {"name": "bash", "arguments": '{"command": ' + repr(command).replace("'", '"') + "}"}}
        out = make_toolcall_output(content, [tool_call], [{"command": command, "tool_call_id": cid}])
        out["extra"]["cost"] = 0.01  # under the config's cost_limit of 3 for the four calls
        return out

    outputs = [
        call(1, "cat calc.py", "Let me look at the file."),
        call(2, "sed -i 's/a - b/a + b/' calc.py"),
        call(3, "git add -A && git diff --cached > patch.txt && cat patch.txt", "Fixed: caf\u00e9 \u2713"),
        call(4, "echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT && cat patch.txt"),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        r = repo(Path(tmp))
        agent = DefaultAgent(DeterministicToolcallModel(outputs=outputs, cost_per_call=0.01), LocalEnvironment(cwd=str(r)),
                             **config["agent"])
        info = agent.run(TASK)
        agent.save(OUT / "2.x" / IID / f"{IID}.traj.json",
                   {"info": {"exit_status": info.get("exit_status"), "submission": info.get("submission")},
                    "instance_id": IID})


if __name__ == "__main__":
    {"1": v1, "2": v2}[sys.argv[1]](Path(sys.argv[2]).resolve())
