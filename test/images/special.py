#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""special.py -- the content and the manifest of the ntfs-special test image.

make-images.sh (special_image) runs it, as root, in these steps:

    special.py default  ROOT STATE    on a default ntfs-3g mount
    special.py compress ROOT STATE    on a mount with -o compression
    special.py wsl      ROOT STATE    on a mount with -o special_files=wsl
    special.py observe  ROOT STATE MODE   read-only mount, MODE is the
                                      mount's options: default, compression
                                      or wsl
    special.py verify   IMG STATE MANIFEST LABEL   unmounted image

The first three create the files and note in STATE (JSON) what was written:
the bytes of every file, the reparse data and the $EA bytes given to
setfattr, and for WOF files the original data and the WofCompressedData
stream built with wimlib's compressors. `observe` records what ntfs-3g
shows under each mount (ls type letter, readlink, rdev, st_size, st_mode)
and, under the default mount, the getfattr values. `verify` reads the image
back with ntfscat, ntfsinfo, icat and istat, decompresses every WOF file
with wimlib's decompressors, checks all of it against what was written,
and writes the manifest. Nothing here comes from the project's library.

Every expected value is either the bytes this program wrote or what an
outside tool (ntfs-3g, The Sleuth Kit, wimlib) reported; where both exist
they must agree or the run stops.
"""

import ctypes
import hashlib
import json
import os
import random
import re
import socket
import stat
import struct
import subprocess
import sys

SEED = 42
M = 1 << 20

# ------------------------------------------------------------------ data --


def rnd(tag, n):
    """n pseudo-random (incompressible) bytes, reproducible from tag."""
    r = random.Random('%d:%s' % (SEED, tag))
    return r.getrandbits(n * 8).to_bytes(n, 'little') if n else b''


def pattern(tag, n):
    """n bytes of compressible text; every 32-byte line names its offset."""
    t = tag.encode()[:16]
    out = bytearray()
    off = 0
    while off < n:
        out += (b'%-16s@%013d\n' % (t, off))[:31] + b'\n'
        off += 32
    return bytes(out[:n])


WORDS = ('init fini alloc free read write open close seek stat lock unlock '
         'map unmap sync flush parse emit index table entry record cluster '
         'volume stream attr name file dir link node root leaf heap list '
         'buffer cache error value count size offset length flags mode').split()


def exe_like(tag, n):
    """n bytes that look like an x86-64 executable: code with E8 rel32
    calls to a few dozen functions (LZX translates E8 targets), RIP-relative
    leas, string tables, zero padding and pointer tables. Deterministic."""
    r = random.Random('%d:exe:%s' % (SEED, tag))
    funcs = [r.randrange(0, max(n, 1 << 16)) & ~15 for _ in range(48)]
    out = bytearray()
    while len(out) < n:
        kind = r.random()
        if kind < 0.62:  # a function
            out += b'\x55\x48\x89\xe5'
            if r.random() < 0.5:
                out += b'\x48\x83\xec' + bytes([r.choice((0x10, 0x20, 0x28, 0x40))])
            for _ in range(r.randrange(8, 80)):
                op = r.random()
                pos = len(out)
                if op < 0.18:
                    tgt = r.choice(funcs)
                    out += b'\xe8' + struct.pack('<i', tgt - (pos + 5))
                elif op < 0.30:
                    out += b'\x48\x8b' + bytes([r.choice((0x45, 0x5d, 0x7d, 0x75)),
                                                (-8 * r.randrange(1, 9)) & 0xff])
                elif op < 0.40:
                    out += b'\x48\x89' + bytes([r.choice((0x45, 0x5d, 0x7d, 0x75)),
                                                (-8 * r.randrange(1, 9)) & 0xff])
                elif op < 0.48:
                    out += b'\x48\x8d\x3d' + struct.pack('<i', r.randrange(-65536, 65536))
                elif op < 0.56:
                    out += bytes([r.choice((0x74, 0x75, 0xeb, 0x7e, 0x7f)), r.randrange(4, 90)])
                elif op < 0.64:
                    out += b'\xb8' + struct.pack('<I', r.choice((0, 1, 0xffffffff, r.randrange(256))))
                elif op < 0.72:
                    out += r.choice((b'\x48\x85\xc0', b'\x85\xc0', b'\x31\xc0', b'\x48\x89\xc7',
                                     b'\x48\x89\xf7', b'\x89\xc6', b'\x48\x63\xd0'))
                elif op < 0.80:
                    out += b'\xff\x15' + struct.pack('<i', r.randrange(-4096, 4096) * 8)
                elif op < 0.88:
                    out += b'\x0f\x1f\x44\x00\x00'
                else:
                    out += b'\x48\x8b\x05' + struct.pack('<i', r.randrange(-65536, 65536))
            out += b'\xc9\xc3' if r.random() < 0.5 else b'\x5d\xc3'
            while len(out) % 16:
                out += b'\xcc'
        elif kind < 0.80:  # strings
            for _ in range(r.randrange(4, 40)):
                out += '_'.join(r.choice(WORDS) for _ in range(r.randrange(1, 5))).encode() + b'\0'
        elif kind < 0.90:  # padding
            out += bytes(r.choice((16, 64, 256, 1024, 3000)))
        else:  # pointer table
            base = 0x140000000 + r.randrange(0, 1 << 20)
            for _ in range(r.randrange(8, 64)):
                out += struct.pack('<Q', base + r.randrange(0, 1 << 16) * 16)
    return bytes(out[:n])


def sha(b):
    return hashlib.sha256(b).hexdigest()


# --------------------------------------------------------------- wimlib --

WIM_XPRESS, WIM_LZX = 1, 2
# FILE_PROVIDER_COMPRESSION_* -> (name, wimlib compression type, chunk size)
WOF_ALGS = {
    0: ('XPRESS4K', WIM_XPRESS, 4096),
    1: ('LZX', WIM_LZX, 32768),
    2: ('XPRESS8K', WIM_XPRESS, 8192),
    3: ('XPRESS16K', WIM_XPRESS, 16384),
}


class Wimlib:
    def __init__(self):
        try:
            self.lib = ctypes.CDLL('libwim.so.15')
        except OSError as e:
            sys.exit('special.py: cannot load libwim.so.15 (apt-get install libwim15): %s' % e)
        L = self.lib
        L.wimlib_create_compressor.argtypes = [ctypes.c_int, ctypes.c_size_t, ctypes.c_uint,
                                               ctypes.POINTER(ctypes.c_void_p)]
        L.wimlib_compress.restype = ctypes.c_size_t
        L.wimlib_compress.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_void_p,
                                      ctypes.c_size_t, ctypes.c_void_p]
        L.wimlib_create_decompressor.argtypes = [ctypes.c_int, ctypes.c_size_t,
                                                 ctypes.POINTER(ctypes.c_void_p)]
        L.wimlib_decompress.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_void_p,
                                        ctypes.c_size_t, ctypes.c_void_p]
        self.comp = {}
        self.decomp = {}

    def compress(self, ctype, chunk, data):
        """Compressed bytes, or None when wimlib cannot make data smaller."""
        key = (ctype, chunk)
        if key not in self.comp:
            c = ctypes.c_void_p()
            if self.lib.wimlib_create_compressor(ctype, chunk, 0, ctypes.byref(c)):
                sys.exit('wimlib_create_compressor(%d, %d) failed' % key)
            self.comp[key] = c
        if len(data) < 2:
            return None
        out = ctypes.create_string_buffer(len(data))
        n = self.lib.wimlib_compress(data, len(data), out, len(data) - 1, self.comp[key])
        return out.raw[:n] if 0 < n < len(data) else None

    def decompress(self, ctype, chunk, data, size):
        key = (ctype, chunk)
        if key not in self.decomp:
            d = ctypes.c_void_p()
            if self.lib.wimlib_create_decompressor(ctype, chunk, ctypes.byref(d)):
                sys.exit('wimlib_create_decompressor(%d, %d) failed' % key)
            self.decomp[key] = d
        out = ctypes.create_string_buffer(size)
        if self.lib.wimlib_decompress(data, len(data), out, size, self.decomp[key]):
            raise ValueError('wimlib_decompress failed')
        return out.raw


# ------------------------------------------------------------ structures --


def reparse(tag, data, guid=None):
    """REPARSE_DATA_BUFFER ([MS-FSCC] 2.1.2.1), or REPARSE_GUID_DATA_BUFFER
    (2.1.3) when guid is given (ReparseDataLength excludes the GUID)."""
    return struct.pack('<IHH', tag, len(data), 0) + (guid or b'') + data


def win_symlink(sub, prn, flags, print_first=False):
    """IO_REPARSE_TAG_SYMLINK, [MS-FSCC] 2.1.2.4. flags 1 = relative."""
    s, p = sub.encode('utf-16-le'), prn.encode('utf-16-le')
    if print_first:
        path, so, po = p + s, len(p), 0
    else:
        path, so, po = s + p, 0, len(s)
    return reparse(0xA000000C, struct.pack('<HHHHI', so, len(s), po, len(p), flags) + path)


def junction(sub, prn):
    """IO_REPARSE_TAG_MOUNT_POINT, [MS-FSCC] 2.1.2.5; both names are
    followed by a UTF-16 NUL, which the lengths leave out."""
    s = sub.encode('utf-16-le') + b'\0\0'
    p = prn.encode('utf-16-le') + b'\0\0'
    return reparse(0xA0000003, struct.pack('<HHHH', 0, len(s) - 2, len(s), len(p) - 2) + s + p)


def wof_reparse(alg):
    """IO_REPARSE_TAG_WOF: WOF_EXTERNAL_INFO {Version 1, Provider 2 =
    WOF_PROVIDER_FILE} + FILE_PROVIDER_EXTERNAL_INFO_V1 {Version 1,
    Algorithm}: 16 bytes of reparse data, as Windows stores them."""
    return reparse(0x80000017, struct.pack('<IIII', 1, 2, 1, alg))


def ea_entry(name, value, flags=0):
    """One FILE_FULL_EA_INFORMATION ([MS-FSCC] 2.4.15) as NTFS stores it in
    $EA: every entry, the last one too, has NextEntryOffset = its length
    padded to 4 bytes (ntfs-3g refuses a zero NextEntryOffset)."""
    n = name.encode('latin-1')
    body = struct.pack('<BBH', flags, len(n), len(value)) + n + b'\0' + value
    size = 4 + len(body)
    pad = -size % 4
    return struct.pack('<I', size + pad) + body + bytes(pad)


def parse_eas(raw):
    """Split raw $EA bytes into entries; independent of ea_entry."""
    out, off = [], 0
    while off < len(raw):
        nxt, flags, nlen, vlen = struct.unpack_from('<IBBH', raw, off)
        name = raw[off + 8:off + 8 + nlen]
        if raw[off + 8 + nlen] != 0:
            raise ValueError('EA name not NUL-terminated at %d' % off)
        value = raw[off + 9 + nlen:off + 9 + nlen + vlen]
        out.append((name.decode('latin-1'), flags, value))
        if nxt == 0:
            break
        off += nxt
    return out


def ea_json(eas):
    res = []
    for name, flags, value in eas:
        e = {'name': name, 'flags': flags}
        if len(value) <= 256:
            e['value_hex'] = value.hex()
        else:
            e['value_size'] = len(value)
            e['value_sha256'] = sha(value)
        res.append(e)
    return res


def wof_build(wim, alg, size, chunk_of):
    """Build WofCompressedData for an uncompressed file of `size` bytes whose
    chunk i is chunk_of(i). Returns (stream bytes, raw chunk indices, sha256
    of the uncompressed data)."""
    _, ctype, csize = WOF_ALGS[alg]
    n = (size + csize - 1) // csize
    esize = 8 if size > 0xFFFFFFFF else 4
    stored, raw, ends, pos = [], [], [], 0
    h = hashlib.sha256()
    cache = {}
    for i in range(n):
        data = chunk_of(i)
        assert len(data) == min(csize, size - i * csize)
        h.update(data)
        key = hashlib.sha1(data).digest()
        if key not in cache:
            cache[key] = wim.compress(ctype, csize, data)
        c = cache[key]
        if c is None:
            c = data
            raw.append(i)
        stored.append(c)
        pos += len(c)
        ends.append(pos)
    table = b''.join(struct.pack('<Q' if esize == 8 else '<I', e) for e in ends[:-1])
    return table + b''.join(stored), raw, h.hexdigest()


def wof_decode(wim, alg, size, stream):
    """Decompress a WofCompressedData stream (independent of wof_build):
    yields the uncompressed chunks."""
    _, ctype, csize = WOF_ALGS[alg]
    n = (size + csize - 1) // csize
    if n == 0:
        if stream:
            raise ValueError('data in the stream of an empty file')
        return
    esize = 8 if size > 0xFFFFFFFF else 4
    tsize = (n - 1) * esize
    fmt = '<%d%s' % (n - 1, 'Q' if esize == 8 else 'I')
    ends = list(struct.unpack_from(fmt, stream, 0)) + [len(stream) - tsize]
    cache = {}
    start = 0
    for i in range(n):
        want = min(csize, size - i * csize)
        piece = stream[tsize + start:tsize + ends[i]]
        if ends[i] < start or tsize + ends[i] > len(stream):
            raise ValueError('chunk %d out of the stream' % i)
        start = ends[i]
        if len(piece) == want:
            yield piece
            continue
        key = (hashlib.sha1(piece).digest(), want)
        if key not in cache:
            cache[key] = wim.decompress(ctype, csize, piece, want)
        yield cache[key]


# ------------------------------------------------------------- the state --


class State:
    def __init__(self, path):
        self.path = path
        if os.path.exists(path):
            with open(path, encoding='utf-8') as f:
                self.s = json.load(f)
        else:
            self.s = {'entries': []}

    def save(self):
        with open(self.path, 'w', encoding='utf-8') as f:
            json.dump(self.s, f, indent=1, ensure_ascii=True)

    @property
    def entries(self):
        return self.s['entries']


class Maker:
    def __init__(self, root, state, made_with):
        self.root = root
        self.st = state
        self.made = made_with

    def p(self, rel):
        return os.path.join(self.root, rel)

    def add(self, kind, rel, **kw):
        ino = os.lstat(self.p(rel)).st_ino
        e = {'kind': kind, 'path': rel, 'inode': ino, 'made_with': self.made}
        e.update(kw)
        self.st.entries.append(e)
        return e

    def dir(self, rel, kind='dir', **kw):
        os.makedirs(self.p(rel), exist_ok=True)
        return self.add(kind, rel, **kw)

    def file(self, rel, data, kind='file', **kw):
        with open(self.p(rel), 'wb') as f:
            f.write(data)
        return self.add(kind, rel, size=len(data), sha256=sha(data), **kw)

    def set_reparse(self, rel, data):
        os.setxattr(self.p(rel), 'system.ntfs_reparse_data', data, follow_symlinks=False)


# ------------------------------------------------- default mount (pass 1) --

INTERIX_TARGETS = [
    ('interix/symlink-rel', 'target.txt'),
    ('interix/symlink-abs', '/etc/passwd'),
    ('interix/symlink-nonascii', 'ünï/文件/😀.txt'),
    ('interix/symlink-dir', 'subdir'),
    ('interix/symlink-dotdot', '../win/dir/f.txt'),
    ('interix/symlink-long', '/'.join('component%03d' % i for i in range(400))[:4095]),
]


def interix_data(kind, arg):
    """What ntfs-3g's Interix files hold, built from the Interix layout."""
    if kind == 'symlink':
        return b'IntxLNK\x01' + arg.encode('utf-16-le')
    if kind in ('chr', 'blk'):
        return (b'IntxCHR\0' if kind == 'chr' else b'IntxBLK\0') + struct.pack('<QQ', *arg)
    if kind == 'fifo':
        return b''
    if kind == 'socket':
        return b'\0'
    raise ValueError(kind)


