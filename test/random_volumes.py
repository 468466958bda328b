#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Random-volume differential test: fresh mkntfs + ntfs-3g volumes.

Usage (ctest runs the first form with --count 3):

    python3 test/random_volumes.py --bin BUILD/bin --work DIR \
        [--count N] [--seed S|random] [--keep] [--jobs J] [--quick] \
        [--no-special]
    python3 test/random_volumes.py --bin BUILD/bin --work DIR --check IMG

Python 3 standard library only, and wimlib's libwim.so.15 through ctypes
(Debian: libwim15) for the WOF files.  Needs root and /dev/fuse (ntfs-3g mounts
read-write; a user for whom `sudo -n` works runs it through sudo), mkntfs
and ntfs-3g (Debian: ntfs-3g), and the reference readers test/difftest.py
needs (ntfsls, ntfscat, ntfsinfo; fls, icat, istat from sleuthkit).
Without root (or sudo) or /dev/fuse it prints "SKIP: needs root (or sudo)
and FUSE" and exits 0 -- unless the environment variable CI is set (to anything
but "", "0" or "false"), where that is a failure.

For each of N volumes (seeds S, S+1, ...; S defaults to a fixed value so a
ctest run is deterministic; `--seed random` picks one from the clock and
prints it) everything below is derived from random.Random(seed):

  * mkntfs -F -f -q -c CLUSTER -s SECTOR -L LABEL on a sparse image file:
    CLUSTER in 512 B .. 2 MiB, SECTOR 512 (4096 for a quarter of the volumes
    with CLUSTER >= 4096), size 8..64 MiB (at least 16 MiB for 1 MiB
    clusters and 32 MiB for 2 MiB clusters: mkntfs refuses less than 16
    and 24 MiB, and 24 MiB leaves no free cluster).  mkntfs runs under a
    60 s timeout (it is known to loop on some sizes with huge clusters)
    and is retried with a bigger size.
  * mount with ntfs-3g -o streams_interface=windows (named streams are
    FILE:NAME) and build a random tree: nested directories (depth <= 8),
    names from ASCII, POSIX-only punctuation, Latin-1, Cyrillic, Greek
    (sigma/final sigma), CJK, kana, Hangul, Hebrew/Arabic, emoji and other
    supplementary-plane characters (surrogate pairs), combining marks,
    ligatures, fullwidth and special-case letters; names up to exactly 255
    UTF-16 units; names differing only in case or in Unicode normalisation;
    empty, small (resident) and non-resident files with random or
    compressible content; sparse files (truncate + writes at random
    offsets); files grown by truncate past their written data; interleaved
    appends (fragmented runlists, sometimes attribute lists); hard links
    (sometimes one file with 30..250 names); named streams on files and
    directories, some large; renames and deletions; on some volumes a
    directory with a few thousand entries (a multi-level $I30 B+tree); on
    some volumes with CLUSTER <= 4 KiB a directory marked compressed
    (system.ntfs_attrib_be 0x800) whose new files are LZNT1-compressed.
    Building stops gracefully at ENOSPC or after a time budget.  (Unless
    --no-special, some free space is kept aside while the tree is built, in
    a file deleted afterwards.)
  * special files, unless --no-special (test/random_special.py, with the
    writers of test/images/special.py and its own random stream,
    random.Random("special:SEED")): on a second mount Interix symlinks,
    FIFOs, sockets and devices, Windows symlinks and junctions, WOF files
    in the four algorithms, LZNT1 files (clusters <= 4 KiB); on a third,
    with -o special_files=wsl, WSL ones; then a read-only mount records
    what ntfs-3g shows of each (lstat, readlink).  What ntfs-3g refuses
    (ENOSPC on a full volume) is counted and printed, not made.
  * unmount, then compare with difftest.py's per-image test (test/ntfsref,
    the package both share): listing against ntfsls and fls, every file's bytes and every
    named stream against ntfscat (icat on disagreement); compressed data
    that ntfs-cat reports "unsupported" is skipped there.  In addition the
    listing must equal ntfsls' exactly (the acceptance criterion: "ntfs-ls
    -R lists exactly the names ntfs-3g shows"), not only where ntfsls and
    fls agree.  A WOF file's unnamed $DATA is left out there (both
    references read its sparse zeros) and read by random_special.check()
    instead: `ntfs-cat` must give the bytes that were compressed.  Also
    checked there: `ntfs-ls -l -R` shows each special file's type letter,
    device numbers and link target as ntfs-3g's mount does (under the rule
    for Windows links of test/special_files.py), and every LZNT1 file made
    there reads as written, through ntfs-cat and ntfscat.

