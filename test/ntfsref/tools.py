# SPDX-License-Identifier: BSD-2-Clause
"""Running the reference readers and our tools: a log, and a process runner
with a timeout that keeps what matters of the output."""

import hashlib
import os
import subprocess
import tempfile
import threading
import time

ENV = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
REF_TIMEOUT = 600          # seconds, per reference-tool invocation
MAX_SHOWN = 20             # mismatches printed per image

REF_TOOLS = ["ntfsls", "ntfscat", "ntfsinfo", "fls", "icat", "istat",
             "fsstat"]
OUR_TOOLS = ["ntfs-ls", "ntfs-cat", "ntfs-info"]


def log(msg=""):
    print(msg, flush=True)


# --------------------------------------------------------------------------
# process running


class Result:
    __slots__ = ("cmd", "rc", "sha", "size", "out", "err", "timed_out",
                 "elapsed")

    def __init__(self, cmd):
        self.cmd = cmd
        self.rc = None
        self.sha = None
        self.size = 0
        self.out = None
        self.err = ""
        self.timed_out = False
        self.elapsed = 0.0

    @property
    def abnormal(self):
        """Crash/timeout: anything but a clean exit 0 or 1."""
        return self.timed_out or self.rc not in (0, 1)

    def describe(self):
        if self.timed_out:
            return "TIMEOUT after %.0f s" % self.elapsed
        if self.rc is not None and self.rc < 0:
            return "killed by signal %d" % -self.rc
        s = "exit %s" % self.rc
        e = self.err.strip().replace("\n", " | ")
        if e:
            s += ": " + e[:300]
        return s


def run(cmd, timeout, keep=False):
    """Run cmd; stream stdout into sha256 (and keep it if keep=True).

    stderr goes to a temporary file (so a chatty tool cannot deadlock us),
    the process is killed after `timeout` seconds."""
    r = Result(cmd)
    t0 = time.monotonic()
    h = hashlib.sha256()
    chunks = [] if keep else None
    with tempfile.TemporaryFile() as errf:
        try:
            p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                 stdout=subprocess.PIPE, stderr=errf, env=ENV,
                                 start_new_session=True)
        except OSError as e:
            r.rc = 127
            r.err = str(e)
            return r

        def kill():
            r.timed_out = True
            try:
                os.killpg(p.pid, 9)     # its own session: only its group
            except OSError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            while True:
                b = p.stdout.read(1 << 20)
                if not b:
                    break
                h.update(b)
                r.size += len(b)
                if keep:
                    chunks.append(b)
            p.stdout.close()
            r.rc = p.wait()
        finally:
            timer.cancel()
        errf.seek(0)
        r.err = errf.read(64 * 1024).decode("utf-8", "replace")
    r.sha = h.hexdigest()
    if keep:
        r.out = b"".join(chunks)
    r.elapsed = time.monotonic() - t0
    return r
