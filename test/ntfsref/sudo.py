# SPDX-License-Identifier: BSD-2-Clause
"""Tests that mount with FUSE need root: run again through `sudo -n` when
that works without a password (.ci/test asks for it once, up front), and
hand the files made as root back to the build tree's owner."""

import os
import shutil
import subprocess
import sys


def rerun(script, argv):
    """If not root, /dev/fuse exists and `sudo -n` works: run @script with
    @argv as root (CI and PATH kept) and return its exit status; else None."""
    if os.geteuid() == 0 or not os.path.exists("/dev/fuse") or not shutil.which("sudo"):
        return None
    if subprocess.run(["sudo", "-n", "true"], stdin=subprocess.DEVNULL,
                      stderr=subprocess.DEVNULL).returncode != 0:
        return None
    return subprocess.call(
        ["sudo", "-n", "env", "CI=" + os.environ.get("CI", ""),
         "PATH=" + os.environ.get("PATH", ""), sys.executable,
         os.path.abspath(script)] + list(argv))


def give_back(work):
    """Files made as root (through sudo) go to the owner of work's parent,
    so that the user can delete the build tree."""
    if os.geteuid() != 0:
        return
    st = os.stat(os.path.dirname(os.path.abspath(work)))
    if st.st_uid == 0:
        return
    for root, dirs, files in os.walk(work):
        for name in [root] + [os.path.join(root, n) for n in dirs + files]:
            try:
                os.lchown(name, st.st_uid, st.st_gid)
            except OSError:
                pass
