#!/usr/bin/env python3
"""A torchtune DiskLogger log in the exact text format, for Tests/Fixtures/torchtune/ (no real log is public).

Run from the repository root:  tools/golden/disklogger.py
Writes Tests/Fixtures/torchtune/logs/log_1743465600.txt (committed). Needs only python3.

The lines are written by DiskLogger.log_dict's own code (torchtune/training/metric_logging.py @ bd2a0fc):
`Step {step} | ` then `{name}:{data} ` per metric, then a newline, with the metrics full_finetune_distributed.py
logs every step (loss, lr, tokens_per_second_per_gpu, then training.get_memory_stats's three peaks with
log_peak_memory_stats: True, as SWE-smith's full_ft_qwen_7b.yml sets) and, at the end, one validation line
(`val_loss`, as the recipe's _run_validation logs it). Values follow a plausible curve for SWE-smith's 3-epoch
Qwen 7B run; they are made up, their format is not: Python floats (str() of float, as `data` is written) and
the cosine schedule with warmup that get_cosine_schedule_with_warmup gives.
"""
import math
import os
import random

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
out = os.path.join(root, "Tests", "Fixtures", "torchtune", "logs")
os.makedirs(out, exist_ok=True)


class DiskLogger:
    """DiskLogger's txt writing, verbatim from torchtune (the file handling aside)."""

    def __init__(self, path):
        self._file = open(path, "w")

    def log_dict(self, payload, step):
        self._file.write(f"Step {step} | ")
        for name, data in payload.items():
            self._file.write(f"{name}:{data} ")
        self._file.write("\n")
        self._file.flush()

    def close(self):
        self._file.close()


rng = random.Random(250331)
steps, warmup, peak_lr = 1005, 5, 5e-5
logger = DiskLogger(os.path.join(out, "log_1743465600.txt"))
for step in range(1, steps + 1):
    if step < warmup:
        lr = peak_lr * step / max(1, warmup)
    else:
        progress = (step - warmup) / max(1, steps - warmup)
        lr = peak_lr * max(0.0, 0.5 * (1.0 + math.cos(math.pi * 0.5 * 2.0 * progress)))
    loss = 0.35 + 0.9 * math.exp(-step / 180) + rng.gauss(0, 0.03)
    log = {
        "loss": loss,
        "lr": lr,
        "tokens_per_second_per_gpu": rng.uniform(2100, 2600),
        "peak_memory_active": 61.2 + rng.uniform(0, 4),
        "peak_memory_alloc": 61.2 + rng.uniform(0, 4),
        "peak_memory_reserved": 75.5 + rng.uniform(0, 2),
    }
    logger.log_dict(log, step=step)
logger.log_dict({"val_loss": 0.4137}, step=steps)
logger.close()
