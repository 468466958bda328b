#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# make-images.sh -- build the small NTFS test images used by the test suite.
#
# Usage: sudo test/images/make-images.sh [OUTPUT_DIR]
#
# Each image is made with mkntfs, mounted read-write with ntfs-3g (FUSE),
# populated, unmounted, checked (ntfsfix -n, fls -r, ntfscat/icat against the
# manifest) and compressed with `xz -9 -T1` to OUTPUT_DIR/<name>.img.xz.
# A manifest OUTPUT_DIR/<name>.manifest lists the files whose content is known
# (see README.md for the format), and make-refs.py then records in
# OUTPUT_DIR/<name>.ref what the reference readers say about the image.
#
# File contents come from a seeded PRNG and are identical run to run; the
# metadata (timestamps, volume serial, GUIDs, exact cluster placement) is not.
#
# Needs: root, /dev/fuse, mkntfs ntfs-3g ntfsinfo ntfsls ntfscat ntfsfix
# (Debian: ntfs-3g), fls istat icat ifind (Debian: sleuthkit), xz (xz-utils),
# python3, mountpoint (util-linux), timeout (coreutils).
#
# IMAGES="ntfs-c512 ntfs-frag" restricts the build to the named images.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=${1:-$SCRIPT_DIR}
SEED=42
RANDOM=$SEED

