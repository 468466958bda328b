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

--check writes the files into a temporary folder instead and compares
them with the committed ones: exit 1 if any differs, is missing or has no
image (ctest runs this as the test "refs").

Python 3 standard library only.  Needs ntfsinfo, ntfsls, ntfscat
(Debian: ntfs-3g) and fsstat, istat, ifind (Debian: sleuthkit).  Every
tool output is parsed here, once; anything unexpected (a tool failing, a
line that does not parse, a name holding a tab or a newline) stops the
script with an error rather than writing a doubtful file.  The output
depends only on the images and the tools' versions: two runs give
identical files.
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


def field(s, what):
    """s as one field of a line: no tab, newline or carriage return."""
    if any(c in s for c in "\t\n\r"):
        raise RefError("%s %r holds a tab or a line break, which the .ref "
                       "format cannot" % (what, s))
    return s


def line(*fields):
    return "\t".join(str(f) for f in fields)


# --------------------------------------------------------------- volume --

def kv_lines(out):
    """'Key: value' lines (leading blanks dropped) -> {key: value}; the
    first occurrence of a key wins."""
    d = {}
    for ln in out.split("\n"):
        k, sep, v = ln.strip(" \t").partition(":")
        if sep and k not in d:
            d[k] = v.strip(" \t\r")
    return d


def num(d, key, tool, base=10):
    if key not in d:
        raise RefError("%s printed no '%s:' line" % (tool, key))
    m = re.match(r"(0x)?[0-9A-Fa-f]+", d[key])
    if not m:
        raise RefError("%s: cannot parse '%s: %s'" % (tool, key, d[key]))
    return int(m.group(0), base)


def volume_ntfsinfo(img):
    """ntfsinfo -m: the volume facts the unit tests compare."""
    d = kv_lines(text(["ntfsinfo", "-m", img])[1])
    if "Volume Name" not in d:
        raise RefError("ntfsinfo -m printed no 'Volume Name:' line")
    m = re.fullmatch(r"(\d+)\.(\d+)", d.get("Volume Version", ""))
    if not m:
        raise RefError("ntfsinfo -m: cannot parse the volume version")
    return [
        ("label", field(d["Volume Name"], "label")),
        ("major", int(m.group(1))),
        ("minor", int(m.group(2))),
        ("flags", "0x%04x" % num(d, "Volume Flags", "ntfsinfo", 16)),
        ("sector_size", num(d, "Sector Size", "ntfsinfo")),
        ("cluster_size", num(d, "Cluster Size", "ntfsinfo")),
        ("record_size", num(d, "MFT Record Size", "ntfsinfo")),
        ("index_block_size", num(d, "Index Block Size", "ntfsinfo")),
        ("total_clusters", num(d, "Volume Size in Clusters", "ntfsinfo")),
        ("mft_lcn", num(d, "LCN of Data Attribute for FILE_MFT", "ntfsinfo")),
        ("mftmirr_lcn",
         num(d, "LCN of Data Attribute for File_MFTMirr", "ntfsinfo")),
        ("free_clusters", num(d, "Free Clusters", "ntfsinfo")),
    ]


def volume_fsstat(img):
    """fsstat's facts, or None if The Sleuth Kit cannot open the image
    (TSK 4.11 refuses 2 MiB clusters)."""
    rc, out = text(["fsstat", img], must=False)
    if rc != 0:
        return None
    d = kv_lines(out)
    m = re.fullmatch(r"(\d+) - (\d+)", d.get("Total Cluster Range", ""))
    if not m or m.group(1) != "0":
        raise RefError("fsstat printed no 'Total Cluster Range: 0 - N' line")
    return [
        # fsstat leaves the line out when there is no label.
        ("label", field(d.get("Volume Name", ""), "label")),
        ("serial", "0x%016x" % num(d, "Volume Serial Number", "fsstat", 16)),
        ("sector_size", num(d, "Sector Size", "fsstat")),
        ("cluster_size", num(d, "Cluster Size", "fsstat")),
        ("record_size", num(d, "Size of MFT Entries", "fsstat")),
        ("index_block_size", num(d, "Size of Index Records", "fsstat")),
        ("total_clusters", int(m.group(2)) + 1),
        ("mft_lcn", num(d, "First Cluster of MFT", "fsstat")),
        ("mftmirr_lcn", num(d, "First Cluster of MFT Mirror", "fsstat")),
    ]


def upcase_runs(img):
    """ntfscat $UpCase -> [(first, count, delta)] for the units that do
    not map to themselves."""
    raw = run(["ntfscat", img, "$UpCase"])[1]
    if len(raw) != 131072:
        raise RefError("ntfscat $UpCase gave %d bytes, want 131072" % len(raw))
    up = [raw[2 * i] | raw[2 * i + 1] << 8 for i in range(65536)]
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
            cur = [None, field(ln[:-1], "directory"), []]
            dirs.append(cur)
            continue
        m = NTFSLS_ENTRY.match(ln)
        if not m or cur is None:
            raise RefError("ntfsls -R: cannot parse %r" % ln)
        rec, name = int(m.group(1)), m.group(2)
        if name == ".":
            cur[0] = rec
        elif name != "..":
            cur[2].append((rec, field(name, "name")))
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

def key_value(ln, key):
    """ntfsinfo's "\\tKey:\\t value" (or "Key\\t value": "Lowest VCN" has no
    colon) -> value, else None."""
    s = ln.lstrip("\t ")
    if not s.startswith(key):
        return None
    s = s[len(key):]
    if s.startswith(":"):
        s = s[1:]
    elif not s.startswith("\t"):
        return None
    return s.lstrip("\t ")


