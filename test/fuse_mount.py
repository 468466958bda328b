#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""ntfs-mount against ntfs-3g's read-only mount of the same images.

Usage (ctest runs this): python3 test/fuse_mount.py --bin BUILD/bin
    --images test/images --work DIR [--image NAME]... [--keep]

Each test image is mounted twice, with `ntfs-mount` and with `ntfs-3g -o ro`
(the oracle), and the two trees are compared entry by entry: names,
types, sizes, st_blocks, link counts, inode numbers, owners, modes, the
three times to the nanosecond, device numbers, symlink targets, content
hashes (files over 64 MiB: 1 MiB at the start, in the middle and at the
end), extended attribute names, and the values of those and of the
system.ntfs_* attributes both sides give. Differences on purpose are
listed in KNOWN below and checked against what the image builder recorded
(test/images/NAME.json), never against our own output.

Then, on our mount: every write-type system call fails with EROFS; each
mount option takes effect; a directory listing resumes where telldir()
said, also in a fresh mount; 8 threads' random reads equal ntfs-3g's
bytes; a partitioned disk, -f, a hibernated volume and a dirty one;
posix_nlink and ignore_case trees against ntfs-3g's and lowntfs-3g's with
the same options; copies with random
damage keep the daemon answering; and the image's SHA-256 is unchanged
after every session. With --shared, the real volumes of ../shared/images
are compared with ntfs-3g's view as well.

