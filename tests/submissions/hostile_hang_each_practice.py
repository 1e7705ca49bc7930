# expect: practice1=0 practice2=0 practice3=0
# feedback: practice1: build_sequential_model() was stopped: it did not finish within
# feedback: practice2: build_residual_model() was stopped: it did not finish within
# feedback: practice3: find_best_checkpoint() was stopped: it did not finish within
# Attack: a hang in every practice, each of a different kind, with SIGTERM, SIGINT and SIGHUP
# ignored. practice 1: a busy loop that swallows every exception (KeyboardInterrupt included).
# practice 2: the process stops itself with SIGSTOP (no CPU used, but it never finishes).
# practice 3: find_best_checkpoint returns an object whose __fspath__ never returns (the
# grader's own code in the child calls os.fspath on what comes back).
# Each practice is stopped at the 20 s timeout and the next one runs in a fresh child: 3 x 0.
import os
import signal

for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
    signal.signal(sig, signal.SIG_IGN)


def build_sequential_model():
    while True:
        try:
            pass
        except BaseException:
            pass


def build_residual_model():
    os.kill(os.getpid(), signal.SIGSTOP)
    return None


class Endless:
    def __fspath__(self):
        while True:
            pass

    def __str__(self):
        while True:
            pass


def find_best_checkpoint(checkpoint_dir):
    return Endless()
