#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Differential test: our CLI tools against independent NTFS readers.

Usage (ctest runs this):

    python3 test/difftest.py --bin BUILD/bin --images test/images \
        --shared ../shared/images --work BUILD/testwork [--quick] \
        [--jobs 2] [--timeout 60] [--only SUBSTRING]

Python 3 standard library only.  Reference readers are run at test time:
  * ntfs-3g tools  : ntfsls, ntfscat, ntfsinfo  (Debian package ntfs-3g)
  * The Sleuth Kit : fls, icat, istat    (Debian package sleuthkit)
Nothing about image contents is hard-coded here; every expectation comes
from a reference reader.  If a reference tool is missing the test FAILS
(exit 1) rather than silently passing.

Images
------
* test/images/*.img.xz  -- our own bare volumes (mkntfs + ntfs-3g), except
  those with a JSON manifest (ntfs-names: names with newlines and ESC
  sequences, which ntfsls and fls print raw; test/cli_names.py checks it).  Each is
  decompressed into WORK/difftest/own/ (cached: redone only if the .xz is
  newer than the decompressed file).
* SHARED (optional, skipped with a message if absent) -- real-world images
  listed in SHARED_IMAGES below, decompressed into WORK/difftest/shared/.
  For MBR-partitioned images the partition offset is read from the first MBR
  partition entry (LBA at byte 446+8, x512) and cross-checked against the
  offset documented in shared/images/README.md.  Our tools read the whole
  disk with --offset; TSK reads it with -o SECTORS; ntfs-3g tools cannot
  take an offset, so the partition is copied once into a cached file.
  Decompressed files are written sparse (zero blocks are seeked over).
  Note: ntfs-ramslack's slack is filled with a pattern, so it costs ~1 GiB
  for the disk plus ~1 GiB for the partition copy (about 2.2 GiB in all).

What is compared (per image)
----------------------------
1. Listing.  `ntfs-ls -R -a -i IMAGE /` -> set of (record, /path) versus
   `ntfsls -a -s -R -i` (ntfs-3g) and `fls -r -p -l` (TSK).  Entries the two
   references agree on must appear in ours; an entry of ours that neither
   reference has is a mismatch; entries only one reference has are
   "disputed": reported, never counted against us either way.  (On all
   current images the two references agree exactly after the normalisation
   below.)  The listing comparison is always complete (one process per
   tool).  Also checked: `ntfs-ls -R -a` (without -i) prints exactly the
   same paths in the same order, no entry is printed twice, and every entry
   is printed after its parent directory.
2. `ntfs-cat IMAGE /difftest-no-such-file-PID` must exit 1 with no output.
3. Unnamed $DATA, byte for byte: for every non-directory entry (every hard
   link separately) sha256(ntfs-cat IMAGE PATH) versus the record's data
   from the references (`ntfscat -r -i REC`; `icat REC-128-ID`).
4. Named $DATA streams (found in fls output as `path:name` lines of type
   128, on files and directories): sha256(ntfs-cat -s NAME IMAGE PATH)
   versus `ntfscat -r -i REC -n NAME` and `icat REC-128-ID`, once per record.

Which reference decides the bytes: for our own images ntfscat (fast: ~2 ms
per call against ~17 ms for icat); icat is consulted only when ours differs
from ntfscat -- if icat then agrees with ours, the item is reported as a
reference disagreement instead of a failure.  For the shared images both are
run; where they disagree ntfs-cat must match one of them (reported as a
note), otherwise it is a mismatch.

Known reference differences (found while writing this test):
  * ntfscat applies the multi-sector-transfer fixups to the $DATA of $MFT
    and $MFTMirr (records 0 and 1) unless given the undocumented `-r`
    (raw) option; icat prints the bytes as stored on disk.  We pass `-r`,
    i.e. ntfs-cat is expected to print stored bytes, like any stream.
  * $BadClus:$Bad (sparse, size = volume size, initialized size 0): icat
    prints 0 bytes, ntfscat prints data-size zero bytes.  Reading past the
    initialized size yields zeros, so ntfscat is right; reported as a note.
  * TSK 4.11 cannot open volumes with 2 MiB clusters ("Cannot determine
    file system type").  When one reference cannot read a volume at all,
    the other decides alone (reported as a note); the $DATA attributes of
    each record then come from `ntfsinfo -i REC` instead of fls.

Normalisations (presentation only, never content):
  * ntfsls prints per-directory blocks ("/dir:" header, then "  REC name"
    lines including "." and ".."): "."/".." are dropped and names are joined
    to the header path.
  * fls prints paths without the leading "/" and prints named attributes as
    separate "path:attrname" lines (named $DATA streams and named index
    attributes such as $Secure:$SDH, $Quota:$O).  Those are folded back into
    the file's name; a file whose only lines carry a suffix (e.g. $Secure,
    $Extend/$Quota) has no unnamed $DATA and is not byte-compared.  TSK also
    repeats a directory's named streams as "dir/.:stream"; dropped.
  * fls entries marked deleted ("*"), the virtual "$OrphanFiles" directory
    and everything under it are dropped: ntfs-ls lists only what is reachable
    from the root.  So are fls entries whose directory-entry type is "-"
    (e.g. "-/r 28-128-2: test/1.txt" on ntfs3.raw): in-use records that TSK
    attaches to a directory by their $FILE_NAME parent reference although
    the directory's index has no entry for them (reported as notes).  Both
    references hide DOS (8.3) names, as ntfs-ls does.
  * The root itself is not an entry (ntfs-ls never prints "."); ntfsls' "."
    of the root is dropped like every other ".".

Skips (counted per reason, never failures):
  * ntfs-cat exit 1 with "unsupported" when istat reports the $DATA
    attribute as Compressed/Encrypted (skipped: compressed / encrypted).
    "unsupported" on an attribute istat calls plain is a mismatch.
  * entries without unnamed $DATA; items where the references disagree or
    fail; in --quick mode the items not sampled.

--quick samples: every file < 1 MiB in directories with < 200 entries, at
most 200 (seeded) random files from bigger directories, plus at most 10
(seeded) files >= 1 MiB; named streams < 1 MiB.  Default mode checks all.

Every invocation of our tools has a timeout (--timeout, default 60 s); a
timeout, a signal or an exit status other than 0/1 is a failure.  Output:
one summary block per image, then a final line `N passed, M failed` (N
images fully matched, M images with mismatches).  Exit 1 if M > 0.
"""

import argparse
import concurrent.futures
import gzip
import hashlib
import lzma
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile

ENV = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
REF_TIMEOUT = 600          # seconds, per reference-tool invocation
MAX_SHOWN = 20             # mismatches printed per image
QUICK_DIR_LIMIT = 200
QUICK_SIZE_LIMIT = 1 << 20
QUICK_BIG_DIR_SAMPLE = 200
QUICK_LARGE_SAMPLE = 10
QUICK_LARGE_MAX = 64 << 20
SEED = 20240229

# (relative path in --shared, how to extract, documented partition offset or
#  None for a bare volume).  Offsets come from shared/images/README.md and
#  are only a cross-check: the MBR is authoritative.
SHARED_IMAGES = [
    ("windows/ntfs-ramslack.raw.gz", None, 65536),
    ("windows/ntfs_index.raw.gz", None, 65536),
    ("windows/7-undel-ntfs.zip", "7-undel-ntfs/7-ntfs-undel.dd", None),
    ("linux/ntfs3_attrlist.raw.gz", None, None),
    ("linux/ntfs3.raw.gz", None, None),
]

REF_TOOLS = ["ntfsls", "ntfscat", "ntfsinfo", "fls", "icat", "istat"]
OUR_TOOLS = ["ntfs-ls", "ntfs-cat"]


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


# --------------------------------------------------------------------------
# image preparation


def sparse_copy(src, dst_path, limit=None):
    """Copy file object src to dst_path, seeking over all-zero blocks.
    Writes to a temporary name first so an interrupted run leaves no
    half-written cache entry."""
    bs = 1 << 20
    zero = bytes(bs)
    tmp = dst_path + ".tmp%d" % os.getpid()
    remaining = limit
    with open(tmp, "wb") as out:
        while remaining is None or remaining > 0:
            n = bs if remaining is None else min(bs, remaining)
            b = src.read(n)
            if not b:
                break
            if remaining is not None:
                remaining -= len(b)
            if b == zero[:len(b)]:
                out.seek(len(b), os.SEEK_CUR)
            else:
                out.write(b)
        out.truncate(out.tell())
    os.replace(tmp, dst_path)


def fresh(dst, src):
    try:
        return os.path.getmtime(dst) >= os.path.getmtime(src)
    except OSError:
        return False


def has_ntfs_boot(path, offset):
    with open(path, "rb") as f:
        f.seek(offset)
        b = f.read(512)
    return len(b) == 512 and b[3:11] == b"NTFS    "


def mbr_first_partition(path):
    """(byte offset, byte length) of the first MBR partition entry."""
    with open(path, "rb") as f:
        mbr = f.read(512)
    if len(mbr) < 512 or mbr[510:512] != b"\x55\xaa":
        raise ValueError("no MBR signature")
    e = mbr[446:462]
    ptype = e[4]
    lba = int.from_bytes(e[8:12], "little")
    nsect = int.from_bytes(e[12:16], "little")
    if ptype == 0 or lba == 0:
        raise ValueError("first MBR partition entry is empty")
    return lba * 512, nsect * 512


class Image:
    def __init__(self, name, kind, source):
        self.name = name
        self.kind = kind          # "own" or "shared"
        self.source = source
        self.path = None          # what our tools and TSK read
        self.offset = 0           # byte offset of the volume in self.path
        self.bare = None          # bare volume for ntfs-3g tools
        self.error = None

    @property
    def sector_offset(self):
        return self.offset // 512


def prepare_own(images_dir, work):
    out = []
    if not os.path.isdir(images_dir):
        log("note: own image folder %s does not exist" % images_dir)
        return out
    dst_dir = os.path.join(work, "difftest", "own")
    os.makedirs(dst_dir, exist_ok=True)
    for fn in sorted(os.listdir(images_dir)):
        if not fn.endswith(".img.xz"):
            continue
        if os.path.exists(os.path.join(images_dir, fn[:-7] + ".json")):
            # ntfs-names: ntfsls and fls print its names raw, a newline
            # included, so no line of theirs can be compared;
            # test/cli_names.py checks it against what was written.
            log("note: %s left to cli_names.py (names no listing can hold)" % fn)
            continue
        src = os.path.join(images_dir, fn)
        im = Image(fn[:-3], "own", src)
        dst = os.path.join(dst_dir, fn[:-3])
        try:
            if not fresh(dst, src):
                with lzma.open(src, "rb") as f:
                    sparse_copy(f, dst)
            im.path = im.bare = dst
            if not has_ntfs_boot(dst, 0):
                im.error = "decompressed image has no NTFS boot sector"
        except (OSError, lzma.LZMAError, EOFError) as e:
            im.error = "cannot decompress: %s" % e
        out.append(im)
    return out


def prepare_shared(shared_dir, work):
    out = []
    if not shared_dir or not os.path.isdir(shared_dir):
        log("note: shared image folder %s is absent; skipping the "
            "real-world images" % shared_dir)
        return out
    dst_dir = os.path.join(work, "difftest", "shared")
    os.makedirs(dst_dir, exist_ok=True)
    for rel, member, doc_offset in SHARED_IMAGES:
        src = os.path.join(shared_dir, rel)
        base = os.path.basename(member or rel)
        for suf in (".gz", ".zip"):
            if base.endswith(suf):
                base = base[:-len(suf)]
        im = Image(base, "shared", rel)
        if not os.path.exists(src):
            log("note: shared image %s not present; skipped" % rel)
            continue
        dst = os.path.join(dst_dir, base)
        try:
            if not fresh(dst, src):
                if member:
                    with zipfile.ZipFile(src) as z, z.open(member) as f:
                        sparse_copy(f, dst)
                else:
                    with gzip.open(src, "rb") as f:
                        sparse_copy(f, dst)
            im.path = im.bare = dst
            if doc_offset is not None:
                off, length = mbr_first_partition(dst)
                if off != doc_offset:
                    im.error = ("MBR says partition at byte %d but README "
                                "documents %d" % (off, doc_offset))
                im.offset = off
                part = dst + ".part"
                if not fresh(part, dst):
                    with open(dst, "rb") as f:
                        f.seek(off)
                        sparse_copy(f, part, limit=length)
                im.bare = part
            if not im.error and not has_ntfs_boot(dst, im.offset):
                im.error = "no NTFS boot sector at byte %d" % im.offset
        except (OSError, ValueError, zipfile.BadZipFile, KeyError,
                EOFError) as e:
            im.error = "cannot prepare: %s" % e
        out.append(im)
    return out


# --------------------------------------------------------------------------
# parsing


def dec(b):
    return b.decode("utf-8", "surrogateescape")


def join(d, name):
    return ("" if d == "/" else d) + "/" + name


NTFSLS_ENTRY = re.compile(r"^\s*(\d+) (.*)$")


def parse_ntfsls(text):
    """ntfsls -a -s -R -i output -> (dict path->rec, set of dir paths)."""
    entries = {}
    dirs = set()
    cur = None
    for line in text.split("\n"):
        if not line:
            continue
        if line.startswith("/") and line.endswith(":"):
            cur = line[:-1]
            if cur != "/":
                dirs.add(cur)
            continue
        m = NTFSLS_ENTRY.match(line)
        if not m or cur is None:
            raise ValueError("unparseable ntfsls line: %r" % line)
        name = m.group(2)
        if name in (".", ".."):
            continue
        entries[join(cur, name)] = int(m.group(1))
    return entries, dirs


FLS_LINE = re.compile(
    r"^(\S+)/(\S+) (\* )?(\d+)(?:-(\d+)-(\d+))?(\(realloc\))?:\t(.*)$")


class FlsEntry:
    __slots__ = ("rec", "atype", "aid", "path", "meta", "size")


def parse_fls(text, ntfsls_entries):
    """fls -l -r -p output -> (names: dict path->rec, dirs: set,
    data: dict rec->(attr id, size) of unnamed $DATA,
    streams: dict rec->{name: (attr id, size)}).
    Deleted entries and $OrphanFiles are dropped (see module doc)."""
    raw = []
    unindexed = []
    for line in text.split("\n"):
        if not line:
            continue
        m = FLS_LINE.match(line)
        if not m:
            raise ValueError("unparseable fls line: %r" % line)
        dtype, meta, deleted, rec, atype, aid, realloc, rest = m.groups()
        if deleted or realloc or dtype == "V" or meta == "V":
            continue
        fields = rest.split("\t")
        if len(fields) >= 8:        # -l: path, 4 times, size, uid, gid
            path = "\t".join(fields[:-7])
            try:
                size = int(fields[-3])
            except ValueError:
                size = 0
        else:
            path, size = rest, 0
        if path == "$OrphanFiles" or path.startswith("$OrphanFiles/"):
            continue
        if dtype == "-":
            # In use, but found through its $FILE_NAME parent reference,
            # not through the parent's index: not a directory entry.
            unindexed.append("%s /%s" % (rec, path))
            continue
        e = FlsEntry()
        e.rec = int(rec)
        e.atype = int(atype) if atype else None
        e.aid = int(aid) if aid else None
        e.path = "/" + path
        e.meta = meta
        e.size = size
        raw.append(e)
    plain = {(e.rec, e.path) for e in raw}
    names, dirs, data, streams = {}, set(), {}, {}
    for e in raw:
        base, sname = e.path, None
        last = e.path.rsplit("/", 1)[1]
        if ":" in last:
            b, s = e.path.rsplit(":", 1)
            # "path:attr" is an attribute line if the plain name is known
            # for this record (from fls itself or from ntfsls), if it is an
            # index attribute, or if it is a $-named system attribute.
            # Otherwise ':' is taken to be part of a (POSIX) file name.
            if ((e.rec, b) in plain or ntfsls_entries.get(b) == e.rec
                    or e.atype == 144 or s.startswith("$")
                    or b.endswith("/.")):
                base, sname = b, s
        if base.endswith("/."):
            # TSK prints a directory's named streams a second time under
            # "dir/." (e.g. "dirads/.:dirstream"); the first copy suffices.
            continue
        names[base] = e.rec
        if e.meta == "d":
            dirs.add(base)
        if e.atype == 128:
            if sname is None:
                # The first unnamed line is the unnamed stream: TSK 4.11
                # prints some empty named streams (name length a multiple
                # of 4 units) as further unnamed lines.
                data.setdefault(e.rec, (e.aid, e.size))
            else:
                streams.setdefault(e.rec, {})[sname] = (e.aid, e.size)
    return names, dirs, data, streams, unindexed


OUR_LS = re.compile(r"^(\d+) (/.*)$")


def parse_ntfsinfo_data(text):
    """ntfsinfo -i REC output -> [(stream name or None, data size, attribute
    flags)] of its $DATA attributes (first extent of each name only)."""
    out, seen = [], set()
    for blk in text.split("Dumping attribute ")[1:]:
        if not blk.startswith("$DATA (0x80)"):
            continue
        m = re.search(r"^\s*Attribute name:\s*'(.*)'$", blk, re.M)
        name = m.group(1) if m else None
        if name in seen:
            continue
        seen.add(name)
        m = re.search(r"^\s*Data size:\s*(\d+)", blk, re.M)
        size = int(m.group(1)) if m else 0
        m = re.search(r"^\s*Attribute flags:\s*0x([0-9a-fA-F]+)", blk, re.M)
        flags = int(m.group(1), 16) if m else 0
        out.append((name, size, flags))
    return out


def istat_attr_flags(text, atype, aid):
    """Flags words of attribute (atype-aid) in istat output, plus the
    $STANDARD_INFORMATION flags."""
    flags = set()
    m = re.search(r"^\$STANDARD_INFORMATION Attribute Values:\nFlags: (.*)$",
                  text, re.M)
    si = set(w.strip() for w in m.group(1).split(",")) if m else set()
    pat = re.compile(r"^Type: \S+ \(%d-%d\)\s+Name: .*?\s+"
                     r"((?:Non-)?Resident[^\n]*?)\s+size:" % (atype, aid),
                     re.M)
    m = pat.search(text)
    if m:
        flags = set(w.strip() for w in m.group(1).split(","))
    return flags, si


# --------------------------------------------------------------------------
# the per-image test


class Report:
    def __init__(self, im):
        self.im = im
        self.mismatches = []
        self.skips = {}
        self.notes = []
        self.entries = 0
        self.files = 0
        self.streams = 0
        self.disputed = 0

    def bad(self, msg):
        self.mismatches.append(msg)

    def skip(self, reason, n=1):
        self.skips[reason] = self.skips.get(reason, 0) + n

    def note(self, msg):
        self.notes.append(msg)


class Tester:
    def __init__(self, args):
        self.args = args
        self.ntfs_ls = os.path.join(args.bin, "ntfs-ls")
        self.ntfs_cat = os.path.join(args.bin, "ntfs-cat")
        self.pool = concurrent.futures.ThreadPoolExecutor(args.jobs)
        self.tsk_ok = True
        self.ntfsinfo_cache = {}

    # -- command builders ---------------------------------------------------
    def ours(self, im, tool, *rest):
        cmd = [tool]
        if im.offset:
            cmd += ["--offset", str(im.offset)]
        return cmd + list(rest)

    def tsk(self, im, tool, *rest):
        cmd = [tool]
        if im.offset:
            cmd += ["-o", str(im.sector_offset)]
        return cmd + [im.path] + list(rest)

    def run_ours(self, cmd, keep=False):
        return run(cmd, self.args.timeout, keep)

    # -- main ---------------------------------------------------------------
    def test_image(self, im):
        rep = Report(im)
        if im.error:
            rep.bad("setup: " + im.error)
            return rep

        # 1. reference listings.  If one reference cannot read the volume
        # at all (TSK 4.11 rejects 2 MiB clusters), the other one decides
        # alone; that is reported as a note.
        r = run(["ntfsls", "-a", "-s", "-R", "-i", im.bare], REF_TIMEOUT,
                keep=True)
        ls_ok = r.rc == 0
        if ls_ok:
            ref_ls, ref_ls_dirs = parse_ntfsls(dec(r.out))
        else:
            ref_ls, ref_ls_dirs = {}, set()
            rep.note("ntfsls cannot read this volume (%s); fls decides "
                     "alone" % r.describe())
        r = run(self.tsk(im, "fls", "-l", "-r", "-p"), REF_TIMEOUT,
                keep=True)
        self.tsk_ok = r.rc == 0
        if self.tsk_ok:
            fls_names, fls_dirs, fls_data, fls_streams, unindexed = \
                parse_fls(dec(r.out), ref_ls)
            for u in unindexed[:MAX_SHOWN]:
                rep.note("listing: fls shows %s, which is in use but in no "
                         "directory index (not compared)" % u)
        else:
            fls_names, fls_dirs, fls_data, fls_streams = {}, set(), {}, {}
            if not ls_ok:
                rep.bad("no reference can read this volume: fls %s"
                        % r.describe())
                return rep
            rep.note("TSK cannot read this volume (fls %s); ntfs-3g decides "
                     "alone" % r.describe())

        a = {(rec, p) for p, rec in ref_ls.items()}
        b = {(rec, p) for p, rec in fls_names.items()}
        if ls_ok and self.tsk_ok:
            agreed = a & b
            only_ls = a - b
            only_fls = b - a
        else:
            agreed = a | b
            only_ls = only_fls = set()
        rep.disputed = len(only_ls) + len(only_fls)
        for rec, p in sorted(only_ls, key=lambda x: x[1])[:MAX_SHOWN]:
            rep.note("listing: ntfsls has %d %s, fls does not" % (rec, p))
        for rec, p in sorted(only_fls, key=lambda x: x[1])[:MAX_SHOWN]:
            rep.note("listing: fls has %d %s, ntfsls does not" % (rec, p))
        if ls_ok and self.tsk_ok:
            for p in sorted((ref_ls_dirs ^ fls_dirs)
                            & {p for _, p in agreed}):
                rep.note("listing: ntfsls and fls disagree whether %s is a "
                         "directory" % p)
        if not self.tsk_ok:
            # $DATA attributes from ntfsinfo instead of fls (one process
            # per record; only used on volumes TSK cannot read).
            recs = sorted({rec for rec, p in agreed})
            futs = {rec: self.pool.submit(run, ["ntfsinfo", "-i", str(rec),
                                                im.bare], REF_TIMEOUT, True)
                    for rec in recs}
            self.ntfsinfo_cache = {}
            for rec, f in futs.items():
                rr = f.result()
                if rr.rc != 0:
                    rep.note("ntfsinfo -i %d failed: %s" % (rec,
                                                           rr.describe()))
                    continue
                text = dec(rr.out)
                self.ntfsinfo_cache[rec] = text
                for name, size, _ in parse_ntfsinfo_data(text):
                    # attribute id unknown without TSK; None is fine since
                    # icat is not used then.
                    if name is None:
                        fls_data[rec] = (None, size)
                    else:
                        fls_streams.setdefault(rec, {})[name] = (None, size)

        # 2. our listing
        r = self.run_ours(self.ours(im, self.ntfs_ls, "-R", "-a", "-i",
                                    im.path, "/"), keep=True)
        if r.rc != 0:
            rep.bad("ntfs-ls -R -a -i: " + r.describe())
            return rep
        ours = []
        for line in dec(r.out).split("\n"):
            if not line:
                continue
            m = OUR_LS.match(line)
            if not m:
                rep.bad("ntfs-ls: unparseable line %r" % line)
                continue
            ours.append((int(m.group(1)), m.group(2)))
        r2 = self.run_ours(self.ours(im, self.ntfs_ls, "-R", "-a", im.path,
                                     "/"), keep=True)
        if r2.rc != 0:
            rep.bad("ntfs-ls -R -a: " + r2.describe())
        else:
            plain = [l for l in dec(r2.out).split("\n") if l]
            if plain != [p for _, p in ours]:
                rep.bad("ntfs-ls without -i prints different paths/order "
                        "than with -i (%d vs %d lines)"
                        % (len(plain), len(ours)))
        ours_set = set(ours)
        if len(ours_set) != len(ours):
            seen = set()
            for e in ours:
                if e in seen:
                    rep.bad("ntfs-ls: duplicate entry %d %s" % e)
                seen.add(e)
        # directories before their contents
        printed = set()
        for rec, p in ours:
            parent = p.rsplit("/", 1)[0] or "/"
            if parent != "/" and parent not in printed:
                rep.bad("ntfs-ls: %s printed before its directory" % p)
                break
            printed.add(p)

        rep.entries = len(ours_set)
        disputed = only_ls | only_fls
        for rec, p in sorted(agreed - ours_set, key=lambda x: x[1]):
            other = [x for x in ours_set if x[1] == p]
            if other:
                rep.bad("listing: %s has record %d, references say %d"
                        % (p, other[0][0], rec))
            else:
                rep.bad("listing: missing %d %s" % (rec, p))
        for rec, p in sorted(ours_set - agreed - disputed,
                             key=lambda x: x[1]):
            if not any(x[1] == p for x in agreed):
                rep.bad("listing: extra %d %s (in no reference)" % (rec, p))

        # 3. a path that does not exist: exit 1, nothing on stdout (the
        # reference agrees that it does not exist)
        bogus = "/difftest-no-such-file-%d" % os.getpid()
        if bogus not in ref_ls and bogus not in fls_names:
            o = self.run_ours(self.ours(im, self.ntfs_cat, im.path, bogus))
            if o.rc != 1 or o.size:
                rep.bad("ntfs-cat of a missing path: expected exit 1 and no "
                        "output, got %s and %d bytes" % (o.describe(),
                                                         o.size))

        # 4. bytes
        self.compare_bytes(im, rep, agreed, ref_ls_dirs | fls_dirs,
                           fls_data, fls_streams)
        return rep

    # ------------------------------------------------------------------------
    def compare_bytes(self, im, rep, agreed, dirs, fls_data, fls_streams):
        args = self.args
        children = {}
        for rec, p in agreed:
            parent = p.rsplit("/", 1)[0] or "/"
            children[parent] = children.get(parent, 0) + 1

        # items: (kind, rec, path, stream name, attr id, size)
        items = []
        for rec, p in sorted(agreed, key=lambda x: x[1]):
            if p in dirs:
                continue
            if rec not in fls_data:
                rep.skip("no unnamed $DATA")
                continue
            aid, size = fls_data[rec]
            items.append(("file", rec, p, None, aid, size))
        first_path = {}
        for rec, p in sorted(agreed, key=lambda x: x[1]):
            first_path.setdefault(rec, p)
        for rec in sorted(fls_streams):
            if rec not in first_path:
                continue
            for name, (aid, size) in sorted(fls_streams[rec].items()):
                items.append(("stream", rec, first_path[rec], name, aid,
                              size))

        if args.quick:
            items = self.sample(items, children, rep)

        # jobs
        eager_icat = im.kind != "own" and self.tsk_ok
        ref_jobs = {}

        def ref_key(kind, rec, name, aid):
            return (kind, rec, name, aid)

        futures = {}

        def submit(key, fn, *a):
            if key not in futures:
                futures[key] = self.pool.submit(fn, *a)

        for kind, rec, p, name, aid, size in items:
            if name is None:
                submit(("ours", p, None), self.run_ours,
                       self.ours(im, self.ntfs_cat, im.path, p))
                submit(("ntfscat", rec, None), run,
                       ["ntfscat", "-r", "-i", str(rec), im.bare],
                       REF_TIMEOUT)
            else:
                submit(("ours", p, name), self.run_ours,
                       self.ours(im, self.ntfs_cat, "-s", name, im.path, p))
                submit(("ntfscat", rec, name), run,
                       ["ntfscat", "-r", "-i", str(rec), "-n", name,
                        im.bare],
                       REF_TIMEOUT)
            if eager_icat:
                submit(("icat", rec, aid), run,
                       self.tsk(im, "icat", "%d-128-%d" % (rec, aid)),
                       REF_TIMEOUT)

        def get(key, fn=None, *a):
            if key not in futures:
                submit(key, fn, *a)
            return futures[key].result()

        istat_cache = {}

        def istat(rec):
            if rec not in istat_cache:
                r = run(self.tsk(im, "istat", str(rec)), REF_TIMEOUT,
                        keep=True)
                istat_cache[rec] = dec(r.out) if r.rc == 0 else ""
            return istat_cache[rec]

        for kind, rec, p, name, aid, size in items:
            what = p if name is None else "%s:%s" % (p, name)
            o = get(("ours", p, name))
            if o.abnormal:
                rep.bad("%s: ntfs-cat %s" % (what, o.describe()))
                continue
            refs = {"ntfscat": get(("ntfscat", rec, name))}
            icat_cmd = (self.tsk(im, "icat", "%d-128-%d" % (rec, aid))
                        if self.tsk_ok else None)
            if eager_icat:
                refs["icat"] = get(("icat", rec, aid), run, icat_cmd,
                                   REF_TIMEOUT)
            ok_refs = {k: v for k, v in refs.items() if v.rc == 0}
            if len(ok_refs) < len(refs):
                for k, v in refs.items():
                    if v.rc != 0:
                        rep.note("%s: %s failed: %s" % (what, k,
                                                        v.describe()))
            if not ok_refs:
                rep.skip("reference error")
                continue
            shas = {(v.sha, v.size) for v in ok_refs.values()}
            if len(shas) > 1:
                desc = ", ".join("%s %d bytes sha256 %s"
                                 % (k, v.size, v.sha[:16])
                                 for k, v in sorted(ok_refs.items()))
                same = [k for k, v in sorted(ok_refs.items())
                        if o.rc == 0 and (v.sha, v.size) == (o.sha, o.size)]
                if same:
                    rep.skip("references disagree")
                    rep.note("%s: references disagree: %s; ntfs-cat "
                             "matches %s" % (what, desc, "+".join(same)))
                elif o.rc == 0:
                    rep.bad("%s: ntfs-cat %d bytes sha256 %s matches no "
                            "reference (%s)" % (what, o.size, o.sha[:16],
                                                desc))
                else:
                    rep.skip("references disagree")
                    rep.note("%s: references disagree: %s; ntfs-cat %s"
                             % (what, desc, o.describe()))
                continue
            ref = next(iter(ok_refs.values()))
            if o.rc != 0:
                low = (o.err or "").lower()
                if o.rc == 1 and "unsupported" in low:
                    if self.tsk_ok:
                        flags, si = istat_attr_flags(istat(rec), 128, aid)
                    else:
                        flags, si = set(), set()
                        for n, _, fl in parse_ntfsinfo_data(
                                self.ntfsinfo_cache.get(rec, "")):
                            if n == name:
                                if fl & 0x00ff:
                                    flags.add("Compressed")
                                if fl & 0x4000:
                                    flags.add("Encrypted")
                    if "Compressed" in flags:
                        rep.skip("compressed")
                        continue
                    if "Encrypted" in flags or "Encrypted" in si:
                        rep.skip("encrypted")
                        continue
                    rep.bad("%s: ntfs-cat says unsupported but istat shows "
                            "$DATA (128-%d) flags %s: %s"
                            % (what, aid, sorted(flags) or "none",
                               o.describe()))
                    continue
                rep.bad("%s: ntfs-cat %s (reference read %d bytes)"
                        % (what, o.describe(), ref.size))
                continue
            if (o.sha, o.size) == (ref.sha, ref.size):
                if kind == "file":
                    rep.files += 1
                else:
                    rep.streams += 1
                continue
            if not eager_icat and self.tsk_ok:
                ic = get(("icat", rec, aid), run, icat_cmd, REF_TIMEOUT)
                if ic.rc == 0 and (ic.sha, ic.size) == (o.sha, o.size):
                    rep.skip("references disagree")
                    rep.note("%s: ntfscat %d bytes, icat and ntfs-cat %d "
                             "bytes (same content)" % (what, ref.size,
                                                       o.size))
                    continue
            rep.bad("%s: content differs: ntfs-cat %d bytes sha256 %s, "
                    "reference %d bytes sha256 %s"
                    % (what, o.size, o.sha[:16], ref.size, ref.sha[:16]))

    def sample(self, items, children, rep):
        rnd = random.Random(SEED)
        small, big_dir, large = [], [], []
        for it in items:
            kind, rec, p, name, aid, size = it
            parent = p.rsplit("/", 1)[0] or "/"
            if size >= QUICK_SIZE_LIMIT:
                large.append(it)
            elif kind == "file" and children.get(parent, 0) >= \
                    QUICK_DIR_LIMIT:
                big_dir.append(it)
            else:
                small.append(it)
        pick_big = rnd.sample(big_dir, min(len(big_dir),
                                           QUICK_BIG_DIR_SAMPLE))
        large = [it for it in large if it[5] <= QUICK_LARGE_MAX]
        pick_large = rnd.sample(large, min(len(large), QUICK_LARGE_SAMPLE))
        n_skip = len(items) - len(small) - len(pick_big) - len(pick_large)
        if n_skip:
            rep.skip("not sampled (--quick)", n_skip)
        chosen = set(map(id, small + pick_big + pick_large))
        return [it for it in items if id(it) in chosen]


# --------------------------------------------------------------------------


def print_report(rep, elapsed):
    im = rep.im
    where = im.source + (" @%d" % im.offset if im.offset else "")
    log("== %s (%s)" % (im.name, where))
    log("   entries compared: %d (disputed between references: %d)"
        % (rep.entries, rep.disputed))
    log("   files compared byte-for-byte: %d; named streams compared: %d"
        % (rep.files, rep.streams))
    if rep.skips:
        log("   skipped: " + ", ".join("%s=%d" % kv
                                       for kv in sorted(rep.skips.items())))
    for n in rep.notes[:MAX_SHOWN]:
        log("   reference note: " + n)
    if len(rep.notes) > MAX_SHOWN:
        log("   ... %d more reference notes" % (len(rep.notes) - MAX_SHOWN))
    log("   mismatches: %d" % len(rep.mismatches))
    for m in rep.mismatches[:MAX_SHOWN]:
        log("     - " + m)
    if len(rep.mismatches) > MAX_SHOWN:
        log("     ... %d more" % (len(rep.mismatches) - MAX_SHOWN))
    log("   %s (%.1f s)" % ("PASS" if not rep.mismatches else "FAIL",
                            elapsed))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True, help="folder with ntfs-ls etc.")
    ap.add_argument("--images", required=True, help="folder of *.img.xz")
    ap.add_argument("--shared", default=None,
                    help="shared real-world image folder (optional)")
    ap.add_argument("--work", required=True, help="scratch/cache folder")
    ap.add_argument("--quick", action="store_true",
                    help="sample file contents instead of checking all")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=60.0,
                    help="seconds per invocation of our tools")
    ap.add_argument("--only", default=None,
                    help="test only images whose name contains this")
    args = ap.parse_args(argv)

    missing = [t for t in REF_TOOLS if shutil.which(t) is None]
    if missing:
        log("ERROR: reference tool(s) not found: %s. Install the Debian "
            "packages ntfs-3g and sleuthkit; this test cannot pass without "
            "its references." % ", ".join(missing))
        log("0 passed, 1 failed")
        return 1
    missing = [t for t in OUR_TOOLS
               if not os.access(os.path.join(args.bin, t), os.X_OK)]
    if missing:
        log("ERROR: our tool(s) not found in %s: %s"
            % (args.bin, ", ".join(missing)))
        log("0 passed, 1 failed")
        return 1

    os.makedirs(args.work, exist_ok=True)
    t0 = time.monotonic()
    images = prepare_own(args.images, args.work)
    images += prepare_shared(args.shared, args.work)
    if args.only:
        images = [im for im in images if args.only in im.name]
    if not images:
        log("ERROR: no images to test (looked in %s and %s)"
            % (args.images, args.shared))
        log("0 passed, 1 failed")
        return 1
    log("difftest: %d image(s), %s mode, %d job(s); preparation %.1f s"
        % (len(images), "quick" if args.quick else "full", args.jobs,
           time.monotonic() - t0))

    tester = Tester(args)
    passed = failed = 0
    try:
        for im in images:
            t1 = time.monotonic()
            try:
                rep = tester.test_image(im)
            except ValueError as e:      # unparseable reference output
                rep = Report(im)
                rep.bad("cannot parse reference output: %s" % e)
            print_report(rep, time.monotonic() - t1)
            if rep.mismatches:
                failed += 1
            else:
                passed += 1
    finally:
        tester.pool.shutdown(wait=True, cancel_futures=True)
    log("total time %.1f s" % (time.monotonic() - t0))
    log("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