def mksock(path):
    s = socket.socket(socket.AF_UNIX)
    try:
        s.bind(path)
    finally:
        s.close()


def specials(m, d, kind):
    """Symlinks, FIFO, devices and a socket under d; kind is 'interix' or
    'wsl' (what ntfs-3g makes of them on this mount)."""
    m.dir(d)
    m.file(d + '/target.txt', b'symlink target\n')
    m.dir(d + '/subdir')
    for rel, tgt in INTERIX_TARGETS:
        rel = rel.replace('interix/', d + '/')
        os.symlink(tgt, m.p(rel))
        m.add(kind, rel, special='symlink', link=tgt)
    os.mkfifo(m.p(d + '/fifo'))
    m.add(kind, d + '/fifo', special='fifo')
    for name, typ, dev in (('chr', stat.S_IFCHR, (1, 3)), ('blk', stat.S_IFBLK, (8, 1)),
                           ('chr-big', stat.S_IFCHR, (4095, 1048575))):
        os.mknod(m.p(d + '/' + name), typ | 0o644, os.makedev(*dev))
        m.add(kind, d + '/' + name, special='chr' if typ == stat.S_IFCHR else 'blk', dev=list(dev))
    mksock(m.p(d + '/socket'))
    m.add(kind, d + '/socket', special='socket')


