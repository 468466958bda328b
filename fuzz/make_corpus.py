#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Cut the seed corpora in fuzz/corpus/<harness>/ from test/images/*.img.xz.
(The xpress seeds are made with wimlib's compressor, libwim-dev.)

Usage:
    python3 fuzz/make_corpus.py                 # (re)writes fuzz/corpus/*/seed-*
    python3 fuzz/make_corpus.py --only lzx      # only the lzx seeds (made with
                                                # wimlib's compressor, no images)
    python3 fuzz/make_corpus.py --only reparse  # likewise reparse, ea or wof (cut
                                                # from ntfs-special only)
    python3 fuzz/make_corpus.py --only part     # only the mbr and gpt seeds (built
                                                # here, no images)
    python3 fuzz/make_corpus.py --shared DIR --extra OUT
        also cut seeds from DIR/records/* (e.g. ../shared/images) into OUT/<harness>/;
        those are for local campaigns only and must NOT be committed.

Only files named seed-* are rewritten; crash-* reproducers and inputs added by
hand stay. Every seed is named after its content (sha1), so runs are stable.
The input formats are described in fuzz/README.md and in each fuzz_*.c.
"""
import argparse
import hashlib
import lzma
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
IMAGES = os.path.join(HERE, "..", "test", "images")
AT_SI, AT_ALIST, AT_FN, AT_DATA = 0x10, 0x20, 0x30, 0x80
AT_IROOT, AT_IALLOC, AT_BITMAP = 0x90, 0xA0, 0xB0
AT_REPARSE, AT_EA = 0xC0, 0xE0


def le16(b, o):
    return struct.unpack_from("<H", b, o)[0]


def le32(b, o):
    return struct.unpack_from("<I", b, o)[0]


def le64(b, o):
    return struct.unpack_from("<Q", b, o)[0]


def unfix(buf):
    """Undo update sequence fixups (FILE or INDX): the clean form."""
    buf = bytearray(buf)
    usa, count = le16(buf, 4), le16(buf, 6)
    for i in range(1, count):
        if i * 512 <= len(buf):
            buf[i * 512 - 2:i * 512] = buf[usa + 2 * i:usa + 2 * i + 2]
    return buf


def decode_runs(mp, lowest):
    """Mapping pairs -> [(vcn, lcn or None, length)]."""
    runs, pos, vcn, lcn = [], 0, lowest, 0
    while pos < len(mp) and mp[pos] != 0:
        h = mp[pos]
        lb, ob = h & 15, h >> 4
        length = int.from_bytes(mp[pos + 1:pos + 1 + lb], "little")
        if ob:
            lcn += int.from_bytes(mp[pos + 1 + lb:pos + 1 + lb + ob], "little", signed=True)
            runs.append((vcn, lcn, length))
        else:
            runs.append((vcn, None, length))
        vcn += length
        pos += 1 + lb + ob
    return runs


def parse_attrs(rec):
    out, off, used = [], le16(rec, 20), le32(rec, 24)
    while off + 4 <= used and le32(rec, off) != 0xFFFFFFFF:
        ln = le32(rec, off + 4)
        if ln < 16 or off + ln > used:
            break
        h = rec[off:off + ln]
        nl, no = h[9], le16(h, 10)
        a = {"type": le32(h, 0), "name": bytes(h[no:no + 2 * nl]).decode("utf-16le", "replace"),
             "id": le16(h, 14), "resident": h[8] == 0, "off": off, "len": ln}
        if a["resident"]:
            a["value"] = bytes(h[le16(h, 20):le16(h, 20) + le32(h, 16)])
        else:
            a["lowest"], a["highest"] = le64(h, 16), le64(h, 24)
            a["mp"] = bytes(h[le16(h, 32):ln])
            a["size"] = le64(h, 48)
        out.append(a)
        off += ln
    return out


class Volume:
    def __init__(self, name):
        with lzma.open(os.path.join(IMAGES, name + ".img.xz")) as f:
            self.img = f.read()
        b = self.img
        self.name = name
        bps, spc = le16(b, 11), b[13]
        self.cluster = bps * (spc if spc <= 0x80 else 1 << (256 - spc))
        self.total_clusters = le64(b, 40) * bps // self.cluster

        def size(raw):
            v = raw - 256 if raw > 127 else raw
            return v * self.cluster if v > 0 else 1 << -v
        self.rsize, self.isize = size(b[64]), size(b[68])
        mft_off = le64(b, 48) * self.cluster
        rec0 = unfix(b[mft_off:mft_off + self.rsize])
        first = [a for a in parse_attrs(rec0) if a["type"] == AT_DATA and not a["resident"]][0]
        self.mft_runs = decode_runs(first["mp"], 0)
        # Extents of the $MFT's $DATA in extension records (ntfs-mftlist).
        self.mft_runs = self.attr_runs(0, AT_DATA, "")

    def read(self, runs, off, length):
        out = bytearray()
        while length > 0:
            vcn = off // self.cluster
            for rv, lcn, ln in runs:
                if rv <= vcn < rv + ln:
                    break
            else:
                raise ValueError("unmapped vcn %d" % vcn)
            end = (rv + ln) * self.cluster
            n = min(length, end - off)
            if lcn is None:
                out += bytes(n)
            else:
                p = lcn * self.cluster + (off - rv * self.cluster)
                out += self.img[p:p + n]
            off += n
            length -= n
        return out

    def record(self, n, clean=True):
        raw = self.read(self.mft_runs, n * self.rsize, self.rsize)
        return unfix(raw) if clean else bytearray(raw)

    def alist(self, n):
        for a in parse_attrs(self.record(n)):
            if a["type"] == AT_ALIST:
                if a["resident"]:
                    return a["value"]
                return bytes(self.read(decode_runs(a["mp"], 0), 0, a["size"]))
        return None

    def alist_entries(self, data):
        out, off = [], 0
        while off + 26 <= len(data):
            ln = le16(data, off + 4)
            if ln < 26:
                break
            out.append({"type": le32(data, off), "lowest": le64(data, off + 8),
                        "ref": le64(data, off + 16), "off": off})
            off += ln
        return out

    def attrs(self, n):
        """Every attribute record of file n, following its attribute list."""
        if n:
            base = self.record(n)
        else:  # record 0 starts the $MFT: found without it (bootstrap)
            mft_off = le64(self.img, 48) * self.cluster
            base = unfix(self.img[mft_off:mft_off + self.rsize])
        out = parse_attrs(base)
        al = [a for a in out if a["type"] == AT_ALIST]
        if not al:
            return out
        data = al[0]["value"] if al[0]["resident"] else None
        if data is None:
            return out
        recs = {n}
        for e in self.alist_entries(data):
            recs.add(e["ref"] & 0xFFFFFFFFFFFF)
        for r in sorted(recs - {n}):
            out += parse_attrs(self.record(r))
        return out

    def value(self, n, typ, name=""):
        """The value of file n's attribute (typ, name), resident or not; None if absent."""
        for a in self.attrs(n):
            if a["type"] == typ and a["name"] == name and a.get("lowest", 0) == 0:
                if a["resident"]:
                    return a["value"]
                return bytes(self.read(self.attr_runs(n, typ, name), 0, a["size"]))
        return None

    def attr_runs(self, n, typ, name):
        runs = []
        for a in self.attrs(n):
            if a["type"] == typ and a["name"] == name and not a["resident"]:
                runs += decode_runs(a["mp"], a["lowest"])
        return sorted(runs)


def manifest(name):
    out = []
    for line in open(os.path.join(IMAGES, name + ".manifest"), encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        f = line.rstrip("\n").split("\t")
        out.append((int(f[1]), f[5]))
    return out


class Corpus:
    def __init__(self, root):
        self.root = root
        self.written = {}

    def add(self, harness, data):
        d = os.path.join(self.root, harness)
        os.makedirs(d, exist_ok=True)
        name = "seed-" + hashlib.sha1(data).hexdigest()[:16]
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
        self.written.setdefault(harness, set()).add(name)

    def prune(self):
        """Remove stale seed-* files (never crash-* or hand-added files)."""
        for harness, names in self.written.items():
            d = os.path.join(self.root, harness)
            for n in os.listdir(d):
                if n.startswith("seed-") and n not in names:
                    os.remove(os.path.join(d, n))


def parent_of(vol, ino):
    for a in vol.attrs(ino):
        if a["type"] == AT_FN and a["resident"]:
            return le64(a["value"], 0) & 0xFFFFFFFFFFFF
    return None


def boot_seeds(c, vols):
    for v in vols.values():
        c.add("boot", v.img[:512])
    b = bytearray(vols["ntfs-c512"].img[:512])
    for off, val in [(13, b"\x00"), (13, b"\xf4"), (13, b"\x80"), (13, b"\x03"), (64, b"\x01"),
                     (64, b"\x7f"), (64, b"\xe1"), (68, b"\x00"), (11, b"\x00\x10"),
                     (11, b"\x00\x01"), (11, b"\x00\x20"), (40, b"\xff" * 8),
                     (48, b"\xff" * 8), (510, b"\x55\x00")]:
        m = bytearray(b)
        m[off:off + len(val)] = val
        c.add("boot", bytes(m))
    c.add("boot", bytes(512))


def record_seeds(c, vols):
    for name, nums in [("ntfs-c512", [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 64, 65, 67, 69]),
                       ("ntfs-s4k", [0, 3, 5, 10, 67, 69]),
                       ("ntfs-mftlist", [0, 15]), ("ntfs-frag", [66])]:
        v = vols[name]
        for n in nums:
            c.add("record", bytes(v.record(n)))
    # The on-disk (protected) form too, for the first pass of the harness.
    c.add("record", bytes(vols["ntfs-c512"].record(5, clean=False)))
    c.add("record", bytes(vols["ntfs-s4k"].record(5, clean=False)))


def renumber(v, base, limit=16):
    """Base record + extension records, renumbered 16, 17, ... (clean)."""
    data = v.alist(base)
    exts = []
    for e in v.alist_entries(data):
        r = e["ref"] & 0xFFFFFFFFFFFF
        if r != base and r not in exts:
            exts.append(r)
    exts = exts[:limit - 1]
    new = {base: 16}
    for i, r in enumerate(exts):
        new[r] = 17 + i
    base_rec = v.record(base)
    seq = le16(base_rec, 16)
    recs = [base_rec] + [v.record(r) for r in exts]
    for r in recs[1:]:
        struct.pack_into("<Q", r, 32, 16 | seq << 48)
    # Rewrite the list in the base record (resident lists only).
    for a in parse_attrs(base_rec):
        if a["type"] == AT_ALIST and a["resident"]:
            voff = a["off"] + le16(base_rec, a["off"] + 20)
            for e in v.alist_entries(a["value"]):
                ref = e["ref"]
                r = ref & 0xFFFFFFFFFFFF
                if r in new:
                    struct.pack_into("<Q", base_rec, voff + e["off"] + 16,
                                     new[r] | (ref >> 48) << 48)
    return recs


def attrlist_seeds(c, vols):
    for name, base, flags in [("ntfs-frag", 66, 0), ("ntfs-frag", 66, 4), ("ntfs-frag", 66, 2),
                              ("ntfs-mftlist", 0, 2 << 3), ("ntfs-c4k", None, 2 << 3),
                              ("ntfs-c4k", None, (2 << 3) | 4)]:
        v = vols[name]
        if base is None:
            base = [i for i, p in manifest(name) if p == "hardlinks/target.txt"][0]
        recs = renumber(v, base)
        n = len(recs) if not flags & 2 else min(len(recs), 4)
        data = bytes([flags, n - 1]) + b"".join(bytes(r) for r in recs[:n])
        c.add("attrlist", data)
        c.add("attrlist", bytes(v.alist(base)))  # the raw list alone (first walk)


def runlist_seeds(c, vols):
    seen = 0
    for name in ["ntfs-c512", "ntfs-frag", "ntfs-c4k", "ntfs-mftlist", "ntfs-c2m"]:
        v = vols[name]
        nums = [0, 6, 10] + [i for i, _ in manifest(name)][:40]
        for n in nums:
            for a in v.attrs(n):
                if a["resident"] or seen >= 60:
                    continue
                head = struct.pack("<QQQ", a["lowest"], (a["highest"] + 1) & (2**64 - 1),
                                   v.total_clusters)
                c.add("runlist", head + a["mp"][:512])
                seen += 1
    for mp in [b"\x01\x10\x00", b"\x11\x10\x20\x00", b"\x21\x10\x00\x01\x00",
               b"\x11\x08\x40\x11\x08\xc0\x00", b"\x88" + b"\xff" * 16 + b"\x00",
               b"\x11\x10\x20", b"\x01\x80\x00", b"\x31\x04\x00\x00\x80\x00"]:
        c.add("runlist", struct.pack("<QQQ", 0, 16, 1 << 20) + mp)


GEOMETRY = {(512, 4096): 0, (4096, 4096): 1, (4096, 1024): 2, (65536, 4096): 3}


def index_seed(v, ino):
    attrs = v.attrs(ino)
    root = [a for a in attrs if a["type"] == AT_IROOT and a["name"] == "$I30"][0]["value"]
    bitmap = [a for a in attrs if a["type"] == AT_BITMAP and a["name"] == "$I30"]
    flags = GEOMETRY.get((v.cluster, v.isize), 0) | (8 if v.rsize == 4096 else 0)
    blocks = b""
    bm = 0
    runs = v.attr_runs(ino, AT_IALLOC, "$I30")
    if runs and bitmap:
        bmv = bitmap[0]["value"] if bitmap[0]["resident"] else b"\x00\x00"
        bm = int.from_bytes(bmv[:2].ljust(2, b"\0"), "little")
        total = sum(ln for _, _, ln in runs) * v.cluster
        n = min(16, total // v.isize)
        blocks = b"".join(bytes(unfix(v.read(runs, i * v.isize, v.isize))) for i in range(n))
    return bytes([flags]) + struct.pack("<HH", bm, len(root)) + root + blocks


def index_seeds(c, vols):
    for name in ["ntfs-c512", "ntfs-c4k", "ntfs-c64k", "ntfs-s4k"]:
        v = vols[name]
        m = dict((p, i) for i, p in manifest(name))
        dirs = {5}
        for p in ["nested/file-0.txt", "unicode/Привет.txt", "case/readme.txt",
                  "nested/level1/level2/level3/level4/level5/level6/file-6.txt"]:
            if p in m:
                dirs.add(parent_of(v, m[p]))
        if name == "ntfs-c4k":
            dirs.add(109)  # big/: 20,000 entries (first 16 blocks)
        for d in sorted(dirs):
            c.add("index", index_seed(v, d))


def names_seeds(c, vols):
    names = sorted(set(p.split("/")[-1] for _, p in manifest("ntfs-c4k")))[:40]
    for n in names:
        c.add("names", b"\x00" + n.encode("utf-8"))
        c.add("names", b"\x01" + n.encode("utf-16le"))
    for a, b in [("readme.txt", "README.txt"), ("σ", "Σ"), ("ς", "Σ"), ("é", "É"), ("ÿ", "Ÿ"),
                 ("ā", "Ā"), ("a", "ab"), ("", "x"), ("😀", "\uffff")]:
        ua, ub = a.encode("utf-16le"), b.encode("utf-16le")
        c.add("names", b"\x02" + bytes([len(ua) // 2]) + ua + ub)
    for bad in [b"\x00\xff", b"\x00\xc0\x80", b"\x00\xed\xa0\x80", b"\x00\xf4\x90\x80\x80",
                b"\x00\xe2\x82", b"\x01\x00\xd8", b"\x01\x00\xdc\x00\xd8", b"\x01\x3d\xd8\x00\xde"]:
        c.add("names", bad)
    # The real $UpCase of an image, as differences from the harness's base table.
    v = vols["ntfs-c512"]
    up = bytes(v.read(v.attr_runs(10, AT_DATA, ""), 0, 131072))
    diff = b""
    for ch in range(65536):
        base = ch - 32 if 0x61 <= ch <= 0x7A else ch
        u = le16(up, 2 * ch)
        if u != base:
            diff += struct.pack("<HH", ch, u)
    c.add("names", b"\x03" + diff)
    c.add("names", b"\x03")
    c.add("names", b"\x03" + struct.pack("<HHHHHH", 0x101, 0x100, 0x103, 0x102, 0x105, 0x104))


def path_seeds(c, vols):
    for _, p in manifest("ntfs-c4k"):
        if not p.startswith("big/") and not p.startswith("hardlinks/links/"):
            c.add("path", p.encode("utf-8"))
    for p in ["", "/", "//", ".", "..", "/../..", "nested/./level1/../level1/file-1.txt",
              "CASE/README.TXT", "case/readme.TXT", "big/f12345.txt", "big/F19999.TXT",
              "big/f00000.txt/", "big", "$MFT", "$Extend/$ObjId", "hardlinks/links/link-042.txt",
              "small.txt/x", "a" * 300, "\xff", "unicode/" + "é" * 256]:
        c.add("path", p.encode("utf-8", "surrogateescape"))
    c.add("path", b"\xff\xfe")
    c.add("path", b"small.txt\x00junk")


TEMPLATES = ["ntfs-c512", "ntfs-s4k", "ntfs-mftlist", "ntfs-frag", "ntfs-c64k", "ntfs-c4k",
             "ntfs-c2m"]


def lznt1_seeds(c, vols):
    """The stored bytes of compressed units: the leading allocated clusters
    of each 16-cluster unit that has a sparse tail."""
    for name in ["ntfs-c512", "ntfs-c4k"]:
        v = vols[name]
        for ino, path in manifest(name):
            if not path.startswith("compressed/"):
                continue
            runs = v.attr_runs(ino, AT_DATA, "")
            if not runs:
                continue
            end = max(rv + ln for rv, _, ln in runs)
            for unit in range(0, end, 16):
                alloc = 0
                for rv, lcn, ln in runs:
                    for vcn in range(max(rv, unit), min(rv + ln, unit + 16)):
                        if lcn is not None and vcn == unit + alloc:
                            alloc += 1
                if 0 < alloc < 16:
                    c.add("lznt1", b"\x00" + bytes(v.read(runs, unit * v.cluster,
                                                           alloc * v.cluster)))
    # MS-XCA 3.3's example chunk, then the end marker.
    c.add("lznt1", b"\x00" + bytes.fromhex(
        "38b08846232000204720410010a24701a04520440008450150790"
        "0c0452005241388 05b4024a44ef0358028c091601484500be009e00040118900000".replace(" ", "")))


def xpress_stream(lengths, stream):
    """A stream as MS-XCA 3.2 prints it: {offset: byte} of the lengths, then the bits."""
    table = bytearray(256)
    for off, val in lengths.items():
        table[off] = val
    return bytes(table) + bytes.fromhex(stream)


def xpress_seeds(c, vols):
    """Chunks as WOF stores them, compressed by wimlib's XPRESS compressor
    (libwim through ctypes; without it the seeds on disk are kept): 2 bytes
    of the size minus 1, then the stream. Each of the three chunk sizes, of
    metadata, text, patterned, random and zero bytes, and a few short ones;
    and MS-XCA 3.2's two examples."""
    import ctypes
    import ctypes.util
    import random
    name = ctypes.util.find_library("wim")
    if not name:
        print("xpress: libwim not found, seeds left as they are")
        return
    lib = ctypes.CDLL(name)
    lib.wimlib_compress.restype = ctypes.c_size_t
    lib.wimlib_compress.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p,
                                    ctypes.c_size_t, ctypes.c_void_p]
    lib.wimlib_create_compressor.argtypes = [ctypes.c_int, ctypes.c_size_t, ctypes.c_uint,
                                             ctypes.POINTER(ctypes.c_void_p)]
    lib.wimlib_free_compressor.argtypes = [ctypes.c_void_p]
    rnd = random.Random(7)
    v = vols["ntfs-c512"]
    mft = bytes(v.read(v.mft_runs, 0, 16 * v.rsize))
    upcase = bytes(v.read(v.attr_runs(10, AT_DATA, ""), 0, 16384))
    m = dict((p, i) for i, p in manifest("ntfs-c512"))
    pattern = bytes(v.read(v.attr_runs(m["pattern-3m.bin"], AT_DATA, ""), 0, 16384))
    words = [b"the ", b"volume ", b"record ", b"index ", b"of ", b"stream ", b"\n"]
    text = b"".join(rnd.choice(words) for _ in range(4000))[:16384]
    rand = bytes(rnd.getrandbits(8) for _ in range(16384))
    samples = [mft, upcase, pattern, text, rand, bytes(16384), (b"abc" * 6000)[:16384]]
    for chunk in (4096, 8192, 16384):
        comp = ctypes.c_void_p()
        if lib.wimlib_create_compressor(1, chunk, 0, ctypes.byref(comp)) != 0:
            sys.exit("xpress: wimlib_create_compressor failed")
        sizes = [chunk] if chunk > 4096 else [chunk, chunk - 1, 25, 100, 1000]
        for data in samples:
            for n in sizes:
                out = ctypes.create_string_buffer(n + 1024)
                got = lib.wimlib_compress(data[:n], n, out, n + 1024, comp)
                if got:
                    c.add("xpress", struct.pack("<H", n - 1) + out.raw[:got])
        lib.wimlib_free_compressor(comp)
    # MS-XCA 3.2: "abcdefghijklmnopqrstuvwxyz", and "abc" 100 times.
    run1 = dict((48 + i, b) for i, b in enumerate(bytes.fromhex("5055555555555555555555454404")))
    run1[128] = 0x04
    c.add("xpress", struct.pack("<H", 25) + xpress_stream(
        run1, "d8523ed794115be9195ff9d67cdf8d0400000000"))
    c.add("xpress", struct.pack("<H", 299) + xpress_stream(
        {48: 0x30, 49: 0x23, 128: 0x02, 143: 0x20}, "a8dc0000ff2601"))


def volume_seeds(c, vols):
    for t, name in enumerate(TEMPLATES):
        v = vols[name]
        c.add("volume", bytes([t, 0]))
        if t in (0, 1):
            c.add("volume", bytes([t, 4 | 1]))
        # No-op patches (the template's own bytes) on key metadata: a start
        # the fuzzer can mutate.
        spots = [(0, 96)]
        for n in ([0, 3, 5, 6, 10] if t < 2 else [0, 5]):
            recoff = None
            vcn = n * v.rsize // v.cluster
            for rv, lcn, ln in v.mft_runs:
                if rv <= vcn < rv + ln and lcn is not None:
                    recoff = lcn * v.cluster + (n * v.rsize - rv * v.cluster)
            if recoff is not None:
                spots.append((recoff, 160))
                spots.append((recoff + 160, 256))
        runs = v.attr_runs(5, AT_IALLOC, "$I30")
        if runs and runs[0][1] is not None:
            spots.append((runs[0][1] * v.cluster, 200))
        for off, ln in spots:
            c.add("volume", bytes([t, 0]) + struct.pack("<IH", off, ln) + v.img[off:off + ln])
    c.add("volume", bytes([7, 0]) + vols["ntfs-c512"].img[:512])


def lzx_data(kind, n, seed):
    """Deterministic test data: text, zeros, random bytes, x86-like code
    with calls (E8), 16-byte records (aligned-offset blocks)."""
    x = seed * 2654435761 % 2**32 or 1

    def rnd():
        nonlocal x
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        return x
    out = bytearray()
    if kind == "zeros":
        return bytes(n)
    while len(out) < n:
        r = rnd()
        if kind == "text":
            out += b"the file record index stream of NTFS a chunk call offset ".split()[r % 11] + b" "
        elif kind == "random":
            out.append(r >> 7 & 255)
        elif kind == "code":
            if r % 3 == 0:
                out += b"\xe8" + struct.pack("<i", (r >> 8) % 16 * 2048 - len(out))
            else:
                out += [b"\x55\x48\x89\xe5", b"\x48\x8b\x45\xf8", b"\x5d\xc3\x90\x90"][r % 3 - 1]
        elif kind == "records":
            t = r % 64
            out += struct.pack("<IIII", t * 0x9E3779B1 % 2**32, len(out) // 16, t ^ 0xABCDEF, r >> 24)
    return bytes(out[:n])


def lzx_seeds(c):
    """Chunks compressed by wimlib's LZX compressor (libwim through ctypes;
    without it the lzx seeds are left as they are), a few uncompressed
    blocks, which wimlib never writes, and choices for the harness's own
    writer. Each is prefixed with its size - 1 (16 bits LE; bit 15 set for
    the writer), the harness's input format."""
    import ctypes
    import ctypes.util
    lib = ctypes.util.find_library("wim")
    if lib is None:
        print("lzx: libwim not found, its seeds not rewritten")
        return
    wim = ctypes.CDLL(lib)
    wim.wimlib_compress.restype = ctypes.c_size_t
    wim.wimlib_compress.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p,
                                    ctypes.c_size_t, ctypes.c_void_p]
    for level in (0, 100):
        comp = ctypes.c_void_p()
        if wim.wimlib_create_compressor(2, 32768, level, ctypes.byref(comp)) != 0:
            sys.exit("wimlib: no LZX compressor")
        for kind, sizes in (("text", (64, 1000, 6000)), ("zeros", (100, 32768)),
                            ("random", (200, 3000)), ("code", (500, 4000, 32768)),
                            ("records", (800, 5000))):
            for n in sizes:
                data = lzx_data(kind, n, n + level)
                buf = ctypes.create_string_buffer(n + 4096)
                size = wim.wimlib_compress(data, n, buf, n + 4096, comp)
                if size:
                    c.add("lzx", struct.pack("<H", n - 1) + buf.raw[:size])
        wim.wimlib_free_compressor(comp)

    def stored(data, reps=(1, 1, 1)):
        # Block type 3, explicit 16-bit size: 20 bits, padded to 32; then
        # R0-R2 and the bytes, a pad byte if odd.
        word0 = 3 << 13 | len(data) >> 4
        word1 = (len(data) & 15) << 12
        out = struct.pack("<HH", word0, word1) + struct.pack("<III", *reps) + data
        return out + (b"\0" if len(data) & 1 else b"")
    # Structured inputs (bit 15 of the size set): choices for the harness's
    # writer, which always makes a well-formed chunk of them.
    for n, length in ((100, 64), (4096, 1500), (32768, 6000)):
        c.add("lzx", struct.pack("<H", 0x8000 | (n - 1)) + lzx_data("random", length, n))
    c.add("lzx", struct.pack("<H", 4) + stored(b"hello"))
    c.add("lzx", struct.pack("<H", 15) + stored(b"\xe8\x10\0\0\0 call  \xe8\0\0"))
    c.add("lzx", struct.pack("<H", 9) + stored(b"abc", (7, 3, 9)) + stored(b"defghij"))


def part_seeds(c):
    """Small disks for fuzz_mbr and fuzz_gpt: byte 0 the flags (bits 0-1
    sector size 512 << k, bit 2 re-sign GPT headers, bit 3 a 2^32-sector
    device), then the disk's first sectors."""
    import zlib

    def entry(boot, typ, lba, count):
        return struct.pack("<B3xB3xII", boot, typ, lba, count)

    def table(entries, ss):
        s = bytearray(ss)
        for i, e in enumerate(entries):
            s[446 + 16 * i:462 + 16 * i] = e
        s[510:512] = b"\x55\xaa"
        return s

    def boot(oem, ss):
        s = bytearray(ss)
        s[3:11] = oem
        s[510:512] = b"\x55\xaa"
        return s

    for k in range(4):
        ss = 512 << k
        # Primary NTFS at 2, extended 8..40: EBRs at 8 and 16 (logical 5 exFAT
        # at 9, 6 NTFS at 17), then a primary 0x83 at 40..47.
        disk = bytearray(48 * ss)
        disk[0:ss] = table([entry(0x80, 7, 2, 4), entry(0, 5, 8, 32), b"", entry(0, 0x83, 40, 8)],
                           ss)
        disk[8 * ss:9 * ss] = table([entry(0, 7, 1, 4), entry(0, 5, 8, 8)], ss)
        disk[16 * ss:17 * ss] = table([entry(0, 7, 1, 4)], ss)
        disk[2 * ss:3 * ss] = boot(b"NTFS    ", ss)
        disk[9 * ss:10 * ss] = boot(b"EXFAT   ", ss)
        disk[17 * ss:18 * ss] = boot(b"NTFS    ", ss)
        # The rest is zeros: a 2^32-sector device holds it.
        c.add("mbr", bytes([k | 8]) + bytes(disk[:18 * ss]))
        if k == 0:
            c.add("mbr", bytes([k]) + bytes(disk))
    c.add("mbr", bytes([0]) + bytes(table([entry(0, 7, 1, 0x7FFFFFFF)], 512)))
    c.add("mbr", bytes([8]) + bytes(table([entry(0, 0xF, 1, 0x7FFFFFFF)], 512)))

    basic = bytes.fromhex("a2a0d0ebe5b9334487c068b6b72699c7")
    linux = bytes.fromhex("af3dc60f83847247 8e793d69d8477de4".replace(" ", ""))
    for k in (0, 3):
        ss = 512 << k
        count, esize = 4, 128
        n = 16
        arr = 1
        first, last = 2 + arr, n - 2 - arr
        ents = bytearray(count * esize)
        for i, (t, a, b, name) in enumerate([(basic, first, first + 2, "Basic data"),
                                             (linux, first + 3, first + 5, "root"),
                                             (basic, first + 6, last, "\u00e9t\u00e9")]):
            e = t + bytes([i + 1]) * 16 + struct.pack("<QQQ", a, b, 0)
            ents[i * esize:i * esize + 56] = e
            nm = name.encode("utf-16-le")
            ents[i * esize + 56:i * esize + 56 + len(nm)] = nm
        disk = bytearray(n * ss)
        disk[0:ss] = table([entry(0, 0xEE, 1, n - 1)], ss)

        def header(my, alt, elba):
            h = bytearray(92)
            h[0:8] = b"EFI PART"
            struct.pack_into("<IIIIQQQQ", h, 8, 0x10000, 92, 0, 0, my, alt, first, last)
            h[56:72] = b"\x5a" * 16
            struct.pack_into("<QIII", h, 72, elba, count, esize, zlib.crc32(bytes(ents)))
            struct.pack_into("<I", h, 16, zlib.crc32(bytes(h)))
            return h
        disk[ss:ss + 92] = header(1, n - 1, 2)
        disk[2 * ss:2 * ss + len(ents)] = ents
        disk[(n - 1) * ss:(n - 1) * ss + 92] = header(n - 1, 1, n - 2)
        disk[(n - 2) * ss:(n - 2) * ss + len(ents)] = ents
        disk[first * ss:(first + 1) * ss] = boot(b"NTFS    ", ss)
        disk[(first + 6) * ss:(first + 7) * ss] = boot(b"EXFAT   ", ss)
        c.add("gpt", bytes([k]) + bytes(disk))
        c.add("gpt", bytes([k | 4]) + bytes(disk))
        # Primary damaged: the backup.
        bad = bytearray(disk)
        bad[ss + 20] ^= 1
        c.add("gpt", bytes([k]) + bytes(bad))
        # Header and array only (a 2^32-sector device, re-signed).
        c.add("gpt", bytes([k | 4 | 8]) + bytes(disk[:3 * ss]))


def shared_seeds(c, shared):
    rec = os.path.join(shared, "records")
    if not os.path.isdir(rec):
        return
    for n in sorted(os.listdir(rec)):
        data = open(os.path.join(rec, n), "rb").read()
        if n.endswith(".boot"):
            c.add("boot", data[:512])
        elif n.endswith(".bin"):
            c.add("record", data[:4096])
            # Their reparse points and EAs (resident ones).
            if data[:4] == b"FILE":
                for a in parse_attrs(unfix(data[:1024])):
                    if a["resident"] and a["type"] == AT_REPARSE:
                        c.add("reparse", a["value"])
                    elif a["resident"] and a["type"] == AT_EA:
                        c.add("ea", b"\x00" + a["value"])
        elif n.endswith(".mft"):
            size = 4096 if "4k" in n else 1024
            for i in range(0, min(len(data), 64 * size), size):
                if data[i:i + 4] == b"FILE":
                    c.add("record", data[i:i + size])


def secure_seeds(c):
    """The distinct descriptors of ntfs-secure (ntfs-secure.json: as getfattr
    read them back through ntfs-3g) but one each of many/ and shared/, the
    system files' too; and a few cut or mangled in one field."""
    import json
    with open(os.path.join(IMAGES, "ntfs-secure.json"), encoding="ascii") as f:
        m = json.load(f)
    keep = [e for e in m["entries"] if not e["path"].startswith(("/many/", "/shared/"))]
    keep += [e for e in m["entries"] if e["path"] in ("/many/m000.txt", "/shared/f00.txt")]
    sds = sorted({e["sd_hex"] for e in keep + m["system"] if e["sd_hex"]})
    for h in sds:
        c.add("secure", bytes.fromhex(h))
    base = bytes.fromhex(min(sds, key=len))
    for off, val in [(0, b"\x02"), (2, b"\x04\x00"), (4, b"\xff\xff\x00\x00"),
                     (16, b"\x00\x00\x00\x00"), (16, b"\x08\x00\x00\x00")]:
        mangled = bytearray(base)
        mangled[off:off + len(val)] = val
        c.add("secure", bytes(mangled))
    c.add("secure", base[:len(base) - 4])
    c.add("secure", b"")



def special_entries(kind=None):
    import json
    with open(os.path.join(IMAGES, "ntfs-special.json"), encoding="utf-8") as f:
        m = json.load(f)
    return [e for e in m["entries"] if kind is None or e["kind"] == kind]


def reparse_value(tag, data, guid=None):
    return struct.pack("<IHH", tag, len(data), 0) + (guid or b"") + data


def link_data(sub, prn, flags=None):
    s, p = sub.encode("utf-16le"), prn.encode("utf-16le")
    head = struct.pack("<HHHH", 0, len(s), len(s), len(p))
    if flags is not None:
        head += struct.pack("<I", flags)
    return head + s + p


def reparse_seeds(c, special):
    """Every reparse point of ntfs-special (links, junctions, WSL files,
    WOF, cloud, dedup, a GUID tag) as stored, and hand-made edge cases."""
    seen = set()
    for e in special_entries():
        if "reparse_hex" in e:
            val = special.value(e["inode"], AT_REPARSE)
            if val is not None and val not in seen:
                seen.add(val)
                c.add("reparse", val)
    SYM, JCT, LX, WOF = 0xA000000C, 0xA0000003, 0xA000001D, 0x80000017
    for val in [
            b"", b"\x0c\x00\x00\xa0", reparse_value(SYM, b""), reparse_value(JCT, b"\0" * 8),
            reparse_value(SYM, link_data("\\??\\", "")),
            reparse_value(SYM, link_data("\\??\\UNC\\", "")),
            reparse_value(SYM, link_data("\\??\\UNC\\srv\\share", "", 0)),
            reparse_value(JCT, link_data("", "print\\only")),
            reparse_value(SYM, link_data("a\0b", "a", 1)),
            reparse_value(SYM, link_data("x", "y", 1))[:-1],
            reparse_value(SYM, struct.pack("<HHHHI", 0, 2, 2, 0, 1) + b"\x3d\xd8"),
            reparse_value(LX, struct.pack("<I", 2)), reparse_value(LX, struct.pack("<I", 1) + b"t"),
            reparse_value(LX, struct.pack("<I", 2) + b"a\0b"),
            reparse_value(LX, struct.pack("<I", 2) + b"\xc3\x28"),
            reparse_value(WOF, struct.pack("<II", 1, 1)),
            reparse_value(WOF, struct.pack("<IIII", 1, 2, 1, 9)),
            reparse_value(WOF, struct.pack("<IIII", 1, 2, 2, 0)),
            reparse_value(0x80000013, b""), reparse_value(0x00000AAA, b"", b"G" * 16),
            reparse_value(0x00000AAA, b"x", b"G" * 8)]:
        c.add("reparse", val)
    # The largest value there is, and one byte over: a WSL target and a
    # junction of the longest names.
    c.add("reparse", reparse_value(LX, struct.pack("<I", 2) + (b"ab/" * 6000)[:16372]))
    c.add("reparse", reparse_value(LX, struct.pack("<I", 2) + (b"ab/" * 6000)[:16373]))
    c.add("reparse", reparse_value(JCT, link_data("\\??\\C:\\" + "d\\" * 4085, "")))


def ea_entry(name, value, flags=0, last=False):
    body = struct.pack("<BBH", flags, len(name), len(value)) + name + b"\0" + value
    pad = b"" if last else b"\0" * (-(4 + len(body)) % 4)
    nxt = 0 if last else 4 + len(body) + len(pad)
    return struct.pack("<I", nxt) + body + pad


def ea_seeds(c, special):
    """Every $EA of ntfs-special (flags: resident as stored, non-resident,
    with an $EA_INFORMATION; the WSL device files with their reparse
    point), and hand-made edge cases."""
    dev = {"wsl/chr": 0x08, "wsl/chr-big": 0x08, "wsl/blk": 0x10, "wsl/fifo": 0x18}
    for e in special_entries():
        if "eas" not in e and "ea_hex" not in e:
            continue
        val = special.value(e["inode"], AT_EA)
        if val is None:
            continue
        base = dev.get(e["path"], 0) | (0x20 if e["kind"] == "dir" or e.get("is_dir") else 0)
        if len(val) > 4096:
            c.add("ea", bytes([1 | 2]) + val)
            continue
        for flags in (0, 1, 2 | 1):
            c.add("ea", bytes([base | flags]) + val)
    lx = lambda n, v: ea_entry(n, struct.pack("<I", v))
    for flags, val in [
            (0, b""), (0, b"\0" * 8), (1, b"\0" * 7),
            (0x08, lx(b"$LXUID", 1000) + lx(b"$LXGID", 1000) + lx(b"$LXMOD", 0o20644) +
             ea_entry(b"$LXDEV", struct.pack("<II", 4, 64), last=True)),
            (0x10, ea_entry(b"$LXDEV", b"\1\2\3", last=True)),
            (0x00, ea_entry(b"$LXUID", b"\1\2", last=True)),
            (0x00, ea_entry(b"$lxmod", struct.pack("<I", 0o100755), last=True)),
            (0x00, ea_entry(b"A", b"one") + ea_entry(b"a", b"two", last=True)),
            (0x00, struct.pack("<IBBH", 4, 0, 1, 0) + b"N\0"),             # next too short
            (0x00, struct.pack("<IBBH", 0, 0, 2, 0) + b"NX"),             # no NUL
            (0x00, struct.pack("<IBBH", 0, 0, 2, 0) + b"N\0\0"),          # NUL inside
            (0x00, struct.pack("<IBBH", 0, 0, 0, 0) + b"\0"),             # empty name
            (0x00, struct.pack("<IBBH", 0, 0x80, 1, 100) + b"N\0" + b"v" * 10),  # value past end
            (0x01, ea_entry(b"X", b"") * 40 + ea_entry(b"END", b"", last=True))]:
        c.add("ea", bytes([flags]) + val)
    # Over NTFS_EA_MAX: refused whole.
    c.add("ea", b"\x01" + ea_entry(b"BIG", b"\0" * 65535, last=True)[:65537])


def wof_seeds(c, special):
    """Every WOF file of ntfs-special under 1 MiB: its algorithm, size and
    WofCompressedData (resident flags as stored); and a few made here of
    stored chunks."""
    for e in special_entries("wof"):
        w = e["wof"]
        if e["size"] > 1 << 20:
            continue
        stream = special.value(e["inode"], AT_DATA, "WofCompressedData")
        flags = w["algorithm"] | (4 if e["data_attr"]["resident"] else 0) | \
            (8 if w["stream_resident"] else 0)
        c.add("wof", struct.pack("<I", flags | e["size"] << 8) + stream)
    # Every chunk stored (as long as it decodes): no decoder involved.
    for alg, chunk in ((0, 4096), (1, 32768), (2, 8192), (3, 16384)):
        size = 2 * chunk + 5
        data = bytes((i * 7 + (i >> 12)) & 255 for i in range(size))
        table = struct.pack("<II", chunk, 2 * chunk)
        c.add("wof", struct.pack("<I", alg | size << 8) + table + data)
    c.add("wof", struct.pack("<I", 0x80 | 5 << 8) + b"hello")       # unknown algorithm
    c.add("wof", struct.pack("<I", 0 | 9000 << 8) + b"\0" * 7)      # table cannot fit
    c.add("wof", struct.pack("<I", 0 | 9000 << 8) + struct.pack("<II", 0, 0) + b"x")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(HERE, "corpus"))
    ap.add_argument("--shared", help="shared images dir (seeds go to --extra only)")
    ap.add_argument("--extra", help="where shared-derived seeds go (never the repo)")
    ap.add_argument("--only", choices=["lzx", "reparse", "ea", "wof", "part"],
                    help="rewrite only this harness's seeds")
    args = ap.parse_args()
    c = Corpus(args.out)
    if args.only:
        if args.only == "lzx":
            lzx_seeds(c)
        elif args.only == "part":
            part_seeds(c)
        else:
            special = Volume("ntfs-special")
            {"reparse": reparse_seeds, "ea": ea_seeds, "wof": wof_seeds}[args.only](c, special)
        c.prune()
        for h in sorted(c.written):
            print("%-9s %3d seeds" % (h, len(c.written[h])))
        return
    vols = dict((n, Volume(n)) for n in TEMPLATES)
    boot_seeds(c, vols)
    record_seeds(c, vols)
    attrlist_seeds(c, vols)
    runlist_seeds(c, vols)
    index_seeds(c, vols)
    names_seeds(c, vols)
    path_seeds(c, vols)
    volume_seeds(c, vols)
    lznt1_seeds(c, vols)
    secure_seeds(c)
    xpress_seeds(c, vols)
    lzx_seeds(c)
    special = Volume("ntfs-special")
    reparse_seeds(c, special)
    ea_seeds(c, special)
    wof_seeds(c, special)
    part_seeds(c)
    c.prune()
    for h in sorted(c.written):
        print("%-9s %3d seeds" % (h, len(c.written[h])))
    if args.shared:
        if not args.extra:
            sys.exit("--shared needs --extra (shared-derived seeds are not committed)")
        shared_seeds(Corpus(args.extra), args.shared)


if __name__ == "__main__":
    main()
