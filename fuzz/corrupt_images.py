#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Corrupt real images at random and read them with our tools.

For each iteration: copy an image, overwrite 1-30 random bytes (mostly in
the boot sector, the first stretch of the $MFT and, on average, elsewhere),
then run `ntfs-ls -a -R`, `ntfs-ls -a -R -l`, `ntfs-info` and, for up to
--files listed paths, `ntfs-cat` and `ntfs-info PATH`. A run fails on a
sanitizer report, a signal, an exit status other than 0/1, or a timeout.
Inputs that fail are kept in --work.

  python3 fuzz/corrupt_images.py --bin build-asan/bin --images test/images \\
      --work /tmp/corrupt --iterations 500 --seed 1

Build the tools with -DNTFS_SANITIZE=ON so memory errors are reported.
"""
import argparse
import lzma
import os
import random
import shutil
import subprocess
import sys
import time


def load(path):
    if path.endswith(".xz"):
        with lzma.open(path) as f:
            return bytearray(f.read())
    with open(path, "rb") as f:
        return bytearray(f.read())


def mft_offset(img):
    bps = int.from_bytes(img[11:13], "little")
    spc = img[13]
    spc = spc if spc <= 0x80 else 1 << (256 - spc)
    return int.from_bytes(img[48:56], "little") * bps * spc


def mutate(img, rnd):
    d = bytearray(img)
    mft = mft_offset(img)
    for _ in range(rnd.randint(1, 30)):
        r = rnd.random()
        if r < 0.1:
            off = rnd.randrange(0, 512)
        elif r < 0.8 and mft < len(d):
            off = min(len(d) - 1, mft + rnd.randrange(0, 96 * 1024))
        else:
            off = rnd.randrange(0, len(d))
        d[off] = rnd.randrange(256)
    return d


def run(cmd, env, timeout):
    """Returns None when the run is acceptable, else a reason."""
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return "timeout", b""
    err = p.stderr.decode(errors="replace")
    if "Sanitizer" in err or "runtime error" in err:
        return "sanitizer: " + err[:1500], p.stdout
    if p.returncode < 0:
        return "signal %d" % -p.returncode, p.stdout
    if p.returncode not in (0, 1):
        return "exit %d: %s" % (p.returncode, err[:300]), p.stdout
    return None, p.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--images", required=True, help="directory of *.img.xz")
    ap.add_argument("--work", required=True)
    ap.add_argument("--iterations", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--files", type=int, default=40)
    ap.add_argument("--timeout", type=float, default=20)
    a = ap.parse_args()

    os.makedirs(a.work, exist_ok=True)
    names = sorted(n for n in os.listdir(a.images) if n.endswith(".img.xz"))
    images = {n: load(os.path.join(a.images, n)) for n in names}
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1",
               UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1")
    tool = lambda t: os.path.join(a.bin, t)
    cur = os.path.join(a.work, "current.img")
    bad = runs = 0
    slowest = 0.0
    for it in range(a.iterations):
        rnd = random.Random(a.seed * 1000003 + it)
        name = names[it % len(names)]
        with open(cur, "wb") as f:
            f.write(mutate(images[name], rnd))
        why, out = run([tool("ntfs-ls"), "-a", "-R", cur], env, a.timeout)
        cmds = [[tool("ntfs-ls"), "-a", "-R", "-l", cur], [tool("ntfs-info"), cur]]
        paths = out.decode(errors="replace").splitlines() if out else []
        for p in rnd.sample(paths, min(a.files, len(paths))):
            cmds.append([tool("ntfs-cat"), cur, p])
            cmds.append([tool("ntfs-info"), cur, p])
        failures = [("ntfs-ls -a -R", why)] if why else []
        for cmd in cmds:
            t = time.monotonic()
            why, _ = run(cmd, env, a.timeout)
            slowest = max(slowest, time.monotonic() - t)
            runs += 1
            if why:
                failures.append((" ".join(os.path.basename(c) for c in cmd[:1]) + " " +
                                 " ".join(cmd[2:] if len(cmd) > 2 else []), why))
        runs += 1
        if failures:
            bad += 1
            keep = os.path.join(a.work, "fail-%s-%d-%d.img" % (name[:-7], a.seed, it))
            shutil.copy(cur, keep)
            for what, why in failures:
                print("FAIL %s (%s, seed %d, iteration %d): %s: %s" %
                      (keep, name, a.seed, it, what, why))
    os.unlink(cur)
    print("%d corrupted images, %d tool runs, slowest run %.1f s" %
          (a.iterations, runs, slowest))
    print("%d passed, %d failed" % (a.iterations - bad, bad))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