def pass_default(root, st):
    m = Maker(root, st, 'default')
    # -- Interix specials (ntfs-3g's default special_files)
    specials(m, 'interix', 'interix')
    # -- Windows symlinks, junctions and other reparse points
    m.dir('win')
    m.dir('win/dir')
    m.file('win/dir/f.txt', b'target of the Windows links\n')
    m.file('win/dir/ünï文件😀.txt', 'non-ASCII target\n'.encode())
    links = [
        ('symlink-rel', False, win_symlink('dir\\f.txt', 'dir\\f.txt', 1)),
        ('symlink-rel-printfirst', False, win_symlink('..\\win\\dir\\f.txt', '..\\win\\dir\\f.txt', 1, True)),
        ('symlink-rel-print-differs', False, win_symlink('dir\\f.txt', 'PRINT NAME ONLY', 1)),
        ('symlink-nonascii', False, win_symlink('dir\\ünï文件😀.txt', 'dir\\ünï文件😀.txt', 1)),
        ('symlink-rel-missing', False, win_symlink('dir\\missing.txt', 'dir\\missing.txt', 1)),
        ('symlink-rel-case', False, win_symlink('DIR\\F.TXT', 'DIR\\F.TXT', 1)),
        ('symlink-abs', False, win_symlink('\\??\\C:\\win\\dir\\f.txt', 'C:\\win\\dir\\f.txt', 0)),
        ('symlink-abs-other-drive', False, win_symlink('\\??\\D:\\other\\x.txt', 'D:\\other\\x.txt', 0)),
        ('symlink-dir', True, win_symlink('dir', 'dir', 1)),
        ('symlink-dir-abs', True, win_symlink('\\??\\C:\\win\\dir', 'C:\\win\\dir', 0)),
        ('junction', True, junction('\\??\\C:\\win\\dir', 'C:\\win\\dir')),
        ('junction-other-drive', True, junction('\\??\\D:\\target', 'D:\\target')),
        ('junction-volume', True, junction('\\??\\Volume{01234567-89ab-cdef-0123-456789abcdef}\\', '')),
        ('cloud-file', False, reparse(0x9000601A, b'\x01\x00\x00\x00' + pattern('onedrive-like', 60))),
        ('cloud-dir', True, reparse(0x9000601A, b'\x01\x00\x00\x00' + pattern('onedrive-dir', 28))),
        ('dedup', False, reparse(0x80000013, pattern('dedup-like', 80))),
        ('third-party-guid', False, reparse(0x00000AAA, b'third-party data',
                                            guid=bytes.fromhex('00112233445566778899aabbccddeeff'))),
    ]
    for name, isdir, data in links:
        rel = 'win/' + name
        if isdir:
            os.mkdir(m.p(rel))
        else:
            open(m.p(rel), 'wb').close()
        e = m.add('junction' if data[:4] == b'\x03\x00\x00\xa0' else
                  'winsymlink' if data[:4] == b'\x0c\x00\x00\xa0' else 'reparse',
                  rel, is_dir=isdir, reparse_set=data.hex())
        m.set_reparse(rel, data)
        if e['kind'] != 'reparse':
            # the names, from the bytes we built
            body = data[8:]
            so, sl, po, pl = struct.unpack_from('<HHHH', body, 0)
            base = 12 if e['kind'] == 'winsymlink' else 8
            e['substitute_name'] = body[base + so:base + so + sl].decode('utf-16-le')
            e['print_name'] = body[base + po:base + po + pl].decode('utf-16-le')
            if e['kind'] == 'winsymlink':
                e['symlink_flags'] = struct.unpack_from('<I', body, 8)[0]
    # -- EAs set as raw $EA bytes
    m.dir('ea')
    sets = [
        ('ea/several.txt', [('A', b'1', 0), ('USER.LONGER_NAME', b'value two', 0),
                            ('NEEDED', b'needed by the file', 0x80), ('EMPTY', b'', 0),
                            ('N' * 254, b'name of 254 bytes', 0), ('BIN', bytes(range(32)), 0)]),
        ('ea/name-255.txt', [('X' * 255, b'name of 255 bytes', 0)]),
        ('ea/need-ea-only.txt', [('.CLASSINFO', b'\x01\x02', 0x80)]),
        ('ea/lower-case-name.txt', [('lower.case', b'ntfs-3g keeps the case', 0)]),
        ('ea/big-value.txt', [('BIG', pattern('ea-big', 40000) + rnd('ea-big', 20000), 0)]),
        ('ea/wsl-lx.txt', [('$LXUID', struct.pack('<I', 1000), 0),
                           ('$LXGID', struct.pack('<I', 1001), 0),
                           ('$LXMOD', struct.pack('<I', 0o100640), 0)]),
    ]
    for rel, eas in sets:
        raw = b''.join(ea_entry(*x) for x in eas)
        e = m.file(rel, ('data of %s\n' % rel).encode(), kind='ea')
        os.setxattr(m.p(rel), 'system.ntfs_ea', raw, follow_symlinks=False)
        e['ea_set'] = raw.hex()
        e['ea_given'] = ea_json([(n, f, v) for n, v, f in eas])
    e = m.dir('ea/dir-with-ea', kind='ea', is_dir=True)
    raw = ea_entry('DIRECTORY.EA', b'on a directory')
    os.setxattr(m.p('ea/dir-with-ea'), 'system.ntfs_ea', raw, follow_symlinks=False)
    e['ea_set'] = raw.hex()
    e['ea_given'] = ea_json([('DIRECTORY.EA', 0, b'on a directory')])


