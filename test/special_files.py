#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Our tools on ntfs-special against what was written and what ntfs-3g shows.

Usage (ctest runs this):

    python3 test/special_files.py --bin BUILD/bin --images test/images --work DIR

test/images/ntfs-special.json was written by make-images.sh (special.py)
with the bytes it stored and what an ntfs-3g mount showed (`ls -l`,
`readlink`, `stat`, `getfattr`); special_manifest.py re-checks it against
ntfscat, The Sleuth Kit and wimlib. Here, for every entry:
  * `ntfs-cat` gives the bytes written (WOF in all four algorithms, LZNT1,
    Interix and link files' own data), or says why not;
  * `ntfs-ls -l` gives ntfs-3g's type letter, device numbers, and link
    target, under the rule documented for ntfs_file_readlink() (below);
  * `ntfs-info` gives the reparse data, the EAs and the WSL metadata
    written.
Where we differ from ntfs-3g on purpose, the expectation comes from the
bytes written instead, and the difference is named in DIFFERENCES.
"""

import argparse
import hashlib
import json
import lzma
import os
import re
import subprocess
import sys

failures = []

# Our rule against ntfs-3g's mount, where they differ:
DIFFERENCES = """
- absolute Windows links: ntfs-3g maps \\??\\C:\\x to MOUNT/x and other drives
  to MOUNT/.NTFS-3G/D:/x; we give C:/x and D:/x (no mount point to map to);
- relative Windows links: ntfs-3g resolves the substitute name against the
  directory without case (DIR\\F.TXT -> dir/f.txt) and shows one whose
  target is missing as "unsupported reparse tag"; we give the stored name;
- reparse points that are not links (WOF, dedup, cloud files, third-party
  tags): ntfs-3g without plugins shows a symlink to "unsupported reparse
  tag 0x..."; we show the file or directory (type letter - or d, marked R;
  WOF files are read and marked C).
"""


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def run(args, timeout=600):
    return subprocess.run(args, capture_output=True, timeout=timeout)


def windows_target(e):
    """A Windows link's POSIX target by our rule, from the names written."""
    s = e["substitute_name"] or e["print_name"]
    if s.startswith("\\??\\UNC\\"):
        s = "//" + s[8:]
    elif s.startswith("\\??\\"):
        s = s[4:]
    return s.replace("\\", "/")


def expected_link(e):
    """(type letter, target or None) that ntfs-ls -l must show."""
    mine = e["ls"]["default"]
    target = e.get("target", {}).get("default")
    if e["kind"] in ("winsymlink", "junction"):
        want = windows_target(e)
        if target.startswith("$MNT/.NTFS-3G/"):
            if target[len("$MNT/.NTFS-3G/"):] != want.rstrip("/"):
                fail("%s: manifest target %r does not follow from %r" % (e["path"], target, want))
        elif target.startswith("$MNT/"):
            if "C:/" + target[len("$MNT/"):] != want:
                fail("%s: manifest target %r does not follow from %r" % (e["path"], target, want))
        elif target.lower() != want.lower() and not target.startswith("unsupported reparse"):
            fail("%s: manifest target %r against %r" % (e["path"], target, want))
        return "l", want
    if e["kind"] in ("reparse", "wof"):
        return ("d" if e.get("is_dir") or e["attrib"] and int(e["attrib"], 16) & 0x10 else "-"), None
    return mine, target if mine == "l" else None


LONG = re.compile(r"^(\S+) (\S+) (\S+ \S+) (\d+) (.*)$")


def check_ls(bin_dir, img, entries):
    """ntfs-ls -l -R: one line per entry."""
    p = run([os.path.join(bin_dir, "ntfs-ls"), "-l", "-R", img, "/"])
    if p.returncode != 0:
        fail("ntfs-ls -l -R: exit %d: %s" % (p.returncode, p.stderr.decode(errors="replace")))
    lines = {}
    for line in p.stdout.decode("utf-8").splitlines():
        m = LONG.match(line)
        if not m:
            fail("ntfs-ls: cannot parse %r" % line)
            continue
        name, _, target = m.group(5).partition(" -> ")
        lines[name.lstrip("/")] = (m.group(1), m.group(2), int(m.group(4)), target or None)
    checked = 0
    for e in entries:
        got = lines.get(e["path"])
        if got is None:
            fail("%s: not listed by ntfs-ls -R" % e["path"])
            continue
        kind, size, rec, target = got
        if rec != e["inode"]:
            fail("%s: record %d, want %d" % (e["path"], rec, e["inode"]))
        letter, want_target = expected_link(e)
        if kind[0] != letter:
            fail("%s: type %r, want %r (ntfs-3g: %r)" % (e["path"], kind, letter, e["ls"]["default"]))
        if e["kind"] in ("reparse", "wof") and ("R" if e["kind"] == "reparse" else "C") not in kind:
            fail("%s: type %r lacks its marker" % (e["path"], kind))
        if target != want_target:
            fail("%s: target %r, want %r" % (e["path"], target, want_target))
        if "rdev" in e and size != "%d,%d" % tuple(e["rdev"]):
            fail("%s: device %s, want %s" % (e["path"], size, e["rdev"]))
        checked += 1
    return checked


