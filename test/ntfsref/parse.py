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


# --------------------------------------------------------------------------
# Volume facts, $UpCase and attribute dumps: what test/images/make-refs.py
# records for the unit tests, and what compare.py checks ntfs-info against.
# Each raises ValueError on output it cannot parse.

def _key_values(text):
    """'Key: value' lines (leading blanks dropped) -> {key: value}; the
    first occurrence of a key wins."""
    d = {}
    for ln in text.split("\n"):
        k, sep, v = ln.strip(" \t").partition(":")
        if sep and k not in d:
            d[k] = v.strip(" \t\r")
    return d


def _number(d, key, tool, base=10):
    if key not in d:
        raise ValueError("%s printed no '%s:' line" % (tool, key))
    m = re.match(r"(0x)?[0-9A-Fa-f]+", d[key])
    if not m:
        raise ValueError("%s: cannot parse '%s: %s'" % (tool, key, d[key]))
    return int(m.group(0), base)


def ntfsinfo_volume(text):
    """ntfsinfo -m output -> {fact: value}: label (str), major, minor,
    flags, sector_size, cluster_size, record_size, index_block_size,
    total_clusters, mft_lcn, mftmirr_lcn, free_clusters (ints)."""
    d = _key_values(text)
    if "Volume Name" not in d:
        raise ValueError("ntfsinfo -m printed no 'Volume Name:' line")
    m = re.fullmatch(r"(\d+)\.(\d+)", d.get("Volume Version", ""))
    if not m:
        raise ValueError("ntfsinfo -m: cannot parse the volume version")
    return {
        "label": d["Volume Name"],
        "major": int(m.group(1)),
        "minor": int(m.group(2)),
        "flags": _number(d, "Volume Flags", "ntfsinfo", 16),
        "sector_size": _number(d, "Sector Size", "ntfsinfo"),
        "cluster_size": _number(d, "Cluster Size", "ntfsinfo"),
        "record_size": _number(d, "MFT Record Size", "ntfsinfo"),
        "index_block_size": _number(d, "Index Block Size", "ntfsinfo"),
        "total_clusters": _number(d, "Volume Size in Clusters", "ntfsinfo"),
        "mft_lcn": _number(d, "LCN of Data Attribute for FILE_MFT",
                           "ntfsinfo"),
        "mftmirr_lcn": _number(d, "LCN of Data Attribute for File_MFTMirr",
                               "ntfsinfo"),
        "free_clusters": _number(d, "Free Clusters", "ntfsinfo"),
    }


def fsstat_volume(text):
    """fsstat output -> {fact: value}: label (str; "" when fsstat prints
    no 'Volume Name:' line, as it does for an empty label), serial,
    sector_size, cluster_size, record_size, index_block_size,
    total_clusters, mft_lcn, mftmirr_lcn (ints)."""
    d = _key_values(text)
    m = re.fullmatch(r"(\d+) - (\d+)", d.get("Total Cluster Range", ""))
    if not m or m.group(1) != "0":
        raise ValueError("fsstat printed no 'Total Cluster Range: 0 - N' "
                         "line")
    return {
        "label": d.get("Volume Name", ""),
        "serial": _number(d, "Volume Serial Number", "fsstat", 16),
        "sector_size": _number(d, "Sector Size", "fsstat"),
        "cluster_size": _number(d, "Cluster Size", "fsstat"),
        "record_size": _number(d, "Size of MFT Entries", "fsstat"),
        "index_block_size": _number(d, "Size of Index Records", "fsstat"),
        "total_clusters": int(m.group(2)) + 1,
        "mft_lcn": _number(d, "First Cluster of MFT", "fsstat"),
        "mftmirr_lcn": _number(d, "First Cluster of MFT Mirror", "fsstat"),
    }


def upcase_table(raw):
    """The bytes of $UpCase (ntfscat IMAGE '$UpCase') -> 65536 units."""
    if len(raw) != 131072:
        raise ValueError("$UpCase has %d bytes, want 131072" % len(raw))
    return [raw[2 * i] | raw[2 * i + 1] << 8 for i in range(65536)]


def _ntfsinfo_value(ln, key):
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


def _quoted(v, ln):
    if len(v) < 2 or v[0] != "'" or v[-1] != "'":
        raise ValueError("ntfsinfo -v: cannot parse %r" % ln)
    return v[1:-1]


_NTFSINFO_RUN = re.compile(
    r"^\t\t\s*0x([0-9a-fA-F]+)\s+(\S+)\s+0x([0-9a-fA-F]+)")


def ntfsinfo_attributes(text):
    """ntfsinfo -v -i REC output -> (attributes, file names).

    attributes: one per (type, name), in the order first dumped, its
    extents merged: [type, name, flags, resident, size, alloc, init,
    extents, runs]; the sizes, flags and residency come from the extent at
    VCN 0, the runs [(vcn, lcn or None for a hole, length)] from every
    extent in the order dumped (runs another extent maps, <RL_NOT_MAPPED>,
    left out).  file names: [(parent, namespace, name)] of each
    $FILE_NAME."""
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
                raise ValueError("ntfsinfo -v: a $FILE_NAME without parent, "
                                 "namespace or name")
            fnames.append((d["fn"]["parent"], d["fn"]["ns"],
                           d["fn"]["name"]))

    for ln in text.split("\n") + [None]:
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
            m = _NTFSINFO_RUN.match(ln)
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
        if (v := _ntfsinfo_value(ln, "Attribute name")) is not None:
            d["name"] = _quoted(v, ln)
        elif (v := _ntfsinfo_value(ln, "Attribute flags")) is not None:
            d["flags"] = int(v, 16)
        elif (v := _ntfsinfo_value(ln, "Resident")) is not None:
            d["resident"] = v.startswith("Yes")
        elif (v := _ntfsinfo_value(ln, "Lowest VCN")) is not None:
            d["lowest"] = int(v.split()[0])
        elif (v := _ntfsinfo_value(ln, "Data size")) is not None:
            d["size"] = int(v.split()[0])
            if d["resident"]:
                d["alloc"] = d["init"] = d["size"]
        elif (v := _ntfsinfo_value(ln, "Allocated size")) is not None:
            d["alloc"] = int(v.split()[0])
        elif (v := _ntfsinfo_value(ln, "Initialized size")) is not None:
            d["init"] = int(v.split()[0])
        elif _ntfsinfo_value(ln, "Runlist") is not None:
            d["in_runs"] = True
        elif d["type"] == 0x30:
            if (v := _ntfsinfo_value(ln, "Parent directory")) is not None:
                d["fn"]["parent"] = int(v.split()[0])
            elif (v := _ntfsinfo_value(ln, "Namespace")) is not None:
                d["fn"]["ns"] = v
            elif (v := _ntfsinfo_value(ln, "Filename")) is not None:
                d["fn"]["name"] = _quoted(v, ln)
    return [attrs[k] for k in order], fnames