A user for whom `sudo -n` works runs it through sudo (.ci/test asks for
the password once). Without root, /dev/fuse or ntfs-3g it prints
"SKIP: ..." and exits 0, unless the environment variable CI is set: then
it fails.
"""
import argparse
import errno
import hashlib
import json
import lzma
import os
import shutil
import stat
import subprocess
import sys
import time

from ntfsref import sudo  # test/ntfsref

IMAGES = ["ntfs-special", "ntfs-names", "ntfs-c4k", "ntfs-secure"]
SYSTEM_XATTRS = ["system.ntfs_attrib", "system.ntfs_attrib_be", "system.ntfs_times",
                 "system.ntfs_times_be", "system.ntfs_crtime", "system.ntfs_crtime_be",
                 "system.ntfs_reparse_data", "system.ntfs_acl", "system.ntfs_ea",
                 "system.ntfs_object_id", "system.ntfs_dos_name"]
BIG = 64 << 20
SAMPLE = 1 << 20

failures = 0
checks = 0


def log(msg):
    print(msg, flush=True)


def fail(msg):
    global failures
    failures += 1
    log("FAIL: " + msg)


def check(cond, msg):
    global checks
    checks += 1
    if not cond:
        fail(msg)
    return cond


def short(v):
    r = repr(v)
    return r if len(r) <= 120 else r[:100] + "...(%d chars)" % len(r)


def env_ci():
    v = os.environ.get("CI", "")
    return v not in ("", "0", "false", "False", "FALSE", "no")


def content_hash(path, size):
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            if size <= BIG:
                while True:
                    b = f.read(1 << 20)
                    if not b:
                        break
                    h.update(b)
            else:
                for off in (0, size // 2, size - SAMPLE):
                    f.seek(off)
                    h.update(f.read(SAMPLE))
    except OSError as e:
        return "error %s" % errno.errorcode.get(e.errno, e.errno)
    return h.hexdigest()


_libc = None


def xattr_get(path, name):
    """The value as getfattr reads it: its size first, then a buffer of
    that size (os.getxattr() starts with 128 bytes, and ntfs-3g answers a
    buffer too small with EIO, not ERANGE)."""
    import ctypes
    import ctypes.util
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        _libc.lgetxattr.restype = ctypes.c_ssize_t
        _libc.lgetxattr.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_void_p,
                                    ctypes.c_size_t]
    p, n = os.fsencode(path), name.encode()
    size = _libc.lgetxattr(p, n, None, 0)
    if size >= 0:
        buf = ctypes.create_string_buffer(max(size, 1))
        size = _libc.lgetxattr(p, n, buf, size)
        if size >= 0:
            return buf.raw[:size].hex()
    e = ctypes.get_errno()
    return "error %s" % errno.errorcode.get(e, e)


def dotdot_ino(path):
    """The d_ino a listing of directory path gives "..", or an error."""
    libc = dir_libc()
    d = libc.opendir(os.fsencode(path))
    if not d:
        return "error opendir"
    try:
        while True:
            e = libc.readdir(d)
            if not e:
                return "error no .."
            if e.contents.d_name == b"..":
                return e.contents.d_ino
    finally:
        libc.closedir(d)


def describe(root, rel):
    """What one entry looks like through a mount."""
    p = os.path.join(root, rel) if rel else root
    try:
        st = os.lstat(p)
    except OSError as e:
        return {"lstat": "error %s" % errno.errorcode.get(e.errno, e.errno)}
    d = {
        "type": stat.S_IFMT(st.st_mode),
        "perm": "%o" % stat.S_IMODE(st.st_mode),
        "ino": st.st_ino,
        "nlink": st.st_nlink,
        "uid": st.st_uid,
        "gid": st.st_gid,
        "size": st.st_size,
        "blocks": st.st_blocks,
        "atime": st.st_atime_ns,
        "mtime": st.st_mtime_ns,
        "ctime": st.st_ctime_ns,
    }
    if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
        d["rdev"] = (os.major(st.st_rdev), os.minor(st.st_rdev))
    if stat.S_ISLNK(st.st_mode):
        d["target"] = os.readlink(p)
    if stat.S_ISREG(st.st_mode):
        d["sha256"] = content_hash(p, st.st_size)
    if stat.S_ISDIR(st.st_mode):
        d[".. ino"] = dotdot_ino(p)
    if not stat.S_ISLNK(st.st_mode):
        try:
            names = sorted(os.listxattr(p, follow_symlinks=False))
        except OSError as e:
            names = ["error %s" % errno.errorcode.get(e.errno, e.errno)]
        d["xattrs"] = names
        for n in names:
            if n.startswith("user."):
                d["xattr " + n] = xattr_get(p, n)
        for n in SYSTEM_XATTRS:
            d["xattr " + n] = xattr_get(p, n)
    return d


def other_case(root, out):
    """Whether each name looked up in another case is found (ntfs-3g:
    names match exactly, DOS names and all)."""
    for rel in list(out):
        base = os.path.basename(rel)
        if base.swapcase() != base:
            alt = os.path.join(os.path.dirname(rel), base.swapcase())
            out[rel]["other case found"] = os.path.lexists(os.path.join(root, alt))


def walk(root, prune=()):
    """Every entry under root: relative path -> description; the entries of
    the directories in prune are left out."""
    out = {"": describe(root, "")}
    for dirpath, dirnames, filenames in os.walk(root):
        if os.path.relpath(dirpath, root) in prune:
            dirnames[:] = []
            continue
        for n in dirnames + filenames:
            rel = os.path.relpath(os.path.join(dirpath, n), root)
            out[rel] = describe(root, rel)
    other_case(root, out)
    return out


def unpack(images, name, work):
    img = os.path.join(work, name + ".img")
    with lzma.open(os.path.join(images, name + ".img.xz")) as src, open(img, "wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
    return img


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            b = f.read(1 << 20)
            if not b:
                return h.hexdigest()
            h.update(b)


def is_mounted(mnt):
    with open("/proc/self/mounts") as f:
        return any(line.split()[1] == mnt for line in f)


def unmount(mnt):
    for _ in range(50):
        if not is_mounted(mnt):
            return
        subprocess.run(["fusermount3", "-u", mnt], capture_output=True)
        if not is_mounted(mnt):
            return
        time.sleep(0.1)
    subprocess.run(["umount", "-l", mnt], capture_output=True)


def mount_ours(bin_dir, img, mnt, opts=None):
    os.makedirs(mnt, exist_ok=True)
    cmd = [os.path.join(bin_dir, "ntfs-mount")]
    if opts:
        cmd += ["-o", opts]
    r = subprocess.run(cmd + [img, mnt], capture_output=True, text=True)
    if r.returncode != 0 or not is_mounted(mnt):
        fail("ntfs-mount %s %s: status %d: %s" % (img, opts or "", r.returncode, r.stderr))
        return False
    return True


def mount_3g(img, mnt, opts="ro", prog="ntfs-3g"):
    os.makedirs(mnt, exist_ok=True)
    r = subprocess.run([prog, "-o", opts, img, mnt], capture_output=True, text=True)
    if r.returncode != 0:
        fail("%s -o %s %s: %s" % (prog, opts, img, r.stderr))
        return False
    return True


def manifest(images, name):
    path = os.path.join(images, name + ".json")
    if not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as f:
        m = json.load(f)
    out = {e["path"].lstrip("/"): e for e in m.get("entries", [])}
    # ntfs-secure.json records the system files' descriptors: the root's.
    for e in m.get("system", []):
        if e.get("inode") == 5 and e.get("sd_hex"):
            out[""] = e
    return out


def wsl_expected(entry):
    """uid, gid and mode that the $LX* EAs the builder wrote say."""
    out = {}
    for ea in entry.get("eas", []):
        if "value_hex" not in ea:
            continue
        v = int.from_bytes(bytes.fromhex(ea["value_hex"]), "little")
        if ea["name"] == "$LXUID":
            out["uid"] = v
        elif ea["name"] == "$LXGID":
            out["gid"] = v
        elif ea["name"] == "$LXMOD":
            out["mode"] = v
    return out


# Fields that depend on what a reparse tag means: ntfs-3g without a plugin
# for the tag shows a symlink to "unsupported reparse tag 0x...".
TAG_FIELDS = ("type", "size", "blocks", "sha256", "target", "perm", "nlink", ".. ino")
notes = []


def manifest_checks(where, o, e):
    """Our values against the bytes the image builder recorded."""
    sha = lambda v: hashlib.sha256(bytes.fromhex(v)).hexdigest() if not v.startswith("error") else v
    if "ea_hex" in e:
        check(o.get("xattr system.ntfs_ea") == e["ea_hex"], "%s: system.ntfs_ea is not the "
              "$EA the builder wrote" % where)
    elif "ea_sha256" in e:
        check(sha(o.get("xattr system.ntfs_ea", "error")) == e["ea_sha256"],
              "%s: system.ntfs_ea does not hash as the builder's $EA" % where)
    if "sd_hex" in e and "xattr system.ntfs_acl" in o:
        check(o.get("xattr system.ntfs_acl") == e["sd_hex"], "%s: system.ntfs_acl is not the "
              "descriptor the builder recorded" % where)
    if "reparse_hex" in e and "xattr system.ntfs_reparse_data" in o:
        check(o["xattr system.ntfs_reparse_data"] == e["reparse_hex"],
              "%s: system.ntfs_reparse_data is not the builder's" % where)


def lx_from_ea(value_hex):
    """uid, gid and mode from the $LX* entries of a raw $EA (as ntfs-3g's
    system.ntfs_ea gives it): FILE_FULL_EA_INFORMATION records."""
    out = {}
    if not value_hex or value_hex.startswith("error"):
        return out
    b = bytes.fromhex(value_hex)
    pos = 0
    while pos + 8 <= len(b):
        nxt = int.from_bytes(b[pos:pos + 4], "little")
        nlen, vlen = b[pos + 5], int.from_bytes(b[pos + 6:pos + 8], "little")
        name = b[pos + 8:pos + 8 + nlen]
        val = b[pos + 9 + nlen:pos + 9 + nlen + vlen]
        key = {b"$LXUID": "uid", b"$LXGID": "gid", b"$LXMOD": "mode"}.get(name)
        if key and len(val) == 4:
            out[key] = int.from_bytes(val, "little")
        if nxt == 0:
            break
        pos += nxt
    return out


def statfs_checks(name, ours_mnt, theirs_mnt):
    """statfs: sizes, free clusters and records from the two bitmaps."""
    so, st = os.statvfs(ours_mnt), os.statvfs(theirs_mnt)
    for f in ("f_bsize", "f_frsize", "f_blocks", "f_bfree", "f_bavail", "f_files", "f_ffree",
              "f_favail", "f_namemax"):
        check(getattr(so, f) == getattr(st, f), "%s: statfs %s: %d, ntfs-3g %d" % (
            name, f, getattr(so, f), getattr(st, f)))
    check(so.f_flag & os.ST_RDONLY, "%s: statfs: not ST_RDONLY" % name)


def compare(name, ours, theirs, spec, ours_mnt, theirs_mnt):
    """ntfs-3g's tree against ours, field by field, with KNOWN differences."""
    for rel in sorted(set(ours) | set(theirs)):
        where = "%s:/%s" % (name, rel)
        if rel not in theirs:
            fail("%s: shown by ntfs-mount, not by ntfs-3g" % where)
            continue
        if rel not in ours:
            fail("%s: shown by ntfs-3g, not by ntfs-mount" % where)
            continue
        o, t = dict(ours[rel]), dict(theirs[rel])
        e = spec.get(rel, {})
        manifest_checks(where, o, e)
        for d, mnt in ((o, ours_mnt), (t, theirs_mnt)):
            if "target" in d and d["target"].startswith(mnt + "/"):
                d["target"] = "$MNT" + d["target"][len(mnt):]
        # WSL metadata: from the $EA bytes ntfs-3g hands out, else from
        # what the image builder wrote.
        lx = lx_from_ea(t.get("xattr system.ntfs_ea")) or wsl_expected(e)
        unsupported = t.get("target", "").startswith("unsupported reparse tag")
        if unsupported:
            # KNOWN: ntfs-3g here has no plugin for this reparse tag (WOF,
            # cloud files, dedup, a third party's; or a symlink whose target
            # is missing): we show the file as the core reads it. Checked
            # against the builder's record.
            if not spec:
                notes.append("%s: ntfs-3g: %s; ours not checked (no manifest)" % (
                    where, t["target"]))
                continue
            check("reparse_tag" in e, "%s: ntfs-3g says %r, the manifest has no reparse "
                  "point" % (where, t["target"]))
            if e.get("kind") == "winsymlink":
                want = e["substitute_name"].replace("\\", "/")
                check(o.get("target") == want, "%s: target %r, the link holds %r" % (
                    where, o.get("target"), want))
            elif e.get("is_dir"):
                check(o["type"] == stat.S_IFDIR, "%s: not a directory" % where)
            elif "sha256" in e:
                # Over BIG bytes only samples are hashed: then the size.
                check(o["type"] == stat.S_IFREG and o["size"] == e["size"] and
                      (o.get("sha256") == e["sha256"] or e["size"] > BIG),
                      "%s: content is not what the builder wrote" % where)
            notes.append("%s: ntfs-3g: %s" % (where, t["target"]))
        for k in sorted(set(o) | set(t)):
            ov, tv = o.get(k), t.get(k)
            if unsupported and (k in TAG_FIELDS or k.startswith("xattr")):
                continue
            # KNOWN: WSL owner and mode. ntfs-3g ignores $LXUID, $LXGID and
            # $LXMOD; we show them. Checked against the builder's bytes.
            if k == "uid" and "uid" in lx:
                check(ov == lx["uid"], "%s: uid %s, $LXUID says %s" % (where, ov, lx["uid"]))
                continue
            if k == "gid" and "gid" in lx:
                check(ov == lx["gid"], "%s: gid %s, $LXGID says %s" % (where, ov, lx["gid"]))
                continue
            if k == "perm" and "mode" in lx:
                want = "%o" % stat.S_IMODE(lx["mode"])
                check(ov == want, "%s: mode %s, $LXMOD says %s" % (where, ov, want))
                continue
            # KNOWN: ntfs-3g rewrites a relative Windows symlink's target to
            # the case of the names on disk; we give the target as stored.
            if k == "target" and e.get("kind") == "winsymlink" and ov != tv and \
                    ov == e.get("substitute_name", "").replace("\\", "/") and \
                    ov.lower() == (tv or "").lower():
                notes.append("%s: target %r, ntfs-3g %r (case from the disk)" % (where, ov, tv))
                continue
            # KNOWN: the root is in no directory, so it has no DOS name:
            # ENODATA, as lowntfs-3g says; ntfs-3g's high-level driver EPERM.
            if k == "xattr system.ntfs_dos_name" and rel == "" and ov == "error ENODATA" \
                    and tv == "error EPERM":
                notes.append("%s: system.ntfs_dos_name: ENODATA, ntfs-3g EPERM" % where)
                continue
            check(ov == tv, "%s: %s: ntfs-mount %s, ntfs-3g %s" % (where, k, short(ov), short(tv)))


