# SPDX-License-Identifier: BSD-2-Clause
"""Parsers for what the readers print: ntfsls, fls, ntfsinfo, istat, and
our own ntfs-ls, whose names may come quoted (GNU ls shell-escape)."""

import re


def dec(b):
    return b.decode("utf-8", "surrogateescape")


def join(d, name):
    return ("" if d == "/" else d) + "/" + name


NTFSLS_ENTRY = re.compile(r"^\s*(\d+) (.*)$")


def parse_ntfsls(text):
    """ntfsls -a -s -R -i output -> (dict path->rec, set of dir paths)."""
    entries = {}
    dirs = set()
    cur = None
    for line in text.split("\n"):
        if not line:
            continue
        if line.startswith("/") and line.endswith(":"):
            cur = line[:-1]
            if cur != "/":
                dirs.add(cur)
            continue
        m = NTFSLS_ENTRY.match(line)
        if not m or cur is None:
            raise ValueError("unparseable ntfsls line: %r" % line)
        name = m.group(2)
        if name in (".", ".."):
            continue
        entries[join(cur, name)] = int(m.group(1))
    return entries, dirs


FLS_LINE = re.compile(
    r"^(\S+)/(\S+) (\* )?(\d+)(?:-(\d+)-(\d+))?(\(realloc\))?:\t(.*)$")


class FlsEntry:
    __slots__ = ("rec", "atype", "aid", "path", "meta", "size")


def parse_fls(text, ntfsls_entries):
    """fls -l -r -p output -> (names: dict path->rec, dirs: set,
    data: dict rec->(attr id, size) of unnamed $DATA,
    streams: dict rec->{name: (attr id, size)}).
    Deleted entries and $OrphanFiles are dropped (see module doc)."""
    raw = []
    unindexed = []
    for line in text.split("\n"):
        if not line:
            continue
        m = FLS_LINE.match(line)
        if not m:
            raise ValueError("unparseable fls line: %r" % line)
        dtype, meta, deleted, rec, atype, aid, realloc, rest = m.groups()
        if deleted or realloc or dtype == "V" or meta == "V":
            continue
        fields = rest.split("\t")
        if len(fields) >= 8:        # -l: path, 4 times, size, uid, gid
            path = "\t".join(fields[:-7])
            try:
                size = int(fields[-3])
            except ValueError:
                size = 0
        else:
            path, size = rest, 0
        if path == "$OrphanFiles" or path.startswith("$OrphanFiles/"):
            continue
        if dtype == "-":
            # In use, but found through its $FILE_NAME parent reference,
            # not through the parent's index: not a directory entry.
            unindexed.append("%s /%s" % (rec, path))
            continue
        e = FlsEntry()
        e.rec = int(rec)
        e.atype = int(atype) if atype else None
        e.aid = int(aid) if aid else None
        e.path = "/" + path
        e.meta = meta
        e.size = size
        raw.append(e)
    plain = {(e.rec, e.path) for e in raw}
    names, dirs, data, streams = {}, set(), {}, {}
    for e in raw:
        base, sname = e.path, None
        last = e.path.rsplit("/", 1)[1]
        if ":" in last:
            b, s = e.path.rsplit(":", 1)
            # "path:attr" is an attribute line if the plain name is known
            # for this record (from fls itself or from ntfsls), if it is an
            # index attribute, or if it is a $-named system attribute.
            # Otherwise ':' is taken to be part of a (POSIX) file name.
            if ((e.rec, b) in plain or ntfsls_entries.get(b) == e.rec
                    or e.atype == 144 or s.startswith("$")
                    or b.endswith("/.")):
                base, sname = b, s
        if base.endswith("/."):
            # TSK prints a directory's named streams a second time under
            # "dir/." (e.g. "dirads/.:dirstream"); the first copy suffices.
            continue
        names[base] = e.rec
        if e.meta == "d":
            dirs.add(base)
        if e.atype == 128:
            if sname is None:
                # The first unnamed line is the unnamed stream: TSK 4.11
                # prints some empty named streams (name length a multiple
                # of 4 units) as further unnamed lines.
                data.setdefault(e.rec, (e.aid, e.size))
            else:
                streams.setdefault(e.rec, {})[sname] = (e.aid, e.size)
    return names, dirs, data, streams, unindexed


OUR_LS = re.compile(r"^(\d+) (/.*|['\"].*)$")

_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, "e": 27,
            "E": 27, "\\": 92, "'": 39, '"': 34}


def our_name(word):
    """A name as ntfs-ls prints it, back as text: a word that starts with a
    quote is GNU ls shell-escape quoting ('...', "...", $'...' with
    backslash escapes, \' between them); any other is the name as it is."""
    if word[:1] not in ("'", '"'):
        return word
    out, i, n = bytearray(), 0, len(word)
    while i < n:
        c = word[i]
        if c == "'":
            j = word.index("'", i + 1)
            out += word[i + 1:j].encode("utf-8", "surrogateescape")
            i = j + 1
        elif c == '"':
            j = word.index('"', i + 1)
            out += word[i + 1:j].encode("utf-8", "surrogateescape")
            i = j + 1
        elif c == "\\":
            out += word[i + 1].encode()
            i += 2
        elif word.startswith("$'", i):
            i += 2
            while word[i] != "'":
                if word[i] != "\\":
                    out += word[i].encode("utf-8", "surrogateescape")
                    i += 1
                elif word[i + 1] in "01234567":
                    out.append(int(word[i + 1:i + 4], 8) & 0xFF)
                    i += 4
                else:
                    out.append(_ESCAPES[word[i + 1]])
                    i += 2
            i += 1
        else:
            raise ValueError("not a quoted name: %r" % word)
    return out.decode("utf-8", "surrogateescape")


def parse_ntfsinfo_data(text):
    """ntfsinfo -i REC output -> [(stream name or None, data size, attribute
    flags)] of its $DATA attributes (first extent of each name only)."""
    out, seen = [], set()
    for blk in text.split("Dumping attribute ")[1:]:
        if not blk.startswith("$DATA (0x80)"):
            continue
        m = re.search(r"^\s*Attribute name:\s*'(.*)'$", blk, re.M)
        name = m.group(1) if m else None
        if name in seen:
            continue
        seen.add(name)
        m = re.search(r"^\s*Data size:\s*(\d+)", blk, re.M)
        size = int(m.group(1)) if m else 0
        m = re.search(r"^\s*Attribute flags:\s*0x([0-9a-fA-F]+)", blk, re.M)
        flags = int(m.group(1), 16) if m else 0
        out.append((name, size, flags))
    return out


def istat_attr_flags(text, atype, aid):
    """Flags words of attribute (atype-aid) in istat output, plus the
    $STANDARD_INFORMATION flags."""
    flags = set()
    m = re.search(r"^\$STANDARD_INFORMATION Attribute Values:\nFlags: (.*)$",
                  text, re.M)
    si = set(w.strip() for w in m.group(1).split(",")) if m else set()
    pat = re.compile(r"^Type: \S+ \(%d-%d\)\s+Name: .*?\s+"
                     r"((?:Non-)?Resident[^\n]*?)\s+size:" % (atype, aid),
                     re.M)
    m = pat.search(text)
    if m:
        flags = set(w.strip() for w in m.group(1).split(","))
    return flags, si
