#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""The ntfs-special manifest still describes the committed image.

Usage (ctest runs this):

    python3 test/special_manifest.py --images test/images --work DIR

test/images/ntfs-special.json says what test/images/ntfs-special.img.xz
holds: WOF system-compressed files, LZNT1 files, Interix and WSL special
files, Windows symlinks and junctions, other reparse points, $EA sets (see
test/images/README.md). Tests of our reader take their expectations from
it, so this checks every entry again against the image with outside tools
only, no root and no mount needed:

  * the path resolves to the inode (ifind), istat reads the record (or
    fails, where the manifest says The Sleuth Kit refuses it);
  * the unnamed $DATA bytes (ntfscat, and icat) of plain, LZNT1, EA,
    Interix, WSL and link files; the Interix bytes decode to the symlink
    target or device numbers; $DATA sizes, flags and, for LZNT1, which
    compression units are raw, compressed or sparse (ntfsinfo's runlist);
  * every WOF file: its reparse data names the algorithm, its
    WofCompressedData stream (ntfscat) has the recorded hash, and
    decompressing it chunk by chunk with wimlib (libwim.so.15, ctypes)
    gives the recorded size and sha256;
  * $REPARSE_POINT, $EA, $EA_INFORMATION, $SECURITY_DESCRIPTOR and the
    $STANDARD_INFORMATION flags (ntfscat -a, and icat).
Python 3 standard library, ntfs-3g's tools, The Sleuth Kit, libwim15.
"""

import argparse
import ctypes
import hashlib
import json
import lzma
import os
import re
import struct
import subprocess
import sys

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def run(cmd, ok=True):
    p = subprocess.run(cmd, capture_output=True, timeout=300)
    if ok and p.returncode:
        raise RuntimeError("%s: %s" % (" ".join(cmd), p.stderr.decode(errors="replace").strip()))
    return p


def sha(b):
    return hashlib.sha256(b).hexdigest()


class Wim:
    """wimlib's decompressors (XPRESS = 1, LZX = 2)."""

    def __init__(self):
        self.lib = ctypes.CDLL("libwim.so.15")
        self.lib.wimlib_create_decompressor.argtypes = [
            ctypes.c_int, ctypes.c_size_t, ctypes.POINTER(ctypes.c_void_p)]
        self.lib.wimlib_decompress.argtypes = [
            ctypes.c_char_p, ctypes.c_size_t, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p]
        self.d = {}

    def decompress(self, ctype, chunk, data, size):
        if (ctype, chunk) not in self.d:
            h = ctypes.c_void_p()
            if self.lib.wimlib_create_decompressor(ctype, chunk, ctypes.byref(h)):
                raise RuntimeError("wimlib_create_decompressor failed")
            self.d[(ctype, chunk)] = h
        out = ctypes.create_string_buffer(size)
        if self.lib.wimlib_decompress(data, len(data), out, size, self.d[(ctype, chunk)]):
            raise ValueError("wimlib_decompress failed")
        return out.raw


# FILE_PROVIDER_COMPRESSION_*: (wimlib type, chunk size)
ALGS = {0: (1, 4096), 1: (2, 32768), 2: (1, 8192), 3: (1, 16384)}


def wof_check(wim, e, stream):
    """Decompress WofCompressedData: a table of (chunks - 1) end offsets
    (u32, or u64 when the file is larger than 4 GiB - 1) counted from the
    end of the table, then the chunks; a chunk as long as its
    uncompressed size is stored raw."""
    w, size = e["wof"], e["size"]
    ctype, csize = ALGS[w["algorithm"]]
    n = -(-size // csize)
    if n != w["chunks"] or csize != w["chunk"]:
        return "chunk count/size %d/%d, manifest %d/%d" % (n, csize, w["chunks"], w["chunk"])
    if n == 0:
        return None if not stream else "an empty file with a non-empty stream"
    esize = 8 if size > 0xFFFFFFFF else 4
    if esize != w["entry_size"]:
        return "entry size %d, manifest %d" % (esize, w["entry_size"])
    tbl = (n - 1) * esize
    ends = list(struct.unpack_from("<%d%s" % (n - 1, "Q" if esize == 8 else "I"), stream)) + \
        [len(stream) - tbl]
    h = hashlib.sha256()
    raw, start, total, cache = [], 0, 0, {}
    for i, end in enumerate(ends):
        want = min(csize, size - i * csize)
        if end < start or tbl + end > len(stream):
            return "chunk %d outside the stream" % i
        piece = stream[tbl + start:tbl + end]
        start = end
        if len(piece) == want:
            raw.append(i)
            out = piece
        else:
            key = (piece, want) if len(piece) < 512 else (sha(piece), want)
            if key not in cache:
                cache[key] = wim.decompress(ctype, csize, piece, want)
            out = cache[key]
        h.update(out)
        total += len(out)
    if raw != w["raw_chunks"]:
        return "raw chunks %s, manifest %s" % (raw[:10], w["raw_chunks"][:10])
    if total != size or h.hexdigest() != e["sha256"]:
        return "decompressed data differs from the manifest"
    return None


def parse_ntfsinfo(text):
    """ntfsinfo -v: the attributes (type, name, resident, sizes, flags,
    compression unit, runlist)."""
    attrs, cur = [], None
    for line in text.splitlines():
        m = re.match(r"Dumping attribute \S+ \((0x[0-9a-f]+)\)", line)
        if m:
            cur = {"type": int(m.group(1), 16), "name": ""}
            attrs.append(cur)
            continue
        if cur is None:
            continue
        m = re.match(r"\t\t\t(0x[0-9a-f]+)\t+(0x[0-9a-f]+|<HOLE>)\t+(0x[0-9a-f]+)$", line)
        if m and "runs" in cur:
            cur["runs"].append((int(m.group(1), 16), m.group(2) != "<HOLE>", int(m.group(3), 16)))
            continue
        if re.match(r"\tRunlist:\s+VCN", line):
            cur["runs"] = []
            continue
        m = re.match(r"\t([A-Za-z ]+):\s+(.*)$", line)
        if not m:
            continue
        k, v = m.group(1), m.group(2).strip()
        if k == "Resident":
            cur["resident"] = v == "Yes"
        elif k == "Attribute name":
            cur["name"] = v.strip("'")
        elif k == "Attribute flags":
            cur["flags"] = int(v, 16)
        elif k == "Compression unit":
            cur["cunit"] = int(v.split()[0])
        elif k in ("Data size", "Initialized size", "Allocated size", "Compressed size"):
            cur[k.split()[0].lower()] = int(v.split()[0])
    return attrs


def units(a, csize):
    per = 1 << a["cunit"]
    alloc = set()
    for vcn, real, n in a["runs"]:
        if real:
            alloc.update(range(vcn, vcn + n))
    out = ""
    for u in range(-(-(a["allocated"] // csize) // per)):
        k = len(alloc.intersection(range(u * per, (u + 1) * per)))
        out += "r" if k == per else "s" if k == 0 else "c"
    return out


def eas_of(raw):
    out, off = [], 0
    while off < len(raw):
        nxt, flags, nlen, vlen = struct.unpack_from("<IBBH", raw, off)
        name = raw[off + 8:off + 8 + nlen].decode("latin-1")
        value = raw[off + 9 + nlen:off + 9 + nlen + vlen]
        e = {"name": name, "flags": flags}
        if len(value) <= 256:
            e["value_hex"] = value.hex()
        else:
            e["value_size"], e["value_sha256"] = len(value), sha(value)
        out.append(e)
        if nxt == 0:
            break
        off += nxt
    return out


def interix_decode(data):
    if data == b"":
        return ("fifo", None)
    if data == b"\0":
        return ("socket", None)
    if data[:8] == b"IntxLNK\x01":
        return ("symlink", data[8:].decode("utf-16-le"))
    if data[:8] in (b"IntxCHR\0", b"IntxBLK\0") and len(data) == 24:
        return ("chr" if data[4:7] == b"CHR" else "blk", list(struct.unpack("<QQ", data[8:])))
    return ("?", None)


def check_entry(img, e, wim, csize):
    ino, rel, kind = e["inode"], e["path"], e["kind"]
    tsk = "tsk" not in e

    def attr(atype, name=None):
        cmd = ["ntfscat", "-a", "0x%x" % atype] + (["-n", name] if name else []) + ["-i", str(ino), img]
        p = run(cmd, ok=False)
        if p.returncode:
            return None
        if tsk and name is None:
            q = run(["icat", img, "%d-%d" % (ino, atype)], ok=False)
            if q.returncode or q.stdout != p.stdout:
                fail("%s: icat and ntfscat disagree on attribute 0x%x" % (rel, atype))
        return p.stdout

    got = run(["ifind", "-n", "/" + rel, img], ok=False).stdout.strip()
    if got != str(ino).encode():
        fail("%s: ifind -n gives %r, manifest inode %d" % (rel, got, ino))
    if (run(["istat", img, str(ino)], ok=False).returncode == 0) != tsk:
        fail("%s: istat %s" % (rel, "fails" if tsk else "reads the record, manifest says it cannot"))
    attrib = int(e["attrib"], 16)
    si = attr(0x10)
    if si is None or "0x%08x" % struct.unpack_from("<I", si, 32)[0] != e["si_flags"] \
            or int(e["si_flags"], 16) | (attrib & 0x10) != attrib:
        fail("%s: $STANDARD_INFORMATION flags differ from si_flags/attrib" % rel)
    sd = attr(0x50)
    if sd is None or sd.hex() != e["sd_hex"]:
        fail("%s: $SECURITY_DESCRIPTOR differs from sd_hex" % rel)
    rp = attr(0xC0)
    if (rp.hex() if rp is not None else None) != e.get("reparse_hex"):
        fail("%s: $REPARSE_POINT differs from reparse_hex" % rel)
    elif rp is not None:
        tag, dlen = struct.unpack_from("<IH", rp)
        if "0x%08X" % tag != e["reparse_tag"] or dlen + 8 + (16 if not tag & 0x80000000 else 0) != len(rp):
            fail("%s: reparse tag or length" % rel)
        if not attrib & 0x400:
            fail("%s: reparse point without FILE_ATTRIBUTE_REPARSE_POINT" % rel)
        if kind in ("winsymlink", "junction"):
            so, sl, po, pl = struct.unpack_from("<HHHH", rp, 8)
            base = 8 + 8 + (4 if kind == "winsymlink" else 0)
            if rp[base + so:base + so + sl].decode("utf-16-le") != e["substitute_name"] or \
                    rp[base + po:base + po + pl].decode("utf-16-le") != e["print_name"]:
                fail("%s: substitute/print names differ" % rel)
        if kind == "wsl" and e.get("special") == "symlink":
            if rp[8:12] != b"\2\0\0\0" or rp[12:].decode("utf-8") != e["link"]:
                fail("%s: WSL symlink target differs" % rel)
        if kind == "wof":
            if struct.unpack_from("<IIII", rp, 8) != (1, 2, 1, e["wof"]["algorithm"]):
                fail("%s: WOF reparse data does not name algorithm %d" % (rel, e["wof"]["algorithm"]))
    ea = attr(0xE0)
    if ea is None:
        if "eas" in e:
            fail("%s: no $EA" % rel)
    else:
        if ("ea_hex" in e and ea.hex() != e["ea_hex"]) or \
                ("ea_sha256" in e and (sha(ea) != e["ea_sha256"] or len(ea) != e["ea_size"])):
            fail("%s: $EA differs" % rel)
        if eas_of(ea) != e.get("eas"):
            fail("%s: EAs parsed from $EA differ from eas" % rel)
        info = attr(0xD0)
        want = e["ea_information"]
        if info is None or list(struct.unpack("<HHI", info)) != [
                want["packed_size"], want["need_ea_count"], want["unpacked_size"]]:
            fail("%s: $EA_INFORMATION differs" % rel)
    if kind == "wsl" and e.get("special") in ("chr", "blk"):
        lx = {x["name"]: bytes.fromhex(x["value_hex"]) for x in e.get("eas", [])}
        if list(struct.unpack("<II", lx.get("$LXDEV", b"\0" * 8))) != e["dev"] or e["rdev"] != e["dev"]:
            fail("%s: $LXDEV/rdev differ from dev" % rel)
    attrs = parse_ntfsinfo(run(["ntfsinfo", "-i", str(ino), "-v", img]).stdout.decode("utf-8", "replace"))
    ud = next((a for a in attrs if a["type"] == 0x80 and a["name"] == ""), None)
    if "data_attr" in e:
        if ud is None or any(ud.get(k) != v for k, v in e["data_attr"].items()):
            fail("%s: unnamed $DATA %s, manifest %s" % (rel, ud, e["data_attr"]))
    elif ud is not None:
        fail("%s: unexpected unnamed $DATA" % rel)
    if "lznt1_units" in e and units(ud, csize) != e["lznt1_units"]:
        fail("%s: compression units %s, manifest %s" % (rel, units(ud, csize), e["lznt1_units"]))
    if kind == "wof":
        stream = attr(0x80, "WofCompressedData")
        if stream is None or sha(stream) != e["wof"]["stream_sha256"] \
                or len(stream) != e["wof"]["stream_size"]:
            fail("%s: WofCompressedData differs" % rel)
        else:
            err = wof_check(wim, e, stream)
            if err:
                fail("%s: %s" % (rel, err))
        return
    if "sha256" in e:
        data = run(["ntfscat", "-i", str(ino), img]).stdout
        if len(data) != e["size"] or sha(data) != e["sha256"]:
            fail("%s: ntfscat content differs" % rel)
        if tsk and sha(run(["icat", img, str(ino)]).stdout) != e["sha256"]:
            fail("%s: icat content differs" % rel)
        if kind == "interix":
            sp, arg = interix_decode(data)
            if sp != e["special"] or arg != (e.get("link") or e.get("dev")):
                fail("%s: Interix data decodes to %s %r" % (rel, sp, arg))
            if e.get("rdev") not in (None, e.get("dev")):
                fail("%s: rdev differs from dev" % rel)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--images", required=True)
    ap.add_argument("--work", required=True)
    args = ap.parse_args()
    for tool in ("ntfscat", "ntfsinfo", "icat", "istat", "ifind"):
        if run(["sh", "-c", "command -v " + tool], ok=False).returncode:
            print("FAIL: %s not found (apt-get install ntfs-3g sleuthkit)" % tool)
            return 1
    try:
        wim = Wim()
    except OSError as e:
        print("FAIL: libwim.so.15 not found (apt-get install libwim15): %s" % e)
        return 1
    os.makedirs(args.work, exist_ok=True)
    img = os.path.join(args.work, "ntfs-special.img")
    with lzma.open(os.path.join(args.images, "ntfs-special.img.xz")) as f, open(img, "wb") as o:
        while True:
            b = f.read(1 << 20)
            if not b:
                break
            o.write(b)
    with open(os.path.join(args.images, "ntfs-special.json"), encoding="ascii") as f:
        manifest = json.load(f)
    boot = open(img, "rb").read(512)
    csize = struct.unpack_from("<H", boot, 11)[0] * boot[13]
    kinds = {}
    for e in manifest["entries"]:
        kinds[e["kind"]] = kinds.get(e["kind"], 0) + 1
        try:
            check_entry(img, e, wim, csize)
        except (RuntimeError, ValueError, struct.error) as err:
            fail("%s: %s" % (e["path"], err))
    # every algorithm, and the 8-byte chunk table, are there
    algs = {e["wof"]["algorithm"] for e in manifest["entries"] if e["kind"] == "wof"}
    if algs != {0, 1, 2, 3} or not any(e["kind"] == "wof" and e["wof"]["entry_size"] == 8
                                       for e in manifest["entries"]):
        fail("the manifest lacks a WOF algorithm or a file over 4 GiB")
    os.unlink(img)
    print("%d entries (%s): %s" % (len(manifest["entries"]),
                                   ", ".join("%s %d" % kv for kv in sorted(kinds.items())),
                                   "%d failures" % len(failures) if failures else "all match"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