def windows_checks(bin_dir, img, name, ours, spec, ours_mnt, theirs_mnt):
    """streams_interface=windows on both mounts: every named stream our
    xattr view listed, opened as FILE:STREAM, has ntfs-3g's attributes and
    bytes; a stream that is not there is ENOENT; streams are not listed."""
    streams = [(rel, x[5:]) for rel, d in sorted(ours.items())
               for x in d.get("xattrs", []) if x.startswith("user.") and d["type"] ==
               stat.S_IFREG]
    if not streams:
        return
    if not mount_ours(bin_dir, img, ours_mnt, "streams_interface=windows"):
        return
    try:
        r = subprocess.run(["ntfs-3g", "-o", "ro,streams_interface=windows", img, theirs_mnt],
                           capture_output=True, text=True)
        if not check(r.returncode == 0, "ntfs-3g streams_interface=windows: %s" % r.stderr):
            return
        try:
            def view(root, rel, stream):
                p = os.path.join(root, rel) + ":" + stream
                try:
                    st = os.lstat(p)
                except OSError as e:
                    return "error %s" % errno.errorcode.get(e.errno, e.errno)
                return (stat.S_IFMT(st.st_mode), "%o" % stat.S_IMODE(st.st_mode), st.st_ino,
                        st.st_nlink, st.st_size, st.st_uid, st.st_mtime_ns,
                        content_hash(p, st.st_size))
            for rel, stream in streams:
                o, t = view(ours_mnt, rel, stream), view(theirs_mnt, rel, stream)
                want = spec.get(rel, {}).get("wof", {}).get("stream_sha256")
                if isinstance(t, tuple) and t[-1].startswith("error") and want is not None:
                    # KNOWN: ntfs-3g opens no stream of a WOF file, having no
                    # plugin for its reparse tag (ELIBACC; ENOENT when the
                    # stream is empty); we read them. Our bytes against the
                    # builder's record of the stream.
                    check(isinstance(o, tuple) and o[-1] == want,
                          "%s:/%s:%s: not the stream the builder wrote" % (name, rel, stream))
                    notes.append("%s:/%s:%s: ntfs-3g %s; ours as the manifest" % (
                        name, rel, stream, t[-1]))
                    o, t = o[:-1], t[:-1]
                check(o == t, "%s:/%s:%s (windows): ntfs-mount %s, ntfs-3g %s" % (
                    name, rel, stream, o, t))
            rel = streams[0][0]
            for root in (ours_mnt, theirs_mnt):
                check(view(root, rel, "no-such-stream") == "error ENOENT",
                      "%s: %s:no-such-stream is not ENOENT" % (root, rel))
                parent = os.path.dirname(os.path.join(root, rel))
                check(not [n for n in os.listdir(parent) if ":" in n and n.split(":")[0] in
                           os.listdir(parent)], "%s: streams listed in %s" % (root, parent))
            log("%s: %d named streams compared with streams_interface=windows" % (
                name, len(streams)))
        finally:
            unmount(theirs_mnt)
    finally:
        unmount(ours_mnt)


# Names no volume here has: creating one must fail with EROFS, not EEXIST.
NEW = ".ntfs-mount-write-check-"


