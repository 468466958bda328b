# SPDX-License-Identifier: BSD-2-Clause
"""The images the comparisons run on: our committed ones (test/images) and
the shared real-world ones, decompressed into a cache, partitioned disks
cut down to their NTFS volume for the tools that take no offset."""

import gzip
import lzma
import os
import zipfile

from .tools import log

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
            # ntfs-special (WOF, reparse points, EAs): its manifest is
            # checked by test/special_manifest.py.
            log("note: %s left to the test of its JSON manifest" % fn)
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