RUN = re.compile(r"^\t\t\s*0x([0-9a-fA-F]+)\s+(\S+)\s+0x([0-9a-fA-F]+)")


def ntfsinfo_record(img, rec):
    """ntfsinfo -v -i REC -> (attributes, file names).

    attributes: one per (type, name), in the order first dumped, its
    extents merged: [type, name, flags, resident, size, alloc, init,
    extents, runs]; the sizes, flags and residency come from the extent at
    VCN 0, the runs [(vcn, lcn or None for a hole, length)] from every
    extent in the order dumped (runs another extent maps, <RL_NOT_MAPPED>,
    left out).  file names: [(parent, namespace, name)] of each
    $FILE_NAME."""
    out = text(["ntfsinfo", "-v", "-i", str(rec), img])[1]
    attrs, order, fnames = {}, [], []
    d = None

    def close(d):
        if d is None:
            return
        key = (d["type"], d["name"])
        if key not in attrs:
            attrs[key] = [d["type"], d["name"], 0, False, 0, 0, 0, 0, []]
            order.append(key)
        a = attrs[key]
        if d["lowest"] == 0:
            a[2:7] = [d["flags"], d["resident"], d["size"], d["alloc"],
                      d["init"]]
        a[7] += 1
        a[8] += d["runs"]
        if d["type"] == 0x30:
            if d["fn"].keys() != {"parent", "ns", "name"}:
                raise RefError("ntfsinfo -v -i %d: a $FILE_NAME without "
                               "parent, namespace or name" % rec)
            fnames.append((d["fn"]["parent"], d["fn"]["ns"],
                           d["fn"]["name"]))

    for ln in out.split("\n") + [None]:
        if (ln is None or ln.startswith("Dumping attribute ")
                or ln.startswith("End of inode")):
            close(d)
            d = None
            if ln is None:
                break
            m = re.search(r"\(0x([0-9a-fA-F]+)\)", ln)
            if ln.startswith("Dumping attribute ") and m:
                d = {"type": int(m.group(1), 16), "name": "", "flags": 0,
                     "resident": False, "size": 0, "alloc": 0, "init": 0,
                     "lowest": 0, "runs": [], "in_runs": False, "fn": {}}
            continue
        if d is None:
            continue
        if d["in_runs"]:
            m = RUN.match(ln)
            if m:
                lcn = m.group(2)
                if lcn == "<HOLE>":
                    d["runs"].append((int(m.group(1), 16), None,
                                      int(m.group(3), 16)))
                elif lcn.startswith("0x"):
                    d["runs"].append((int(m.group(1), 16), int(lcn, 16),
                                      int(m.group(3), 16)))
                continue
        d["in_runs"] = False
        if ln.startswith("\t\t"):
            continue        # nested dumps: index entries, attribute list
        v = key_value(ln, "Attribute name")
        if v is not None:
            if len(v) < 2 or v[0] != "'" or v[-1] != "'":
                raise RefError("ntfsinfo -v -i %d: cannot parse %r"
                               % (rec, ln))
            d["name"] = field(v[1:-1], "attribute name")
        elif (v := key_value(ln, "Attribute flags")) is not None:
            d["flags"] = int(v, 16)
        elif (v := key_value(ln, "Resident")) is not None:
            d["resident"] = v.startswith("Yes")
        elif (v := key_value(ln, "Lowest VCN")) is not None:
            d["lowest"] = int(v.split()[0])
        elif (v := key_value(ln, "Data size")) is not None:
            d["size"] = int(v.split()[0])
            if d["resident"]:
                d["alloc"] = d["init"] = d["size"]
        elif (v := key_value(ln, "Allocated size")) is not None:
            d["alloc"] = int(v.split()[0])
        elif (v := key_value(ln, "Initialized size")) is not None:
            d["init"] = int(v.split()[0])
        elif key_value(ln, "Runlist") is not None:
            d["in_runs"] = True
        elif d["type"] == 0x30:
            if (v := key_value(ln, "Parent directory")) is not None:
                d["fn"]["parent"] = int(v.split()[0])
            elif (v := key_value(ln, "Namespace")) is not None:
                d["fn"]["ns"] = field(v, "namespace")
            elif (v := key_value(ln, "Filename")) is not None:
                if len(v) < 2 or v[0] != "'" or v[-1] != "'":
                    raise RefError("ntfsinfo -v -i %d: cannot parse %r"
                                   % (rec, ln))
                d["fn"]["name"] = field(v[1:-1], "file name")
    return [attrs[k] for k in order], fnames


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
            names.append(field(ln[6:], "file name"))
            in_fn = False
        m = ISTAT_ATTR.match(ln)
        if m:
            name = m.group(3)
            attrs.append((int(m.group(1)), int(m.group(2)),
                          "" if name == "N/A" else field(name, "name")))
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
    fs = volume_fsstat(img)
    out.append(line("tsk", "yes" if fs is not None else "no"))
    out += [line("volume", "ntfsinfo", k, v) for k, v in volume_ntfsinfo(img)]
    out += [line("volume", "fsstat", k, v) for k, v in fs or []]
    out += [line("upcase", *r) for r in upcase_runs(img)]

    dirs = directories(img)
    for rec, path, ents in dirs:
        out.append(line("dir", rec, path))
        out += [line("entry", r, n) for r, n in ents]
    root = [d for d in dirs if d[1] == "/"]
    if not root:
        raise RefError("ntfsls -R listed no root")
    for rec, n in sorted(dos_root(img) - set(root[0][2])):
        out.append(line("dos", rec, field(n, "DOS name")))

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
            paths.append(field(p, "path"))
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
            except (RefError, OSError, lzma.LZMAError) as e:
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