def write_checks(mnt):
    """Every write-type system call fails with EROFS."""
    f = os.path.join(mnt, "plain")
    # Any regular file and directory of the volume.
    for dirpath, dirnames, filenames in os.walk(mnt):
        regs = [n for n in filenames if os.path.isfile(os.path.join(dirpath, n))
                and not os.path.islink(os.path.join(dirpath, n))]
        if regs:
            f = os.path.join(dirpath, regs[0])
            break
    d = mnt
    calls = [
        ("open O_WRONLY", lambda: os.open(f, os.O_WRONLY)),
        ("open O_RDWR", lambda: os.open(f, os.O_RDWR)),
        ("open O_TRUNC", lambda: os.open(f, os.O_RDONLY | os.O_TRUNC)),
        ("open O_CREAT", lambda: os.open(os.path.join(d, NEW + "new"), os.O_WRONLY | os.O_CREAT)),
        ("truncate", lambda: os.truncate(f, 0)),
        ("chmod", lambda: os.chmod(f, 0o600)),
        ("chown", lambda: os.chown(f, 1, 1)),
        ("utime", lambda: os.utime(f, (0, 0))),
        ("mkdir", lambda: os.mkdir(os.path.join(d, NEW + "dir"))),
        ("rmdir", lambda: os.rmdir(os.path.join(mnt, "plain"))),
        ("unlink", lambda: os.unlink(f)),
        ("rename", lambda: os.rename(f, f + ".x")),
        ("link", lambda: os.link(f, os.path.join(d, NEW + "hard"))),
        ("symlink", lambda: os.symlink("x", os.path.join(d, NEW + "sym"))),
        ("mknod fifo", lambda: os.mkfifo(os.path.join(d, NEW + "fifo"))),
        ("setxattr", lambda: os.setxattr(f, "user.x", b"1")),
        ("removexattr", lambda: os.removexattr(f, "user.x")),
    ]
    for what, call in calls:
        try:
            r = call()
            if isinstance(r, int):
                os.close(r)
            check(False, "%s on %s succeeded" % (what, f))
        except OSError as e:
            check(e.errno == errno.EROFS, "%s on %s: %s, not EROFS" % (
                what, f, errno.errorcode.get(e.errno, e.errno)))


def option_checks(bin_dir, img, mnt, spec):
    """Each mount option changes what it should."""
    def first(pred):
        for rel, e in spec.items():
            if pred(e):
                return rel
        return None
    wsl = first(lambda e: wsl_expected(e).get("uid") is not None)
    plain = first(lambda e: e.get("kind") == "file")
    if mount_ours(bin_dir, img, mnt, "uid=1234,gid=2345,fmask=0133,dmask=022"):
        try:
            for rel in [r for r in (wsl, plain) if r]:
                st = os.lstat(os.path.join(mnt, rel))
                check(st.st_uid == 1234 and st.st_gid == 2345,
                      "uid=/gid=: /%s is %d:%d" % (rel, st.st_uid, st.st_gid))
                check(stat.S_IMODE(st.st_mode) == 0o644,
                      "fmask=0133: /%s has mode %o" % (rel, stat.S_IMODE(st.st_mode)))
            st = os.stat(mnt)
            check(stat.S_IMODE(st.st_mode) == 0o755, "dmask=022: / has mode %o" %
                  stat.S_IMODE(st.st_mode))
        finally:
            unmount(mnt)
    if mount_ours(bin_dir, img, mnt, "umask=027"):
        try:
            st = os.stat(mnt)
            check(stat.S_IMODE(st.st_mode) == 0o750, "umask=027: / has mode %o" %
                  stat.S_IMODE(st.st_mode))
        finally:
            unmount(mnt)
    # show_sys_files: $MFT and friends listed, record numbers as inodes.
    if mount_ours(bin_dir, img, mnt, "ro,show_sys_files"):
        try:
            names = os.listdir(mnt)
            # $MFT is record 0: readdir() skips an entry whose d_ino is 0.
            check("$MFTMirr" in names and "$Extend" in names,
                  "show_sys_files: the root lists %s" % sorted(names)[:8])
            check(os.lstat(os.path.join(mnt, "$MFT")).st_ino == 0, "show_sys_files: $MFT inode")
            check(os.lstat(os.path.join(mnt, "$MFTMirr")).st_ino == 1,
                  "show_sys_files: $MFTMirr inode")
        finally:
            unmount(mnt)
    if mount_ours(bin_dir, img, mnt):
        try:
            check("$MFT" not in os.listdir(mnt), "without show_sys_files the root lists $MFT")
            check(os.path.exists(os.path.join(mnt, "$MFT")), "$MFT found by name")
        finally:
            unmount(mnt)
    # streams_interface=none: no user.* attributes.
    streamy = first(lambda e: e.get("kind") == "file")
    if mount_ours(bin_dir, img, mnt, "streams_interface=none"):
        try:
            for dirpath, dirnames, filenames in os.walk(mnt):
                for n in filenames:
                    p = os.path.join(dirpath, n)
                    if not os.path.islink(p):
                        xs = [x for x in os.listxattr(p, follow_symlinks=False)
                              if x.startswith("user.")]
                        check(not xs, "streams_interface=none: %s lists %s" % (p, xs))
        finally:
            unmount(mnt)
    del streamy
    # hide_hid_files: a hidden file is not listed but found by name.
    hidden = first(lambda e: int(e.get("attrib", "0"), 16) & 2)
    if hidden and mount_ours(bin_dir, img, mnt, "hide_hid_files"):
        try:
            parent, base = os.path.split(hidden)
            check(base not in os.listdir(os.path.join(mnt, parent)),
                  "hide_hid_files: %s listed" % hidden)
            check(os.path.lexists(os.path.join(mnt, hidden)),
                  "hide_hid_files: %s not found by name" % hidden)
        finally:
            unmount(mnt)
    # Bad options: refused before mounting, with a message.
    for bad in ("rw", "nosuchoption", "uid=abc", "umask=999", "streams_interface=odd",
                "ignore_case=1", "posix_nlink=yes"):
        r = subprocess.run([os.path.join(bin_dir, "ntfs-mount"), "-o", bad, img, mnt],
                           capture_output=True, text=True)
        check(r.returncode == 2 and "ntfs-mount:" in r.stderr and not is_mounted(mnt),
              "-o %s: status %d, %r" % (bad, r.returncode, r.stderr[:200]))
        unmount(mnt)


_dir_libc = None


# Options that change the tree, each against ntfs-3g's own mount with the
# same option (ignore_case exists only in lowntfs-3g, of the same package).
VARIANTS = [("posix_nlink", "ntfs-3g", "ro,posix_nlink"),
            ("ignore_case", "lowntfs-3g", "ro,ignore_case")]
# Directories whose entries the variant walks leave out (20,000 files).
PRUNE = {"ntfs-c4k": ("big",)}


def unsupported_dirs(theirs, spec, rel):
    """Entries of directory rel that ntfs-3g shows as "unsupported reparse
    tag" links and the builder made as directories: we show directories."""
    n = 0
    for r, t in theirs.items():
        if r and os.path.dirname(r) == rel and \
                t.get("target", "").startswith("unsupported reparse tag") and \
                spec.get(r, {}).get("is_dir"):
            n += 1
    return n


