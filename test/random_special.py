# SPDX-License-Identifier: BSD-2-Clause
"""Special files on the volumes of random_volumes.py, and their checks.

The writers are those of test/images/special.py (imported: the Interix and
reparse layouts, wimlib's compressors through ctypes, the WOF file layout);
what differs is that here names, places, targets, device numbers, sizes and
algorithms come from random.Random("special:SEED"), so a volume's special
files are reproduced by its seed, and that they are scattered over the
random tree built by random_volumes.py.

Per volume, after the random tree (random_volumes.py reserves some free
space before building it, and frees it after, so that full volumes get
special files too):

  1. a mount with -o streams_interface=windows (and compression when the
     clusters are at most 4 KiB): Interix symlinks with random targets
     (relative, absolute, with '..', non-ASCII, up to ~4000 bytes), FIFOs,
     sockets, character and block devices with random major/minor; Windows
     symlinks (relative and absolute \\??\\C:\\..., to existing files and
     directories of the tree, to missing ones, to other drives) and
     junctions (setfattr system.ntfs_reparse_data); WOF files of each of
     the four algorithms and random sizes (1, chunk-1, chunk, chunk+1,
     several chunks, chunks stored raw, empty); and on volumes that can
     compress, LZNT1 files (sizes around the compression unit, sparse ones
     written with seeks, ones grown by truncate) in a directory marked
     compressed;
  2. a mount with -o special_files=wsl: WSL symlinks, FIFOs, sockets and
     devices;
  3. a read-only mount with ntfs-3g's default options: what it shows of
     each (type letter and st_ino from lstat, readlink, st_rdev,
     system.ntfs_attrib_be).

Checks, once the volume is unmounted (see check()):
  * `ntfs-ls -l -R`: every special file's type letter is ntfs-3g's, its
    device numbers are ntfs-3g's (and those given to mknod), and its link
    target is ntfs-3g's readlink (and what was written), under the rule
    documented in test/special_files.py for Windows links: ntfs-3g maps
    \\??\\C:\\x to MOUNT/x when x exists and to MOUNT/.NTFS-3G/C:/x when
    not (other drives: MOUNT/.NTFS-3G/D:/x), where we print C:/x and D:/x;
    ntfs-3g shows a relative link whose target is missing as "unsupported
    reparse tag", where we print the stored name.  (ntfs-3g shows so too a
    relative target that ends in '..', e.g. '..' or '..\\..', and one to a
    directory from a link made as a file: neither is generated, as ntfs-3g
    is then no witness.)  WOF files, which
    ntfs-3g shows as symlinks to "unsupported reparse tag 0x80000017", must
    be listed as files marked C; LZNT1 files are marked C.
  * `ntfs-cat`: every WOF file gives the bytes that were compressed;
    every LZNT1 file gives the bytes that were written, and so does
    ntfscat.  The WofCompressedData stream that ntfscat reads from the
    image is the one built, and wimlib decompresses it to the original.
"""

import errno
import hashlib
import json
import os
import posixpath
import random
import re
import stat
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "images"))
import special as S  # noqa: E402  test/images/special.py

from ntfsref import tools  # noqa: E402

MiB = 1 << 20
MAX_PATH_BYTES = 3500
WSL_MNT_OPTS = "special_files=wsl"
UNSUPPORTED = re.compile(r"^unsupported reparse tag 0x([0-9a-f]{8})$")
LONG = re.compile(r"^(\S+) (\S+) (\S+ \S+) (\d+) (.*)$")


def sha(b):
    return hashlib.sha256(b).hexdigest()


def keys(name):
    """Forms under which two names might be the same name to a lookup that
    ignores case (wider than NTFS's $UpCase: only used to avoid doubt)."""
    return {name.casefold(), name.upper(), name.lower()}


class _State:
    def __init__(self):
        self.entries = []


def wimlib():
    """special.Wimlib, or None when libwim.so.15 cannot be loaded."""
    import ctypes
    try:
        ctypes.CDLL("libwim.so.15")
    except OSError:
        return None
    return S.Wimlib()


