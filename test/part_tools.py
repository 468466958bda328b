#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Partition tables made by sfdisk and sgdisk, read by test/part_list.c.

Each disk is a sparse image file written here; what part_list says of it
(every partition: number, start, length, type, GUIDs, attributes, name; the
NTFS volumes; each mounted) must be what `sfdisk --json` and `sgdisk -i`
say: the truth comes from outside. The disks:

  * MBR (sfdisk): primaries 1 (0x07, NTFS by mkntfs), 3 (0x83), an
    extended 2 (0x05) with logicals 5 (0x83), 6 (0x07, NTFS), 7 (0x0c);
  * MBR of 4096-byte sectors in a file (the table written here, an NTFS
    volume by mkntfs -s 4096 at sector 256): read as 512-byte sectors it
    is valid but names no NTFS volume, so the tools must read it as 4 KiB;
  * GPT, 512-byte sectors (sgdisk): Basic Data (NTFS, a non-ASCII name),
    Linux, Basic Data holding an "EXFAT" boot sector, EFI system;
  * GPT, 4096-byte sectors: sgdisk through a loop device made with
    `losetup --sector-size 4096` (needs root; else a note, and test_part's
    hand-built 4Kn disks are the only ones);
  * GPT with its primary header wiped: the backup must give the same list;
  * the shared Windows disks (../shared/images/windows/*.raw.gz, MBR, NTFS
    at 65536), when present.

With --bin, the tools too: `ntfs-info --partitions` must list what sfdisk
or sgdisk says; `ntfs-info IMAGE` (no option) must mount the first NTFS
partition, `--partition N` partition N (the labels mkntfs wrote), and a
partition that does not exist or is not NTFS must fail cleanly.

With --boot, examples/boot's ntfs-boot too: files of random bytes, written
into the NTFS volumes by ntfs-3g (mounted as a file through FUSE when root
may; else with ntfscp, ntfs-3g's own library too) before each volume goes
into its disk, must come out byte for byte (the first NTFS partition,
--partition 6 for the MBR's logical one, --sector-size 4096 for the 4Kn
GPT); a partition that is not NTFS, or missing, and a load buffer one byte
too small must fail with a message; and on the shared Windows disk
/os_version.txt and /1.txt must be what The Sleuth Kit's icat says.

With --boot-32k, the loader built to run in 32 KiB of RAM (an arena of
ntfs_budget_arena()'s size, two 1 KiB cache slots): a 10 MiB file of random bytes
that ntfs-3g wrote into a full volume's one-cluster holes (about 1,250 runs
over six records, with an attribute list) must come out byte for byte, and
--stats must show arena + cache + the loader's other statics + stack
within 32 KiB (root and FUSE needed to write it; else a note; with
--sanitized the stack is not counted).

Prints "SKIP: ..." (ctest: skipped) only when sfdisk or sgdisk is missing.
"""
import argparse
import gzip
import json
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time

MiB = 1 << 20
fails = []
# How to run a command as root (a loop device needs it): [] as root,
# sudo -n when it works without a password (.ci/test asks for it up front),
# None when neither.
AS_ROOT = None


def run(*cmd, inp=None, ok=True):
    p = subprocess.run(cmd, input=inp, capture_output=True, text=True)
    if ok and p.returncode != 0:
        sys.exit("%s failed (%d): %s" % (" ".join(cmd), p.returncode, p.stderr.strip()))
    return p


def check(what, got, want):
    if got != want:
        fails.append(what)
        print("FAIL %s:\n  got  %r\n  want %r" % (what, got, want))


def driver(args, image, ss=512):
    p = run(args.driver, "--sector-size", str(ss), "--mount", image, ok=False)
    parts, ntfs, mounts = [], [], {}
    for line in p.stdout.splitlines():
        f = line.split(" ")
        if f[0] == "part":
            parts.append({"index": int(f[1]), "scheme": f[2], "start": int(f[3]),
                          "length": int(f[4]), "type": f[5], "uuid": f[6],
                          "attrs": int(f[7], 16), "name": " ".join(f[8:])})
        elif f[0] == "ntfs":
            ntfs.append((int(f[1]), int(f[2]), int(f[3])))
        elif f[0] == "mount":
            mounts[int(f[1])] = (f[2], " ".join(f[3:]))
        elif f[0] == "error":
            fails.append("%s: part_list: %s" % (image, line))
            print("FAIL %s: %s" % (image, line))
    if p.returncode not in (0, 1):
        fails.append("%s: part_list exit %d" % (image, p.returncode))
        print(p.stderr)
    return parts, ntfs, mounts


def sfdisk_parts(image, ss):
    t = json.loads(run("sfdisk", "--json", image).stdout)["partitiontable"]
    out = []
    for q in t["partitions"]:
        n = int(re.search(r"(\d+)$", q["node"]).group(1))
        out.append({"index": n, "start": q["start"] * ss, "length": q["size"] * ss,
                    "type": q["type"].upper().zfill(2) if t["label"] == "dos" else q["type"].upper()})
    return t["label"], sorted(out, key=lambda q: q["index"])


def sgdisk_info(image, n, prefix=()):
    """sgdisk -i N: type and unique GUID, first and last sector, attributes, name."""
    out = run(*prefix, "sgdisk", "-i", str(n), image).stdout
    g = dict(re.findall(r"^([A-Za-z ]+): (.*)$", out, re.M))
    name = re.match(r"^'(.*)'$", g["Partition name"]).group(1)
    return {"type": g["Partition GUID code"].split()[0], "uuid": g["Partition unique GUID"],
            "first": int(g["First sector"].split()[0]), "last": int(g["Last sector"].split()[0]),
            "attrs": int(g["Attribute flags"], 16), "name": name}


def fsstat_label(image, offset):
    """The volume label as The Sleuth Kit's fsstat reads it."""
    out = run("fsstat", "-o", str(offset // 512), image).stdout
    return re.search(r"^Volume Name: (.*)$", out, re.M).group(1)


def cli_checks(args, image, what, want, auto_label, labels, bad):
    """The tools on @image: --partitions against @want (index, start, length,
    type), the automatic choice, --partition N for each N in @labels, and
    a failing --partition for each N in @bad."""
    if not args.bin:
        return
    info = os.path.join(args.bin, "ntfs-info")
    p = run(info, "--partitions", image, ok=False)
    got = []
    for line in p.stdout.splitlines()[1:]:
        f = line.split(" ")
        got.append({"index": int(f[0]), "start": int(f[2]), "length": int(f[4]),
                    "type": f[6][2:] if f[6].startswith("0x") else f[6]})
    check("%s: ntfs-info --partitions (exit %d)" % (what, p.returncode),
          got, [dict((k, q[k]) for k in ("index", "start", "length", "type")) for q in want])

    def label(*opts):
        q = run(info, *opts, image, ok=False)
        m = re.search(r"^label: (.*)$", q.stdout, re.M)
        return m.group(1) if q.returncode == 0 and m else "exit %d: %s" % (q.returncode,
                                                                           q.stderr.strip())
    check("%s: ntfs-info IMAGE picks the first NTFS partition" % what, label(), auto_label)
    for n, lab in labels.items():
        check("%s: ntfs-info --partition %d" % (what, n), label("--partition", str(n)), lab)
    for n in bad:
        q = run(os.path.join(args.bin, "ntfs-ls"), "--partition", str(n), image, ok=False)
        check("%s: ntfs-ls --partition %d fails with a message" % (what, n),
              (q.returncode, q.stderr.startswith("ntfs-ls: ")), (1, True))
    print("%s: ntfs-info --partitions lists %d; IMAGE alone mounts %r; --partition %s; "
          "--partition %s fail" % (what, len(got), auto_label, sorted(labels), bad))


def sparse_image(path, size):
    with open(path, "wb") as f:
        f.truncate(size)


def boot_files(seed, sizes):
    """Files of random bytes: {path: bytes}, the same on every run."""
    rng = random.Random("part_tools:%s" % seed)
    return dict((path, rng.randbytes(n)) for path, n in sizes)


def boot_dir():
    """Where the files go: a directory when ntfs-3g can mount (FUSE, root),
    the root when only ntfscp (which makes no directories) may write."""
    return "/boot" if os.geteuid() == 0 and os.path.exists("/dev/fuse") else ""


def mounted(mnt):
    with open("/proc/self/mounts") as f:
        return any(line.split()[1] == mnt for line in f if len(line.split()) > 1)


def ntfs3g_write(args, vol, files):
    """Write @files into the volume file @vol through an ntfs-3g mount
    (FUSE, root only); False when ntfs-3g cannot mount here."""
    if os.geteuid() != 0 or not os.path.exists("/dev/fuse") or not shutil.which("ntfs-3g"):
        return False
    mnt = tempfile.mkdtemp(dir=args.work)
    # no_detach: ours to wait for, so every byte is on the file afterwards.
    daemon = subprocess.Popen(["ntfs-3g", "-o", "no_detach", vol, mnt],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(100):
        if mounted(mnt) or daemon.poll() is not None:
            break
        time.sleep(0.1)
    if not mounted(mnt):
        daemon.kill()
        daemon.wait()
        os.rmdir(mnt)
        return False
    try:
        for path, data in files.items():
            dst = os.path.join(mnt, path.lstrip("/"))
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            with open(dst, "wb") as f:
                f.write(data)
    finally:
        run("umount", mnt)
        daemon.wait(timeout=60)
        os.rmdir(mnt)
    return True


def ntfscp_write(vol, files):
    """The same with ntfscp (libntfs-3g, no FUSE): no directories made, so
    only files at the root."""
    for path, data in files.items():
        with tempfile.NamedTemporaryFile() as src:
            src.write(data)
            src.flush()
            run("ntfscp", "-f", "-q", vol, src.name, path)


def put_ntfs(args, image, offset, size, label, ss=512, files=None):
    """mkntfs a volume of @size bytes into the image at @offset, with
    @files ({path: bytes}) written in by ntfs-3g; returns how they were
    written ("ntfs-3g", "ntfscp") or None."""
    vol = os.path.join(args.work, "vol.tmp")
    sparse_image(vol, size)
    run("mkntfs", "-F", "-Q", "-q", "-s", str(ss), "-L", label, vol)
    how = None
    if files:
        if ntfs3g_write(args, vol, files):
            how = "ntfs-3g"
        elif shutil.which("ntfscp") and all(p.count("/") == 1 for p in files):
            ntfscp_write(vol, files)
            how = "ntfscp"
    with open(vol, "rb") as src, open(image, "r+b") as dst:
        pos = 0
        while True:
            b = src.read(MiB)
            if not b:
                break
            if b.count(0) != len(b):
                dst.seek(offset + pos)
                dst.write(b)
            pos += len(b)
    os.unlink(vol)
    return how


def boot(args, image, path, *opts):
    """ntfs-boot's exit status, output and message."""
    p = subprocess.run([args.boot, *opts, image, path], capture_output=True)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace").strip()


def boot_checks(args, image, what, loads, bad=(), ss=512):
    """ntfs-boot on @image: each (partition or 0, path, bytes) of @loads
    must load exactly; each partition in @bad must fail with a message, and
    so must the first load with a buffer one byte short."""
    if not args.boot or not loads:
        return
    sso = ["--sector-size", str(ss)] if ss != 512 else []
    for part, path, data in loads:
        po = ["--partition", str(part)] if part else []
        rc, out, err = boot(args, image, path, *sso, *po, "--stats")
        check("%s: ntfs-boot %s%s (exit %d: %s)" % (what, " ".join(po + [""]), path, rc, err),
              (rc, len(out), out == data), (0, len(data), True))
        m = re.search(r"high-water mark (\d+) of (\d+) bytes, (\d+) in use", err)
        check("%s: ntfs-boot --stats %s: arena used, within its size, all freed" % (what, path),
              bool(m) and 0 < int(m.group(1)) <= int(m.group(2)) and m.group(3) == "0", True)
        for k in ("cache: ", "hits", "misses", "device: ", "reads"):
            check("%s: ntfs-boot --stats says %r" % (what, k), k in err, True)
    part, path, data = loads[0]
    po = ["--partition", str(part)] if part else []
    rc, out, err = boot(args, image, path, *sso, *po, "--max-size", str(len(data) - 1))
    check("%s: ntfs-boot --max-size %d %s fails" % (what, len(data) - 1, path),
          (rc, out, err.startswith("ntfs-boot: %s: %d bytes, larger than" % (path, len(data)))),
          (1, b"", True))
    rc, out, _ = boot(args, image, path, *sso, *po, "--max-size", str(len(data)))
    check("%s: ntfs-boot --max-size %d (exactly) %s" % (what, len(data), path),
          (rc, out == data), (0, True))
    for n in bad:
        rc, out, err = boot(args, image, loads[0][1], *sso, "--partition", str(n))
        check("%s: ntfs-boot --partition %d fails with a message (%s)" % (what, n, err),
              (rc, out, err.startswith("ntfs-boot: ") and
               bool(re.search(r"partition %d is not an NTFS volume$|no partition %d$" % (n, n),
                              err))), (1, b"", True))
    print("%s: ntfs-boot: %d loads byte for byte; a short buffer and --partition %s "
          "fail" % (what, len(loads), list(bad)))


def put_exfat(image, offset):
    with open(image, "r+b") as f:
        f.seek(offset + 3)
        f.write(b"EXFAT   ")
        f.seek(offset + 510)
        f.write(b"\x55\xaa")


def compare_sfdisk(args, image, ss, what):
    label, want = sfdisk_parts(image, ss)
    parts, ntfs, mounts = driver(args, image, ss)
    got = [{"index": q["index"], "start": q["start"], "length": q["length"], "type": q["type"]}
           for q in parts]
    check("%s: partitions (sfdisk --json)" % what, got, want)
    check("%s: scheme" % what, sorted({q["scheme"] for q in parts}),
          ["mbr" if label == "dos" else "gpt"])
    return parts, ntfs, mounts


def mbr_disk(args):
    img = os.path.join(args.work, "mbr.img")
    sparse_image(img, 64 * MiB)
    run("sfdisk", "--quiet", img, inp="\n".join([
        "label: dos",
        "start=2048, size=20480, type=7, bootable",
        "start=24576, size=90112, type=5",
        "start=116736, size=8192, type=83",
        "start=26624, size=8192, type=83",
        "start=36864, size=40960, type=7",
        "start=79872, size=8192, type=c",
        ""]))
    d = boot_dir()
    one = boot_files("mbr1", [(d + "/kernel.bin", 300001), ("/loader.cfg", 200)])
    six = boot_files("mbr6", [(d + "/kernel.bin", 1048583)])
    how1 = put_ntfs(args, img, 2048 * 512, 20480 * 512, "mbrone", files=args.boot and one)
    how6 = put_ntfs(args, img, 36864 * 512, 40960 * 512, "logical6", files=args.boot and six)
    parts, ntfs, mounts = compare_sfdisk(args, img, 512, "mbr")
    check("mbr: boot flag", [q["attrs"] for q in parts], [0x80, 0, 0, 0, 0, 0])
    check("mbr: ntfs", ntfs, [(1, 2048 * 512, 20480 * 512), (6, 36864 * 512, 40960 * 512)])
    check("mbr: labels", sorted(v[1] for v in mounts.values()), ["logical6", "mbrone"])
    cli_checks(args, img, "mbr", sfdisk_parts(img, 512)[1], "mbrone",
               {1: "mbrone", 6: "logical6"}, [2, 3, 4, 8])
    if args.boot and not (how1 and how6):
        print("note: mbr: neither ntfs-3g nor ntfscp could write the files: ntfs-boot skipped")
    elif args.boot:
        k = d + "/kernel.bin"
        boot_checks(args, img, "mbr (files by %s)" % how1,
                    [(0, k, one[k]), (0, "/loader.cfg", one["/loader.cfg"]), (1, k, one[k]),
                     (6, k, six[k])], [2, 3, 5, 7, 8])
    print("mbr: %d partitions as sfdisk says; NTFS 1 and 6 mounted" % len(parts))


def mbr_4k(args):
    """An MBR disk of 4096-byte sectors copied to a file: its sector numbers
    also read as 512-byte ones, which point at no NTFS volume, so the tools
    must take them as 4 KiB. The table is written here (sfdisk sets no
    sector size on a file): the expected answer is these bytes and the
    label mkntfs wrote."""
    img = os.path.join(args.work, "mbr4k.img")
    sparse_image(img, 64 * MiB)
    rows = [(1, 256, 4096, 0x07), (2, 4352, 2048, 0x83)]
    with open(img, "r+b") as f:
        for n, start, count, kind in rows:
            f.seek(446 + 16 * (n - 1))
            f.write(struct.pack("<BBBBBBBBII", 0, 0xFE, 0xFF, 0xFF, kind, 0xFE, 0xFF, 0xFF,
                                start, count))
        f.seek(510)
        f.write(b"\x55\xaa")
    put_ntfs(args, img, 256 * 4096, 4096 * 4096, "mbr4k", 4096)
    want = [{"index": n, "start": start * 4096, "length": count * 4096, "type": "%02X" % kind}
            for n, start, count, kind in rows]
    cli_checks(args, img, "mbr 4096", want, "mbr4k", {1: "mbr4k"}, [2, 3])
    # An image smaller than one 4 KiB sector with a valid MBR naming no
    # NTFS volume: still listed with 512-byte sectors.
    small = os.path.join(args.work, "small.img")
    with open(small, "wb") as f:
        f.write(bytes(446) + struct.pack("<BBBBBBBBII", 0, 0, 2, 0, 0x83, 0, 3, 0, 2, 3) +
                bytes(48) + b"\x55\xaa" + bytes(2560))
    if args.bin:
        p = run(os.path.join(args.bin, "ntfs-info"), "--partitions", small, ok=False)
        check("small MBR image: ntfs-info --partitions", (p.returncode, p.stdout.splitlines()),
              (0, ["MBR, 512-byte sectors", "1 start 1024 length 1536 type 0x83"]))
    os.unlink(small)


def gpt_disk(args, ss):
    img = os.path.join(args.work, "gpt%d.img" % ss)
    sparse_image(img, 64 * MiB)
    loop = None
    target = img
    prefix = ()
    if ss != 512:
        if AS_ROOT is None or not shutil.which("losetup"):
            print("note: gpt %d: neither root nor sudo -n, or no losetup: test_part's "
                  "hand-built 4Kn GPT only" % ss)
            return
        prefix = tuple(AS_ROOT)
        p = run(*prefix, "losetup", "-f", "--show", "--sector-size", str(ss), img, ok=False)
        if p.returncode != 0:
            print("note: gpt %d: losetup failed (%s): test_part's hand-built 4Kn GPT only"
                  % (ss, p.stderr.strip()))
            return
        loop = target = p.stdout.strip()
    try:
        unit = MiB // ss
        run(*prefix, "sgdisk", "-o",
            "-n", "1:%d:+16M" % unit, "-t", "1:0700", "-c", "1:Données système",
            "-n", "2:0:+8M", "-t", "2:8300", "-c", "2:root",
            "-n", "3:0:+4M", "-t", "3:0700", "-c", "3:exfat",
            "-n", "5:0:+4M", "-t", "5:ef00", "-c", "5:EFI system partition",
            "-A", "1:set:0", "-A", "2:set:63", target)
        infos = dict((n, sgdisk_info(target, n, prefix)) for n in (1, 2, 3, 5))
    finally:
        if loop:
            run(*prefix, "losetup", "-d", loop)
    efi = boot_dir().replace("/boot", "/EFI/BOOT") + "/BOOTX64.EFI"
    files = boot_files("gpt%d" % ss, [(efi, 700037)])
    how = put_ntfs(args, img, infos[1]["first"] * ss,
                   (infos[1]["last"] - infos[1]["first"] + 1) * ss, "gptvol", ss,
                   files=args.boot and files)
    put_exfat(img, infos[3]["first"] * ss)
    want = [{"index": n, "start": i["first"] * ss, "length": (i["last"] - i["first"] + 1) * ss,
             "type": i["type"], "uuid": i["uuid"], "attrs": i["attrs"], "name": i["name"]}
            for n, i in sorted(infos.items())]
    parts, ntfs, mounts = driver(args, img, ss)
    got = [dict((k, q[k]) for k in want[0]) for q in parts]
    check("gpt %d: partitions (sgdisk -i)" % ss, got, want)
    check("gpt %d: ntfs" % ss, [n[0] for n in ntfs], [1])
    check("gpt %d: label" % ss, [v[1] for v in mounts.values()], ["gptvol"])
    if ss == 512:
        compare_sfdisk(args, img, ss, "gpt 512")
    cli_checks(args, img, "gpt %d" % ss, want, "gptvol", {1: "gptvol"}, [2, 3, 4])
    if args.boot and not how:
        print("note: gpt %d: neither ntfs-3g nor ntfscp could write the file: ntfs-boot "
              "skipped" % ss)
    elif args.boot:
        boot_checks(args, img, "gpt %d (file by %s)" % (ss, how),
                    [(0, efi, files[efi]), (1, efi, files[efi])], [2, 3, 4, 5], ss)
    # The primary header wiped: the backup, the same answer.
    with open(img, "r+b") as f:
        f.seek(ss)
        f.write(bytes(ss))
    parts, ntfs, _ = driver(args, img, ss)
    check("gpt %d, backup header: partitions" % ss, [dict((k, q[k]) for k in want[0])
                                                     for q in parts], want)
    print("gpt %d: %d partitions as sgdisk says, primary and backup" % (ss, len(want)))


def bare_volume(args):
    """A disk that is one NTFS volume, no partition table: ntfs-boot reads
    it whole, and has no partition 1."""
    if not args.boot:
        return
    img = os.path.join(args.work, "bare.img")
    sparse_image(img, 16 * MiB)
    path = boot_dir() + "/kernel.bin"
    files = boot_files("bare", [(path, 123457)])
    how = put_ntfs(args, img, 0, 16 * MiB, "bare", files=files)
    if not how:
        print("note: bare volume: neither ntfs-3g nor ntfscp could write the file: skipped")
        return
    boot_checks(args, img, "bare volume (file by %s)" % how, [(0, path, files[path])], [1])


def fragmented_32k(args):
    """ntfs-boot-32k loads a fragmented 10 MiB file in 32 KiB of RAM."""
    if not args.boot_32k:
        return
    if os.geteuid() != 0 or not os.path.exists("/dev/fuse") or not shutil.which("ntfs-3g"):
        print("note: 32 KiB load: ntfs-3g cannot mount here (root and /dev/fuse): skipped")
        return
    img = os.path.join(args.work, "frag32k.img")
    sparse_image(img, 56 * MiB)
    run("mkntfs", "-F", "-Q", "-q", "-s", "512", "-c", "4096", "-L", "frag", img)
    mnt = tempfile.mkdtemp(dir=args.work)
    data = boot_files("frag32k", [("/frag.bin", 10 * MiB)])["/frag.bin"]
    run("ntfs-3g", img, mnt)
    try:
        # Fill the volume with one-cluster files and free every other one,
        # so the file goes into the holes.
        os.mkdir(os.path.join(mnt, "fill"))
        n = 0
        try:
            while True:
                with open(os.path.join(mnt, "fill", "%05d" % n), "wb") as f:
                    f.write(b"x" * 4096)
                n += 1
        except OSError:
            pass
        for i in range(0, n, 2):
            os.unlink(os.path.join(mnt, "fill", "%05d" % i))
        with open(os.path.join(mnt, "frag.bin"), "wb") as f:
            f.write(data)
    finally:
        run("umount", mnt)
        os.rmdir(mnt)
    runs = len(re.findall(r"^\s+0x[0-9a-f]+\s+0x[0-9a-f]+\s+0x[0-9a-f]+$",
                          run("ntfsinfo", "-v", "-F", "/frag.bin", img).stdout, re.M))
    p = subprocess.run([args.boot_32k, "--stats", img, "/frag.bin"], capture_output=True)
    err = p.stderr.decode("utf-8", "replace")
    check("32 KiB load: ntfs-boot-32k /frag.bin (exit %d: %s)" % (p.returncode, err.strip()),
          (p.returncode, len(p.stdout), p.stdout == data), (0, len(data), True))
    arena = re.search(r"high-water mark (\d+) of (\d+) bytes", err)
    cache = re.search(r"cache: \d+ slots? of \d+ bytes \((\d+) bytes\)", err)
    other = re.search(r"other static memory: (\d+) bytes", err)
    stack = re.search(r"stack: (\d+) bytes", err)
    if not (arena and cache and other and stack):
        check("32 KiB load: --stats has arena, cache, static and stack lines", err, "")
        return
    total = int(arena.group(2)) + int(cache.group(1)) + int(other.group(1)) + int(stack.group(1))
    if args.sanitized:
        print("note: 32 KiB load: a sanitizer build's stack (%s bytes) is not counted" %
              stack.group(1))
        total = 0
    check("32 KiB load: arena %s + cache %s + other statics %s + stack %s = %d bytes, "
          "at most 32768" % (arena.group(2), cache.group(1), other.group(1), stack.group(1),
                             total), total <= 32768, True)
    print("32 KiB load: 10 MiB, ntfsinfo lists %d runs: arena %s (high-water %s), cache %s, "
          "other statics %s, stack %s: %d bytes" % (runs, arena.group(2), arena.group(1),
                                                    cache.group(1), other.group(1),
                                                    stack.group(1), total))
    os.unlink(img)


def boot_icat(args, img, offset):
    """ntfs-boot on a shared Windows disk against The Sleuth Kit's icat."""
    if not args.boot:
        return
    if not shutil.which("icat") or not shutil.which("ifind"):
        print("note: icat or ifind missing (Debian: sleuthkit): ntfs-boot on %s skipped" % img)
        return
    o = str(offset // 512)
    loads = []
    for path in ("/os_version.txt", "/1.txt"):
        inode = run("ifind", "-o", o, "-n", path, img).stdout.strip()
        want = subprocess.run(["icat", "-o", o, img, inode], capture_output=True,
                              check=True).stdout
        loads.append((0, path, want))
        loads.append((1, path, want))
    boot_checks(args, img, "%s (icat)" % os.path.basename(img), loads, [2])


def shared_disks(args):
    d = os.path.join(args.shared, "windows")
    names = ["ntfs-ramslack.raw.gz", "ntfs_index.raw.gz"]
    if not all(os.path.exists(os.path.join(d, n)) for n in names):
        print("note: %s absent: the shared Windows disks skipped" % d)
        return
    for n in names:
        img = os.path.join(args.work, n[:-3])
        # Sparse: runs of zeros become holes (the larger one is 1 GiB).
        with gzip.open(os.path.join(d, n), "rb") as src, open(img, "wb") as dst:
            while True:
                b = src.read(MiB)
                if not b:
                    break
                if b.count(0) == len(b):
                    dst.seek(len(b), 1)
                else:
                    dst.write(b)
            dst.truncate()
        parts, ntfs, mounts = compare_sfdisk(args, img, 512, n)
        check("%s: NTFS at 65536" % n, [(q[0], q[1]) for q in ntfs], [(1, 65536)])
        check("%s: mounted" % n, sorted(mounts), [1])
        lab = fsstat_label(img, 65536)
        cli_checks(args, img, n, sfdisk_parts(img, 512)[1], lab, {1: lab}, [2])
        if n == "ntfs-ramslack.raw.gz":
            boot_icat(args, img, 65536)
        os.unlink(img)
        print("%s: %d partitions as sfdisk says; NTFS at 65536 mounted" % (n, len(parts)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--driver", required=True)
    ap.add_argument("--shared", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--bin", help="the tools (ntfs-info, ntfs-ls) to check too")
    ap.add_argument("--boot", help="examples/boot's ntfs-boot, to check too")
    ap.add_argument("--boot-32k", help="examples/boot built for 32 KiB of RAM (ntfs-boot-32k)")
    ap.add_argument("--sanitized", action="store_true",
                    help="a sanitizer build: its stack is not what a loader uses")
    args = ap.parse_args()
    # sfdisk, sgdisk and mkntfs live in /usr/sbin, which a user's PATH may
    # lack; on image files they need no root.
    os.environ["PATH"] = os.environ.get("PATH", "") + ":/usr/sbin:/sbin"
    global AS_ROOT
    if os.geteuid() == 0:
        AS_ROOT = []
    elif shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"],
                                                 capture_output=True).returncode == 0:
        AS_ROOT = ["sudo", "-n"]
    for tool in ("sfdisk", "sgdisk", "mkntfs"):
        if not shutil.which(tool):
            print("SKIP: %s not installed (Debian: fdisk, gdisk, ntfs-3g)" % tool)
            return 0
    os.makedirs(args.work, exist_ok=True)
    mbr_disk(args)
    mbr_4k(args)
    gpt_disk(args, 512)
    gpt_disk(args, 4096)
    bare_volume(args)
    fragmented_32k(args)
    shared_disks(args)
    for f in os.listdir(args.work):
        if f.endswith(".img"):
            os.unlink(os.path.join(args.work, f))
    if fails:
        print("part_tools: %d FAILED" % len(fails))
        return 1
    print("part_tools: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
