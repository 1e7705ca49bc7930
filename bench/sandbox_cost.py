"""Prints what the sandbox (graders.run.sandbox) costs a forked child here.

From a process that has imported Keras and graders.describe (as the grader does), it forks
children that enter the sandbox and prints, medians over REPEATS children:

* each layer of ``enter()`` and the total, as root (uid dropped, namespaces, a cgroup slot)
  and, when run as root, as an ordinary user would get it (the child drops to an unused uid
  by itself first, so only Landlock, seccomp and rlimits apply);
* fork to reaped exit of a child that does nothing, bare and sandboxed;
* ``Cgroup.reset()`` between two children of a slot;
* a child that builds and fits a tiny Keras model for one epoch, bare and sandboxed.

Figures only: nothing is asserted. It writes nothing but temporary files.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import keras  # noqa: E402

import graders.describe  # noqa: E402,F401
from graders.run import sandbox  # noqa: E402

REPEATS = 40
TRAIN_REPEATS = 3
UID = 60001


def fork_child(body, policy: sandbox.Policy | None, cgroup=None, ordinary_user: bool = False) -> tuple[dict, float]:
    """Forks; the child enters the sandbox (unless ``policy`` is None), runs ``body()`` and reports.

    Returns (the child's report, seconds from fork to reaped exit).
    """
    reader, writer = os.pipe()
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(reader)
            out = {}
            if policy is not None:
                policy = sandbox.Policy(**{**policy.__dict__, "keep_fds": (writer,)})
                if ordinary_user:
                    _become_ordinary_user(policy)
                began = time.perf_counter()
                report = sandbox.enter(policy, cgroup)
                out["enter_ms"] = (time.perf_counter() - began) * 1000
                out["ms"] = report["ms"]
            out["body"] = body()
            os.write(writer, json.dumps(out).encode())
        finally:
            os._exit(0)
    os.close(writer)
    data = b""
    while chunk := os.read(reader, 65536):
        data += chunk
    os.close(reader)
    os.waitpid(pid, 0)
    return json.loads(data or b"{}"), time.perf_counter() - started


def _become_ordinary_user(policy: sandbox.Policy) -> None:
    """What an ordinary user has without the sandbox: their Python readable, their own workdir."""
    sandbox._check(sandbox._libc.unshare(sandbox.CLONE_NEWNS), "unshare")
    sandbox._mount(None, "/", None, sandbox.MS_REC | sandbox.MS_PRIVATE)
    sandbox.reveal((*sandbox.default_readable(), policy.workdir))
    for top, dirs, files in os.walk(policy.workdir):
        for name in (top, *(os.path.join(top, n) for n in dirs + files)):
            os.lchown(name, UID, UID)
    os.setgroups([])
    os.setresgid(UID, UID, UID)
    os.setresuid(UID, UID, UID)


def nothing():
    return None


def train():
    import numpy as np

    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    rng = np.random.default_rng(0)
    history = model.fit(rng.normal(size=(256, 8)), rng.normal(size=(256, 1)), epochs=1, verbose=0)
    return float(history.history["loss"][0])


def ms(values) -> str:
    return f"{statistics.median(values) * 1000:8.2f}" if values else "       -"


def main() -> None:
    root = os.geteuid() == 0
    caps = sandbox.capabilities()
    print("capabilities:", ", ".join(f"{k}={v}" for k, v in caps.items()))
    folder = tempfile.mkdtemp(prefix="sandbox-cost-")
    os.chmod(folder, 0o700)
    cgroup = sandbox.Cgroup(f"bench-{os.getpid()}", memory_mb=4096)
    try:
        count = 0

        def policy(uid):
            nonlocal count
            count += 1
            workdir = os.path.join(folder, f"w{count}")
            os.mkdir(workdir)
            return sandbox.Policy(workdir=workdir, uid=uid)

        runs = {"as root" if root else "as this user": [fork_child(nothing, policy(UID), cgroup)[0]
                                                         for _ in range(REPEATS)]}
        if root:
            runs["as an ordinary user"] = [fork_child(nothing, policy(None), ordinary_user=True)[0]
                                           for _ in range(REPEATS)]
        layers = list(next(iter(runs.values()))[0]["ms"])
        print(f"\nenter(), per layer: median ms of {REPEATS} children forked after `import keras`")
        print(f"{'layer':<16}" + "".join(f"{name:>22}" for name in runs))
        for layer in layers:
            row = [statistics.median(r["ms"][layer] for r in rs) for rs in runs.values()]
            print(f"{layer:<16}" + "".join(f"{v:22.3f}" for v in row))
        print(f"{'total enter()':<16}" + "".join(
            f"{statistics.median(r['enter_ms'] for r in rs):22.3f}" for rs in runs.values()))

        bare = [fork_child(nothing, None)[1] for _ in range(REPEATS)]
        boxed = [fork_child(nothing, policy(UID), cgroup)[1] for _ in range(REPEATS)]
        resets = []
        for _ in range(REPEATS if cgroup.active else 0):
            fork_child(nothing, policy(UID), cgroup)
            began = time.perf_counter()
            cgroup.reset()
            resets.append(time.perf_counter() - began)
        print("\nfork to reaped exit of a child that does nothing, median ms")
        print(f"{'bare':<40}{ms(bare)}")
        print(f"{'sandboxed (uid, namespaces, cgroup)' if root else 'sandboxed':<40}{ms(boxed)}")
        print(f"{'Cgroup.reset() between children':<40}{ms(resets)}")

        print(f"\na child that fits a tiny Dense model for 1 epoch, median s of {TRAIN_REPEATS}")
        for label, make in (("bare", lambda: None), ("sandboxed", lambda: policy(UID))):
            results = [fork_child(train, make(), cgroup if label == "sandboxed" else None)
                       for _ in range(TRAIN_REPEATS)]
            seconds = statistics.median(t for _, t in results)
            losses = [r.get("body") for r, _ in results]
            print(f"{label:<12}{seconds:8.2f} s   loss {', '.join(f'{x:.3f}' if x is not None else 'none' for x in losses)}")
    finally:
        cgroup.remove()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