def check_cat(bin_dir, img, entries):
    """ntfs-cat of every file: the bytes written."""
    n = 0
    for e in entries:
        if "sha256" not in e or e["kind"] == "dir":
            continue
        p = subprocess.Popen([os.path.join(bin_dir, "ntfs-cat"), img, "/" + e["path"]],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        h, size = hashlib.sha256(), 0
        for block in iter(lambda: p.stdout.read(1 << 20), b""):
            h.update(block)
            size += len(block)
        err = p.stderr.read().decode(errors="replace")
        if e.get("reparse_tag") == "0x80000013":
            # Deduplicated: the data is in the chunk store, which is not read.
            if p.wait() == 0 or "deduplicated" not in err:
                fail("%s: ntfs-cat of a deduplicated file: %r" % (e["path"], err))
            n += 1
            continue
        if p.wait() != 0:
            fail("%s: ntfs-cat failed: %s" % (e["path"], err.strip()))
            continue
        if size != e["size"] or h.hexdigest() != e["sha256"]:
            fail("%s: ntfs-cat gave %d bytes, sha256 %s; written: %d, %s" %
                 (e["path"], size, h.hexdigest(), e["size"], e["sha256"]))
        n += 1
    return n


def check_info(bin_dir, img, entries):
    """ntfs-info PATH: reparse data, EAs, WSL metadata."""
    n = 0
    for e in entries:
        if "reparse_hex" not in e and "eas" not in e:
            continue
        p = run([os.path.join(bin_dir, "ntfs-info"), img, "/" + e["path"]])
        out = p.stdout.decode("utf-8", errors="replace")
        if p.returncode != 0:
            fail("%s: ntfs-info exit %d: %s" % (e["path"], p.returncode, p.stderr.decode()))
        if "reparse_hex" in e:
            raw = bytes.fromhex(e["reparse_hex"])
            hdr = 8 if int(e["reparse_tag"], 16) & 0x80000000 else 24
            m = re.search(r"^reparse tag: 0x([0-9A-F]{8}) ", out, re.M)
            if not m or int(m.group(1), 16) != int(e["reparse_tag"], 16):
                fail("%s: reparse tag %s, want %s" % (e["path"], m and m.group(1), e["reparse_tag"]))
            m = re.search(r"^reparse data: ([0-9a-f]*)$", out, re.M)
            if not m or bytes.fromhex(m.group(1)) != raw[hdr:]:
                fail("%s: reparse data differs" % e["path"])
        if "eas" in e:
            got = re.findall(r"^ea: (\S+) flags=0x([0-9A-F]{2}) size=(\d+) value=([0-9a-f]*)$", out, re.M)
            if len(got) != len(e["eas"]):
                fail("%s: %d EAs, want %d" % (e["path"], len(got), len(e["eas"])))
            for (name, flags, size, value), want in zip(got, e["eas"]):
                name = name.strip("'")
                value = bytes.fromhex(value)
                if name != want["name"] or int(flags, 16) != want["flags"]:
                    fail("%s: EA %r flags %s, want %r %s" % (e["path"], name, flags, want["name"], want["flags"]))
                if "value_hex" in want and value != bytes.fromhex(want["value_hex"]):
                    fail("%s: EA %s value differs" % (e["path"], name))
                if "value_sha256" in want and hashlib.sha256(value).hexdigest() != want["value_sha256"]:
                    fail("%s: EA %s value differs (sha256)" % (e["path"], name))
                for key, field in (("$LXUID", "uid"), ("$LXGID", "gid"), ("$LXMOD", "mode")):
                    if want["name"] != key:
                        continue
                    v = int.from_bytes(bytes.fromhex(want["value_hex"]), "little")
                    m = re.search(r"^wsl %s: (\S+)$" % field, out, re.M)
                    if not m or int(m.group(1), 8 if field == "mode" else 10) != v:
                        fail("%s: wsl %s %s, want %d" % (e["path"], field, m and m.group(1), v))
        n += 1
    return n


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", required=True)
    ap.add_argument("--images", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    img = os.path.join(a.work, "ntfs-special.img")
    xz = os.path.join(a.images, "ntfs-special.img.xz")
    if not os.path.exists(img) or os.path.getmtime(img) < os.path.getmtime(xz):
        with lzma.open(xz) as src, open(img + ".tmp", "wb") as dst:
            for block in iter(lambda: src.read(1 << 20), b""):
                dst.write(block)
        os.replace(img + ".tmp", img)
    entries = json.load(open(os.path.join(a.images, "ntfs-special.json")))["entries"]
    kinds = {e["kind"] for e in entries}
    for k in ("wof", "lznt1", "interix", "wsl", "winsymlink", "junction", "reparse", "ea"):
        if k not in kinds:
            fail("the manifest has no %s entry" % k)
    n_ls = check_ls(a.bin, img, entries)
    n_cat = check_cat(a.bin, img, entries)
    n_info = check_info(a.bin, img, entries)
    print("special_files: %d entries listed, %d files read, %d reparse points / EA sets checked"
          % (n_ls, n_cat, n_info))
    print("Differences from ntfs-3g's mount, by design:" + DIFFERENCES)
    if failures or n_ls == 0 or n_cat == 0 or n_info == 0:
        print("%d failures" % len(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