def variant_checks(bin_dir, img, name, spec, ours_mnt, theirs_mnt):
    """The trees again with each option of VARIANTS on both sides."""
    for ours_opts, prog, their_opts in VARIANTS:
        if not mount_ours(bin_dir, img, ours_mnt, ours_opts):
            continue
        try:
            if not mount_3g(img, theirs_mnt, their_opts, prog):
                continue
            try:
                prune = PRUNE.get(name, ())
                ours, theirs = walk(ours_mnt, prune), walk(theirs_mnt, prune)
            finally:
                unmount(theirs_mnt)
        finally:
            unmount(ours_mnt)
        vspec = spec
        for rel in [r for r, t in theirs.items() if t.get("lstat") == "error ENAMETOOLONG"]:
            # KNOWN: lowntfs-3g lists names longer than 255 bytes of UTF-8
            # but refuses to look them up; ntfs-3g and we find them.
            if prog == "lowntfs-3g" and "lstat" not in ours.get(rel, {}):
                notes.append("%s -o %s:/%s: %s: ENAMETOOLONG (%d bytes)" % (
                    name, ours_opts, rel, prog, len(os.fsencode(os.path.basename(rel)))))
                del theirs[rel]
                ours.pop(rel, None)
        if ours_opts == "ignore_case":
            # Listed in lower case: the builder's paths, lowered, name them.
            vspec = {k.lower(): v for k, v in spec.items()}
        if ours_opts == "posix_nlink":
            # KNOWN: a directory ntfs-3g shows as a link (a reparse tag it
            # has no plugin for) is a subdirectory to us, and counts.
            for rel, t in theirs.items():
                k = unsupported_dirs(theirs, vspec, rel)
                if k and t.get("type") == stat.S_IFDIR:
                    t["nlink"] += k
                    notes.append("%s -o posix_nlink:/%s: %d more links than ntfs-3g's (its "
                                 "directories with reparse tags ntfs-3g has no plugin for)" %
                                 (name, rel, k))
        compare("%s -o %s" % (name, ours_opts), ours, theirs, vspec, ours_mnt, theirs_mnt)
        log("%s -o %s: %d entries compared with %s -o %s" % (name, ours_opts, len(ours), prog,
                                                            their_opts))


def listing_inodes(path):
    """Each name a listing of path gives, with its d_ino, in order."""
    libc = dir_libc()
    d = libc.opendir(os.fsencode(path))
    out = []
    while True:
        e = libc.readdir(d)
        if not e:
            break
        if e.contents.d_name not in (b".", b".."):
            out.append((os.fsdecode(e.contents.d_name), e.contents.d_ino))
    libc.closedir(d)
    return out


def case_checks(bin_dir, img, work, ours_mnt, theirs_mnt):
    """ignore_case where names collide: a copy gets, through ntfs-3g, 300
    pairs of names equal without case (a listing pages through them) and a
    long name whose DOS name equals another file's name without case. Our
    listing and lookups against lowntfs-3g's, and each name's d_ino against
    its lstat (every spelling finds the first name in the index)."""
    copy = os.path.join(work, "cases.img")
    shutil.copyfile(img, copy)
    if subprocess.run(["ntfs-3g", copy, theirs_mnt], capture_output=True).returncode != 0:
        fail("ntfs-3g could not mount a copy read-write")
        return
    try:
        d = os.path.join(theirs_mnt, "cases")
        os.mkdir(d)
        for i in range(300):
            for n in ("F%03d" % i, "f%03d" % i):
                with open(os.path.join(d, n), "w") as f:
                    f.write(n)
        long_name = os.path.join(d, "Foo bar long name.txt")
        with open(long_name, "w") as f:
            f.write("long")
        os.setxattr(long_name, "system.ntfs_dos_name", b"FOOBAR~1.TXT")
        with open(os.path.join(d, "foobar~1.txt"), "w") as f:
            f.write("other")
    finally:
        unmount(theirs_mnt)
    # Each spelling's own file, from ntfs-3g's case-sensitive mount.
    exact = {}
    if mount_3g(copy, theirs_mnt):
        try:
            d = os.path.join(theirs_mnt, "cases")
            exact = {n: os.lstat(os.path.join(d, n)).st_ino
                     for n in os.listdir(d) + ["FOOBAR~1.TXT"]}
        finally:
            unmount(theirs_mnt)
    views = {}
    for who, mnt, mount in (("ntfs-mount", ours_mnt,
                             lambda: mount_ours(bin_dir, copy, ours_mnt, "ignore_case")),
                            ("lowntfs-3g", theirs_mnt,
                             lambda: mount_3g(copy, theirs_mnt, "ro,ignore_case", "lowntfs-3g"))):
        if not mount():
            continue
        try:
            d = os.path.join(mnt, "cases")
            names = listing_inodes(d)
            stats = {n: os.lstat(os.path.join(d, n)).st_ino for n, _ in names}
            for n in ("F150", "FOOBAR~1.TXT", "Foobar~1.Txt"):
                stats["lookup " + n] = os.lstat(os.path.join(d, n)).st_ino
            views[who] = (sorted(n for n, _ in names), stats)
            if who == "ntfs-mount":
                for n, ino in names:
                    check(ino == stats[n], "ignore_case: cases/%s: d_ino %d, lstat %d" % (
                        n, ino, stats[n]))
        finally:
            unmount(mnt)
    if check(len(views) == 2, "ignore_case: a mount failed"):
        check(views["ntfs-mount"][0] == views["lowntfs-3g"][0], "ignore_case: cases/ lists "
              "%d names, lowntfs-3g %d" % (len(views["ntfs-mount"][0]),
                                           len(views["lowntfs-3g"][0])))
        quirks = 0
        for k, v in sorted(views["lowntfs-3g"][1].items()):
            o = views["ntfs-mount"][1].get(k)
            low = k.split(" ")[-1].lower()
            variants = sorted(n for n in exact if n.lower() == low)
            # KNOWN: where names equal without case straddle two index
            # nodes, lowntfs-3g finds the one in the upper node; we find the
            # first in the index, the smallest spelling (upper case first).
            if o != v and variants and o == exact[variants[0]] and \
                    v in [exact[n] for n in variants]:
                quirks += 1
                continue
            check(o == v, "ignore_case: cases/%s: inode %s, lowntfs-3g %s" % (k, o, v))
        if quirks:
            notes.append("ignore_case: %d names equal without case across index nodes: the "
                         "first in the index, where lowntfs-3g finds the upper node's" % quirks)
    os.unlink(copy)
    log("ignore_case: 601 colliding names and a DOS name checked against lowntfs-3g")


def dir_libc():
    """libc's opendir, readdir, telldir, seekdir and closedir through
    ctypes (Python has no telldir)."""
    import ctypes
    import ctypes.util
    global _dir_libc
    if _dir_libc is not None:
        return _dir_libc

    class Dirent(ctypes.Structure):
        _fields_ = [("d_ino", ctypes.c_uint64), ("d_off", ctypes.c_int64),
                    ("d_reclen", ctypes.c_ushort), ("d_type", ctypes.c_ubyte),
                    ("d_name", ctypes.c_char * 256)]
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    libc.opendir.restype = ctypes.c_void_p
    libc.opendir.argtypes = [ctypes.c_char_p]
    libc.readdir.restype = ctypes.POINTER(Dirent)
    libc.readdir.argtypes = [ctypes.c_void_p]
    libc.telldir.restype = ctypes.c_long
    libc.telldir.argtypes = [ctypes.c_void_p]
    libc.seekdir.argtypes = [ctypes.c_void_p, ctypes.c_long]
    libc.closedir.argtypes = [ctypes.c_void_p]
    _dir_libc = libc
    return libc


