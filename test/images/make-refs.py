#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""make-refs.py -- record what the reference readers say about each image.

Usage:
    test/images/make-refs.py [--images DIR] [--out DIR] [--jobs N] [NAME...]
    test/images/make-refs.py --check [--images DIR] [--jobs N]

For every committed image DIR/NAME.img.xz (default: this script's folder)
that has no NAME.json manifest (ntfs-names: its names hold newlines, which
no line of these tools can), this decompresses the image into a temporary
folder, runs the reference readers on it and writes OUT/NAME.ref (default
OUT = DIR): what the cmocka unit tests expect, so that they need no
external program at test time.  NAME arguments restrict the run to those
images.  The format is described in README.md ("Reference files").

--check makes them afresh (in a temporary folder) and compares them with
the committed ones instead of writing: exit 1 if any differs, is missing
or has no image (ctest runs this as the test "refs").

Python 3 standard library only (and test/ntfsref, whose parsers of
ntfsinfo's and fsstat's output difftest uses too).  Needs ntfsinfo,
ntfsls, ntfscat (Debian: ntfs-3g) and fsstat, istat, ifind (Debian:
sleuthkit).  Every tool output is parsed here, once; anything unexpected
(a tool failing, a line that does not parse, a name holding a tab or a
newline) stops the script with an error rather than writing a doubtful
file.  The output depends only on the images and the tools' versions: two
runs give identical files.
"""
import argparse
import concurrent.futures
import difflib
import lzma
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from ntfsref import parse  # test/ntfsref: parsers shared with difftest

ENV = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
TOOLS = ["ntfsinfo", "ntfsls", "ntfscat", "fsstat", "istat", "ifind"]
SPDX = "# SPDX-License-Identifier: BSD-2-Clause"


class RefError(Exception):
    pass


def run(cmd, must=True):
    """(exit status, stdout bytes) of cmd; stderr is discarded."""
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, env=ENV, check=False)
    if must and p.returncode != 0:
        raise RefError("%s: exit status %d" % (" ".join(cmd), p.returncode))
    return p.returncode, p.stdout


def text(cmd, must=True):
    rc, out = run(cmd, must)
    try:
        return rc, out.decode("utf-8")
    except UnicodeDecodeError as e:
        raise RefError("%s: output is not UTF-8: %s" % (" ".join(cmd), e))


def line(*fields):
    """One line of a .ref file: the fields, tab-separated. A field that
    holds a tab or a line break would break the format: an error."""
    fields = [str(f) for f in fields]
    for f in fields:
        if any(c in f for c in "\t\n\r"):
            raise RefError("%r holds a tab or a line break, which a .ref "
                           "line cannot" % f)
    return "\t".join(fields)


# --------------------------------------------------------------- volume --

def volume(img):
    """(ntfsinfo -m's facts, fsstat's or None if The Sleuth Kit cannot
    open the image: TSK 4.11 refuses 2 MiB clusters)."""
    info = parse.ntfsinfo_volume(text(["ntfsinfo", "-m", img])[1])
    info["flags"] = "0x%04x" % info["flags"]
    rc, out = text(["fsstat", img], must=False)
    if rc != 0:
        return info, None
    fs = parse.fsstat_volume(out)
    fs["serial"] = "0x%016x" % fs["serial"]
    return info, fs


def upcase_runs(img):
    """ntfscat $UpCase -> [(first, count, delta)] for the units that do
    not map to themselves."""
    up = parse.upcase_table(run(["ntfscat", img, "$UpCase"])[1])
    runs, i = [], 0
    while i < 65536:
        delta, j = up[i] - i, i
        while j < 65536 and up[j] - j == delta:
            j += 1
        if delta:
            runs.append((i, j - i, delta))
        i = j
    return runs


# ---------------------------------------------------------- directories --

NTFSLS_ENTRY = re.compile(r"^ *(\d+) (.*)$")


def directories(img):
    """ntfsls -a -s -R -i -> [(record, path, [(record, name)])] in the
    order printed; "." gives the directory's record, "." and ".." are not
    entries."""
    out = text(["ntfsls", "-a", "-s", "-R", "-i", img])[1]
    dirs, cur = [], None
    for ln in out.split("\n"):
        if not ln:
            continue
        if ln.startswith("/") and ln.endswith(":"):
            cur = [None, ln[:-1], []]
            dirs.append(cur)
            continue
        m = NTFSLS_ENTRY.match(ln)
        if not m or cur is None:
            raise RefError("ntfsls -R: cannot parse %r" % ln)
        rec, name = int(m.group(1)), m.group(2)
        if name == ".":
            cur[0] = rec
        elif name != "..":
            cur[2].append((rec, name))
    for d in dirs:
        if d[0] is None:
            raise RefError("ntfsls -R: no '.' entry in %s" % d[1])
    return dirs


def dos_root(img):
    """ntfsls -x -p /: the root's entries under their DOS names where they
    have one."""
    out = text(["ntfsls", "-a", "-s", "-x", "-i", "-p", "/", img])[1]
    ents = set()
    for ln in out.split("\n"):
        if ln:
            m = NTFSLS_ENTRY.match(ln)
            if not m:
                raise RefError("ntfsls -x: cannot parse %r" % ln)
            if m.group(2) not in (".", ".."):
                ents.add((int(m.group(1)), m.group(2)))
    return ents


# -------------------------------------------------------------- records --

def ntfsinfo_record(img, rec):
    """ntfsinfo -v -i REC -> (attributes, file names): see
    ntfsref.parse.ntfsinfo_attributes()."""
    try:
        return parse.ntfsinfo_attributes(
            text(["ntfsinfo", "-v", "-i", str(rec), img])[1])
    except ValueError as e:
        raise RefError("record %d: %s" % (rec, e))


ISTAT_ATTR = re.compile(
    r"^Type: \S+ \((\d+)-(\d+)\)\s+Name: (.*?)\s+(?:Non-)?Resident")


def istat_record(img, rec):
    """istat REC -> (attributes [(type, id, name)] as listed, one line per
    extent; names of its $FILE_NAME attributes), or None if istat fails
    (TSK 4.11 rejects a sparse run longer than the volume)."""
    rc, out = text(["istat", img, str(rec)], must=False)
    if rc != 0:
        return None
    attrs, names, in_fn = [], [], False
    for ln in out.split("\n"):
        if ln == "$FILE_NAME Attribute Values:":
            in_fn = True
        elif in_fn and ln.startswith("Name: "):
            names.append(ln[6:])
            in_fn = False
        m = ISTAT_ATTR.match(ln)
        if m:
            name = m.group(3)
            attrs.append((int(m.group(1)), int(m.group(2)),
                          "" if name == "N/A" else name))
    if not attrs:
        raise RefError("istat %d: no attribute list" % rec)
    return attrs, names


def ifind(img, path):
    """ifind -n PATH -> its record, or "-" when it finds none."""
    out = text(["ifind", "-n", path, img])[1].strip()
    if out == "File not found":
        return "-"
    if not re.fullmatch(r"\d+", out):
        raise RefError("ifind -n %s: cannot parse %r" % (path, out))
    return int(out)


def manifest(path):
    """NAME.manifest -> [(kind, record, path)]."""
    out = []
    with open(path, encoding="utf-8") as f:
        for ln in f:
            if ln.startswith("#"):
                continue
            parts = ln.rstrip("\n").split("\t")
            if len(parts) != 6:
                raise RefError("%s: bad line %r" % (path, ln))
            out.append((parts[0], int(parts[1]), parts[5]))
    return out


# ----------------------------------------------------------------- image --

def make_ref(images, name, work, pool):
    src = os.path.join(images, name + ".img.xz")
    img = os.path.join(work, name + ".img")
    with lzma.open(src, "rb") as f, open(img, "wb") as o:
        shutil.copyfileobj(f, o, 1 << 20)

    out = [SPDX,
           "# What ntfs-3g and The Sleuth Kit say about %s.img.xz." % name,
           "# Written by make-refs.py; the format is in README.md.",
           line("image", name)]
    info, fs = volume(img)
    out.append(line("tsk", "yes" if fs is not None else "no"))
    out += [line("volume", "ntfsinfo", k, v) for k, v in info.items()]
    out += [line("volume", "fsstat", k, v) for k, v in (fs or {}).items()]
    out += [line("upcase", *r) for r in upcase_runs(img)]

    dirs = directories(img)
    for rec, path, ents in dirs:
        out.append(line("dir", rec, path))
        out += [line("entry", r, n) for r, n in ents]
    root = [d for d in dirs if d[1] == "/"]
    if not root:
        raise RefError("ntfsls -R listed no root")
    for rec, n in sorted(dos_root(img) - set(root[0][2])):
        out.append(line("dos", rec, n))

    mf = manifest(os.path.join(images, name + ".manifest"))
    recs = {0} | {d[0] for d in dirs} | {r for r, _ in root[0][2]}
    recs |= {r for _, r, _ in mf}
    recs = sorted(recs)
    info = {r: pool.submit(ntfsinfo_record, img, r) for r in recs}
    tsk = {r: pool.submit(istat_record, img, r) for r in recs} if fs else {}
    paths = []
    for kind, _, p in mf:
        p = "/" + (p.rsplit(":", 1)[0] if kind == "stream" else p)
        if p not in paths:
            paths.append(p)
    found = {p: pool.submit(ifind, img, p) for p in paths} if fs else {}

    for r in recs:
        out.append(line("record", r))
        attrs, fnames = info[r].result()
        for t, n, flags, res, size, alloc, init, ext, runs in attrs:
            out.append(line("attr", "0x%x" % t, n, "0x%04x" % flags,
                            "resident" if res else "nonresident", size,
                            alloc, init, ext))
            out += [line("run", vcn, "hole" if lcn is None else lcn, length)
                    for vcn, lcn, length in runs]
        out += [line("fname", *f) for f in fnames]
        if fs and tsk[r].result() is None:
            out.append(line("istat-failed"))
        elif fs:
            attrs, names = tsk[r].result()
            out += [line("istat-attr", *a) for a in attrs]
            out += [line("istat-name", n) for n in names]
    out += [line("ifind", p, found[p].result()) for p in found]
    os.unlink(img)
    return "\n".join(out) + "\n"


def image_names(images):
    names = []
    for fn in sorted(os.listdir(images)):
        if fn.endswith(".img.xz"):
            name = fn[:-len(".img.xz")]
            if not os.path.exists(os.path.join(images, name + ".json")):
                names.append(name)
    return names


def write(path, data):
    tmp = path + ".tmp%d" % os.getpid()
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write(data)
    os.replace(tmp, path)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--images", default=HERE,
                    help="folder of NAME.img.xz and NAME.manifest")
    ap.add_argument("--out", default=None,
                    help="where NAME.ref goes (default: --images)")
    ap.add_argument("--check", action="store_true",
                    help="compare with the committed .ref files instead")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("names", nargs="*", help="only these images")
    args = ap.parse_args(argv)

    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        sys.exit("make-refs.py: not found: %s (Debian: apt-get install "
                 "ntfs-3g sleuthkit)" % ", ".join(missing))
    names = image_names(args.images)
    if args.names:
        unknown = set(args.names) - set(names)
        if unknown:
            sys.exit("make-refs.py: no such image (or one with a JSON "
                     "manifest): %s" % ", ".join(sorted(unknown)))
        names = [n for n in names if n in args.names]
    if not names:
        sys.exit("make-refs.py: no images in %s" % args.images)

    bad = 0
    with tempfile.TemporaryDirectory(prefix="make-refs.") as work, \
            concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for name in names:
            try:
                data = make_ref(args.images, name, work, pool)
            except (RefError, ValueError, OSError, lzma.LZMAError) as e:
                sys.exit("make-refs.py: %s: %s" % (name, e))
            dst = os.path.join(args.out or args.images, name + ".ref")
            if not args.check:
                write(dst, data)
                print("make-refs.py: wrote %s (%d lines)"
                      % (dst, data.count("\n")))
                continue
            try:
                with open(dst, encoding="utf-8", newline="") as f:
                    old = f.read()
            except OSError as e:
                print("%s: %s" % (dst, e))
                bad += 1
                continue
            if old == data:
                print("%s: up to date (%d lines)" % (dst, data.count("\n")))
                continue
            bad += 1
            print("%s differs from what the tools say now:" % dst)
            diff = list(difflib.unified_diff(
                old.splitlines(), data.splitlines(), "committed", "tools",
                lineterm="", n=1))
            for ln in diff[:60]:
                print("  " + ln)
            if len(diff) > 60:
                print("  ... %d more diff lines" % (len(diff) - 60))
    if args.check:
        for fn in sorted(os.listdir(args.images)):
            if fn.endswith(".ref") and fn[:-4] not in image_names(args.images):
                print("%s: no image of that name" % fn)
                bad += 1
        print("%d reference file(s) checked, %d bad" % (len(names), bad))
        if bad:
            print("Regenerate with test/images/make-refs.py and review "
                  "the diff.")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