Per volume it prints the parameters, the seed, what was built, difftest's
summary block and PASS/FAIL; the last line is `N passed, M failed`
(volumes).  Exit 1 if any volume failed.  Images are deleted unless --keep
or the volume failed: a failing image is kept in WORK as rv-SEED.img (with
rv-SEED.special.json, what was made and what ntfs-3g showed) and its path,
seed and reproduction commands are printed.  `--check IMG` runs only the
comparison on an existing raw image (e.g. a kept one; with its special
files when the .special.json is beside it).
"""

import argparse
import errno
import os
import random
import shutil
import subprocess
import sys
import threading
import time
import unicodedata

import random_special  # test/random_special.py
from ntfsref import parse, sudo, tools  # test/ntfsref
from ntfsref.compare import Report, Tester, print_report
from ntfsref.images import Image, has_ntfs_boot

DEFAULT_SEED = 2746
CLUSTERS = [512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072,
            262144, 524288, 1048576, 2097152]
MiB = 1 << 20
BUILD_SECONDS = 15.0        # time budget for populating one volume
MAX_ENOSPC = 8              # stop building after this many ENOSPC errors
WATCHDOG = 60.0             # kill a hung ntfs-3g after this many seconds
MKNTFS_TIMEOUT = 60
MAX_PATH_BYTES = 3500       # keep well under PATH_MAX (4096)

log = tools.log


# --------------------------------------------------------------------------
# names

def _r(a, b):
    return [chr(c) for c in range(a, b + 1)]


POOLS = {
    "ascii": list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                  "0123456789"),
    "punct": list(" -_.!#$%&'()+,;=@[]^`{}~"),
    # legal in the POSIX namespace ntfs-3g uses, not in Win32 names
    "posix": list('\\*?"<>|'),
    "latin1": _r(0xC0, 0xD6) + _r(0xD8, 0xF6) + _r(0xF8, 0xFF) + ["\u00b5"],
    "cyrillic": _r(0x410, 0x44F) + list("ЁёЇїІіЄєҐґЎў"),
    "greek": _r(0x391, 0x3A1) + _r(0x3A3, 0x3A9) + _r(0x3B1, 0x3C9)
    + list("άέήίόύώΐΰςσΣ"),
    "cjk": _r(0x4E00, 0x9FFF),
    "kana": _r(0x3041, 0x3096) + _r(0x30A1, 0x30FA),
    "hangul": _r(0xAC00, 0xD7A3),
    "rtl": _r(0x5D0, 0x5EA) + _r(0x627, 0x64A),
    "emoji": _r(0x1F300, 0x1F5FF) + _r(0x1F600, 0x1F64F)
    + _r(0x1F680, 0x1F6FF) + _r(0x1F900, 0x1F9FF),
    "astral": _r(0x1D400, 0x1D7FF) + _r(0x20000, 0x2A6DF),
    # special cases for case mapping: title-case digraphs, dotted/dotless
    # i, long s, Kelvin and Angstrom signs, sharp s, ligatures, fullwidth
    "special": list("ǅǆǄǈǉǇǋǌǊİıſKÅßẞﬀﬁﬂŉǰ") + _r(0xFF21, 0xFF3A)
    + _r(0xFF41, 0xFF5A) + _r(0x1E00, 0x1E3F),
}
COMBINING = _r(0x300, 0x36F)
POOL_NAMES = list(POOLS)


def u16len(s):
    return sum(2 if ord(c) > 0xFFFF else 1 for c in s)


def make_name(rng, maxlen=255):
    """A random name of at most maxlen UTF-16 units (never '.', '..',
    never containing '/', ':' or control characters)."""
    r = rng.random()
    if r < 0.55:
        target = rng.randint(1, 16)
    elif r < 0.80:
        target = rng.randint(17, 64)
    elif r < 0.93:
        target = rng.randint(65, 254)
    else:
        target = 255
    target = min(target, maxlen)
    if rng.random() < 0.3:
        pools = ["ascii"]
    else:
        pools = rng.sample(POOL_NAMES, rng.randint(1, 3))
    out, n = [], 0
    while n < target:
        if out and rng.random() < 0.04:
            c = rng.choice(COMBINING)
        else:
            c = rng.choice(POOLS[rng.choice(pools)])
        w = 2 if ord(c) > 0xFFFF else 1
        if n + w > target:
            c, w = rng.choice(POOLS["ascii"]), 1
        out.append(c)
        n += w
    name = "".join(out)
    if name in (".", ".."):
        name += "x"
    return name


def variants(rng, name):
    """Names that differ from name only in case or normalisation."""
    out = []
    for v in (name.upper(), name.lower(), name.swapcase(), name.title(),
              unicodedata.normalize("NFD", name),
              unicodedata.normalize("NFC", name)):
        if v != name and v not in out and u16len(v) <= 255 \
                and v not in (".", ".."):
            out.append(v)
    rng.shuffle(out)
    return out


# --------------------------------------------------------------------------
# content

def rbytes(rng, n):
    """n random bytes (random.Random.randbytes needs Python 3.9)."""
    return rng.getrandbits(n * 8).to_bytes(n, "little") if n > 0 else b""


def content(rng, n, compressible=False):
    if n <= 0:
        return b""
    kind = rng.random()
    if compressible or kind < 0.3:
        # a repeated random phrase with occasional random bytes and zeros
        phrase = rbytes(rng, rng.randint(1, 64))
        out = bytearray()
        while len(out) < n:
            k = rng.random()
            if k < 0.7:
                out += phrase * rng.randint(1, 200)
            elif k < 0.85:
                out += bytes(rng.randint(1, 20000))
            else:
                out += rbytes(rng, rng.randint(1, 3000))
        return bytes(out[:n])
    return rbytes(rng, n)


def pick_size(rng):
    r = rng.random()
    if r < 0.15:
        return 0
    if r < 0.45:
        return rng.randint(1, 700)             # usually resident
    if r < 0.60:
        return rng.randint(701, 1200)          # around the resident limit
    if r < 0.85:
        return rng.randint(1201, 64 * 1024)
    if r < 0.97:
        return rng.randint(64 * 1024, 1 * MiB)
    return rng.randint(1 * MiB, 6 * MiB)


# --------------------------------------------------------------------------
# building a tree on a mounted volume


class Full(Exception):
    """The volume (or its MFT) is full: stop building."""


class Builder:
    def __init__(self, rng, root, cluster, params):
        self.rng = rng
        self.root = root
        self.cluster = cluster
        self.p = params
        self.dirs = [""]            # relative paths, "" = root
        self.depth = {"": 0}
        self.files = []             # relative paths of regular files
        self.names = {"": []}       # dir -> names in it (created by us)
        self.stats = dict(dirs=0, files=0, links=0, streams=0, sparse=0,
                          renamed=0, deleted=0, bigdir=0, compressed=0,
                          bytes=0)
        self.errors = {}
        self.full = False
        self.deadline = time.monotonic() + BUILD_SECONDS
        self.data_budget = params["data_budget"]
        self.comp_dirs = []
        self.comp_inos = set()      # st_ino (= MFT record) of those files

    # -- low level ----------------------------------------------------------
    def abs(self, rel):
        return (self.root + "/" + rel).encode("utf-8") if rel else \
            self.root.encode("utf-8")

    def do(self, fn, *a):
        """Run an OS call; ENOSPC -> Full, other errors are counted and
        give None (a call that returns None gives True)."""
        try:
            r = fn(*a)
            return True if r is None else r
        except OSError as e:
            if e.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
                self.full = True
                raise Full() from e
            if e.errno in (errno.ENOTCONN, errno.ECONNABORTED):
                raise Hung() from e     # the watchdog killed ntfs-3g
            key = errno.errorcode.get(e.errno, str(e.errno))
            self.errors[key] = self.errors.get(key, 0) + 1
            return None

    def time_left(self):
        return time.monotonic() < self.deadline

    def new_name(self, d, maxlen=255, short=False):
        base = len(self.abs(d))
        for _ in range(20):
            n = make_name(self.rng, 24 if short else maxlen)
            if n in self.names[d]:
                continue
            if base + 1 + len(n.encode("utf-8")) + 600 > MAX_PATH_BYTES:
                continue
            return n
        return None

    def join(self, d, n):
        return d + "/" + n if d else n

    def charge(self, n):
        self.stats["bytes"] += n
        self.data_budget -= n

    def write_file(self, rel, data, chunked=False):
        def w():
            with open(self.abs(rel), "wb") as f:
                if chunked and len(data) > 1:
                    pos = 0
                    while pos < len(data):
                        k = self.rng.randint(1, max(1, len(data) // 3))
                        f.write(data[pos:pos + k])
                        pos += k
                else:
                    f.write(data)
            return True
        ok = self.do(w)
        self.charge(len(data))
        return ok

    def in_comp_dir(self, d):
        return any(d == c or d.startswith(c + "/") for c in self.comp_dirs)

    def track_compressed(self, d, rel):
        """Remember the record number of a file created compressed (it
        keeps the flag when renamed or linked elsewhere)."""
        if self.in_comp_dir(d):
            self.stats["compressed"] += 1
            try:
                self.comp_inos.add(os.stat(self.abs(rel)).st_ino)
            except OSError:
                pass

    # -- operations ---------------------------------------------------------
    def mkdir(self, parent=None, short=False):
        cands = [d for d in self.dirs if self.depth[d] < self.p["max_depth"]]
        d = parent if parent is not None else self.rng.choice(cands)
        n = self.new_name(d, maxlen=255 if self.rng.random() < 0.2 else 40,
                          short=short)
        if n is None:
            return None
        rel = self.join(d, n)
        if self.do(os.mkdir, self.abs(rel)) is None:
            return None
        self.names[d].append(n)
        self.names[rel] = []
        self.dirs.append(rel)
        self.depth[rel] = self.depth[d] + 1
        self.stats["dirs"] += 1
        return rel

    def add_file(self, d=None, size=None, compressible=False, name=None):
        rng = self.rng
        d = rng.choice(self.dirs) if d is None else d
        n = name if name is not None else self.new_name(d)
        if n is None:
            return None
        rel = self.join(d, n)
        if size is None:
            size = pick_size(rng)
            if size > self.data_budget:
                size = rng.randint(0, 700)
        data = content(rng, size, compressible)
        if self.write_file(rel, data, chunked=rng.random() < 0.2) is None:
            return None
        self.names[d].append(n)
        self.files.append(rel)
        self.stats["files"] += 1
        self.track_compressed(d, rel)
        r = rng.random()
        if r < 0.05:
            # grow past the written data (a hole or zeros at the end)
            self.do(os.truncate, self.abs(rel),
                    size + rng.randint(1, 3 * self.cluster + 5000))
        elif r < 0.08 and size > 0:
            self.do(os.truncate, self.abs(rel), rng.randint(0, size))
        return rel

    def case_variants(self, d, n):
        for v in variants(self.rng, n)[:self.rng.randint(1, 4)]:
            if v in self.names[d]:
                continue
            self.add_file(d, size=self.rng.choice([0, 10, 700, 5000]),
                          name=v)

    def sparse(self):
        rng = self.rng
        d = rng.choice(self.dirs)
        n = self.new_name(d)
        if n is None:
            return
        rel = self.join(d, n)
        limit = 16 * MiB if rng.random() < 0.9 else 100 * MiB
        size = rng.randint(1, limit)
        pieces = []
        for _ in range(rng.randint(0, 5)):
            off = rng.randint(0, size)
            k = rng.randint(1, min(256 * 1024, max(1, self.data_budget)))
            pieces.append((off, content(rng, k)))

        def w():
            with open(self.abs(rel), "wb") as f:
                f.truncate(size)
                for off, b in pieces:
                    f.seek(off)
                    f.write(b)
            return True
        self.charge(sum(len(b) for _, b in pieces))
        if self.do(w) is None:
            return
        self.names[d].append(n)
        self.files.append(rel)
        self.stats["files"] += 1
        self.stats["sparse"] += 1
        self.track_compressed(d, rel)

    def interleaved(self):
        """Append to a few files in turn: fragmented runlists."""
        rng = self.rng
        k = rng.randint(2, 5)
        rels = []
        for _ in range(k):
            r = self.add_file(size=0)
            if r:
                rels.append(r)
        if not rels:
            return
        fs = []
        try:
            for r in rels:
                f = self.do(open, self.abs(r), "ab")
                if f:
                    fs.append(f)
            chunk = self.cluster * rng.randint(1, 3)
            rounds = rng.randint(2, 40)
            for _ in range(rounds):
                if self.data_budget < chunk * len(fs):
                    break
                for f in fs:
                    self.do(f.write, content(rng, chunk))
                    self.do(f.flush)
                    self.charge(chunk)
        finally:
            for f in fs:
                try:
                    f.close()
                except OSError as e:
                    if e.errno == errno.ENOSPC:
                        self.full = True
                        raise Full() from e

    def links(self, many=False):
        rng = self.rng
        if not self.files:
            return
        src = rng.choice(self.files)
        count = rng.randint(30, 250) if many else rng.randint(1, 5)
        same_dir = rng.random() < 0.5
        for _ in range(count):
            d = (src.rsplit("/", 1)[0] if "/" in src else "") \
                if same_dir else rng.choice(self.dirs)
            n = self.new_name(d, maxlen=rng.choice([20, 60, 255]))
            if n is None:
                continue
            rel = self.join(d, n)
            if self.do(os.link, self.abs(src), self.abs(rel)) is None:
                if self.errors.get("EMLINK"):
                    break
                continue
            self.names[d].append(n)
            self.files.append(rel)
            self.stats["links"] += 1

    def stream(self, on_dir=False):
        rng = self.rng
        if on_dir:
            rel = rng.choice(self.dirs)
            if not rel:
                return          # ntfs-3g: no streams on the root
        else:
            if not self.files:
                return
            rel = rng.choice(self.files)
        try:
            in_comp = (not on_dir and
                       os.stat(self.abs(rel)).st_ino in self.comp_inos)
        except OSError:
            in_comp = True
        base = len(rel.rsplit("/", 1)[-1].encode("utf-8")) if rel else 0
        for _ in range(rng.randint(1, 4)):
            sn = make_name(rng, rng.choice([8, 30, 255]))
            # FUSE passes "file:stream" as one name of at most 1024 bytes
            while sn and base + 1 + len(sn.encode("utf-8")) > 1024:
                sn = sn[:-1]
            if not sn or sn in (".", ".."):
                continue
            r = rng.random()
            if r < 0.1:
                size = 0
            elif r < 0.6:
                size = rng.randint(1, 600)
            elif r < 0.9:
                size = rng.randint(601, 100 * 1024)
            else:
                size = rng.randint(100 * 1024, 3 * MiB)
            if size > self.data_budget:
                size = rng.randint(0, 600)
            if in_comp and u16len(sn) % 4 == 0:
                # TSK 4.11 loses the name of a resident named attribute
                # whose name ends exactly at the attribute's end (empty
                # value, name length a multiple of 4 units): fls then shows
                # it as the file's unnamed $DATA and difftest checks the
                # wrong attribute's flags when ntfs-cat rightly refuses the
                # compressed unnamed $DATA.  Avoided only on files created
                # compressed, where it matters, whatever the size (a write
                # that fails with ENOSPC leaves the stream empty).
                sn += "_"
            data = content(rng, size)
            p = self.abs(rel) + b":" + sn.encode("utf-8")
            if len(p) > MAX_PATH_BYTES:
                continue
            if self.do(_write_path, p, data) is not None:
                self.stats["streams"] += 1
            self.charge(size)

    def rename(self):
        rng = self.rng
        if not self.files:
            return
        src = rng.choice(self.files)
        d = rng.choice(self.dirs)
        n = self.new_name(d)
        if n is None:
            return
        dst = self.join(d, n)
        if self.do(os.rename, self.abs(src), self.abs(dst)) is None:
            return
        self.files.remove(src)
        self.files.append(dst)
        self.names[d].append(n)
        self.stats["renamed"] += 1

    def delete(self):
        rng = self.rng
        if not self.files:
            return
        rel = rng.choice(self.files)
        if self.do(os.unlink, self.abs(rel)) is None:
            return
        self.files.remove(rel)
        self.stats["deleted"] += 1

    def bigdir(self, count):
        rng = self.rng
        d = self.mkdir(parent="", short=True)
        if d is None:
            return
        prefix = make_name(rng, 12) if rng.random() < 0.5 else ""
        made = 0
        for i in range(count):
            if not self.time_left():
                break
            r = rng.random()
            if r < 0.5:
                n = "%s%05d" % (prefix, rng.randint(0, 99999))
            elif r < 0.8:
                n = make_name(rng, rng.choice([12, 40, 100]))
            else:
                n = make_name(rng, 255)
            rel = self.join(d, n)
            size = 0 if rng.random() < 0.9 else rng.randint(1, 3000)
            data = content(rng, size)
            if self.do(_write_path, self.abs(rel), data) is None:
                continue
            self.charge(size)
            made += 1
            self.stats["bigdir"] = made
            if rng.random() < 0.05:
                self.files.append(rel)
        # delete some entries: index entries are removed, nodes merged
        if rng.random() < 0.5:
            try:
                names = sorted(os.listdir(self.abs(d)))
            except OSError:
                names = []
            for n in rng.sample(names, len(names) // rng.randint(3, 10)):
                rel = self.join(d, n.decode("utf-8", "surrogateescape"))
                if rel in self.files:
                    self.files.remove(rel)
                if self.do(os.unlink, self.abs(d) + b"/" + n) is not None:
                    self.stats["deleted"] += 1
                    self.stats["bigdir"] -= 1

    def compressed_dir(self):
        d = self.mkdir(parent="")
        if d is None:
            return
        # FILE_ATTRIBUTE_DIRECTORY is implied; 0x800 = COMPRESSED
        if self.do(os.setxattr, self.abs(d), "system.ntfs_attrib_be",
                   (0x800).to_bytes(4, "big")) is None:
            return
        self.comp_dirs.append(d)
        rng = self.rng
        for _ in range(rng.randint(2, 5)):
            self.mkdir(parent=d)
        sub = [x for x in self.dirs if x == d or x.startswith(d + "/")]
        for _ in range(rng.randint(5, 25)):
            size = rng.choice([0, rng.randint(1, 700),
                               rng.randint(1, 70000),
                               rng.randint(65536, 600000)])
            size = min(size, max(0, self.data_budget))
            self.add_file(rng.choice(sub), size=size,
                          compressible=rng.random() < 0.7)

    def fill(self):
        """Write files until the volume is full (ENOSPC)."""
        rng = self.rng
        self.data_budget = 1 << 40
        while self.time_left():
            self.add_file(size=rng.randint(1, 4 * MiB))

    # -- the whole tree -----------------------------------------------------
    def build(self):
        """Populate the volume.  After the first ENOSPC no more data is
        written (only small, usually resident files, names, links and
        streams); building stops after MAX_ENOSPC of them or when the time
        budget is spent."""
        rng = self.rng
        p = self.p
        enospc = 0

        def phase(fn, *a):
            nonlocal enospc
            try:
                fn(*a)
            except Full:
                enospc += 1
                self.data_budget = min(self.data_budget, 0)

        def chain():
            # a chain of max_depth directories
            d = ""
            for _ in range(p["max_depth"]):
                d = self.mkdir(parent=d)
                if d is None:
                    break

        phase(chain)
        for _ in range(p["dirs"]):
            phase(self.mkdir)
        if p["compression"]:
            phase(self.compressed_dir)
        if p["many_links"]:
            phase(self.add_file, None, rng.choice([0, 100, 5000]))
            phase(self.links, True)
        bigdir_at = rng.randint(0, max(0, p["ops"] // 2))

        def variant_op():
            d = rng.choice(self.dirs)
            n = self.new_name(d)
            if n:
                self.add_file(d, name=n)
                self.case_variants(d, n)

        ops = [(self.add_file, 50), (self.sparse, 4),
               (self.interleaved, 2), (self.links, 5),
               (self.stream, 8), (lambda: self.stream(True), 2),
               (self.rename, 3), (self.delete, 3), (self.mkdir, 4),
               (variant_op, 3)]
        fns = [f for f, _ in ops]
        weights = [w for _, w in ops]
        for i in range(p["ops"]):
            if enospc >= MAX_ENOSPC or not self.time_left():
                break
            if i == bigdir_at and p["bigdir"]:
                phase(self.bigdir, p["bigdir"])
            fn = rng.choices(fns, weights)[0]
            if self.data_budget <= 0 and fn in (self.sparse,
                                                self.interleaved):
                continue
            phase(fn)
        if p["fill"] and enospc < MAX_ENOSPC:
            phase(self.fill)
            for _ in range(20):     # then small files, names, streams
                if enospc >= MAX_ENOSPC or not self.time_left():
                    break
                phase(rng.choice([self.add_file, self.stream, self.links]))
        self.enospc = enospc
        return self


def _write_path(path, data):
    with open(path, "wb") as f:
        f.write(data)
    return True


# --------------------------------------------------------------------------
# volume life cycle


def choose_params(seed):
    rng = random.Random(seed)
    cluster = rng.choice(CLUSTERS)
    sector = 4096 if cluster >= 4096 and rng.random() < 0.25 else 512
    min_mib = 8
    if cluster >= 2 * MiB:
        min_mib = 32            # (24 MiB works, but leaves no free cluster)
    elif cluster >= MiB:
        min_mib = 16
    size_mib = rng.randint(min_mib, 64)
    p = dict(seed=seed, cluster=cluster, sector=sector, size_mib=size_mib,
             label=("RV%d" % seed)[:32],
             max_depth=rng.randint(1, 8),
             dirs=rng.randint(3, 40),
             ops=rng.randint(100, 500),
             compression=cluster <= 4096 and rng.random() < 0.5,
             bigdir=rng.randint(1500, 4000) if rng.random() < 0.3 else 0,
             many_links=rng.random() < 0.4,
             fill=rng.random() < 0.25)
    return p, rng


def mkntfs(img, p):
    """Make the file system; returns the size used (MiB) or raises."""
    size = p["size_mib"]
    for attempt in range(4):
        if os.path.exists(img):
            os.unlink(img)
        with open(img, "wb") as f:
            f.truncate(size * MiB)
        cmd = ["mkntfs", "-F", "-f", "-q", "-c", str(p["cluster"]),
               "-s", str(p["sector"]), "-L", p["label"], img]
        try:
            r = subprocess.run(cmd, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT,
                               timeout=MKNTFS_TIMEOUT, env=tools.ENV)
            if r.returncode == 0:
                return size
            why = r.stdout.decode("utf-8", "replace").strip()[-300:]
        except subprocess.TimeoutExpired:
            why = "timeout after %d s" % MKNTFS_TIMEOUT
        log("   mkntfs %d MiB failed (%s); retrying bigger" % (size, why))
        size = min(size + 16, 128) if size < 128 else size + 32
    raise RuntimeError("mkntfs failed for %s" % p)


class Hung(Exception):
    """ntfs-3g stopped answering while the tree was built."""


def mounted(path):
    """Is path a mount point (per /proc/self/mounts; os.path.ismount is
    False for a FUSE mount whose daemon died)?"""
    try:
        with open("/proc/self/mounts", "rb") as f:
            mounts = f.read().split(b"\n")
    except OSError:
        return os.path.ismount(path)
    want = path.encode().replace(b"\\", b"\\134").replace(b" ", b"\\040")
    return any(len(m.split()) > 1 and m.split()[1] == want for m in mounts)


class Mount:
    """ntfs-3g -o no_detach,OPTS IMG MNT as our child.  A watchdog kills
    that child (SIGKILL, by pid) if the volume is still mounted after
    WATCHDOG seconds: ntfs-3g has been seen to spin forever (e.g. creating
    a named stream on a full volume with 2 MiB clusters)."""

    def __init__(self, img, mnt, opts):
        self.img, self.mnt, self.opts = img, mnt, opts
        self.proc = None
        self.logf = None
        self.timer = None
        self.hung = False

    def __enter__(self):
        os.makedirs(self.mnt, exist_ok=True)
        self.logf = open(self.mnt + ".log", "wb")
        self.proc = subprocess.Popen(
            ["ntfs-3g", "-o", "no_detach," + self.opts, self.img, self.mnt],
            stdin=subprocess.DEVNULL, stdout=self.logf, stderr=self.logf)
        for _ in range(200):
            if mounted(self.mnt):
                self.timer = threading.Timer(WATCHDOG, self.kill)
                self.timer.daemon = True
                self.timer.start()
                return self
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        self.close(check=False)
        raise RuntimeError("ntfs-3g failed to mount %s: %s"
                           % (self.img, self.log_text()))

    def kill(self):
        p = self.proc
        if p is not None and p.poll() is None:
            self.hung = True
            p.kill()                # our own child, by its pid

    def log_text(self):
        try:
            with open(self.mnt + ".log", "rb") as f:
                return f.read().decode("utf-8", "replace").strip()[-500:]
        except OSError:
            return ""

    def close(self, check=True):
        if self.proc is None:
            return
        if self.hung:
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        if mounted(self.mnt):
            if not self.hung:
                os.sync()
            r = subprocess.run(["umount", self.mnt], stderr=subprocess.PIPE)
            if r.returncode != 0:
                subprocess.run(["fusermount3", "-u", self.mnt],
                               stderr=subprocess.DEVNULL)
        try:
            rc = self.proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            self.hung = True
            self.proc.kill()        # our own child, by its pid
            rc = self.proc.wait()
        if self.timer:
            self.timer.cancel()
        self.proc = None
        self.logf.close()
        if mounted(self.mnt):
            subprocess.run(["umount", "-l", self.mnt])
        try:
            os.rmdir(self.mnt)
            os.unlink(self.mnt + ".log")
        except OSError:
            pass
        os.sync()
        if self.hung:
            raise Hung()
        if check and rc != 0:
            raise RuntimeError("ntfs-3g exited with %d: %s"
                               % (rc, self.log_text()))

    def __exit__(self, *exc):
        self.close(check=exc[0] is None)
        return False


def strict_checks(tester, im, rep):
    """What difftest does not cover when TSK and ntfs-3g disagree.

    1. ntfs-ls -R -a -i must list exactly what ntfsls -a -s -R -i lists
       (difftest only requires the entries both references agree on).
    2. Entries only ntfsls lists (e.g. where fls loses part of a big index
       or truncates long paths) are byte-compared here against ntfscat:
       unnamed $DATA per path, and the named streams (found with ntfsinfo)
       of records that have no agreed path.  Returns (files, streams)
       compared."""
    r = tools.run(["ntfsls", "-a", "-s", "-R", "-i", im.bare],
                     tools.REF_TIMEOUT, keep=True)
    if r.rc != 0:
        rep.note("strict listing: ntfsls failed (%s)" % r.describe())
        return 0, 0
    ref, ref_dirs = parse.parse_ntfsls(parse.dec(r.out))
    o = tools.run([tester.ntfs_ls, "-R", "-a", "-i", im.path, "/"],
                     tester.args.timeout, keep=True)
    if o.rc == 0:           # (a failure is already reported by difftest)
        ours = {}
        for line in parse.dec(o.out).split("\n"):
            m = parse.OUR_LS.match(line)
            if m:
                ours[parse.our_name(m.group(2))] = int(m.group(1))
        a = set(ref.items())
        b = set(ours.items())
        for p, rec in sorted(a - b)[:tools.MAX_SHOWN]:
            rep.bad("strict listing: ntfsls has %d %s, ntfs-ls %s"
                    % (rec, p, "has %d" % ours[p] if p in ours
                       else "does not"))
        for p, rec in sorted(b - a)[:tools.MAX_SHOWN]:
            if p not in ref:
                rep.bad("strict listing: ntfs-ls has %d %s, ntfsls does "
                        "not" % (rec, p))

    f = tools.run(["fls", "-l", "-r", "-p", im.path], tools.REF_TIMEOUT,
                     keep=True)
    if f.rc != 0:
        return 0, 0         # difftest let ntfs-3g decide alone: all covered
    names = parse.parse_fls(parse.dec(f.out), ref)[0]
    fls_pairs = {(rec, p) for p, rec in names.items()}
    agreed_recs = {rec for p, rec in ref.items() if (rec, p) in fls_pairs}
    first_path = {}
    for p, rec in sorted(ref.items()):
        first_path.setdefault(rec, p)
    pool = tester.pool
    timeout = tester.args.timeout

    def info(rec):
        rr = tools.run(["ntfsinfo", "-i", str(rec), im.bare],
                          tools.REF_TIMEOUT, keep=True)
        if rr.rc != 0:
            return None
        return parse.parse_ntfsinfo_data(parse.dec(rr.out))

    infos = {rec: pool.submit(info, rec)
             for rec in sorted(set(ref.values()) - agreed_recs)}
    items = []          # (rec, path, stream name or None)
    for p, rec in sorted(ref.items()):
        if (rec, p) not in fls_pairs and p not in ref_dirs:
            items.append((rec, p, None))
    for rec, fut in sorted(infos.items()):
        for name, _, _ in fut.result() or []:
            if name is not None:
                items.append((rec, first_path[rec], name))
    futs = []
    for rec, p, name in items:
        if name is None:
            oc = [tester.ntfs_cat, im.path, p]
            rc = ["ntfscat", "-r", "-i", str(rec), im.bare]
        else:
            oc = [tester.ntfs_cat, "-s", name, im.path, p]
            rc = ["ntfscat", "-r", "-i", str(rec), "-n", name, im.bare]
        futs.append((rec, p, name,
                     pool.submit(tools.run, oc, timeout),
                     pool.submit(tools.run, rc, tools.REF_TIMEOUT)))
    nf = ns = 0
    elsewhere = getattr(tester, "data_elsewhere", {})
    for rec, p, name, fo, fr in futs:
        what = p if name is None else "%s:%s" % (p, name)
        if name is None and rec in elsewhere:
            rep.skip(elsewhere[rec])
            continue
        o, ref_r = fo.result(), fr.result()
        if o.abnormal:
            rep.bad("%s: ntfs-cat %s" % (what, o.describe()))
            continue
        if ref_r.rc != 0:
            rep.skip("reference error")
            continue
        if o.rc != 0:
            if o.rc == 1 and "unsupported" in (o.err or "").lower():
                fut = infos.get(rec) or pool.submit(info, rec)
                fl = [x[2] for x in (fut.result() or []) if x[0] == name]
                if fl and fl[0] & 0x00ff:
                    rep.skip("compressed")
                    continue
                if fl and fl[0] & 0x4000:
                    rep.skip("encrypted")
                    continue
            rep.bad("%s: ntfs-cat %s (ntfscat read %d bytes)"
                    % (what, o.describe(), ref_r.size))
            continue
        if (o.sha, o.size) != (ref_r.sha, ref_r.size):
            rep.bad("%s: content differs: ntfs-cat %d bytes sha256 %s, "
                    "ntfscat %d bytes sha256 %s"
                    % (what, o.size, o.sha[:16], ref_r.size, ref_r.sha[:16]))
            continue
        if name is None:
            nf += 1
        else:
            ns += 1
    return nf, ns


def compare(tester, img, name, spec=None):
    im = Image(name, "own", img)
    im.path = im.bare = img
    if not has_ntfs_boot(img, 0):
        im.error = "image has no NTFS boot sector"
    t = time.monotonic()
    extra = (0, 0)
    tester.data_elsewhere = spec.data_elsewhere() if spec else {}
    counts = None
    try:
        rep = tester.test_image(im)
        if not im.error:
            extra = strict_checks(tester, im, rep)
            if spec:
                counts = random_special.check(spec, tester.args.bin, img,
                                              rep.bad, tester.args.timeout)
    except ValueError as e:
        rep = Report(im)
        rep.bad("cannot parse reference output: %s" % e)
    rep.files += extra[0]
    rep.streams += extra[1]
    # Notes about fls quirks (truncated long paths, entries TSK finds only
    # by their parent reference) can be thousands of very long lines.
    if len(rep.notes) > 5:
        more = len(rep.notes) - 5
        rep.notes = rep.notes[:5] + ["(%d more notes not shown)" % more]
    rep.notes = [n if len(n) <= 300 else n[:300] + "..." for n in rep.notes]
    # fls truncates long paths inside UTF-8 sequences: print valid UTF-8
    clean = (lambda t: t.encode("utf-8", "surrogateescape")
             .decode("utf-8", "replace"))
    rep.notes = [clean(n) for n in rep.notes]
    rep.mismatches = [clean(m) for m in rep.mismatches]
    print_report(rep, time.monotonic() - t)
    log("   (of these, compared only here because fls does not list them "
        "as ntfsls does: %d files, %d named streams)" % extra)
    if counts is not None:
        log("   special files against ntfs-3g's mount and the bytes written: "
            "%d of %d listed (%d link targets, %d device numbers), %d WOF "
            "and %d LZNT1 files read" % (counts["listed"], len(spec.entries),
                                         counts["links"], counts["devices"],
                                         counts["wof"], counts["lznt1"]))
    return rep


def one_volume(args, tester, seed, idx, total):
    p, rng = choose_params(seed)
    img = os.path.join(args.work, "rv-%d.img" % seed)
    mnt = os.path.join(args.work, "mnt-%d-%d" % (os.getpid(), seed))
    t0 = time.monotonic()
    size = mkntfs(img, p)
    p["size_mib"] = size
    log("[%d/%d] seed=%d cluster=%d sector=%d size=%dMiB depth<=%d "
        "compression=%s bigdir=%s many_links=%s fill=%s"
        % (idx, total, seed, p["cluster"], p["sector"], size,
           p["max_depth"], "yes" if p["compression"] else "no",
           p["bigdir"] or "no", "yes" if p["many_links"] else "no",
           "yes" if p["fill"] else "no"))
    opts = "streams_interface=windows"
    if p["compression"]:
        opts += ",compression"
    free = size * MiB * 3 // 4
    p["data_budget"] = (size * MiB * 2 if p["fill"]
                        else int(free * rng.uniform(0.1, 0.8)))
    # Special files (test/random_special.py) have their own random stream,
    # so --no-special builds the same tree as before they existed.
    spec = None if args.no_special else \
        random_special.Specials(seed, p["cluster"], make_name)
    with Mount(img, mnt, opts):
        st = os.statvfs(mnt)
        if spec:
            spec.reserve(mnt)
        b = Builder(rng, mnt, p["cluster"], p).build()
        st2 = os.statvfs(mnt)
        if spec:
            spec.release(mnt)
    build_s = time.monotonic() - t0
    s = b.stats
    log("   built in %.1f s: %d dirs, %d files (%d sparse, %d in compressed "
        "dirs), %d extra links, %d named streams, big dir %d entries, "
        "%d renamed, %d deleted, %.1f MiB written; free %d -> %d clusters%s"
        % (build_s, s["dirs"], s["files"], s["sparse"], s["compressed"],
           s["links"], s["streams"], s["bigdir"], s["renamed"],
           s["deleted"], s["bytes"] / MiB, st.f_bavail, st2.f_bavail,
           "; volume full (ENOSPC x%d)" % b.enospc if b.full else ""))
    if b.errors:
        log("   ntfs-3g refused some operations: " + ", ".join(
            "%s=%d" % kv for kv in sorted(b.errors.items())))
    if spec:
        t1 = time.monotonic()
        make_specials(spec, img, mnt, b, p)
        log("   special files (seed %d) in %.1f s: %s"
            % (seed, time.monotonic() - t1, spec.summary()))
    rep = compare(tester, img, "rv-%d" % seed, spec)
    return img, rep


def make_specials(spec, img, mnt, b, p):
    """random_special's three passes: Interix files, Windows links, WOF
    and LZNT1 files; WSL files; what a read-only default mount shows.
    (ntfs-3g compresses only with clusters of at most 4 KiB.)"""
    compression = p["cluster"] <= 4096
    opts = "streams_interface=windows" + (",compression" if compression
                                          else "")
    wim = random_special.wimlib()
    if wim is None:
        raise RuntimeError("libwim.so.15 not found (Debian: libwim15), "
                           "needed for the WOF files; or use --no-special")
    with Mount(img, mnt, opts):
        spec.make(mnt, b.dirs, b.files, b.comp_dirs, compression, wim)
    with Mount(img, mnt, random_special.WSL_MNT_OPTS):
        spec.make_wsl(mnt, b.dirs)
    with Mount(img, mnt, "ro"):
        spec.observe(mnt)
    spec.save(img[:-4] + ".special.json")


def env_ci():
    v = os.environ.get("CI", "")
    return v not in ("", "0", "false", "False", "FALSE", "no")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True, help="folder with ntfs-ls etc.")
    ap.add_argument("--work", required=True, help="scratch folder")
    ap.add_argument("--count", type=int, default=3)
    ap.add_argument("--seed", default=str(DEFAULT_SEED),
                    help="first seed (integer) or 'random'")
    ap.add_argument("--keep", action="store_true",
                    help="keep every image (failing ones are always kept)")
    ap.add_argument("--jobs", type=int, default=max(2, os.cpu_count() or 2))
    ap.add_argument("--timeout", type=float, default=60.0,
                    help="seconds per invocation of our tools")
    ap.add_argument("--quick", action="store_true",
                    help="sample file contents (difftest --quick)")
    ap.add_argument("--check", metavar="IMG",
                    help="only compare an existing raw image (with its "
                    "special files if IMG's .special.json is beside it)")
    ap.add_argument("--no-special", action="store_true",
                    help="no special files (test/random_special.py)")
    args = ap.parse_args(argv)
    # Mount points are compared with /proc/self/mounts, which has them absolute.
    args.work = os.path.abspath(args.work)
    # mkntfs lives in /usr/sbin, which a user's PATH often lacks.
    for d in ("/usr/sbin", "/sbin"):
        if d not in os.environ.get("PATH", "").split(":"):
            os.environ["PATH"] = os.environ.get("PATH", "") + ":" + d

    missing = [t for t in tools.REF_TOOLS if shutil.which(t) is None]
    missing += [t for t in tools.OUR_TOOLS
                if not os.access(os.path.join(args.bin, t), os.X_OK)]
    if missing:
        log("ERROR: tool(s) not found: %s (reference tools: Debian packages "
            "ntfs-3g and sleuthkit; ours: --bin)" % ", ".join(missing))
        log("0 passed, 1 failed")
        return 1
    os.makedirs(args.work, exist_ok=True)
    tester = Tester(args)
    try:
        if args.check:
            sj = os.path.splitext(args.check)[0] + ".special.json"
            spec = (random_special.load(sj) if os.path.exists(sj)
                    and not args.no_special else None)
            rep = compare(tester, os.path.abspath(args.check),
                          os.path.basename(args.check), spec)
            ok = not rep.mismatches
            log("%d passed, %d failed" % (ok, not ok))
            return 0 if ok else 1

        need = [t for t in ("mkntfs", "ntfs-3g", "umount")
                if shutil.which(t) is None]
        if not need:
            # ntfs-3g mounts need root: run again through sudo (asked for
            # by .ci/test), handing the files back to the work dir's owner.
            rc = sudo.rerun(__file__, argv or sys.argv[1:])
            if rc is not None:
                return rc
        if os.geteuid() != 0 or not os.path.exists("/dev/fuse") or need:
            why = "needs root (or sudo) and FUSE" if not need else \
                "needs root and FUSE (missing: %s)" % ", ".join(need)
            if env_ci():
                log("ERROR: %s, and CI is set: failing" % why)
                log("0 passed, 1 failed")
                return 1
            log("SKIP: " + why)
            return 0

        if args.seed == "random":
            seed = int(time.time() * 1000) % 1000000000
            log("random seed: %d (reproduce with --seed %d)" % (seed, seed))
        else:
            seed = int(args.seed)
        t0 = time.monotonic()
        passed = failed = 0
        kept, hung = [], []
        for i in range(args.count):
            s = seed + i
            img = os.path.join(args.work, "rv-%d.img" % s)
            try:
                img, rep = one_volume(args, tester, s, i + 1, args.count)
                bad = bool(rep.mismatches)
            except Hung:
                # a writer problem, not a reader one: not counted
                log("   SKIP seed=%d: ntfs-3g stopped answering while the "
                    "tree was built (killed after %.0f s); volume not "
                    "compared" % (s, WATCHDOG))
                hung.append(s)
                if not args.keep:
                    for f in (img, img[:-4] + ".special.json"):
                        if os.path.exists(f):
                            os.unlink(f)
                continue
            except (RuntimeError, OSError) as e:
                log("   ERROR building volume (seed %d): %s" % (s, e))
                bad = True
            if bad:
                failed += 1
                kept.append((s, img))
                log("   FAIL seed=%d; image kept: %s" % (s, img))
                log("   reproduce: python3 %s --bin %s --work DIR --count 1 "
                    "--seed %d" % (sys.argv[0], args.bin, s))
                log("   re-check this image: python3 %s --bin %s --work DIR "
                    "--check %s" % (sys.argv[0], args.bin, img))
            else:
                passed += 1
                if not args.keep:
                    for f in (img, img[:-4] + ".special.json"):
                        if os.path.exists(f):
                            os.unlink(f)
        log("total time %.1f s" % (time.monotonic() - t0))
        for s, img in kept:
            log("failed: seed %d, image %s" % (s, img))
        if hung:
            log("skipped (ntfs-3g hung while building): %d, seed(s) %s"
                % (len(hung), " ".join(map(str, hung))))
        log("%d passed, %d failed" % (passed, failed))
        if passed + failed == 0:
            log("ERROR: no volume was compared")
            return 1
        return 1 if failed else 0
    finally:
        tester.pool.shutdown(wait=True, cancel_futures=True)
        sudo.give_back(args.work)


if __name__ == "__main__":
    sys.exit(main())