log() { printf '[make-images] %s\n' "$*" >&2; }
die() { printf '[make-images] ERROR: %s\n' "$*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || die "must run as root (ntfs-3g needs /dev/fuse)"
[[ -e /dev/fuse ]] || die "/dev/fuse is missing"
for tool in mkntfs ntfs-3g ntfsinfo ntfsls ntfscat ntfsfix fls istat icat ifind fsstat \
            xz python3 mountpoint timeout sha256sum; do
    command -v "$tool" >/dev/null 2>&1 ||
        die "'$tool' not found (apt-get install ntfs-3g sleuthkit xz-utils python3)"
done

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK=$(mktemp -d /tmp/make-ntfs-images.XXXXXX)
MNT=$WORK/mnt
mkdir -p "$MNT"
NTFS3G_PID=

cleanup() {
    local rc=$?
    set +e
    if mountpoint -q "$MNT"; then
        umount "$MNT" 2>/dev/null || fusermount3 -u "$MNT" 2>/dev/null ||
            umount -l "$MNT"
    fi
    if [[ -n $NTFS3G_PID ]]; then
        wait "$NTFS3G_PID" 2>/dev/null
    fi
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- helpers --

# mkimg IMG SIZE CLUSTER SECTOR LABEL
mkimg() {
    local img=$1 size=$2 cluster=$3 sector=$4 label=$5
    rm -f "$img"
    truncate -s "$size" "$img"
    # mkntfs may loop forever when the volume is too small for the cluster
    # size, hence the timeout.
    timeout 120 mkntfs -F -f -q -c "$cluster" -s "$sector" -L "$label" "$img" \
        >"$WORK/mkntfs.log" 2>&1 ||
        { cat "$WORK/mkntfs.log" >&2; die "mkntfs failed for $img"; }
}

# mnt IMG [EXTRA_OPTS]: mount read-write on $MNT. Streams are reachable as
# FILE:STREAM.
mnt() {
    local img=$1 i
    ntfs-3g -o "no_detach,streams_interface=windows${2:+,$2}" "$img" "$MNT" \
        >>"$WORK/ntfs-3g.log" 2>&1 &
    NTFS3G_PID=$!
    for ((i = 0; i < 100; i++)); do
        mountpoint -q "$MNT" && return 0
        kill -0 "$NTFS3G_PID" 2>/dev/null || break
        sleep 0.1
    done
    cat "$WORK/ntfs-3g.log" >&2
    die "ntfs-3g failed to mount $img"
}

# umnt: flush, unmount and wait until ntfs-3g has written everything.
umnt() {
    sync
    umount "$MNT" || fusermount3 -u "$MNT"
    wait "$NTFS3G_PID" || die "ntfs-3g exited with an error (see above)"
    NTFS3G_PID=
    sync
}

gen() { python3 "$WORK/gen.py" "$@"; }

# inode_of NAME PATH: MFT record number of PATH (no leading slash) from the
# manifest of image NAME.
inode_of() {
    awk -F'\t' -v p="$2" '$1 == "file" && $6 == p {print $2}' "$OUT/$1.manifest"
}

# residency IMG INODE [STREAM]: "resident" or "nonresident" for the $DATA
# attribute (unnamed, or named STREAM) of record INODE, as ntfsinfo sees it.
residency() {
    ntfsinfo -i "$2" -v "$1" | awk -v want="${3:-}" '
        function emit() { if (ind && nm == want && !done) { print res; done = 1 } }
        /^Dumping attribute/ { emit(); ind = index($0, "$DATA (0x80)") > 0; nm = ""; res = ""; next }
        ind && /^\tResident:/ { res = ($NF == "Yes") ? "resident" : "nonresident" }
        ind && /^\tAttribute name:/ { nm = $0; sub(/^[^\047]*\047/, "", nm); sub(/\047$/, "", nm) }
        END { emit() }'
}

# check IMG NAME: validity checks + manifest verification.
check() {
    local img=$1 name=$2 manifest=$OUT/$2.manifest
    ntfsfix -n "$img" >"$WORK/ntfsfix.log" 2>&1 ||
        { cat "$WORK/ntfsfix.log" >&2; die "ntfsfix -n reports problems in $name"; }
    grep -q 'processed successfully' "$WORK/ntfsfix.log" ||
        { cat "$WORK/ntfsfix.log" >&2; die "ntfsfix -n unhappy with $name"; }
    ntfsls -R -a "$img" >"$WORK/ntfsls.txt" 2>&1 || die "ntfsls -R failed on $name"
    local tsk=1
    if fsstat "$img" >/dev/null 2>&1; then
        fls -r "$img" >"$WORK/fls.txt" || die "fls -r failed on $name"
        log "$name: ntfsls -R lists $(wc -l <"$WORK/ntfsls.txt") lines, fls -r $(wc -l <"$WORK/fls.txt") entries"
    else
        tsk=0
        log "$name: sleuthkit cannot open this image; checking with ntfs-3g tools only"
        log "$name: ntfsls -R lists $(wc -l <"$WORK/ntfsls.txt") lines"
    fi

    # Verify every manifest entry with ntfscat and icat, and record whether
    # its $DATA attribute is resident.
    local tmp=$WORK/manifest.new line kind ino size sum path stream got want res
    : >"$tmp"
    while IFS= read -r line; do
        if [[ $line == '#'* ]]; then
            printf '%s\n' "$line" >>"$tmp"
            continue
        fi
        IFS=$'\t' read -r kind ino size sum _ path <<<"$line"
        stream=
        [[ $kind == stream ]] && stream=${path##*:}
        if [[ -n $stream ]]; then
            got=$(ntfscat -a 0x80 -n "$stream" -i "$ino" "$img" | sha256sum | cut -d' ' -f1)
        else
            got=$(ntfscat -i "$ino" "$img" | sha256sum | cut -d' ' -f1)
            # (sleuthkit 4.11 rejects a sparse run longer than the volume)
            if ((tsk)) && [[ $path != sparse-huge.bin ]]; then
                want=$(icat "$img" "$ino" | sha256sum | cut -d' ' -f1)
                [[ $want == "$sum" ]] || die "$name: icat content mismatch for $path"
            fi
        fi
        [[ $got == "$sum" ]] || die "$name: ntfscat content mismatch for $path"
        res=$(residency "$img" "$ino" "$stream")
        [[ -n $res ]] || die "$name: no \$DATA attribute found for $path"
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$ino" "$size" "$sum" "$res" "$path" >>"$tmp"
    done <"$manifest"
    mv "$tmp" "$manifest"
}

# finish IMG NAME: compress into $OUT.
finish() {
    local img=$1 name=$2
    sync
    rm -f "$OUT/$name.img.xz"
    xz -9 -T1 -c "$img" >"$OUT/$name.img.xz"
    log "$name: $(stat -c %s "$img") bytes -> $(stat -c %s "$OUT/$name.img.xz") bytes xz"
    rm -f "$img"
}

# refs NAME: record what the reference readers say about $OUT/NAME.img.xz
# in $OUT/NAME.ref (make-refs.py; the unit tests read it instead of
# running the tools).
refs() {
    python3 "$SCRIPT_DIR/make-refs.py" --images "$OUT" "$1" >&2 ||
        die "$1: make-refs.py failed"
}

# attr_list_of IMG INODE: prints "yes" if the record has an $ATTRIBUTE_LIST
has_attr_list() {
    [[ $(istat "$1" "$2" | grep -c '^\$ATTRIBUTE_LIST Attribute Values') -gt 0 ]]
}

# ------------------------------------------------------ content generator --
cat >"$WORK/gen.py" <<'PYEOF'
import errno, hashlib, os, random, sys

SEED = 42

def rnd(tag, n):
    """n pseudo-random bytes, reproducible from (SEED, tag)."""
    r = random.Random('%d:%s' % (SEED, tag))
    return r.getrandbits(n * 8).to_bytes(n, 'little') if n else b''

def pattern(tag, n):
    """n bytes of compressible text; every 32-byte line names its offset."""
    t = tag.encode()[:16]
    out = bytearray()
    off = 0
    while off < n:
        line = b'%-16s@%013d\n' % (t, off)
        line = line[:31] + b'\n'
        out += line
        off += 32
    return bytes(out[:n])

class Gen:
    def __init__(self, root, manifest):
        self.root = root
        self.mf = open(manifest, 'a', encoding='utf-8')

    def p(self, rel):
        return os.path.join(self.root, rel)

    def record(self, kind, rel, data):
        self.line(kind, rel, len(data), hashlib.sha256(data).hexdigest())

    def line(self, kind, rel, size, digest):
        # st_ino on an ntfs-3g mount is the MFT record number
        ino = os.stat(self.p(rel.split(':')[0] if kind == 'stream' else rel)).st_ino
        self.mf.write('%s\t%d\t%d\t%s\t-\t%s\n' % (kind, ino, size, digest, rel))

    def mkdir(self, rel):
        os.makedirs(self.p(rel), exist_ok=True)

    def file(self, rel, data, record=True):
        d = os.path.dirname(rel)
        if d:
            self.mkdir(d)
        with open(self.p(rel), 'wb') as f:
            f.write(data)
        if record:
            self.record('file', rel, data)

    def stream(self, rel, name, data):
        with open(self.p(rel) + ':' + name, 'wb') as f:
            f.write(data)
        self.record('stream', rel + ':' + name, data)

    def sparse(self, rel, size, pieces):
        """Sparse file: only `pieces` [(offset, bytes)] are written."""
        with open(self.p(rel), 'wb') as f:
            f.truncate(size)
            for off, b in pieces:
                f.seek(off)
                f.write(b)
        content = bytearray(size) if size <= (64 << 20) else None
        h = hashlib.sha256()
        if content is not None:
            for off, b in pieces:
                content[off:off + len(b)] = b
            h.update(content)
        else:  # hash without holding it all in memory
            pos = 0
            zero = bytes(1 << 20)
            for off, b in sorted(pieces):
                while pos < off:
                    k = min(len(zero), off - pos); h.update(zero[:k]); pos += k
                h.update(b); pos += len(b)
            while pos < size:
                k = min(len(zero), size - pos); h.update(zero[:k]); pos += k
        self.line('file', rel, size, h.hexdigest())

def common(g, compression):
    g.file('empty.txt', b'')
    g.file('small.txt', b'Hello, NTFS! This is a small resident file.\n')
    g.file('resident-600.bin', pattern('resident-600', 600))
    g.file('random-100k.bin', rnd('random-100k', 100 * 1024))
    g.file('pattern-3m.bin', pattern('pattern-3m', 3 * 1024 * 1024))
    M = 1 << 20
    g.sparse('sparse.bin', 12 * M, [
        (0, b'sparse@0\n'),
        (5 * M, pattern('sparse@5M', 4096)),
        (12 * M - 100, pattern('sparse@end', 100)),
    ])

    # nested/ : 6 directory levels below nested/, one file per level
    d = 'nested'
    g.file(d + '/file-0.txt', b'nested level 0\n')
    for lvl in range(1, 7):
        d += '/level%d' % lvl
        g.file(d + '/file-%d.txt' % lvl, b'nested level %d\n' % lvl)

    # unicode/
    g.file('unicode/中文文件.txt', 'CJK name\n'.encode())
    g.file('unicode/Привет.txt', 'Cyrillic name: Привет\n'.encode())
    g.file('unicode/😀smile.txt', 'emoji (surrogate pair) name\n'.encode())
    g.file('unicode/Ελληνικά σ ς Σ.txt', 'Greek with final sigma\n'.encode())
    g.file('unicode/目录/файл.txt', 'file in a CJK-named directory\n'.encode())
    g.file('unicode/' + 'a' * 251 + '.txt', b'255 ASCII UTF-16 units\n')
    g.file('unicode/' + 'é' * 251 + '.txt', '255 UTF-16 units, é\n'.encode())
    g.file('unicode/' + '😀' * 125 + 'a.txt', '255 UTF-16 units, 125 surrogate pairs\n'.encode())

    # case/ : names differing only in case (POSIX namespace)
    g.file('case/readme.txt', b'lower case readme\n')
    g.file('case/README.txt', b'UPPER CASE README, different length\n')
    g.file('case/ReadMe.TXT', b'Mixed Case ReadMe\n')

    # streams/ : alternate data streams
    g.file('streams/small-stream.txt', b'unnamed data of small-stream.txt\n')
    g.stream('streams/small-stream.txt', 'note', b'a small named stream\n')
    g.file('streams/big-stream.txt', b'unnamed data of big-stream.txt\n')
    g.stream('streams/big-stream.txt', 'big', pattern('stream-big', 200 * 1024))
    g.file('streams/multi.txt', b'unnamed data of multi.txt\n')
    g.stream('streams/multi.txt', 'alpha', b'alpha stream\n')
    g.stream('streams/multi.txt', 'beta', rnd('multi-beta', 3000))
    g.stream('streams/multi.txt', 'gamma', pattern('multi-gamma', 70000))
    g.stream('streams/multi.txt', 'empty', b'')
    g.file('streams/only-stream.txt', b'')
    g.stream('streams/only-stream.txt', 'data', b'only the named stream has data\n')
    g.mkdir('streams/dir-with-stream')
    g.stream('streams/dir-with-stream', 'dirnote', b'a named stream on a directory\n')

    if compression:
        # files inside compressed/ inherit the NTFS compressed flag (LZNT1)
        g.mkdir('compressed')
        # FILE_ATTRIBUTE_COMPRESSED, big-endian (needs the `compression` mount option)
        os.setxattr(g.p('compressed'), 'system.ntfs_attrib_be', (0x800).to_bytes(4, 'big'))
        g.file('compressed/text.txt', pattern('compressed-text', 200 * 1024 + 123))
        g.file('compressed/random.bin', rnd('compressed-random', 64 * 1024))
        g.file('compressed/mixed.bin', pattern('mixed-a', 70000) + bytes(150000) +
               rnd('mixed-b', 5000) + pattern('mixed-c', 30000))
        g.file('compressed/small.txt', b'tiny file in a compressed directory\n')

def c4k_extra(g):
    # 20000 empty files in one directory -> multi-level $I30 B+tree
    g.mkdir('big')
    for i in range(20000):
        open(g.p('big/f%05d.txt' % i), 'wb').close()
    # one file with 250 extra hard links (251 names)
    g.file('hardlinks/target.txt', b'file with 251 names\n')
    g.mkdir('hardlinks/links')
    for i in range(1, 251):
        os.link(g.p('hardlinks/target.txt'), g.p('hardlinks/links/link-%03d.txt' % i))
    g.file('random-3m.bin', rnd('random-3m', 3 * 1024 * 1024))
    # A Win32 long name with its own DOS 8.3 name (namespaces 1 + 2): the
    # DOS entry is not listed but resolves.
    g.file('A long file name.txt', b'reachable by its DOS name too\n')
    os.setxattr(g.p('A long file name.txt'), 'system.ntfs_dos_name', b'ALONGF~1.TXT')
    M = 1 << 20
    g.sparse('sparse-huge.bin', 64 * M, [(0, b'huge@0\n'), (63 * M, b'huge@63M\n')])

def wide(g):
    # 600 names in one directory: a multi-block $I30 index. On clusters
    # larger than the 4 KiB index block, subnode VCNs count 512-byte units.
    g.mkdir('wide')
    for i in range(600):
        g.file('wide/entry-with-a-longer-name-%04d.txt' % i, b'w%04d\n' % i)

def fill(g, rel, size, label):
    """Create fixed-size files in rel until the volume is full."""
    g.mkdir(rel)
    n = 0
    while True:
        path = g.p('%s/%05d' % (rel, n))
        try:
            with open(path, 'wb') as f:
                f.write(pattern('%s%05d' % (label, n), size))
        except OSError as e:
            if e.errno != errno.ENOSPC:
                raise
            try:
                os.unlink(path)
            except OSError:
                pass
            break
        n += 1
    print(n)

def empties(g, rel):
    """Create empty files in rel until no MFT record can be allocated."""
    g.mkdir(rel)
    n = 0
    while True:
        try:
            open(g.p('%s/e%05d' % (rel, n)), 'wb').close()
        except OSError as e:
            if e.errno != errno.ENOSPC:
                raise
            break
        n += 1
    print(n)

def frag(g, rel, chunk, margin):
    """Write one file into the free space, `chunk` bytes at a time, until
    ENOSPC, then cut it back by `margin` bytes.  (ntfs-3g fails with ENOSPC
    when one write needs clusters from very many small holes, so the chunk
    must be no bigger than a hole.)"""
    st = os.statvfs(g.root)
    free = st.f_bavail * st.f_frsize
    data = pattern('fragmented', free + chunk)
    path = g.p(rel)
    size = 0
    with open(path, 'wb', buffering=0) as f:
        try:
            while size < free:
                size += f.write(data[size:size + chunk])
        except OSError as e:
            if e.errno != errno.ENOSPC:
                raise
    size = max(0, size - margin)
    os.truncate(path, size)
    g.record('file', rel, data[:size])
    print(free, size)

# Names that would drive a terminal if printed raw (ESC sequences, C1
# controls, newlines), and names that only look quoted. The manifest is
# JSON (ASCII, \u escapes): a tab-separated line cannot hold these names.
HOSTILE = [
    'plain.txt',
    'with space.txt',
    "it's.txt",
    "'leading-quote.txt",
    '"leading-dquote.txt',
    '$HOME.txt',
    'osc-title-\x1b]0;pwned\x07.txt',
    '\x1b[2J\x1b[Hclear-screen.txt',
    'new\nline.txt',
    'tab\there.txt',
    'cr\roverwrite.txt',
    'bell\x07.txt',
    'del\x7f.txt',
    'c1-csi-\u009b31m-red.txt',
    'c1-nel-\u0085.txt',
    'line-sep-\u2028.txt',
    "quote-and-esc-'\x1b.txt",
    '\x01' * 120 + '.txt',
]

def names(g, manifest, label):
    import json
    out = {'label': label, 'entries': []}
    def rec(kind, rel, data=None, stream=None):
        path = g.p(rel)
        e = {'kind': kind, 'path': rel, 'inode': os.stat(path).st_ino}
        if stream is not None:
            e['stream'] = stream
        if data is not None:
            e['size'] = len(data)
            e['sha256'] = hashlib.sha256(data).hexdigest()
        out['entries'].append(e)
    for i, n in enumerate(HOSTILE):
        data = ('file %d\n' % i).encode()
        with open(g.p(n), 'wb') as f:
            f.write(data)
        rec('file', n, data)
    d = 'dir-\x1b[31m-red\nnext'
    sub = d + '/sub\x1b]2;title\x07'
    os.makedirs(g.p(sub))
    rec('dir', d)
    rec('dir', sub)
    for rel in (d + '/inner\x07file.txt', d + '/normal.txt', sub + '/deep.txt'):
        data = rel.encode('utf-8', 'surrogateescape')[-8:] + b'\n'
        with open(g.p(rel), 'wb') as f:
            f.write(data)
        rec('file', rel, data)
    host = 'streams.txt'
    with open(g.p(host), 'wb') as f:
        f.write(b'unnamed data\n')
    rec('file', host, b'unnamed data\n')
    for sname in ('note', 'evil\x1b[2J', 'nl\nstream'):
        data = ('stream %s\n' % sname).encode()
        with open(g.p(host) + ':' + sname, 'wb') as f:
            f.write(data)
        rec('stream', host, data, sname)
    g.mf.close()
    with open(manifest, 'w', encoding='ascii') as f:
        json.dump(out, f, indent=1, ensure_ascii=True)
        f.write('\n')

def main():
    cmd, root, manifest = sys.argv[1:4]
    g = Gen(root, manifest)
    if cmd == 'common':
        common(g, sys.argv[4] == '1')
    elif cmd == 'c4k-extra':
        c4k_extra(g)
    elif cmd == 'wide':
        wide(g)
    elif cmd == 'names':
        names(g, manifest, sys.argv[4])
        return
    elif cmd == 'fill':
        fill(g, sys.argv[4], int(sys.argv[5]), sys.argv[6])
    elif cmd == 'empties':
        empties(g, sys.argv[4])
    elif cmd == 'unlink':
        for line in open(sys.argv[4], encoding='utf-8'):
            os.unlink(g.p(line.rstrip('\n')))
    elif cmd == 'file':
        g.file(sys.argv[4], sys.argv[5].encode())
    elif cmd == 'frag':
        frag(g, sys.argv[4], int(sys.argv[5]), int(sys.argv[6]))
    else:
        sys.exit('unknown command ' + cmd)
    g.mf.close()

main()
PYEOF

cat >"$WORK/lcn.py" <<'PYEOF'
"""lcn.py IMG DIR_INODE: print "first-LCN record name" for every in-use file
in directory DIR_INODE whose unnamed $DATA is non-resident.  Minimal NTFS
parser; assumes $MFT has no attribute list (true for the ntfs-frag image)."""
import struct, sys

def runs(buf, off):
    """Decode mapping pairs at buf[off:] -> list of (lcn or None, length)."""
    out, lcn = [], 0
    while buf[off]:
        h = buf[off]; ln_sz, lc_sz = h & 15, h >> 4
        length = int.from_bytes(buf[off+1:off+1+ln_sz], 'little')
        if lc_sz:
            lcn += int.from_bytes(buf[off+1+ln_sz:off+1+ln_sz+lc_sz], 'little', signed=True)
            out.append((lcn, length))
        else:
            out.append((None, length))
        off += 1 + ln_sz + lc_sz
    return out

def main(img, parent):
    f = open(img, 'rb')
    bs = f.read(512)
    bps = struct.unpack_from('<H', bs, 11)[0]
    spc = bs[13]
    spc = spc if spc < 0x80 else 1 << (256 - spc)
    csize = bps * spc
    mft_lcn = struct.unpack_from('<q', bs, 48)[0]
    c = struct.unpack_from('<b', bs, 64)[0]
    rsize = c * csize if c > 0 else 1 << -c

    def record(raw):
        raw = bytearray(raw)
        if raw[:4] != b'FILE':
            return None
        uo, uc = struct.unpack_from('<HH', raw, 4)
        for i in range(1, uc):
            raw[i * bps - 2:i * bps] = raw[uo + 2 * i:uo + 2 * i + 2]
        return raw

    def attrs(r):
        off = struct.unpack_from('<H', r, 20)[0]
        while off + 8 <= len(r):
            t, ln = struct.unpack_from('<II', r, off)
            if t == 0xFFFFFFFF or ln == 0:
                break
            yield t, r[off:off + ln]
            off += ln

    f.seek(mft_lcn * csize)
    r0 = record(f.read(rsize))
    mft_runs = None
    for t, a in attrs(r0):
        if t == 0x80:
            mft_runs = runs(a, struct.unpack_from('<H', a, 32)[0])
            size = struct.unpack_from('<q', a, 48)[0]
    recno = 0
    for lcn, length in mft_runs:
        f.seek(lcn * csize)
        blob = f.read(length * csize)
        for i in range(0, len(blob), rsize):
            if recno * rsize >= size:
                break
            r = record(blob[i:i + rsize])
            rn = recno; recno += 1
            if r is None or not (struct.unpack_from('<H', r, 22)[0] & 1):
                continue
            name = first = None
            for t, a in attrs(r):
                if t == 0x30 and a[8] == 0:
                    v = a[struct.unpack_from('<H', a, 20)[0]:]
                    if struct.unpack_from('<Q', v, 0)[0] & 0xFFFFFFFFFFFF == parent:
                        name = v[66:66 + 2 * v[64]].decode('utf-16-le')
                elif t == 0x80 and a[8] == 1 and a[9] == 0 and first is None:
                    rl = runs(a, struct.unpack_from('<H', a, 32)[0])
                    if rl and rl[0][0] is not None:
                        first = rl[0][0]
            if name is not None and first is not None:
                print(first, rn, name)

main(sys.argv[1], int(sys.argv[2]))
PYEOF

cat >"$WORK/idxdepth.py" <<'PYEOF'
"""idxdepth.py IMG DIR_INODE CLUSTER_SIZE: print the number of levels of the
directory's $I30 B+tree, counting $INDEX_ROOT as one level (uses ntfscat,
which also reads 2 MiB-cluster volumes)."""
import struct, subprocess, sys

img, ino, csize = sys.argv[1], sys.argv[2], int(sys.argv[3])
def attr(atype):
    return subprocess.run(['ntfscat', '-a', atype, '-n', '$I30', '-i', ino, img],
                          check=True, capture_output=True).stdout
root = attr('0x90')
alloc = attr('0xA0')
bsize = struct.unpack_from('<I', root, 8)[0]
vunit = csize if bsize >= csize else 512

def entries(buf, hdr):
    p = hdr + struct.unpack_from('<I', buf, hdr)[0]
    while True:
        ln, _, fl = struct.unpack_from('<HHI', buf, p + 8)
        yield fl, (struct.unpack_from('<q', buf, p + ln - 8)[0] if fl & 1 else None)
        if fl & 2:
            return
        p += ln

def depth(buf, hdr):
    if not buf[hdr + 12] & 1:
        return 1
    sub = 0
    for fl, vcn in entries(buf, hdr):
        if vcn is not None:
            b = bytearray(alloc[vcn * vunit:vcn * vunit + bsize])
            assert b[:4] == b'INDX'
            uo, uc = struct.unpack_from('<HH', b, 4)
            for k in range(1, uc):
                b[k * 512 - 2:k * 512] = b[uo + 2 * k:uo + 2 * k + 2]
            sub = max(sub, depth(b, 0x18))
    return 1 + sub

print(depth(root, 16))
PYEOF

# manifest_header NAME CLUSTER SECTOR LABEL
manifest_header() {
    printf '# kind\tinode\tsize\tsha256\tdata\tpath (image %s, cluster %s, sector %s, label %s)\n' \
        "$1" "$2" "$3" "$4" >"$OUT/$1.manifest"
}

# ----------------------------------------------------------------- images --

# common_image NAME SIZE CLUSTER SECTOR LABEL COMPRESSION [extra-cmd]
common_image() {
    local name=$1 size=$2 cluster=$3 sector=$4 label=$5 comp=$6 extra=${7:-}
    local img=$WORK/$name.img
    log "$name: mkntfs ${size} -c $cluster -s $sector -L $label"
    mkimg "$img" "$size" "$cluster" "$sector" "$label"
    manifest_header "$name" "$cluster" "$sector" "$label"
    mnt "$img" "$([[ $comp == 1 ]] && echo compression)"
    gen common "$MNT" "$OUT/$name.manifest" "$comp"
    [[ -n $extra ]] && gen "$extra" "$MNT" "$OUT/$name.manifest"
    umnt
    check "$img" "$name"
    if [[ $extra == wide ]]; then
        local ino levels
        # ntfs-3g's view: the Sleuth Kit cannot open 2 MiB clusters.
        ino=$(ntfsls -i -p / "$img" | awk '$2 == "wide" {print $1}')
        levels=$(python3 "$WORK/idxdepth.py" "$img" "$ino" "$cluster")
        log "$name: wide/ is inode $ino; its \$I30 B+tree has $levels levels (root included)"
        ((levels >= 2)) || die "$name: wide/ index has only $levels levels"
    elif [[ -n $extra ]]; then
        local ino
        ino=$(inode_of "$name" hardlinks/target.txt)
        has_attr_list "$img" "$ino" || die "$name: hardlinks/target.txt has no \$ATTRIBUTE_LIST"
        log "$name: hardlinks/target.txt is inode $ino with $(istat "$img" "$ino" | awk '/^Links:/{print $2}') links"
        ino=$(ifind -n /big "$img")
        [[ $(fls "$img" "$ino" | wc -l) -eq 20000 ]] || die "$name: big/ is not 20000 entries"
        local levels
        levels=$(python3 "$WORK/idxdepth.py" "$img" "$ino" "$cluster")
        log "$name: big/ is inode $ino; its \$I30 B+tree has $levels levels (root included)"
        ((levels >= 3)) || die "$name: big/ index has only $levels levels"
    fi
    finish "$img" "$name"
    refs "$name"
}

frag_image() {
    local name=ntfs-frag img=$WORK/ntfs-frag.img cluster=512
    log "$name: mkntfs 16M -c $cluster -s 512 -L FRAG"
    mkimg "$img" 16M $cluster 512 FRAG
    manifest_header "$name" $cluster 512 FRAG
    # 1. fill the volume with 1 KiB files (2 clusters each)
    mnt "$img"
    local n
    gen file "$MNT" "$OUT/$name.manifest" hello.txt 'FRAG volume'
    n=$(gen fill "$MNT" "$OUT/$name.manifest" fill 1024 fill)
    umnt
    log "$name: $n fill files"
    # 2. find each fill file's first cluster, delete every other one in
    #    on-disk order so that the free space is a comb of 2-cluster holes.
    #    (ntfs-3g does not allocate consecutive files contiguously, so
    #    deleting by name would leave large holes.)
    python3 "$WORK/lcn.py" "$img" "$(ifind -n /fill "$img")" | sort -n |
        awk 'NR % 2 == 1 {print "fill/" $3}' >"$WORK/unlink.txt"
    mnt "$img"
    gen unlink "$MNT" "$OUT/$name.manifest" "$WORK/unlink.txt"
    # 3. one file takes (almost) all the free space
    local fr
    fr=$(gen frag "$MNT" "$OUT/$name.manifest" fragmented.bin 1024 0)
    log "$name: free space before / size of fragmented.bin: $fr"
    umnt
    check "$img" "$name"
    local ino runs
    ino=$(inode_of "$name" fragmented.bin)
    has_attr_list "$img" "$ino" || die "$name: fragmented.bin has no \$ATTRIBUTE_LIST"
    runs=$(ntfsinfo -i "$ino" -v "$img" | awk '/^Total runs/ {print $3}')
    log "$name: fragmented.bin is inode $ino, $runs runs, \$DATA in records:" \
        "$(istat "$img" "$ino" | awk '/^Type: 128-/ {print $5}' | sort -un | tr '\n' ' ')"
    ((runs >= 1000)) || die "$name: fragmented.bin has only $runs runs"
    finish "$img" "$name"
    refs "$name"
}

mftlist_image() {
    local name=ntfs-mftlist img=$WORK/ntfs-mftlist.img cluster=4096
    log "$name: mkntfs 16M -c $cluster -s 512 -L MFTLIST"
    mkimg "$img" 16M $cluster 512 MFTLIST
    manifest_header "$name" $cluster 512 MFTLIST
    mnt "$img"
    # 1. fill the volume with 1-cluster files, 2. free every other file,
    # 3. create empty files until the MFT can grow no more: the MFT extends
    #    into the scattered holes, so its $DATA gets hundreds of runs and
    #    spills into an extension record ($MFT gets an $ATTRIBUTE_LIST).
    local n m
    gen file "$MNT" "$OUT/$name.manifest" hello.txt 'MFTLIST volume'
    n=$(gen fill "$MNT" "$OUT/$name.manifest" fill 4096 fill)
    (cd "$MNT/fill" && ls | awk 'NR % 2 == 1 {print "fill/" $0}') >"$WORK/unlink.txt"
    gen unlink "$MNT" "$OUT/$name.manifest" "$WORK/unlink.txt"
    m=$(gen empties "$MNT" "$OUT/$name.manifest" many)
    umnt
    log "$name: $n fill files (every other one deleted), $m empty files"
    check "$img" "$name"
    has_attr_list "$img" 0 || die "$name: \$MFT has no \$ATTRIBUTE_LIST"
    log "$name: \$MFT: $(ntfsinfo -i 0 -v "$img" | awk '/^Total runs/ {print $3}') runs;" \
        "attribute list: $(istat "$img" 0 | awk '/^Type: .*MFT Entry/ {printf "%s@%s ", $2, $5}')"
    finish "$img" "$name"
    refs "$name"
}

# names_image: ntfs-names, names and a label that hold control characters.
# Its manifest is ntfs-names.json (kind, path, stream, inode, size, sha256),
# and difftest leaves it out: ntfsls and fls print such names raw.
names_image() {
    local name=ntfs-names img=$WORK/ntfs-names.img
    local label=$'NAMES\e]0;pwned\a'
    log "$name: mkntfs 4M -c 4096 -s 512 with a label holding ESC and BEL"
    mkimg "$img" 4M 4096 512 "$label"
    mnt "$img"
    gen names "$MNT" "$OUT/$name.json" "$label"
    umnt
    ntfsfix -n "$img" >"$WORK/ntfsfix.log" 2>&1 && grep -q 'processed successfully' "$WORK/ntfsfix.log" ||
        { cat -v "$WORK/ntfsfix.log" >&2; die "ntfsfix -n unhappy with $name"; }
    # Every entry's bytes as ntfscat reads them, against what was written.
    python3 - "$img" "$OUT/$name.json" <<'PYEOF' || die "$name: content check failed"
import hashlib, json, subprocess, sys
img, manifest = sys.argv[1:3]
n = 0
for e in json.load(open(manifest))['entries']:
    if e['kind'] == 'dir':
        continue
    cmd = ['ntfscat', '-i', str(e['inode'])]
    if 'stream' in e:
        cmd += ['-a', '0x80', '-n', e['stream']]
    got = hashlib.sha256(subprocess.run(cmd + [img], check=True, capture_output=True).stdout).hexdigest()
    if got != e['sha256']:
        sys.exit('%r: ntfscat content mismatch' % e['path'])
    n += 1
print('[make-images] ntfs-names: %d streams match ntfscat' % n, file=sys.stderr)
PYEOF
    finish "$img" "$name"
}

# special_image: ntfs-special, the files a reader must recognise beyond plain
# data: WOF system-compressed files (XPRESS4K/8K/16K, LZX; one > 4 GiB),
# LZNT1 files with raw and sparse units, Interix and WSL special files,
# Windows symlinks and junctions, other reparse tags, $EA sets.
# test/images/special.py writes the files and the manifest ntfs-special.json
# (schema in README.md, "ntfs-special"); in short, per entry:
#   kind       dir, file, lznt1, wof, interix, wsl, winsymlink, junction,
#              reparse (other tags) or ea
#   path, inode, made_with (default, compression or wsl: the ntfs-3g mount
#              options it was created under)
#   size, sha256   the content a reader returns: for wof the uncompressed
#              data, otherwise the unnamed $DATA (Interix: the IntxLNK...
#              bytes); checked with ntfscat and icat, wof with wimlib
#   attrib     system.ntfs_attrib_be; sd_hex: system.ntfs_acl
#   reparse_tag, reparse_hex   system.ntfs_reparse_data (= icat TYPE 192)
#   ea_hex (or ea_size + ea_sha256), eas [{name, flags, value_hex or
#              value_size + value_sha256}], ea_information
#   ls {mount: type letter}, target {mount: readlink, "$MNT" = mount
#              point}, st_size, st_mode {mount: n}, rdev [major, minor]
#   wof {algorithm, name, chunk, chunks, entry_size, raw_chunks,
#              stream_size, stream_sha256, stream_resident}
#   data_attr  the unnamed $DATA as ntfsinfo shows it (resident, flags,
#              data, initialized, compressed sizes)
#   tsk        istat's error, for records The Sleuth Kit refuses
# Needs libwim15 (wimlib's compressors through ctypes) and attr (getfattr).
special_image() {
    local name=ntfs-special img=$WORK/ntfs-special.img state=$WORK/special-state.json
    local sp=$SCRIPT_DIR/special.py mode
    command -v getfattr >/dev/null || die "getfattr not found (apt-get install attr)"
    python3 -c 'import ctypes; ctypes.CDLL("libwim.so.15")' 2>/dev/null ||
        die "libwim.so.15 not found (apt-get install libwim15)"
    log "$name: mkntfs 32M -c 4096 -s 512 -L SPECIAL"
    mkimg "$img" 32M 4096 512 SPECIAL
    rm -f "$state"
    mnt "$img"
    python3 "$sp" default "$MNT" "$state" || die "$name: special.py default failed"
    umnt
    mnt "$img" compression
    python3 "$sp" compress "$MNT" "$state" || die "$name: special.py compress failed"
    umnt
    mnt "$img" special_files=wsl
    python3 "$sp" wsl "$MNT" "$state" || die "$name: special.py wsl failed"
    umnt
    # what ntfs-3g shows, under each set of options (read-only mounts)
    for mode in default compression wsl; do
        case $mode in
        default) mnt "$img" ro ;;
        compression) mnt "$img" ro,compression ;;
        wsl) mnt "$img" ro,special_files=wsl ;;
        esac
        python3 "$sp" observe "$MNT" "$state" "$mode" || die "$name: special.py observe failed"
        umnt
    done
    ntfsfix -n "$img" >"$WORK/ntfsfix.log" 2>&1 && grep -q 'processed successfully' "$WORK/ntfsfix.log" ||
        { cat "$WORK/ntfsfix.log" >&2; die "ntfsfix -n unhappy with $name"; }
    fls -r "$img" >"$WORK/fls.txt" || die "$name: fls -r failed"
    ntfsls -R -a "$img" >"$WORK/ntfsls.txt" 2>&1 || die "$name: ntfsls -R failed"
    log "$name: ntfsls -R lists $(wc -l <"$WORK/ntfsls.txt") lines, fls -r $(wc -l <"$WORK/fls.txt") entries"
    python3 "$sp" verify "$img" "$state" "$OUT/$name.json" SPECIAL || die "$name: verification failed"
    finish "$img" "$name"
}