# --------------------------------------------- compression mount (pass 2) --


def wof_pass(m, wim):
    m.dir('wof')
    files = []
    for alg, (aname, _, csize) in sorted(WOF_ALGS.items()):
        a = aname.lower()
        exe_size = {0: 100003, 1: 300001, 2: 120007, 3: 150009}[alg]
        files += [
            ('wof/%s-1.bin' % a, alg, b'W'),
            ('wof/%s-chunk-minus-1.bin' % a, alg, pattern('%s-cm1' % a, csize - 1)),
            ('wof/%s-chunk.bin' % a, alg, pattern('%s-c' % a, csize)),
            ('wof/%s-chunk-plus-1.bin' % a, alg, pattern('%s-cp1' % a, csize + 1)),
            ('wof/%s-exe.bin' % a, alg, exe_like(a, exe_size)),
            # chunks: compressible, random (raw), compressible, random (raw, short)
            ('wof/%s-raw-chunks.bin' % a, alg,
             pattern('%s-r0' % a, csize) + rnd('%s-r1' % a, csize) +
             exe_like('%s-r2' % a, csize) + rnd('%s-r3' % a, csize // 2 + 7)),
        ]
    files.append(('wof/empty.bin', 1, b''))
    for rel, alg, data in files:
        csize = WOF_ALGS[alg][2]
        stream, raw, digest = wof_build(wim, alg, len(data),
                                        lambda i: data[i * csize:(i + 1) * csize])
        wof_file(m, rel, alg, len(data), digest, stream, raw)
    # > 4 GiB: 8-byte chunk table entries; mostly zeros, which LZX stores in
    # 78 bytes per 32 KiB chunk.
    G4 = 1 << 32
    size = G4 + 32768 + 1234
    pieces = [(0, exe_like('big-head', 32768)),
              (G4 - 20000, pattern('big-at-4g', 40000)),
              (size - 1234, pattern('big-tail', 1234))]
    zero = bytes(32768)

    def chunk_of(i):
        lo, hi = i * 32768, min(size, (i + 1) * 32768)
        buf = None
        for off, b in pieces:
            if off < hi and off + len(b) > lo:
                if buf is None:
                    buf = bytearray(hi - lo)
                s, t = max(off, lo), min(off + len(b), hi)
                buf[s - lo:t - lo] = b[s - off:t - off]
        return bytes(buf) if buf is not None else zero[:hi - lo]
    stream, raw, digest = wof_build(wim, 1, size, chunk_of)
    e = wof_file(m, 'wof/lzx-over-4g.bin', 1, size, digest, stream, raw)
    e['pieces'] = [[off, len(b), sha(b)] for off, b in pieces]


def wof_file(m, rel, alg, size, digest, stream, raw):
    """Windows' layout: sparse unnamed $DATA of the uncompressed size, the
    chunks in the named stream WofCompressedData, the reparse point last.
    (ntfs-3g cannot open the file once the reparse point is set: without
    its system-compression plugin it shows it as a symlink to
    'unsupported reparse tag 0x80000017'.)"""
    p = m.p(rel)
    open(p, 'wb').close()
    with open(p + ':WofCompressedData', 'wb') as f:
        f.write(stream)
    os.truncate(p, size)
    e = m.add('wof', rel, size=size, sha256=digest)
    data = wof_reparse(alg)
    m.set_reparse(rel, data)
    e['reparse_set'] = data.hex()
    e['wof'] = {'algorithm': alg, 'name': WOF_ALGS[alg][0], 'chunk': WOF_ALGS[alg][2],
                'chunks': (size + WOF_ALGS[alg][2] - 1) // WOF_ALGS[alg][2],
                'entry_size': 8 if size > 0xFFFFFFFF else 4,
                'raw_chunks': raw, 'stream_size': len(stream), 'stream_sha256': sha(stream)}
    return e


def lznt1_pass(m):
    m.dir('lznt1')
    # FILE_ATTRIBUTE_COMPRESSED, big-endian; new files inherit it
    os.setxattr(m.p('lznt1'), 'system.ntfs_attrib_be', (0x800).to_bytes(4, 'big'))
    for n in (1, 4095, 4096, 65535, 65536, 65537):
        m.file('lznt1/size-%d.bin' % n, pattern('lznt1-%d' % n, n), kind='lznt1')
    # 3 MiB minus 1000 bytes, 64 KiB units: text, executable-like data,
    # random units (stored uncompressed), zero units (sparse), a unit that is
    # half random half zeros, a unit that is half zeros half text, and a
    # short random-ish last unit.
    U = 65536
    units = []
    for u in range(48):
        if u in (1, 20):
            units.append(rnd('lznt1-mixed-%d' % u, U))
        elif u in (5, 6, 30):
            units.append(bytes(U))
        elif u == 10:
            units.append(rnd('lznt1-half', U // 2) + bytes(U // 2))
        elif u == 11:
            units.append(bytes(U // 2) + pattern('lznt1-11', U // 2))
        elif u == 47:
            units.append(exe_like('lznt1-47', 30000) + rnd('lznt1-47', 8000) + bytes(U - 38000))
        elif u in (3, 33):
            units.append(exe_like('lznt1-%d' % u, U))
        else:
            units.append(pattern('lznt1-mixed-%d' % u, U))
    data = b''.join(units)[:48 * U - 1000]
    e = m.file('lznt1/mixed-3m.bin', data, kind='lznt1')
    e['note'] = ('64 KiB units: 1, 20 random (stored raw); 5, 6, 30 zeros (sparse); '
                 '10 half random + half zeros; 11 half zeros + text; 3, 33 executable-like; '
                 '47 short: executable-like, random, zeros; the rest text')
    # holes: written with seeks, then grown with truncate
    size = M + 100
    pieces = [(0, pattern('holes-0', 10000)), (200000, b'HOLE!'),
              (5 * U + 40960, rnd('holes-5', 4096)), (7 * U - 3, pattern('holes-cross', 9))]
    p = m.p('lznt1/holes.bin')
    with open(p, 'wb') as f:
        for off, b in pieces:
            f.seek(off)
            f.write(b)
        f.truncate(size)
    buf = bytearray(size)
    for off, b in pieces:
        buf[off:off + len(b)] = b
    e = m.add('lznt1', 'lznt1/holes.bin', size=size, sha256=sha(bytes(buf)))
    e['note'] = ('units 1, 2, 4, 8-16 sparse; 0, 3, 5 partly written; 6-7 hold 9 bytes '
                 'across their boundary; grown to the size by truncate')
    # one byte, then truncate: one compressed cluster and a long hole
    p = m.p('lznt1/grown.bin')
    with open(p, 'wb') as f:
        f.write(b'g')
    os.truncate(p, 300000)
    m.add('lznt1', 'lznt1/grown.bin', size=300000, sha256=sha(b'g' + bytes(299999)))


def plain_pass(m):
    m.dir('plain')
    # Non-resident data, then truncate up: ntfs-3g leaves the initialized
    # size at the written length and makes the rest a sparse hole.
    p = m.p('plain/init-short.bin')
    head = pattern('init-short', 5000)
    with open(p, 'wb') as f:
        f.write(head)
    os.truncate(p, M)
    m.add('file', 'plain/init-short.bin', size=M, sha256=sha(head + bytes(M - 5000)))


def pass_compress(root, st):
    wim = Wimlib()
    m = Maker(root, st, 'compression')
    wof_pass(m, wim)
    lznt1_pass(m)
    plain_pass(m)


# ---------------------------------------------------- wsl mount (pass 3) --


def pass_wsl(root, st):
    m = Maker(root, st, 'wsl')
    specials(m, 'wsl', 'wsl')
    m.file('wsl/regular.txt', b'a regular file made on the wsl mount\n')
    # chown/chmod: without `permissions` ntfs-3g accepts them but stores
    # nothing ($LXUID/$LXGID are not written); kept to show that.
    os.chown(m.p('wsl/regular.txt'), 1000, 1001)
    os.chmod(m.p('wsl/regular.txt'), 0o640)


# ------------------------------------------------------------- observe --


def getfattr(path, name):
    p = subprocess.run(['getfattr', '-h', '--absolute-names', '-e', 'hex', '-n', name, '--', path],
                       capture_output=True)
    if p.returncode:
        if b'No such attribute' in p.stderr:
            return None
        raise RuntimeError('getfattr %s %r: %s' % (name, path, p.stderr.decode(errors='replace')))
    m = re.search(rb'^' + re.escape(name.encode()) + rb'=0x([0-9a-f]*)$', p.stdout, re.M)
    if not m:
        raise RuntimeError('getfattr %s %r: cannot parse %r' % (name, path, p.stdout))
    return m.group(1).decode()


def observe(root, st, mode):
    for e in st.entries:
        p = os.path.join(root, e['path'])
        v = {}
        try:
            s = os.lstat(p)
        except OSError as err:
            v['error'] = os.strerror(err.errno)
            e.setdefault('view', {})[mode] = v
            continue
        if s.st_ino != e['inode']:
            sys.exit('%s: inode %d under %s, %d when made' % (e['path'], s.st_ino, mode, e['inode']))
        ls = subprocess.run(['ls', '-ld', '--', p], capture_output=True, check=True).stdout
        v['ls'] = ls[:1].decode()
        v['st_size'] = s.st_size
        v['st_mode'] = '%o' % s.st_mode
        if stat.S_ISLNK(s.st_mode):
            t = os.readlink(p)
            # ntfs-3g makes absolute links point into the mount point
            if t.startswith(root + '/'):
                t = '$MNT' + t[len(root):]
            v['target'] = t
        if stat.S_ISCHR(s.st_mode) or stat.S_ISBLK(s.st_mode):
            v['rdev'] = [os.major(s.st_rdev), os.minor(s.st_rdev)]
        e.setdefault('view', {})[mode] = v
        if mode == 'default':
            g = {}
            for key, name in (('attrib', 'system.ntfs_attrib_be'),
                              ('reparse_hex', 'system.ntfs_reparse_data'),
                              ('ea_hex', 'system.ntfs_ea'),
                              ('sd_hex', 'system.ntfs_acl')):
                g[key] = getfattr(p, name)
            e['getfattr'] = g


# -------------------------------------------------------------- verify --


def run(cmd):
    p = subprocess.run(cmd, capture_output=True)
    if p.returncode:
        raise RuntimeError('%s: %s' % (' '.join(cmd), p.stderr.decode(errors='replace')))
    return p.stdout


def ntfsinfo_attrs(img, ino):
    """Attributes as `ntfsinfo -v` lists them: type, name, resident, sizes,
    flags."""
    out = run(['ntfsinfo', '-i', str(ino), '-v', img]).decode('utf-8', 'replace')
    attrs, cur = [], None
    for line in out.splitlines():
        m = re.match(r'Dumping attribute (\S+) \((0x[0-9a-f]+)\)', line)
        if m:
            cur = {'type': int(m.group(2), 16), 'name': ''}
            attrs.append(cur)
            continue
        if cur is None:
            continue
        m = re.match(r'\tRunlist:\s+VCN', line)
        if m:
            cur['runs'] = []
            continue
        m = re.match(r'\t\t\t(0x[0-9a-f]+)\t+(0x[0-9a-f]+|<HOLE>)\t+(0x[0-9a-f]+)$', line)
        if m and 'runs' in cur:
            lcn = None if m.group(2) == '<HOLE>' else int(m.group(2), 16)
            cur['runs'].append((int(m.group(1), 16), lcn, int(m.group(3), 16)))
            continue
        m = re.match(r'\tCompression unit:\s+(\d+)', line)
        if m:
            cur['cunit'] = int(m.group(1))
            continue
        m = re.match(r'\t(Resident|Attribute name|Attribute flags|Data size|'
                     r'Initialized size|Allocated size|Compressed size):\s+(.*)$', line)
        if m:
            k, val = m.group(1), m.group(2).strip()
            if k == 'Resident':
                cur['resident'] = val == 'Yes'
            elif k == 'Attribute name':
                cur['name'] = val.strip("'")
            elif k == 'Attribute flags':
                cur['flags'] = int(val, 16)
            else:
                cur[k.split()[0].lower()] = int(val.split()[0])
    return attrs


def attr_bytes(img, ino, atype, tsk):
    """An unnamed attribute's value from ntfscat, and from icat too (they
    must agree) unless The Sleuth Kit refuses the record."""
    got = run(['ntfscat', '-a', '0x%x' % atype, '-i', str(ino), img])
    if tsk:
        check(run(['icat', img, '%d-%d' % (ino, atype)]) == got,
              'inode %d: ntfscat and icat disagree on attribute 0x%x' % (ino, atype))
    return got


def lznt1_units(a, csize):
    """One letter per compression unit of a compressed attribute, from
    ntfsinfo's runlist: r = stored raw (every cluster allocated), c =
    compressed (some allocated, the rest a hole), s = sparse (all hole)."""
    per = 1 << a['cunit']
    alloc = {}
    for vcn, lcn, n in a['runs']:
        for v in range(vcn, vcn + n):
            alloc[v] = lcn is not None
    nunits = (a['allocated'] // csize + per - 1) // per
    out = ''
    for u in range(nunits):
        k = sum(1 for v in range(u * per, (u + 1) * per) if alloc.get(v))
        out += 'r' if k == per else 's' if k == 0 else 'c'
    return out


def data_attr(attrs, name=''):
    for a in attrs:
        if a['type'] == 0x80 and a['name'] == name:
            return a
    return None


def check(cond, msg):
    if not cond:
        sys.exit('special.py verify: ' + msg)


def verify(img, st, manifest, label):
    wim = Wimlib()
    out = {'label': label, 'entries': []}
    tsk_failures = []
    for e in st.entries:
        ino, rel = e['inode'], e['path']
        r = {k: e[k] for k in ('kind', 'path', 'inode', 'made_with') if k in e}
        for k in ('special', 'link', 'dev', 'is_dir', 'note', 'substitute_name', 'print_name',
                  'symlink_flags', 'pieces'):
            if k in e:
                r[k] = e[k]
        g = e['getfattr']
        r['attrib'] = '0x' + g['attrib']
        attrib = int(g['attrib'], 16)
        r['sd_hex'] = g['sd_hex']
        attrs = ntfsinfo_attrs(img, ino)
        ud = data_attr(attrs)
        # istat: must read every record; note where TSK refuses
        p = subprocess.run(['istat', img, str(ino)], capture_output=True)
        if p.returncode:
            r['tsk'] = p.stderr.decode(errors='replace').strip().splitlines()[-1]
            tsk_failures.append(rel)
        # security descriptor: getfattr == icat of $SECURITY_DESCRIPTOR
        tsk = 'tsk' not in r
        check(r['sd_hex'] and attr_bytes(img, ino, 0x50, tsk).hex() == r['sd_hex'],
              '%s: system.ntfs_acl differs from $SECURITY_DESCRIPTOR' % rel)
        # $STANDARD_INFORMATION's file attributes: system.ntfs_attrib_be
        # adds FILE_ATTRIBUTE_DIRECTORY (0x10) for directories
        si = struct.unpack_from('<I', attr_bytes(img, ino, 0x10, tsk), 32)[0]
        r['si_flags'] = '0x%08x' % si
        check(si | (attrib & 0x10) == attrib, '%s: $STANDARD_INFORMATION flags 0x%x' % (rel, si))
        # reparse point: getfattr == icat of $REPARSE_POINT == what was set
        if g['reparse_hex'] is not None:
            rp = bytes.fromhex(g['reparse_hex'])
            check(attr_bytes(img, ino, 0xC0, tsk) == rp, '%s: $REPARSE_POINT differs' % rel)
            check(attrib & 0x400, '%s: reparse point without FILE_ATTRIBUTE_REPARSE_POINT' % rel)
            r['reparse_tag'] = '0x%08X' % struct.unpack_from('<I', rp)[0]
            r['reparse_hex'] = g['reparse_hex']
            if 'reparse_set' in e:
                check(e['reparse_set'] == g['reparse_hex'], '%s: reparse data changed' % rel)
        # EAs: getfattr == icat of $EA; $EA_INFORMATION as ntfs-3g wrote it
        if g['ea_hex'] is not None:
            raw = bytes.fromhex(g['ea_hex'])
            check(attr_bytes(img, ino, 0xE0, tsk) == raw, '%s: $EA differs' % rel)
            eas = parse_eas(raw)
            if 'ea_set' in e:
                check(e['ea_set'] == g['ea_hex'], '%s: $EA differs from what was set' % rel)
                check(ea_json(eas) == e['ea_given'], '%s: parsed EAs differ' % rel)
            info = attr_bytes(img, ino, 0xD0, tsk)
            packed, need, query = struct.unpack('<HHI', info)
            check(packed == sum(5 + len(n.encode('latin-1')) + len(v) for n, _, v in eas) and
                  need == sum(1 for _, f, _ in eas if f & 0x80) and query == len(raw),
                  '%s: unexpected $EA_INFORMATION %s' % (rel, info.hex()))
            r['ea_information'] = {'packed_size': packed, 'need_ea_count': need,
                                   'unpacked_size': query}
            if len(raw) <= 4096:
                r['ea_hex'] = g['ea_hex']
            else:
                r['ea_size'] = len(raw)
                r['ea_sha256'] = sha(raw)
            r['eas'] = ea_json(eas)
        # the views under each mount
        r['ls'] = {}
        for mode, v in sorted(e['view'].items()):
            r['ls'][mode] = v.get('ls', 'error: ' + v.get('error', '?'))
            if 'target' in v:
                r.setdefault('target', {})[mode] = v['target']
            if 'rdev' in v:
                check(r.setdefault('rdev', v['rdev']) == v['rdev'], '%s: rdev differs' % rel)
            if 'st_size' in v:
                r.setdefault('st_size', {})[mode] = v['st_size']
                r.setdefault('st_mode', {})[mode] = v['st_mode']
        kind = e['kind']
        if kind == 'dir' or e.get('is_dir'):
            check(attrib & 0x10, '%s: not a directory' % rel)
        elif kind == 'wof':
            w = e['wof']
            check(ud is not None and ud['data'] == e['size'],
                  '%s: unnamed $DATA is not the uncompressed size' % rel)
            stream = run(['ntfscat', '-a', '0x80', '-n', 'WofCompressedData', '-i', str(ino), img])
            check(sha(stream) == w['stream_sha256'], '%s: WofCompressedData differs' % rel)
            h = hashlib.sha256()
            n = 0
            for c in wof_decode(wim, w['algorithm'], e['size'], stream):
                h.update(c)
                n += len(c)
            check(n == e['size'] and h.hexdigest() == e['sha256'],
                  '%s: decompressed WofCompressedData differs from the original' % rel)
            check(attrib & 0x200 or e['size'] == 0 or ud['resident'],
                  '%s: unnamed $DATA not sparse' % rel)
            r['size'] = e['size']
            r['sha256'] = e['sha256']
            r['wof'] = w
            r['data_attr'] = {k: ud[k] for k in ('resident', 'flags', 'data', 'initialized')
                              if k in ud}
            r['wof']['stream_resident'] = data_attr(attrs, 'WofCompressedData')['resident']
        elif kind in ('file', 'lznt1', 'ea', 'interix', 'winsymlink', 'junction', 'reparse', 'wsl'):
            got = run(['ntfscat', '-i', str(ino), img]) if ud else None
            if kind in ('interix',):
                want = interix_data(e['special'], e.get('link') or e.get('dev'))
                check(got == want, '%s: Interix $DATA %r, expected %r' % (rel, got[:40], want[:40]))
                check(attrib & 0x4, '%s: Interix file without FILE_ATTRIBUTE_SYSTEM' % rel)
                r['size'], r['sha256'] = len(got), sha(got)
            elif 'sha256' in e:
                check(got is not None and len(got) == e['size'] and sha(got) == e['sha256'],
                      '%s: ntfscat content differs from what was written' % rel)
                r['size'], r['sha256'] = e['size'], e['sha256']
            elif got is not None:
                r['size'], r['sha256'] = len(got), sha(got)
            if ud is not None and tsk and 'size' in r:
                t = run(['icat', img, str(ino)])
                check(sha(t) == r['sha256'], '%s: icat content differs' % rel)
            if ud is not None:
                r['data_attr'] = {k: ud[k] for k in ('resident', 'flags', 'data', 'initialized',
                                                     'compressed') if k in ud}
            if kind == 'lznt1':
                check(ud['resident'] or ud['flags'] & 1, '%s: $DATA not compressed' % rel)
                if not ud['resident']:
                    r['lznt1_units'] = lznt1_units(ud, 4096)
                check(attrib & 0x800, '%s: no FILE_ATTRIBUTE_COMPRESSED' % rel)
        if kind == 'wsl':
            check_wsl(e, r, attrib)
        out['entries'].append(r)
    with open(manifest, 'w', encoding='ascii') as f:
        json.dump(out, f, indent=1, ensure_ascii=True)
        f.write('\n')
    print('[make-images] ntfs-special: %d entries checked against ntfscat, icat, ntfsinfo, '
          'wimlib%s' % (len(out['entries']),
                        '; istat refuses ' + ', '.join(tsk_failures) if tsk_failures else ''),
          file=sys.stderr)


WSL_TAGS = {'symlink': 0xA000001D, 'socket': 0x80000023, 'fifo': 0x80000024,
            'chr': 0x80000025, 'blk': 0x80000026}


def check_wsl(e, r, attrib):
    """The WSL reparse point (and $LXMOD/$LXDEV EAs) against the layout."""
    sp = e.get('special')
    if sp is None:
        return
    rel = e['path']
    if sp == 'symlink':
        want = reparse(WSL_TAGS[sp], struct.pack('<I', 2) + e['link'].encode('utf-8'))
    else:
        want = reparse(WSL_TAGS[sp], b'')
    check(r.get('reparse_hex') == want.hex(), '%s: WSL reparse data %s, expected %s'
          % (rel, r.get('reparse_hex'), want.hex()))
    if sp in ('chr', 'blk', 'fifo', 'socket'):
        eas = dict((n, v) for n, _, v in parse_eas(bytes.fromhex(r['ea_hex'])))
        typ = {'chr': stat.S_IFCHR, 'blk': stat.S_IFBLK, 'fifo': stat.S_IFIFO,
               'socket': stat.S_IFSOCK}[sp]
        check(stat.S_IFMT(struct.unpack('<I', eas['$LXMOD'])[0]) == typ, '%s: $LXMOD' % rel)
        if sp in ('chr', 'blk'):
            check(list(struct.unpack('<II', eas['$LXDEV'])) == e['dev'], '%s: $LXDEV' % rel)


# ---------------------------------------------------------------- main --


def main():
    cmd = sys.argv[1]
    if cmd in ('default', 'compress', 'wsl', 'observe'):
        root, state = sys.argv[2], State(sys.argv[3])
        if cmd == 'default':
            pass_default(root, state)
        elif cmd == 'compress':
            pass_compress(root, state)
        elif cmd == 'wsl':
            pass_wsl(root, state)
        else:
            observe(root, state, sys.argv[4])
        state.save()
    elif cmd == 'verify':
        verify(sys.argv[2], State(sys.argv[3]), sys.argv[4], sys.argv[5])
    else:
        sys.exit('usage: special.py default|compress|wsl|observe|verify ...')


if __name__ == '__main__':
    main()