def seek_checks(mnt):
    """A listing resumes where telldir() said, in every directory (through
    ctypes' libc: opendir, readdir, telldir, seekdir)."""
    libc = dir_libc()

    def listing(path):
        d = libc.opendir(path.encode())
        out = []
        while True:
            pos = libc.telldir(d)
            e = libc.readdir(d)
            if not e:
                break
            out.append((pos, e.contents.d_name))
        return d, out
    for dirpath, dirnames, filenames in os.walk(mnt):
        d, ents = listing(dirpath)
        names = [n for _, n in ents]
        for i in range(0, len(ents), max(1, len(ents) // 5)):
            libc.seekdir(d, ents[i][0])
            rest = []
            while True:
                e = libc.readdir(d)
                if not e:
                    break
                rest.append(e.contents.d_name)
            check(rest == names[i:], "%s: seekdir to entry %d gives %d names, not %d" % (
                dirpath, i, len(rest), len(names) - i))
        libc.closedir(d)


def concurrent_checks(ours_mnt, theirs_mnt, ours, theirs, readers=8, reads=200):
    """readers threads at once, each reading random ranges of the files
    (through our mount) and checking them against ntfs-3g's bytes."""
    import random
    import threading
    files = [rel for rel, d in sorted(ours.items())
             if d["type"] == stat.S_IFREG and 0 < d["size"] <= (16 << 20) and
             theirs.get(rel, {}).get("sha256") == d.get("sha256")]
    if not files:
        return
    rnd = random.Random(11)
    files = rnd.sample(files, min(len(files), 64))
    want = {}
    for rel in files:
        with open(os.path.join(theirs_mnt, rel), "rb") as f:
            want[rel] = f.read()
    bad = []

    def reader(seed):
        r = random.Random(seed)
        fds = {}
        try:
            for _ in range(reads):
                rel = r.choice(files)
                data = want[rel]
                if rel not in fds:
                    fds[rel] = os.open(os.path.join(ours_mnt, rel), os.O_RDONLY)
                off = r.randrange(len(data))
                n = r.choice((1, 511, 4096, 65536, 1 << 20))
                got = os.pread(fds[rel], n, off)
                if got != data[off:off + n]:
                    bad.append("%s at %d+%d" % (rel, off, n))
        except OSError as e:
            bad.append("%s" % e)
        finally:
            for fd in fds.values():
                os.close(fd)
    threads = [threading.Thread(target=reader, args=(i,)) for i in range(readers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check(not bad, "%d concurrent readers: %d wrong reads, first %s" % (
        readers, len(bad), bad[:3]))
    log("%d readers x %d random reads over %d files: %s" % (
        readers, reads, len(files), "ok" if not bad else "WRONG"))


def stable_offsets(bin_dir, img, mnt, rel):
    """Directory offsets are positions in the index: an offset telldir()
    gave in one mount resumes the listing in a fresh mount, whose kernel
    has cached nothing, so the seek reaches ntfs-mount."""
    libc = dir_libc()
    path = os.path.join(mnt, rel).encode()
    if not mount_ours(bin_dir, img, mnt):
        return
    try:
        d = libc.opendir(path)
        ents = []
        while True:
            pos = libc.telldir(d)
            e = libc.readdir(d)
            if not e:
                break
            ents.append((pos, e.contents.d_name))
        libc.closedir(d)
    finally:
        unmount(mnt)
    picks = [ents[i] for i in range(0, len(ents), max(1, len(ents) // 7))] + [ents[-1]]
    for pos, name in picks:
        if not mount_ours(bin_dir, img, mnt):
            return
        try:
            d = libc.opendir(path)
            libc.seekdir(d, pos)
            e = libc.readdir(d)
            got = e.contents.d_name if e else None
            libc.closedir(d)
        finally:
            unmount(mnt)
        check(got == name, "/%s: offset %d in a fresh mount gives %r, not %r" % (
            rel, pos, got, name))
    log("/%s: %d entries; %d offsets resumed in fresh mounts" % (rel, len(ents), len(picks)))


def wait_mounted(mnt, proc=None, seconds=10):
    for _ in range(seconds * 20):
        if is_mounted(mnt):
            return True
        if proc is not None and proc.poll() is not None:
            return False
        time.sleep(0.05)
    return False


def cli_checks(bin_dir, img, work, mnt):
    """The volume as partition 1 of an MBR disk: found without options,
    with --partition 1 and with -o offset=; -f stays in the foreground."""
    tool = os.path.join(bin_dir, "ntfs-mount")
    if mount_ours(bin_dir, img, mnt):
        try:
            want = sorted(os.listdir(mnt))
        finally:
            unmount(mnt)
    else:
        return
    if shutil.which("sfdisk") is None:
        log("NOTE: no sfdisk (Debian: fdisk): partitioned disk not checked")
    else:
        disk = os.path.join(work, "disk.img")
        vol_size = os.path.getsize(img)
        with open(disk, "wb") as d:
            d.truncate((1 << 20) + vol_size + (1 << 20))
        subprocess.run(["sfdisk", "-q", disk], input="label: dos\nstart=2048, size=%d, type=7\n" %
                       (vol_size // 512), text=True, check=True, capture_output=True)
        with open(img, "rb") as src, open(disk, "r+b") as dst:
            dst.seek(1 << 20)
            shutil.copyfileobj(src, dst, 1 << 20)
        for how in ([], ["--partition", "1"], ["-o", "ro,offset=1048576"]):
            r = subprocess.run([tool] + how + [disk, mnt], capture_output=True, text=True)
            if check(r.returncode == 0 and is_mounted(mnt), "ntfs-mount %s disk.img: %s" % (
                    " ".join(how), r.stderr)):
                try:
                    check(sorted(os.listdir(mnt)) == want, "ntfs-mount %s disk.img: another "
                          "root" % " ".join(how))
                finally:
                    unmount(mnt)
        r = subprocess.run([tool, "--partition", "2", disk, mnt], capture_output=True, text=True)
        check(r.returncode == 1 and "no partition 2" in r.stderr and not is_mounted(mnt),
              "--partition 2 of a one-partition disk: status %d, %r" % (r.returncode, r.stderr))
        os.unlink(disk)
    r = subprocess.run([tool, os.path.join(work, "no-such.img"), mnt], capture_output=True,
                       text=True)
    check(r.returncode == 1 and "no-such.img" in r.stderr, "a missing image: %d %r" % (
        r.returncode, r.stderr))
    p = subprocess.Popen([tool, "-f", img, mnt], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if check(wait_mounted(mnt, p), "ntfs-mount -f did not mount"):
        check(p.poll() is None, "ntfs-mount -f left the foreground")
        unmount(mnt)
        try:
            rc = p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
            rc = "still running"
        check(rc == 0, "ntfs-mount -f after fusermount3 -u: status %s" % rc)
    else:
        p.kill()
        p.wait()
    # A volume of a hibernated Windows: mounts, with a warning. The copy
    # gets its hiberfil.sys through ntfs-3g (read-write, on the copy only).
    hib = os.path.join(work, "hiber.img")
    shutil.copyfile(img, hib)
    if subprocess.run(["ntfs-3g", hib, mnt], capture_output=True).returncode == 0:
        try:
            with open(os.path.join(mnt, "hiberfil.sys"), "wb") as f:
                f.write(b"hibr" + bytes(4092))
        finally:
            unmount(mnt)
        r = subprocess.run([tool, hib, mnt], capture_output=True, text=True)
        if check(r.returncode == 0 and is_mounted(mnt), "hibernated volume: %s" % r.stderr):
            unmount(mnt)
        check("hibernated" in r.stderr, "hibernated volume: no warning: %r" % r.stderr)
    os.unlink(hib)
    # A dirty volume: mounts, with a warning. The flag is set in a copy's
    # $VOLUME_INFORMATION by hand, and ntfsinfo must then see it.
    dirty = os.path.join(work, "dirty.img")
    shutil.copyfile(img, dirty)
    set_dirty(dirty)
    r = subprocess.run(["ntfsinfo", "-f", "-m", dirty], capture_output=True, text=True)
    if check("Volume Flags: 0x0001" in r.stdout, "ntfsinfo does not see the dirty flag set: "
             "%r" % r.stdout[:300]):
        r = subprocess.run([tool, dirty, mnt], capture_output=True, text=True)
        if check(r.returncode == 0 and is_mounted(mnt), "dirty volume: %s" % r.stderr):
            check(len(os.listdir(mnt)) > 0, "dirty volume: an empty root")
            unmount(mnt)
        check("marked dirty" in r.stderr, "dirty volume: no warning: %r" % r.stderr)
    os.unlink(dirty)
    objid_checks(tool, img, work, mnt)
    log("partitioned disk, --partition, offset=, -f, a missing image, hibernation, a dirty "
        "volume, object ids: checked")


def objid_checks(tool, img, work, mnt):
    """A copy gets object ids through ntfs-3g: 64 bytes (the attribute keeps
    the first 16, $Extend/$ObjId the rest) and 16 alone (ntfs-3g indexes it
    with zero ids). system.ntfs_object_id gives back the bytes written,
    completed as ntfs-3g's read-only mount completes them."""
    import random
    copy = os.path.join(work, "objid.img")
    shutil.copyfile(img, copy)
    rnd = random.Random(7)
    want = {}
    if subprocess.run(["ntfs-3g", copy, mnt], capture_output=True).returncode == 0:
        try:
            for i, n in enumerate((64, 16)):
                p = os.path.join(mnt, "objid-%d.txt" % i)
                with open(p, "w") as f:
                    f.write("x")
                want[os.path.basename(p)] = bytes(rnd.randrange(256) for _ in range(n))
                os.setxattr(p, "system.ntfs_object_id", want[os.path.basename(p)])
        finally:
            unmount(mnt)
    check(len(want) == 2, "object ids: ntfs-3g could not write them")
    theirs = {}
    if mount_3g(copy, mnt):
        try:
            theirs = {n: xattr_get(os.path.join(mnt, n), "system.ntfs_object_id") for n in want}
        finally:
            unmount(mnt)
    r = subprocess.run([tool, copy, mnt], capture_output=True, text=True)
    if check(r.returncode == 0 and is_mounted(mnt), "object ids: %s" % r.stderr):
        try:
            for n, v in want.items():
                got = xattr_get(os.path.join(mnt, n), "system.ntfs_object_id")
                check(got.startswith(v.hex()) and got == theirs.get(n),
                      "object id of %s: %s, written %s, ntfs-3g %s" % (n, got, v.hex(),
                                                                      theirs.get(n)))
        finally:
            unmount(mnt)
    os.unlink(copy)


def set_dirty(img):
    """Set VOLUME_IS_DIRTY (bit 0 of $VOLUME_INFORMATION's flags, record 3)
    in place, in the $MFT and in its mirror, which ntfs-3g compares."""
    import struct
    with open(img, "r+b") as f:
        boot = f.read(512)
        sector, spc = struct.unpack_from("<HB", boot, 0x0B)
        cluster = sector * spc
        c = struct.unpack_from("<b", boot, 0x40)[0]
        rsize = c * cluster if c > 0 else 1 << -c
        for lcn_at in (0x30, 0x38):
            base = struct.unpack_from("<q", boot, lcn_at)[0] * cluster + 3 * rsize
            f.seek(base)
            rec = f.read(rsize)
            off = struct.unpack_from("<H", rec, 0x14)[0]
            while off + 8 <= rsize:
                atype, alen = struct.unpack_from("<II", rec, off)
                if atype == 0xFFFFFFFF or alen == 0:
                    raise AssertionError("no $VOLUME_INFORMATION in record 3 of " + img)
                if atype == 0x70:
                    flags = off + struct.unpack_from("<H", rec, off + 0x14)[0] + 10
                    # Not the last two bytes of a 512-byte stride: the
                    # fixups own those.
                    assert flags % 512 < 510
                    f.seek(base + flags)
                    f.write(struct.pack("<H", struct.unpack_from("<H", rec, flags)[0] | 1))
                    break
                off += alen


def corrupt_checks(bin_dir, img, work, mnt, seeds=4):
    """Copies of the image with 300 random bytes changed in the MFT and the
    index blocks after it: the mount walks them, reads every file and
    answers to the end (errors are fine, a dead daemon is not); the copy
    is unchanged by the session."""
    import random
    for seed in range(seeds):
        r = random.Random(seed)
        bad = os.path.join(work, "corrupt.img")
        shutil.copyfile(img, bad)
        with open(bad, "r+b") as f:
            size = os.path.getsize(bad)
            for _ in range(300):
                f.seek(16384 + r.randrange(min(size - 16384, 20 << 20)))
                f.write(bytes([r.randrange(256)]))
        before = sha256_file(bad)
        r = subprocess.run([os.path.join(bin_dir, "ntfs-mount"), bad, mnt], capture_output=True,
                           text=True)
        if r.returncode != 0:
            check(r.returncode == 1 and r.stderr.startswith("ntfs-mount:"),
                  "corrupt copy %d: status %d, %r" % (seed, r.returncode, r.stderr))
            continue
        n = errs = 0
        try:
            for dirpath, dirnames, filenames in os.walk(mnt, onerror=lambda e: None):
                for x in dirnames + filenames:
                    p = os.path.join(dirpath, x)
                    n += 1
                    try:
                        os.lstat(p)
                        os.listxattr(p, follow_symlinks=False)
                        if os.path.isfile(p) and not os.path.islink(p):
                            with open(p, "rb") as f:
                                while f.read(1 << 20):
                                    pass
                    except OSError:
                        errs += 1
            check(is_mounted(mnt) and os.path.isdir(mnt),
                  "corrupt copy %d: the mount died" % seed)
        finally:
            unmount(mnt)
        check(sha256_file(bad) == before, "corrupt copy %d changed" % seed)
        log("corrupt copy %d: %d entries, %d errors, still answering" % (seed, n, errs))
        os.unlink(bad)


# Real volumes from ../shared/images (not in the repository; skipped when
# absent): file, how to unpack it, the volume's byte offset in it.
SHARED = [
    ("windows/ntfs-ramslack.raw.gz", 65536),
    ("windows/ntfs_index.raw.gz", 65536),
    ("windows/7-undel-ntfs.zip", 0),
    ("linux/ntfs3_attrlist.raw.gz", 0),
    ("linux/ntfs3.raw.gz", 0),
]


def unpack_shared(shared, rel, work):
    import gzip
    import zipfile
    src = os.path.join(shared, rel)
    if not os.path.exists(src):
        return None
    out = os.path.join(work, os.path.basename(rel).split(".")[0] + ".img")
    if rel.endswith(".zip"):
        with zipfile.ZipFile(src) as z:
            name = [n for n in z.namelist() if n.endswith(".dd")][0]
            with z.open(name) as f, open(out, "wb") as dst:
                shutil.copyfileobj(f, dst, 1 << 20)
    else:
        with gzip.open(src) as f, open(out, "wb") as dst:
            shutil.copyfileobj(f, dst, 1 << 20)
    return out


def shared_checks(bin_dir, shared, work, ours_mnt, theirs_mnt):
    """Real Windows and ntfs3 volumes: ntfs-mount finds the partition
    itself; ntfs-3g reads it through a read-only loop device."""
    for rel, offset in SHARED:
        img = unpack_shared(shared, rel, work)
        if img is None:
            log("NOTE: %s not found: not compared" % rel)
            continue
        before = sha256_file(img)
        dev, loop = img, None
        if offset:
            r = subprocess.run(["losetup", "-r", "-o", str(offset), "-f", "--show", img],
                               capture_output=True, text=True)
            if r.returncode != 0:
                log("NOTE: %s: no loop device (%s): not compared" % (rel, r.stderr.strip()))
                os.unlink(img)
                continue
            dev = loop = r.stdout.strip()
        try:
            if mount_ours(bin_dir, img, ours_mnt):
                try:
                    if mount_3g(dev, theirs_mnt):
                        try:
                            ours, theirs = walk(ours_mnt), walk(theirs_mnt)
                            statfs_checks(rel, ours_mnt, theirs_mnt)
                        finally:
                            unmount(theirs_mnt)
                        compare(rel, ours, theirs, {}, ours_mnt, theirs_mnt)
                        log("%s: %d entries compared" % (rel, len(ours)))
                finally:
                    unmount(ours_mnt)
        finally:
            if loop:
                subprocess.run(["losetup", "-d", loop], capture_output=True)
        check(sha256_file(img) == before, "%s: the image changed" % rel)
        os.unlink(img)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True)
    ap.add_argument("--images", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--shared", help="../shared/images: real volumes, compared when there")
    ap.add_argument("--image", action="append", help="only these images (default: %s)" %
                    ", ".join(IMAGES))
    ap.add_argument("--keep", action="store_true", help="leave the work folder")
    args = ap.parse_args()
    # FUSE mounts need root: run again through sudo (asked for by .ci/test).
    rc = sudo.rerun(__file__, sys.argv[1:])
    if rc is not None:
        return rc
    why = None
    if os.geteuid() != 0:
        why = "needs root (FUSE mounts of ntfs-3g and ntfs-mount)"
    elif not os.path.exists("/dev/fuse"):
        why = "needs /dev/fuse"
    elif shutil.which("ntfs-3g") is None or shutil.which("fusermount3") is None:
        why = "needs ntfs-3g and fusermount3 (Debian: ntfs-3g, fuse3)"
    elif not os.path.exists(os.path.join(args.bin, "ntfs-mount")):
        why = "ntfs-mount was not built (libfuse3-dev missing?)"
    if why:
        if env_ci():
            log("ERROR: %s, and CI is set: failing" % why)
            return 1
        log("SKIP: " + why)
        return 0
    work = os.path.abspath(args.work)
    os.makedirs(work, exist_ok=True)
    # Names of one length: absolute link targets, and so symlink sizes, match.
    ours_mnt, theirs_mnt = os.path.join(work, "ours"), os.path.join(work, "ntfs")
    for m in (ours_mnt, theirs_mnt):
        unmount(m)
        os.makedirs(m, exist_ok=True)
    for name in args.image or IMAGES:
        img = unpack(args.images, name, work)
        before = sha256_file(img)
        spec = manifest(args.images, name)
        theirs = None
        if mount_ours(args.bin, img, ours_mnt):
            try:
                if mount_3g(img, theirs_mnt):
                    try:
                        ours, theirs = walk(ours_mnt), walk(theirs_mnt)
                        statfs_checks(name, ours_mnt, theirs_mnt)
                        compare(name, ours, theirs, spec, ours_mnt, theirs_mnt)
                        log("%s: %d entries compared" % (name, len(ours)))
                        concurrent_checks(ours_mnt, theirs_mnt, ours, theirs)
                    finally:
                        unmount(theirs_mnt)
                write_checks(ours_mnt)
                seek_checks(ours_mnt)
            finally:
                unmount(ours_mnt)
            if theirs:
                windows_checks(args.bin, img, name, ours, spec, ours_mnt, theirs_mnt)
        if name in ("ntfs-special", "ntfs-c4k"):
            variant_checks(args.bin, img, name, spec, ours_mnt, theirs_mnt)
        if name == "ntfs-special":
            case_checks(args.bin, img, work, ours_mnt, theirs_mnt)
        if name == "ntfs-special":
            option_checks(args.bin, img, ours_mnt, spec)
            cli_checks(args.bin, img, work, ours_mnt)
        if name == "ntfs-c4k":
            stable_offsets(args.bin, img, ours_mnt, "big")
            corrupt_checks(args.bin, img, work, ours_mnt)
        check(sha256_file(img) == before, "%s: the image changed" % name)
        if not args.keep:
            os.unlink(img)
    if args.shared and not args.image:
        shared_checks(args.bin, args.shared, work, ours_mnt, theirs_mnt)
    for n in notes:
        log("KNOWN: " + n)
    log("fuse_mount: %d checks, %d failures, %d known differences" % (
        checks, failures, len(notes)))
    sudo.give_back(work)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