# secure_image: ntfs-secure, security descriptors. Files get descriptors
# built byte by byte from [MS-DTYP] 2.4 (secure.py below), set through
# ntfs-3g's system.ntfs_acl; what getfattr then reads back is the truth
# recorded in ntfs-secure.json (path, inode, sd_hex, and Samba's SDDL of
# those bytes), with the descriptors of the system files taken from
# $Secure:$SDS by ntfscat and their security ids from ntfsinfo. Some files
# keep ntfs-3g's own per-file $SECURITY_DESCRIPTOR (the root's is mkntfs's,
# non-resident); many distinct descriptors give $SII index blocks and an
# $SDS past its first 256 KiB block. Needs Samba's Python bindings
# (Debian: python3-samba) for the SDDL column. difftest skips the image (it
# has a JSON manifest).
secure_image() {
    local name=ntfs-secure img=$WORK/ntfs-secure.img py=/usr/bin/python3
    $py -c 'import samba.dcerpc.security' 2>/dev/null ||
        die "$name: needs Samba's Python bindings (apt-get install python3-samba)"
    log "$name: mkntfs 16M -c 4096 -s 512 -L SECURE"
    mkimg "$img" 16M 4096 512 SECURE
    cat >"$WORK/secure.py" <<'SECEOF'
import json, os, struct, subprocess, sys, uuid

ALIAS = {'WD': 'S-1-1-0', 'CO': 'S-1-3-0', 'CG': 'S-1-3-1', 'AN': 'S-1-5-7', 'AU': 'S-1-5-11',
         'SY': 'S-1-5-18', 'LS': 'S-1-5-19', 'NS': 'S-1-5-20', 'BA': 'S-1-5-32-544',
         'BU': 'S-1-5-32-545', 'BG': 'S-1-5-32-546', 'LW': 'S-1-16-4096', 'HI': 'S-1-16-12288',
         'OW': 'S-1-3-4', 'IU': 'S-1-5-4', 'PS': 'S-1-5-10'}
DOM = 'S-1-5-21-1004336348-1177238915-682003330'
FA, FR, FW, FX = 0x1F01FF, 0x120089, 0x120116, 0x1200A0
GA, GX, GW, GR = 0x10000000, 0x20000000, 0x40000000, 0x80000000

def sid(s):
    p = ALIAS.get(s, s).split('-')
    subs = [int(x) for x in p[3:]]
    return bytes([int(p[1]), len(subs)]) + int(p[2]).to_bytes(6, 'big') + \
        b''.join(struct.pack('<I', x) for x in subs)

def ace(typ, flags, mask, who, obj=None, inh=None, extra=b''):
    body = struct.pack('<I', mask)
    if typ in (5, 6, 7, 8, 0xB, 0xC, 0xF, 0x10):
        body += struct.pack('<I', (1 if obj else 0) | (2 if inh else 0))
        body += (uuid.UUID(obj).bytes_le if obj else b'') + (uuid.UUID(inh).bytes_le if inh else b'')
    body += sid(who) + extra
    body += bytes(-(4 + len(body)) % 4)
    return struct.pack('<BBH', typ, flags, 4 + len(body)) + body

def acl(aces, rev=2):
    data = b''.join(aces)
    return struct.pack('<BBHHH', rev, 0, 8 + len(data), len(aces), 0) + data

def sd(owner=None, group=None, dacl=None, sacl=None, control=0):
    """Self-relative: header, SACL, DACL, owner, group (Windows' order).
    dacl/sacl: None absent, 'null' present with offset 0, else ACL bytes."""
    control |= 0x8000
    out, offs = b'', {}
    for key, part in (('sacl', sacl), ('dacl', dacl), ('owner', owner), ('group', group)):
        if part is None or part == 'null':
            offs[key] = 0
            continue
        offs[key] = 20 + len(out)
        out += part if isinstance(part, bytes) else sid(part)
    if sacl is not None:
        control |= 0x10
    if dacl is not None:
        control |= 0x04
    return struct.pack('<BBHIIII', 1, 0, control, offs['owner'], offs['group'], offs['sacl'],
                       offs['dacl']) + out

A, D, AU, ML = 0, 1, 2, 0x11
OI, CI, NP, IO, ID, SA, FAIL = 1, 2, 4, 8, 0x10, 0x40, 0x80
GUID1 = 'bf967aba-0de6-11d0-a285-00aa003049e2'
GUID2 = '4828cc14-1437-45bc-9b07-ad6f015e5f28'

def descriptors():
    d = {}
    d['basic'] = sd('BA', 'SY', acl([ace(A, 0, FA, 'SY'), ace(A, 0, FA, 'BA'), ace(A, 0, 0x1200A9, 'BU')]))
    d['inherit'] = sd('SY', 'SY', acl([ace(A, OI | CI | ID, FA, 'SY'), ace(A, OI | CI | IO, GA, 'CO'),
                                       ace(A, CI | IO, GR | GX, 'CG'), ace(A, NP, FR, 'AU'),
                                       ace(A, 0, FW, 'WD'), ace(A, 0, FX, 'AN')]),
                      control=0x1000 | 0x0400)
    d['deny'] = sd(DOM + '-1001', DOM + '-513',
                   acl([ace(D, 0, 0x40000, 'WD'), ace(D, OI, 0x1, 'NS'), ace(A, 0, 0xD0000, 'CO'),
                        ace(A, 0, 0x12345, 'LS'), ace(A, 0, 0x1FF, 'IU'), ace(A, 0, 0, 'PS'),
                        ace(A, 0, GA | GR | GW | GX | 0x30000, DOM + '-1001')]),
                   control=0x0100)
    d['sacl'] = sd('BA', 'BA', acl([ace(A, 0, FA, 'WD')]),
                   acl([ace(AU, SA | FAIL, FA, 'WD'), ace(AU, FAIL | OI, GW, 'BA')]),
                   control=0x0800)
    d['label'] = sd('BA', 'SY', acl([ace(A, 0, FR, 'WD')]), acl([ace(ML, 0, 0x1, 'LW')]))
    d['object'] = sd('SY', 'SY', acl([ace(5, CI, 0x30, 'WD', obj=GUID1), ace(6, 0, 0x10, 'AU', inh=GUID2),
                                      ace(5, 0, 0x100, 'BA', obj=GUID2, inh=GUID1)], rev=4))
    d['null-dacl'] = sd('BA', 'BA', 'null')
    d['empty-dacl'] = sd('BA', 'BA', acl([]), control=0x1000)
    d['no-dacl'] = sd('OW', 'BU')
    d['domain'] = sd('S-1-5-21-7-8-9-1000', 'S-1-5-21-7-8-9-513', acl([ace(A, 0, FA, 'S-1-5-21-7-8-9-1000')]))
    d['large'] = sd('BA', 'SY', acl([ace(A if i % 3 else D, (i % 4) and CI, [FA, FR, FW, FX, 0x1200A9][i % 5],
                                         '%s-%d' % (DOM, 2000 + i)) for i in range(160)]))
    d['shared'] = sd('BA', 'BU', acl([ace(A, 0, FA, 'BA'), ace(A, 0, FR, 'BU')]))
    return d

def getfattr(path):
    out = subprocess.run(['getfattr', '--absolute-names', '-n', 'system.ntfs_acl', '-e', 'hex', path],
                         check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith('system.ntfs_acl=0x'):
            return line.split('=0x', 1)[1]
    sys.exit('%s: no system.ntfs_acl' % path)

def setfattr(path, b):
    subprocess.run(['setfattr', '-n', 'system.ntfs_acl', '-v', '0x' + b.hex(), path], check=True)

def populate(root):
    made = []  # (path, bytes set or None)
    d = descriptors()
    def f(rel, data=b'x\n'):
        p = os.path.join(root, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, 'wb') as fh:
            fh.write(data)
    for k, v in d.items():
        if k == 'shared':
            continue
        f('sd/%s.txt' % k, (k + '\n').encode())
        setfattr(os.path.join(root, 'sd/%s.txt' % k), v)
        made.append('sd/%s.txt' % k)
    os.makedirs(os.path.join(root, 'dir-with-sd'))
    setfattr(os.path.join(root, 'dir-with-sd'), d['inherit'])
    made += ['dir-with-sd', 'sd']
    for i in range(40):  # many files, one descriptor
        f('shared/f%02d.txt' % i)
        setfattr(os.path.join(root, 'shared/f%02d.txt' % i), d['shared'])
        made.append('shared/f%02d.txt' % i)
    for i in range(150):  # many distinct ids: $SII beyond its root
        f('many/m%03d.txt' % i)
        setfattr(os.path.join(root, 'many/m%03d.txt' % i),
                 sd('%s-%d' % (DOM, 5000 + i), 'SY', acl([ace(A, 0, FA, 'SY'), ace(A, 0, FR, '%s-%d' % (DOM, 5000 + i))])))
        made.append('many/m%03d.txt' % i)
    # 64 descriptors of ~5 KiB set in turn on one file: $SDS keeps them
    # all, so the last lies past the first 256 KiB block of primary copies.
    f('big/last.txt')
    for i in range(64):
        setfattr(os.path.join(root, 'big/last.txt'),
                 sd('BA', 'SY', acl([ace(A, 0, FR, '%s-%d' % (DOM, 100000 * i + j)) for j in range(140)])))
    made.append('big/last.txt')
    f('plain/default.txt')  # ntfs-3g's own per-file $SECURITY_DESCRIPTOR
    f('plain/default2.txt')
    made += ['plain/default.txt', 'plain/default2.txt', 'plain', '']
    return made

def samba_sddl(b):
    """Samba's SDDL of the bytes, or None where it fails (4.17 crashes on
    a mandatory label ACE: hence a process of its own)."""
    r = subprocess.run([sys.executable, '-c', 'import sys\n'
                        'from samba.dcerpc import security\n'
                        'from samba.ndr import ndr_unpack\n'
                        'print(ndr_unpack(security.descriptor, bytes.fromhex(sys.argv[1])).as_sddl())',
                        b.hex()], capture_output=True, text=True)
    return r.stdout.strip() if r.returncode == 0 else None

def main():
    cmd, root, out = sys.argv[1:4]
    if cmd == 'populate':
        paths = populate(root)
        entries = []
        for rel in paths:
            p = os.path.join(root, rel)
            h = getfattr(p)
            entries.append({'path': '/' + rel, 'inode': os.stat(p).st_ino, 'sd_hex': h,
                            'sddl_samba': samba_sddl(bytes.fromhex(h))})
        json.dump({'entries': entries}, open(out, 'w'), indent=1)
    elif cmd == 'system':
        # After unmount: system files' descriptors from $Secure:$SDS (ntfscat)
        # and their security ids (ntfsinfo), for records 0-11.
        img = root
        m = json.load(open(out))
        sds = subprocess.run(['ntfscat', '-a', '0x80', '-n', '$SDS', '-i', '9', img], check=True,
                             capture_output=True).stdout
        by_id, pos = {}, 0
        while pos + 20 <= len(sds):
            h, i, o, ln = struct.unpack_from('<IIQI', sds, pos)
            if ln >= 20 and o == pos:
                by_id[i] = sds[pos + 20:pos + ln]
                pos = (pos + ln + 15) & ~15
            else:
                pos += 16
        system = []
        for ino in range(12):
            info = subprocess.run(['ntfsinfo', '-i', str(ino), '-v', img], check=True,
                                  capture_output=True, text=True).stdout
            sid = [int(l.split()[2]) for l in info.splitlines()
                   if l.strip().startswith('Security ID:')]
            if '$SECURITY_DESCRIPTOR (0x50)' in info:
                b = subprocess.run(['ntfscat', '-a', '0x50', '-i', str(ino), img], check=True,
                                   capture_output=True).stdout
            elif sid and sid[0] != 0:
                b = by_id[sid[0]]
            else:
                b = None  # no descriptor ($MFT: security id 0)
            system.append({'inode': ino, 'security_id': sid[0] if sid else None,
                           'sd_hex': b.hex() if b is not None else None,
                           'sddl_samba': samba_sddl(b) if b is not None else None})
        m['system'] = system
        m['sds_size'] = len(sds)
        json.dump(m, open(out, 'w'), indent=1)
        open(out, 'a').write('\n')

main()
SECEOF
    mnt "$img"
    $py "$WORK/secure.py" populate "$MNT" "$OUT/$name.json"
    umnt
    ntfsfix -n "$img" >"$WORK/ntfsfix.log" 2>&1 && grep -q 'processed successfully' "$WORK/ntfsfix.log" ||
        { cat "$WORK/ntfsfix.log" >&2; die "ntfsfix -n unhappy with $name"; }
    $py "$WORK/secure.py" system "$img" "$OUT/$name.json"
    log "$name: $(grep -c '"sd_hex"' "$OUT/$name.json") descriptors recorded;" \
        "\$SDS $($py -c 'import json,sys; print(json.load(open(sys.argv[1]))["sds_size"])' "$OUT/$name.json") bytes"
    finish "$img" "$name"
}

want() { [[ -z ${IMAGES:-} || " $IMAGES " == *" $1 "* ]]; }

start=$SECONDS
want ntfs-c512 && common_image ntfs-c512 8M 512 512 NTFS_C512 1
want ntfs-c4k && common_image ntfs-c4k 38M 4096 512 NTFS_C4K 1 c4k-extra
want ntfs-c64k && common_image ntfs-c64k 10M 65536 512 NTFS_C64K 0 wide
want ntfs-c2m && common_image ntfs-c2m 64M 2097152 512 NTFS_C2M 0 wide
want ntfs-s4k && common_image ntfs-s4k 10M 4096 4096 NTFS_S4K 1
want ntfs-frag && frag_image
want ntfs-mftlist && mftlist_image
want ntfs-names && names_image
want ntfs-special && special_image
want ntfs-secure && secure_image
log "done in $((SECONDS - start)) s; images in $OUT"