class Specials:
    """The special files of one volume: made, observed, checked."""

    def __init__(self, seed, cluster, make_name):
        self.seed = seed
        self.cluster = cluster
        self.make_name = make_name
        self.rng = random.Random("special:%d" % seed)
        self.st = _State()
        self.refused = {}
        self.listing = {}
        self.reserve_rel = "rv-special-reserve-%d" % seed

    @property
    def entries(self):
        return self.st.entries

    # -- space ---------------------------------------------------------------
    def reserve(self, root):
        """Before the random tree: keep some space for the special files
        (a full volume would refuse them all)."""
        st = os.statvfs(root)
        free = st.f_bavail * st.f_frsize
        want = min(max(3 * MiB, 24 * self.cluster), free // 3)
        try:
            with open(os.path.join(root, self.reserve_rel), "wb") as f:
                left = want
                while left > 0:
                    k = min(left, MiB)
                    f.write(b"\xa5" * k)
                    left -= k
        except OSError:
            pass

    def release(self, root):
        try:
            os.unlink(os.path.join(root, self.reserve_rel))
        except OSError:
            pass

    # -- helpers -------------------------------------------------------------
    def _refuse(self, what, err):
        key = "%s %s" % (what, errno.errorcode.get(err.errno, str(err.errno)))
        self.refused[key] = self.refused.get(key, 0) + 1

    def _listing_keys(self, root, d):
        if d not in self.listing:
            try:
                names = os.listdir(os.path.join(root, d) if d else root)
            except OSError:
                names = []
            ks = {}
            for n in names:
                for k in keys(n):
                    ks[k] = ks.get(k, 0) + 1
            self.listing[d] = ks
        return self.listing[d]

    def _unambiguous(self, root, rel):
        """Is every component of rel the only name of its directory under
        keys() (so that a lookup ignoring case finds just it)?"""
        if "\\" in rel:
            return False
        parts = rel.split("/") if rel else []
        d = ""
        for c in parts:
            ks = self._listing_keys(root, d)
            if any(ks.get(k, 0) > 1 for k in keys(c)):
                return False
            d = d + "/" + c if d else c
        return True

    def _new_name(self, root, d, maxlen=None):
        rng = self.rng
        base = len(os.path.join(root, d).encode("utf-8"))
        for _ in range(30):
            n = self.make_name(rng, maxlen or rng.choice([12, 40, 100, 255]))
            if base + 1 + len(n.encode("utf-8")) + 600 > MAX_PATH_BYTES:
                continue
            ks = self._listing_keys(root, d)
            if any(k in ks for k in keys(n)):
                continue
            rel = d + "/" + n if d else n
            if os.path.lexists(os.path.join(root, rel)):
                continue
            for k in keys(n):
                ks[k] = ks.get(k, 0) + 1
            return rel
        return None

    def _blob(self, tag, n, raw=False):
        """n bytes: pieces of text, executable-like code, random bytes and
        zeros (random ones only when raw)."""
        rng = self.rng
        out = bytearray()
        i = 0
        while len(out) < n:
            k = min(n - len(out), rng.choice([1, 100, 4096, 20000, 70000]))
            t = "%d:%s:%d" % (self.seed, tag, i)
            what = rng.random()
            if raw and what < 0.6 or what < 0.1:
                out += S.rnd(t, k)
            elif what < 0.5:
                out += S.pattern(t, k)
            elif what < 0.8:
                out += S.exe_like(t, k)
            else:
                out += bytes(k)
            i += 1
        return bytes(out[:n])

    # -- pass 1: default special_files, Windows streams interface -------------
    def make(self, root, dirs, files, comp_dirs, compression, wim):
        rng = self.rng
        m = S.Maker(root, self.st, "random")
        self.listing = {}
        plain = [d for d in dirs
                 if not any(d == c or d.startswith(c + "/") for c in comp_dirs)]
        # what needs clusters first (the space kept may be a cluster or two)
        if wim is not None:
            self._wof(m, root, plain, wim)
        if compression:
            self._lznt1(m, root, plain)
        self._unix(m, root, dirs, "interix", rng.randint(7, 11))
        self._windows(m, root, dirs, files)

    def make_wsl(self, root, dirs):
        m = S.Maker(root, self.st, "wsl")
        self.listing = {}
        self._unix(m, root, dirs, "wsl", self.rng.randint(6, 9))

    def _unix(self, m, root, dirs, kind, n):
        """Symlinks, FIFOs, sockets, devices: Interix files on a default
        mount, WSL ones on a special_files=wsl one."""
        rng = self.rng
        kinds = ["symlink", "fifo", "socket", "chr", "blk"]
        rng.shuffle(kinds)
        kinds += [rng.choice(["symlink"] * 6 + ["fifo", "socket", "chr", "blk"])
                  for _ in range(max(0, n - len(kinds)))]
        for sp in kinds:
            d = rng.choice(dirs)
            rel = self._new_name(root, d)
            if rel is None:
                continue
            p = m.p(rel)
            try:
                if sp == "symlink":
                    tgt = self._unix_target()
                    os.symlink(tgt, p)
                    m.add(kind, rel, special=sp, link=tgt)
                elif sp == "fifo":
                    os.mkfifo(p)
                    m.add(kind, rel, special=sp)
                elif sp == "socket":
                    # mknod, not bind(): sun_path is too short for deep paths
                    os.mknod(p, stat.S_IFSOCK | 0o644)
                    m.add(kind, rel, special=sp)
                else:
                    dev = [rng.choice([0, 1, rng.randint(0, 255), rng.randint(0, 4095), 4095]),
                           rng.choice([0, rng.randint(0, 255), rng.randint(0, 1048575), 1048575])]
                    typ = stat.S_IFCHR if sp == "chr" else stat.S_IFBLK
                    os.mknod(p, typ | 0o644, os.makedev(*dev))
                    m.add(kind, rel, special=sp, dev=dev)
            except OSError as e:
                self._refuse("%s %s" % (kind, sp), e)
                if e.errno in (errno.ENOTCONN, errno.ECONNABORTED):
                    raise

    def _unix_target(self):
        rng = self.rng
        r = rng.random()
        comps = [self.make_name(rng, rng.choice([6, 20, 60]))
                 for _ in range(rng.randint(1, 5))]
        if r < 0.2:
            comps = [".."] * rng.randint(1, 3) + comps
        elif r < 0.3:
            comps = ["."] + comps
        t = "/".join(comps)
        if rng.random() < 0.35:
            t = "/" + t
        if rng.random() < 0.1:
            t += "/"
        if rng.random() < 0.08:
            # long: up to ~4000 bytes (symlink(2) takes at most 4095)
            want = rng.randint(300, 4000)
            while len(t.encode("utf-8")) < want:
                t += "/" + self.make_name(rng, rng.choice([20, 255]))
            b = t.encode("utf-8")[:want]
            t = b.decode("utf-8", "ignore").rstrip("/") or "x"
        return t

    def _windows(self, m, root, dirs, files):
        rng = self.rng
        n_sym, n_junc = rng.randint(3, 7), rng.randint(1, 3)
        tree_dirs = [d for d in dirs if d]
        for i in range(n_sym + n_junc):
            junc = i >= n_sym
            r = rng.random()
            if junc:
                how = "abs" if r < 0.6 else "abs-missing" if r < 0.8 else "drive"
                is_dir = True
            else:
                how = ("rel" if r < 0.4 else "rel-missing" if r < 0.55 else
                       "abs" if r < 0.8 else "abs-missing" if r < 0.9 else "drive")
                is_dir = rng.random() < 0.3
            ld = rng.choice(dirs)
            if how.startswith("rel") and not self._unambiguous(root, ld):
                ld = ""
            tgt = None
            if how in ("rel", "abs"):
                pool = tree_dirs if is_dir else files
                for _ in range(12):
                    if not pool:
                        break
                    c = rng.choice(pool)
                    # (ntfs-3g cannot resolve a relative target that ends
                    # in '..': an ancestor of the link's directory)
                    if c == ld or ld.startswith(c + "/") or \
                            not self._unambiguous(root, c):
                        continue
                    try:
                        s = os.lstat(m.p(c))
                    except OSError:
                        continue
                    if stat.S_ISDIR(s.st_mode) == is_dir and (
                            is_dir or stat.S_ISREG(s.st_mode)):
                        tgt = c
                        break
                if tgt is None:
                    how += "-missing"
            if how.endswith("-missing"):
                d = rng.choice(dirs)
                if not self._unambiguous(root, d):
                    d = ""
                for _ in range(10):
                    n = self.make_name(rng, rng.choice([10, 40]))
                    if "\\" in n or any(k in self._listing_keys(root, d) for k in keys(n)):
                        continue
                    tgt = d + "/" + n if d else n
                    break
                if tgt is None:
                    continue
            if how == "drive":
                drive = rng.choice("DEFGXZ")
                tgt = "/".join(self.make_name(rng, 12).replace("\\", "_")
                               for _ in range(rng.randint(1, 3)))
                sub = "\\??\\%s:\\%s" % (drive, tgt.replace("/", "\\"))
            elif how.startswith("rel"):
                rp = posixpath.relpath(tgt, ld or ".")
                sub = rp.replace("/", "\\")
            else:
                sub = "\\??\\C:\\" + tgt.replace("/", "\\")
            prn = sub[4:] if sub.startswith("\\??\\") else sub
            if rng.random() < 0.15:
                prn = self.make_name(rng, 30)
            rel = self._new_name(root, ld)
            if rel is None:
                continue
            if junc:
                data = S.junction(sub, prn)
            else:
                data = S.win_symlink(sub, prn, 1 if how.startswith("rel") else 0,
                                     rng.random() < 0.3)
            p = m.p(rel)
            e = None
            try:
                if is_dir:
                    os.mkdir(p)
                else:
                    open(p, "wb").close()
                # the record number first: on a read-write mount ntfs-3g
                # fails lstat() of an absolute link with EIO
                e = m.add("junction" if junc else "winsymlink", rel,
                          is_dir=is_dir, how=how, substitute_name=sub,
                          print_name=prn)
                m.set_reparse(rel, data)
            except OSError as err:
                self._refuse("junction" if junc else "winsymlink", err)
                if e is not None:
                    self.entries.remove(e)
                try:
                    os.rmdir(p) if is_dir else os.unlink(p)
                except OSError:
                    pass
                if err.errno in (errno.ENOTCONN, errno.ECONNABORTED):
                    raise

    def _wof(self, m, root, plain, wim):
        rng = self.rng
        algs = [0, 1, 2, 3]
        rng.shuffle(algs)
        algs += [rng.choice(algs) for _ in range(rng.randint(0, 4))]
        for i, alg in enumerate(algs):
            csize = S.WOF_ALGS[alg][2]
            what = rng.choice(["1", "chunk-1", "chunk", "chunk+1", "chunks",
                               "chunks", "raw", "raw"] + (["empty"] if i > 4 else []))
            size = {"1": 1, "chunk-1": csize - 1, "chunk": csize,
                    "chunk+1": csize + 1, "empty": 0}.get(what)
            if size is None:
                size = csize * rng.randint(2, 4) + rng.choice([0, 1, rng.randint(1, csize - 1)])
            data = self._blob("wof%d" % i, size, raw=what == "raw")
            stream, raw, digest = S.wof_build(
                wim, alg, size, lambda j: data[j * csize:(j + 1) * csize])
            d = rng.choice(plain)
            rel = self._new_name(root, d)
            if rel is None:
                continue
            try:
                e = S.wof_file(m, rel, alg, size, digest, stream, raw)
                e["what"] = what
            except OSError as err:
                self._refuse("wof", err)
                try:
                    os.unlink(m.p(rel))
                except OSError:
                    pass
                if self.entries and self.entries[-1]["path"] == rel:
                    self.entries.pop()
                if err.errno in (errno.ENOTCONN, errno.ECONNABORTED):
                    raise

    def _lznt1(self, m, root, plain):
        rng = self.rng
        d = rng.choice(plain)
        cd = self._new_name(root, d, 40)
        if cd is None:
            return
        try:
            os.mkdir(m.p(cd))
            os.setxattr(m.p(cd), "system.ntfs_attrib_be", (0x800).to_bytes(4, "big"))
        except OSError as e:
            self._refuse("lznt1 dir", e)
            return
        unit = 16 * self.cluster
        for i in range(rng.randint(4, 7)):
            what = rng.choice(["1", "unit-1", "unit", "unit+1", "some", "sparse",
                               "sparse", "grown"])
            rel = self._new_name(root, cd)
            if rel is None:
                continue
            p = m.p(rel)
            tag = "lznt1-%d" % i
            try:
                if what in ("sparse", "grown"):
                    size = rng.randint(unit, 6 * unit)
                    if what == "grown":
                        pieces = [(0, self._blob(tag, rng.randint(1, unit)))]
                    else:
                        pieces = [(rng.randint(0, size - 1),
                                   self._blob(tag + "-%d" % k, rng.randint(1, unit)))
                                  for k in range(rng.randint(1, 4))]
                    buf = bytearray(size)
                    with open(p, "wb") as f:
                        for off, b in pieces:
                            f.seek(off)
                            f.write(b)
                            buf[off:off + len(b)] = b
                        size = max(size, len(buf))
                        f.truncate(size)
                    data = bytes(buf[:size]) + bytes(max(0, size - len(buf)))
                    e = m.add("lznt1", rel, size=len(data), sha256=sha(data))
                else:
                    size = {"1": 1, "unit-1": unit - 1, "unit": unit,
                            "unit+1": unit + 1}.get(what) or rng.randint(2, 4 * unit)
                    e = m.file(rel, self._blob(tag, size, raw=rng.random() < 0.2),
                               kind="lznt1")
                e["what"] = what
            except OSError as err:
                self._refuse("lznt1", err)
                try:
                    os.unlink(p)
                except OSError:
                    pass
                if err.errno in (errno.ENOTCONN, errno.ECONNABORTED):
                    raise

    # -- pass 3: what ntfs-3g shows ------------------------------------------
    def observe(self, root):
        for e in self.entries:
            p = os.path.join(root, e["path"])
            v = e["ntfs3g"] = {}
            try:
                s = os.lstat(p)
            except OSError as err:
                v["error"] = os.strerror(err.errno)
                continue
            v["ino"] = s.st_ino
            v["ls"] = stat.filemode(s.st_mode)[0]
            if stat.S_ISLNK(s.st_mode):
                t = os.readlink(p)
                if t == root or t.startswith(root + "/"):
                    t = "$MNT" + t[len(root):]
                v["target"] = t
            if stat.S_ISCHR(s.st_mode) or stat.S_ISBLK(s.st_mode):
                v["rdev"] = [os.major(s.st_rdev), os.minor(s.st_rdev)]
            try:
                v["attrib"] = int.from_bytes(os.getxattr(
                    p, "system.ntfs_attrib_be", follow_symlinks=False), "big")
            except OSError:
                pass

    def summary(self):
        c = {}
        for e in self.entries:
            k = e["kind"]
            if k in ("interix", "wsl"):
                k += " " + e["special"]
            elif k == "wof":
                k = "wof " + S.WOF_ALGS[e["wof"]["algorithm"]][0]
            elif k in ("winsymlink", "junction"):
                k += " " + e["how"]
            c[k] = c.get(k, 0) + 1
        raw = sum(len(e["wof"]["raw_chunks"]) for e in self.entries if e["kind"] == "wof")
        s = ", ".join("%s=%d" % kv for kv in sorted(c.items()))
        s += "; WOF chunks stored raw: %d" % raw
        if self.refused:
            s += "; refused by ntfs-3g: " + ", ".join(
                "%s=%d" % kv for kv in sorted(self.refused.items()))
        return s

    def data_elsewhere(self):
        """Records whose unnamed $DATA check() reads against the original:
        ntfscat and icat read a WOF file's sparse $DATA (zeros)."""
        return {e["inode"]: "WOF (read against the original data by "
                "random_special)" for e in self.entries if e["kind"] == "wof"}

    def save(self, path):
        with open(path, "w", encoding="utf-8") as f:
            json.dump({"seed": self.seed, "cluster": self.cluster,
                       "entries": self.entries}, f, indent=1)


def load(path):
    with open(path, encoding="utf-8") as f:
        j = json.load(f)
    s = Specials(j["seed"], j["cluster"], None)
    s.st.entries = j["entries"]
    return s


# ------------------------------------------------------------------ checks --


def windows_target(sub):
    """A Windows link's target by our rule (test/special_files.py)."""
    if sub.startswith("\\??\\UNC\\"):
        sub = "//" + sub[8:]
    elif sub.startswith("\\??\\"):
        sub = sub[4:]
    return sub.replace("\\", "/")


def expected(e):
    """(type letter, target or None, rdev or None, problems) that
    `ntfs-ls -l` must show, from ntfs-3g's view and what was written."""
    v = e["ntfs3g"]
    bad = []
    if "error" in v:
        return None, None, None, ["ntfs-3g: lstat: %s" % v["error"]]
    if v["ino"] != e["inode"]:
        bad.append("ntfs-3g: st_ino %d, was %d when made" % (v["ino"], e["inode"]))
    k = e["kind"]
    if k in ("interix", "wsl"):
        want = {"symlink": "l", "fifo": "p", "socket": "s", "chr": "c", "blk": "b"}[e["special"]]
        if v["ls"] != want:
            bad.append("ntfs-3g shows type %r for a %s %s" % (v["ls"], k, e["special"]))
        if e["special"] == "symlink" and v.get("target") != e["link"]:
            bad.append("ntfs-3g readlink %r, written %r" % (v.get("target"), e["link"]))
        if "dev" in e and v.get("rdev") != e["dev"]:
            bad.append("ntfs-3g rdev %s, mknod %s" % (v.get("rdev"), e["dev"]))
        return v["ls"], v.get("target"), v.get("rdev"), bad
    if k in ("winsymlink", "junction"):
        want = windows_target(e["substitute_name"])
        t = v.get("target")
        if v["ls"] != "l" or t is None:
            bad.append("ntfs-3g shows type %r" % v["ls"])
            return "l", want, None, bad
        m = UNSUPPORTED.match(t)
        if t.startswith("$MNT/.NTFS-3G/"):
            seen = t[len("$MNT/.NTFS-3G/"):]
            ok = seen.rstrip("/") == want.rstrip("/") and e["how"] in ("abs-missing", "drive")
        elif t == "$MNT" or t.startswith("$MNT/"):
            seen = "C:/" + t[len("$MNT/"):]
            ok = seen == want and e["how"] == "abs"
        elif m:
            seen = None
            ok = e["how"] == "rel-missing" and int(m.group(1), 16) == (
                0xA0000003 if k == "junction" else 0xA000000C)
        else:
            seen = t
            ok = seen == want and e["how"] == "rel"
        if not ok:
            bad.append("ntfs-3g readlink %r does not follow from the %s substitute "
                       "name %r (by our rule: %r)" % (t, e["how"], e["substitute_name"], want))
        return "l", want, None, bad
    if k == "wof":
        if v["ls"] != "l" or v.get("target") != "unsupported reparse tag 0x80000017":
            bad.append("ntfs-3g shows %r -> %r, not the documented symlink to "
                       "'unsupported reparse tag 0x80000017'" % (v["ls"], v.get("target")))
        return "-", None, None, bad
    if k == "lznt1":
        if v["ls"] != "-" or not v.get("attrib", 0) & 0x800:
            bad.append("ntfs-3g shows type %r, attributes 0x%x" % (v["ls"], v.get("attrib", 0)))
        return "-", None, None, bad
    return v["ls"], v.get("target"), v.get("rdev"), bad


def ls_lines(out):
    """`ntfs-ls -l -R` -> {text after the record: (type, size, record)}"""
    lines = {}
    for line in out.split("\n"):
        m = LONG.match(line)
        if m:
            lines[m.group(5)] = (m.group(1), m.group(2), int(m.group(4)))
    return lines


def find_line(lines, path, ino):
    """The line of path: 'PATH' or 'PATH -> TARGET' (a name may hold ' -> '
    itself: the record decides)."""
    head = "/" + path
    for text, f in lines.items():
        if f[2] == ino and (text == head or text.startswith(head + " -> ")):
            return f, (text[len(head) + 4:] if text != head else None)
    return None, None


def check(spec, bin_dir, img, bad, timeout=60):
    """Our tools against ntfs-3g's view and the bytes written; bad(msg) for
    each mismatch. Returns the counts checked."""
    from ntfsref.parse import our_name
    wim = None
    n = {"listed": 0, "links": 0, "devices": 0, "wof": 0, "lznt1": 0}
    r = tools.run([os.path.join(bin_dir, "ntfs-ls"), "-l", "-R", img, "/"],
                  timeout, keep=True)
    if r.rc != 0:
        bad("special: ntfs-ls -l -R: " + r.describe())
        return n
    lines = ls_lines(r.out.decode("utf-8", "surrogateescape"))
    for e in spec.entries:
        what = "special %s %s" % (e["kind"], e["path"])
        letter, target, rdev, problems = expected(e)
        for p in problems:
            bad("%s: %s" % (what, p))
        if letter is None:
            continue
        f, got_t = find_line(lines, e["path"], e["inode"])
        if f is None:
            bad("%s: record %d not listed by ntfs-ls -l -R" % (what, e["inode"]))
            continue
        n["listed"] += 1
        typ, size, _ = f
        if got_t is not None and got_t[:1] in ("'", '"'):
            got_t = our_name(got_t)
        if typ[0] != letter:
            bad("%s: ntfs-ls type %r, ntfs-3g %r (want %r)"
                % (what, typ, e["ntfs3g"]["ls"], letter))
        if got_t != target:
            bad("%s: ntfs-ls target %r, want %r (ntfs-3g readlink %r)"
                % (what, got_t, target, e["ntfs3g"].get("target")))
        elif target is not None:
            n["links"] += 1
        if rdev is not None:
            if size != "%d,%d" % tuple(rdev):
                bad("%s: ntfs-ls device %s, ntfs-3g %d,%d" % (what, size, *rdev))
            else:
                n["devices"] += 1
        if e["kind"] in ("wof", "lznt1"):
            if "C" not in typ[1:]:
                bad("%s: ntfs-ls type %r lacks C" % (what, typ))
            if size != str(e["size"]):
                bad("%s: ntfs-ls size %s, written %d" % (what, size, e["size"]))
            o = tools.run([os.path.join(bin_dir, "ntfs-cat"), img, "/" + e["path"]], timeout)
            if o.rc != 0 or (o.size, o.sha) != (e["size"], e["sha256"]):
                bad("%s: ntfs-cat %s, %d bytes sha256 %s; written %d bytes sha256 %s"
                    % (what, o.describe(), o.size, (o.sha or "")[:16], e["size"],
                       e["sha256"][:16]))
                continue
            if e["kind"] == "lznt1":
                ref = tools.run(["ntfscat", "-r", "-i", str(e["inode"]), img], timeout)
                if ref.rc != 0 or (ref.size, ref.sha) != (o.size, o.sha):
                    bad("%s: ntfscat %s, %d bytes sha256 %s; ntfs-cat and written: "
                        "%d bytes sha256 %s" % (what, ref.describe(), ref.size,
                                                (ref.sha or "")[:16], o.size, o.sha[:16]))
                    continue
            else:
                w = e["wof"]
                ref = tools.run(["ntfscat", "-r", "-i", str(e["inode"]), "-n",
                                 "WofCompressedData", img], timeout, keep=True)
                if ref.rc != 0 or ref.sha != w["stream_sha256"]:
                    bad("%s: ntfscat of WofCompressedData: %s, sha256 %s; built %s"
                        % (what, ref.describe(), (ref.sha or "")[:16],
                           w["stream_sha256"][:16]))
                    continue
                wim = wim or wimlib()
                if wim is not None:
                    h = hashlib.sha256()
                    for c in S.wof_decode(wim, w["algorithm"], e["size"], ref.out):
                        h.update(c)
                    if h.hexdigest() != e["sha256"]:
                        bad("%s: wimlib decompresses the stream on disk to sha256 %s, "
                            "not the original's %s" % (what, h.hexdigest()[:16],
                                                       e["sha256"][:16]))
                        continue
            n[e["kind"]] += 1
    return n
