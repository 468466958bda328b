# SPDX-License-Identifier: BSD-2-Clause
"""The comparison of one image: our listing and bytes against ntfs-3g's and
The Sleuth Kit's (see difftest.py for what is compared and why)."""

import concurrent.futures
import os
import random
import re

from .parse import (NTFSLS_ENTRY, OUR_LS, dec, fsstat_volume,
                    istat_attr_flags, ntfsinfo_attributes, ntfsinfo_volume,
                    our_name, parse_fls, parse_ntfsinfo_data, parse_ntfsls,
                    upcase_table)
from .tools import MAX_SHOWN, REF_TIMEOUT, log, run

QUICK_DIR_LIMIT = 200
QUICK_SIZE_LIMIT = 1 << 20
QUICK_BIG_DIR_SAMPLE = 200
QUICK_LARGE_SAMPLE = 10
QUICK_LARGE_MAX = 64 << 20
SEED = 20240229


class Report:
    def __init__(self, im):
        self.im = im
        self.mismatches = []
        self.skips = {}
        self.notes = []
        self.entries = 0
        self.files = 0
        self.streams = 0
        self.disputed = 0
        self.dirs_ordered = 0
        self.facts = 0
        self.dos_names = 0

    def bad(self, msg):
        self.mismatches.append(msg)

    def skip(self, reason, n=1):
        self.skips[reason] = self.skips.get(reason, 0) + n

    def note(self, msg):
        self.notes.append(msg)


class Tester:
    def __init__(self, args):
        self.args = args
        self.ntfs_ls = os.path.join(args.bin, "ntfs-ls")
        self.ntfs_cat = os.path.join(args.bin, "ntfs-cat")
        self.ntfs_info = os.path.join(args.bin, "ntfs-info")
        self.pool = concurrent.futures.ThreadPoolExecutor(args.jobs)
        self.tsk_ok = True
        self.ntfsinfo_cache = {}

    # -- command builders ---------------------------------------------------
    def ours(self, im, tool, *rest):
        cmd = [tool]
        if im.offset:
            cmd += ["--offset", str(im.offset)]
        return cmd + list(rest)

    def tsk(self, im, tool, *rest):
        cmd = [tool]
        if im.offset:
            cmd += ["-o", str(im.sector_offset)]
        return cmd + [im.path] + list(rest)

    def run_ours(self, cmd, keep=False):
        return run(cmd, self.args.timeout, keep)

    # -- main ---------------------------------------------------------------
    def test_image(self, im):
        rep = Report(im)
        if im.error:
            rep.bad("setup: " + im.error)
            return rep

        # 1. reference listings.  If one reference cannot read the volume
        # at all (TSK 4.11 rejects 2 MiB clusters), the other one decides
        # alone; that is reported as a note.
        r = run(["ntfsls", "-a", "-s", "-R", "-i", im.bare], REF_TIMEOUT,
                keep=True)
        ls_ok = r.rc == 0
        if ls_ok:
            ref_ls, ref_ls_dirs = parse_ntfsls(dec(r.out))
        else:
            ref_ls, ref_ls_dirs = {}, set()
            rep.note("ntfsls cannot read this volume (%s); fls decides "
                     "alone" % r.describe())
        r = run(self.tsk(im, "fls", "-l", "-r", "-p"), REF_TIMEOUT,
                keep=True)
        self.tsk_ok = r.rc == 0
        if self.tsk_ok:
            fls_names, fls_dirs, fls_data, fls_streams, unindexed = \
                parse_fls(dec(r.out), ref_ls)
            for u in unindexed[:MAX_SHOWN]:
                rep.note("listing: fls shows %s, which is in use but in no "
                         "directory index (not compared)" % u)
        else:
            fls_names, fls_dirs, fls_data, fls_streams = {}, set(), {}, {}
            if not ls_ok:
                rep.bad("no reference can read this volume: fls %s"
                        % r.describe())
                return rep
            rep.note("TSK cannot read this volume (fls %s); ntfs-3g decides "
                     "alone" % r.describe())

        a = {(rec, p) for p, rec in ref_ls.items()}
        b = {(rec, p) for p, rec in fls_names.items()}
        if ls_ok and self.tsk_ok:
            agreed = a & b
            only_ls = a - b
            only_fls = b - a
        else:
            agreed = a | b
            only_ls = only_fls = set()
        rep.disputed = len(only_ls) + len(only_fls)
        for rec, p in sorted(only_ls, key=lambda x: x[1])[:MAX_SHOWN]:
            rep.note("listing: ntfsls has %d %s, fls does not" % (rec, p))
        for rec, p in sorted(only_fls, key=lambda x: x[1])[:MAX_SHOWN]:
            rep.note("listing: fls has %d %s, ntfsls does not" % (rec, p))
        if ls_ok and self.tsk_ok:
            for p in sorted((ref_ls_dirs ^ fls_dirs)
                            & {p for _, p in agreed}):
                rep.note("listing: ntfsls and fls disagree whether %s is a "
                         "directory" % p)
        if not self.tsk_ok:
            # $DATA attributes from ntfsinfo instead of fls (one process
            # per record; only used on volumes TSK cannot read).
            recs = sorted({rec for rec, p in agreed})
            futs = {rec: self.pool.submit(run, ["ntfsinfo", "-i", str(rec),
                                                im.bare], REF_TIMEOUT, True)
                    for rec in recs}
            self.ntfsinfo_cache = {}
            for rec, f in futs.items():
                rr = f.result()
                if rr.rc != 0:
                    rep.note("ntfsinfo -i %d failed: %s" % (rec,
                                                           rr.describe()))
                    continue
                text = dec(rr.out)
                self.ntfsinfo_cache[rec] = text
                for name, size, _ in parse_ntfsinfo_data(text):
                    # attribute id unknown without TSK; None is fine since
                    # icat is not used then.
                    if name is None:
                        fls_data[rec] = (None, size)
                    else:
                        fls_streams.setdefault(rec, {})[name] = (None, size)

        # 2. our listing
        r = self.run_ours(self.ours(im, self.ntfs_ls, "-R", "-a", "-i",
                                    im.path, "/"), keep=True)
        if r.rc != 0:
            rep.bad("ntfs-ls -R -a -i: " + r.describe())
            return rep
        ours = []
        for line in dec(r.out).split("\n"):
            if not line:
                continue
            m = OUR_LS.match(line)
            if not m:
                rep.bad("ntfs-ls: unparseable line %r" % line)
                continue
            ours.append((int(m.group(1)), our_name(m.group(2))))
        r2 = self.run_ours(self.ours(im, self.ntfs_ls, "-R", "-a", im.path,
                                     "/"), keep=True)
        if r2.rc != 0:
            rep.bad("ntfs-ls -R -a: " + r2.describe())
        else:
            plain = [l for l in dec(r2.out).split("\n") if l]
            if plain != [p for _, p in ours]:
                rep.bad("ntfs-ls without -i prints different paths/order "
                        "than with -i (%d vs %d lines)"
                        % (len(plain), len(ours)))
        ours_set = set(ours)
        if len(ours_set) != len(ours):
            seen = set()
            for e in ours:
                if e in seen:
                    rep.bad("ntfs-ls: duplicate entry %d %s" % e)
                seen.add(e)
        # directories before their contents
        printed = set()
        for rec, p in ours:
            parent = p.rsplit("/", 1)[0] or "/"
            if parent != "/" and parent not in printed:
                rep.bad("ntfs-ls: %s printed before its directory" % p)
                break
            printed.add(p)

        rep.entries = len(ours_set)
        disputed = only_ls | only_fls
        for rec, p in sorted(agreed - ours_set, key=lambda x: x[1]):
            other = [x for x in ours_set if x[1] == p]
            if other:
                rep.bad("listing: %s has record %d, references say %d"
                        % (p, other[0][0], rec))
            else:
                rep.bad("listing: missing %d %s" % (rec, p))
        for rec, p in sorted(ours_set - agreed - disputed,
                             key=lambda x: x[1]):
            if not any(x[1] == p for x in agreed):
                rep.bad("listing: extra %d %s (in no reference)" % (rec, p))
        # Where the references disagree, ntfsls decides: the listing must
        # be exactly ntfsls's (as the unit tests require of theirs).
        for rec, p in sorted(only_ls - ours_set, key=lambda x: x[1]):
            rep.bad("listing: ntfsls has %d %s (fls does not), ntfs-ls "
                    "does not" % (rec, p))
        for rec, p in sorted(only_fls & ours_set, key=lambda x: x[1]):
            rep.bad("listing: ntfs-ls has %d %s, which only fls has, not "
                    "ntfsls" % (rec, p))

        # 2b. every directory in collation order, the volume's facts, the
        # root's DOS names
        self.check_order(im, rep, ours)
        self.check_volume(im, rep)
        self.check_security(im, rep)
        if ls_ok:
            self.check_dos_names(im, rep, ref_ls)

        # 3. a path that does not exist: exit 1, nothing on stdout (the
        # reference agrees that it does not exist)
        bogus = "/difftest-no-such-file-%d" % os.getpid()
        if bogus not in ref_ls and bogus not in fls_names:
            o = self.run_ours(self.ours(im, self.ntfs_cat, im.path, bogus))
            if o.rc != 1 or o.size:
                rep.bad("ntfs-cat of a missing path: expected exit 1 and no "
                        "output, got %s and %d bytes" % (o.describe(),
                                                         o.size))

        # 4. bytes
        self.compare_bytes(im, rep, agreed, ref_ls_dirs | fls_dirs,
                           fls_data, fls_streams)
        return rep

    # ------------------------------------------------------------------------
    def check_order(self, im, rep, ours):
        """Each directory's entries, as ntfs-ls -R printed them, strictly
        increasing in NTFS collation order through the volume's $UpCase as
        ntfscat reads it: upper-cased units, then the units themselves.
        (Not ntfsls's order: it prints the $INDEX_ROOT's entries, then
        each index block's in VCN order.)"""
        r = run(["ntfscat", im.bare, "$UpCase"], REF_TIMEOUT, keep=True)
        try:
            if r.rc != 0:
                raise ValueError(r.describe())
            up = upcase_table(r.out)
        except ValueError as e:
            rep.bad("order: cannot read $UpCase with ntfscat: %s" % e)
            return
        last = {}
        for _, p in ours:
            parent, name = p.rsplit("/", 1)
            try:
                b = name.encode("utf-16-le")
            except UnicodeEncodeError:
                rep.bad("order: ntfs-ls printed %r, not UTF-8" % p)
                continue
            units = [b[i] | b[i + 1] << 8 for i in range(0, len(b), 2)]
            key = ([up[u] for u in units], units)
            prev = last.get(parent)
            if prev is not None and prev[0] >= key:
                rep.bad("order: %s listed after %s: not in collation order "
                        "through ntfscat's $UpCase" % (p, prev[1]))
            last[parent] = (key, p)
        rep.dirs_ordered = len(last)

    def check_volume(self, im, rep):
        """ntfs-info's volume facts against ntfsinfo -m, fsstat and the
        initialized size of $MFT's $DATA (ntfsinfo -v -i 0)."""
        o = self.run_ours(self.ours(im, self.ntfs_info, im.path), keep=True)
        if o.rc != 0:
            rep.bad("ntfs-info: " + o.describe())
            return
        ours = {}
        for ln in dec(o.out).split("\n"):
            k, sep, v = ln.partition(": ")
            if sep:
                ours[k] = v
        refs = {}
        r = run(["ntfsinfo", "-m", im.bare], REF_TIMEOUT, keep=True)
        if r.rc != 0:
            rep.bad("volume: ntfsinfo -m failed: %s" % r.describe())
            return
        info = ntfsinfo_volume(dec(r.out))
        r = run(["ntfsinfo", "-v", "-i", "0", im.bare], REF_TIMEOUT,
                keep=True)
        if r.rc != 0:
            rep.bad("volume: ntfsinfo -v -i 0 failed: %s" % r.describe())
            return
        mft = [a for a in ntfsinfo_attributes(dec(r.out))[0]
               if a[0] == 0x80 and a[1] == ""]
        if not mft:
            rep.bad("volume: ntfsinfo -v -i 0 shows no $DATA")
            return
        refs["ntfsinfo"] = {
            "label": info["label"],
            "version": "%d.%d" % (info["major"], info["minor"]),
            "dirty": "yes" if info["flags"] & 1 else "no",
            "sector size": info["sector_size"],
            "cluster size": info["cluster_size"],
            "record size": info["record_size"],
            "index block size": info["index_block_size"],
            "total clusters": info["total_clusters"],
            "free clusters": info["free_clusters"],
            "MFT LCN": info["mft_lcn"],
            "MFTMirr LCN": info["mftmirr_lcn"],
            "MFT records": mft[0][6] // info["record_size"],
        }
        r = run(self.tsk(im, "fsstat"), REF_TIMEOUT, keep=True)
        if r.rc == 0:
            fs = fsstat_volume(dec(r.out))
            refs["fsstat"] = {
                "label": fs["label"],
                "serial": "%016X" % fs["serial"],
                "sector size": fs["sector_size"],
                "cluster size": fs["cluster_size"],
                "record size": fs["record_size"],
                "index block size": fs["index_block_size"],
                "total clusters": fs["total_clusters"],
                "MFT LCN": fs["mft_lcn"],
                "MFTMirr LCN": fs["mftmirr_lcn"],
            }
        else:
            rep.note("volume: fsstat cannot read this volume (%s); ntfsinfo "
                     "decides alone" % r.describe())
        for tool, facts in sorted(refs.items()):
            for key, want in facts.items():
                got = ours.get(key)
                if key == "label" and got is not None:
                    got = our_name(got)
                if got != str(want):
                    rep.bad("volume: ntfs-info says %s %r, %s says %r"
                            % (key, got, tool, str(want)))
                rep.facts += 1

    SYSTEM_FILES = ["$MFT", "$MFTMirr", "$LogFile", "$Volume", "$AttrDef", "",
                    "$Bitmap", "$Boot", "$BadClus", "$Secure", "$UpCase",
                    "$Extend"]

    def check_security(self, im, rep):
        """The security descriptors of records 0-11 (reached by path):
        ntfs-info's bytes against ntfsinfo (a $SECURITY_DESCRIPTOR
        attribute, or a security id) and ntfscat (the attribute's value, or
        the entry with that id in $Secure:$SDS, found header by header)."""
        sds = run(["ntfscat", "-a", "0x80", "-n", "$SDS", "-i", "9", im.bare],
                  REF_TIMEOUT, keep=True)
        entries = {}
        data = sds.out or b""
        at = 0
        while sds.rc == 0 and at + 20 <= len(data):
            sid, off, ln = (int.from_bytes(data[at + 4:at + 8], "little"),
                            int.from_bytes(data[at + 8:at + 16], "little"),
                            int.from_bytes(data[at + 16:at + 20], "little"))
            if ln >= 20 and off == at and at + ln <= len(data):
                entries.setdefault(sid, data[at + 20:at + ln])
                at = (at + ln + 15) & ~15
            else:
                at += 16
        for rec, name in enumerate(self.SYSTEM_FILES):
            info = self.ntfsinfo_record(im, rec)
            if info is None:
                continue
            if "$SECURITY_DESCRIPTOR (0x50)" in info:
                r = run(["ntfscat", "-a", "0x50", "-i", str(rec), im.bare],
                        REF_TIMEOUT, keep=True)
                want = r.out if r.rc == 0 else None
            else:
                m = re.search(r"Security ID:\s*(\d+)", info)
                sid = int(m.group(1)) if m else 0
                want = entries.get(sid) if sid else b""
            if want is None:
                rep.bad("security: no reference descriptor for record %d" % rec)
                continue
            o = self.run_ours(self.ours(im, self.ntfs_info, im.path,
                                        "/" + name), keep=True)
            out = dec(o.out or b"")
            m = re.search(r"^security descriptor: ([0-9a-f]*)$", out, re.M)
            got = bytes.fromhex(m.group(1)) if m else b""
            if o.rc != 0 or got != want:
                rep.bad("security: record %d (/%s): ntfs-info %s, %d bytes; "
                        "ntfsinfo/ntfscat %d bytes" % (rec, name, o.describe(),
                                                      len(got), len(want)))
            rep.facts += 1

    def ntfsinfo_record(self, im, rec):
        r = run(["ntfsinfo", "-v", "-i", str(rec), im.bare], REF_TIMEOUT,
                keep=True)
        out = dec(r.out or b"")
        return out if r.rc == 0 and "IN_USE" in out else None

    def check_dos_names(self, im, rep, ref_ls):
        """The DOS names ntfsls -x shows in the root instead of long names
        resolve through ntfs-info to the same records, and istat shows
        each as a $FILE_NAME of its record."""
        r = run(["ntfsls", "-a", "-s", "-x", "-i", "-p", "/", im.bare],
                REF_TIMEOUT, keep=True)
        if r.rc != 0:
            rep.bad("DOS names: ntfsls -x failed: %s" % r.describe())
            return
        plain = {(rec, p[1:]) for p, rec in ref_ls.items()
                 if p.count("/") == 1}
        dos = set()
        for ln in dec(r.out).split("\n"):
            if not ln:
                continue
            m = NTFSLS_ENTRY.match(ln)
            if not m:
                raise ValueError("unparseable ntfsls -x line: %r" % ln)
            e = (int(m.group(1)), m.group(2))
            if e[1] not in (".", "..") and e not in plain:
                dos.add(e)
        for rec, name in sorted(dos):
            o = self.run_ours(self.ours(im, self.ntfs_info, im.path,
                                        "/" + name), keep=True)
            m = re.search(r"^record: (\d+)$", dec(o.out or b""), re.M)
            if o.rc != 0 or not m or int(m.group(1)) != rec:
                rep.bad("DOS name /%s: ntfsls -x gives record %d, ntfs-info "
                        "%s" % (name, rec, m.group(1) if m and o.rc == 0
                                else o.describe()))
            if self.tsk_ok:
                r = run(self.tsk(im, "istat", str(rec)), REF_TIMEOUT,
                        keep=True)
                names = re.findall(r"^Name: (.*)$", dec(r.out or b""), re.M)
                if r.rc != 0 or name not in names:
                    rep.bad("DOS name /%s: not a $FILE_NAME of record %d "
                            "according to istat" % (name, rec))
            rep.dos_names += 1

    # ------------------------------------------------------------------------
    def compare_bytes(self, im, rep, agreed, dirs, fls_data, fls_streams):
        args = self.args
        children = {}
        for rec, p in agreed:
            parent = p.rsplit("/", 1)[0] or "/"
            children[parent] = children.get(parent, 0) + 1

        # items: (kind, rec, path, stream name, attr id, size)
        items = []
        # records whose unnamed $DATA the caller checks otherwise (a WOF
        # file's is sparse zeros to both references): {rec: skip reason}
        elsewhere = getattr(self, "data_elsewhere", {})
        for rec, p in sorted(agreed, key=lambda x: x[1]):
            if p in dirs:
                continue
            if rec in elsewhere:
                rep.skip(elsewhere[rec])
                continue
            if rec not in fls_data:
                rep.skip("no unnamed $DATA")
                continue
            aid, size = fls_data[rec]
            items.append(("file", rec, p, None, aid, size))
        first_path = {}
        for rec, p in sorted(agreed, key=lambda x: x[1]):
            first_path.setdefault(rec, p)
        for rec in sorted(fls_streams):
            if rec not in first_path:
                continue
            for name, (aid, size) in sorted(fls_streams[rec].items()):
                items.append(("stream", rec, first_path[rec], name, aid,
                              size))

        if args.quick:
            items = self.sample(items, children, rep)

        # jobs
        eager_icat = im.kind != "own" and self.tsk_ok

        def ref_key(kind, rec, name, aid):
            return (kind, rec, name, aid)

        futures = {}

        def submit(key, fn, *a):
            if key not in futures:
                futures[key] = self.pool.submit(fn, *a)

        for kind, rec, p, name, aid, size in items:
            if name is None:
                submit(("ours", p, None), self.run_ours,
                       self.ours(im, self.ntfs_cat, im.path, p))
                submit(("ntfscat", rec, None), run,
                       ["ntfscat", "-r", "-i", str(rec), im.bare],
                       REF_TIMEOUT)
            else:
                submit(("ours", p, name), self.run_ours,
                       self.ours(im, self.ntfs_cat, "-s", name, im.path, p))
                submit(("ntfscat", rec, name), run,
                       ["ntfscat", "-r", "-i", str(rec), "-n", name,
                        im.bare],
                       REF_TIMEOUT)
            if eager_icat:
                submit(("icat", rec, aid), run,
                       self.tsk(im, "icat", "%d-128-%d" % (rec, aid)),
                       REF_TIMEOUT)

        def get(key, fn=None, *a):
            if key not in futures:
                submit(key, fn, *a)
            return futures[key].result()

        istat_cache = {}

        def istat(rec):
            if rec not in istat_cache:
                r = run(self.tsk(im, "istat", str(rec)), REF_TIMEOUT,
                        keep=True)
                istat_cache[rec] = dec(r.out) if r.rc == 0 else ""
            return istat_cache[rec]

        for kind, rec, p, name, aid, size in items:
            what = p if name is None else "%s:%s" % (p, name)
            o = get(("ours", p, name))
            if o.abnormal:
                rep.bad("%s: ntfs-cat %s" % (what, o.describe()))
                continue
            refs = {"ntfscat": get(("ntfscat", rec, name))}
            icat_cmd = (self.tsk(im, "icat", "%d-128-%d" % (rec, aid))
                        if self.tsk_ok else None)
            if eager_icat:
                refs["icat"] = get(("icat", rec, aid), run, icat_cmd,
                                   REF_TIMEOUT)
            ok_refs = {k: v for k, v in refs.items() if v.rc == 0}
            if len(ok_refs) < len(refs):
                for k, v in refs.items():
                    if v.rc != 0:
                        rep.note("%s: %s failed: %s" % (what, k,
                                                        v.describe()))
            if not ok_refs:
                rep.skip("reference error")
                continue
            shas = {(v.sha, v.size) for v in ok_refs.values()}
            if len(shas) > 1:
                desc = ", ".join("%s %d bytes sha256 %s"
                                 % (k, v.size, v.sha[:16])
                                 for k, v in sorted(ok_refs.items()))
                same = [k for k, v in sorted(ok_refs.items())
                        if o.rc == 0 and (v.sha, v.size) == (o.sha, o.size)]
                if same:
                    rep.skip("references disagree")
                    rep.note("%s: references disagree: %s; ntfs-cat "
                             "matches %s" % (what, desc, "+".join(same)))
                elif o.rc == 0:
                    rep.bad("%s: ntfs-cat %d bytes sha256 %s matches no "
                            "reference (%s)" % (what, o.size, o.sha[:16],
                                                desc))
                else:
                    rep.skip("references disagree")
                    rep.note("%s: references disagree: %s; ntfs-cat %s"
                             % (what, desc, o.describe()))
                continue
            ref = next(iter(ok_refs.values()))
            if o.rc != 0:
                low = (o.err or "").lower()
                if o.rc == 1 and "unsupported" in low:
                    if self.tsk_ok:
                        flags, si = istat_attr_flags(istat(rec), 128, aid)
                    else:
                        flags, si = set(), set()
                        for n, _, fl in parse_ntfsinfo_data(
                                self.ntfsinfo_cache.get(rec, "")):
                            if n == name:
                                if fl & 0x00ff:
                                    flags.add("Compressed")
                                if fl & 0x4000:
                                    flags.add("Encrypted")
                    if "Compressed" in flags:
                        rep.skip("compressed")
                        continue
                    if "Encrypted" in flags or "Encrypted" in si:
                        rep.skip("encrypted")
                        continue
                    rep.bad("%s: ntfs-cat says unsupported but istat shows "
                            "$DATA (128-%d) flags %s: %s"
                            % (what, aid, sorted(flags) or "none",
                               o.describe()))
                    continue
                rep.bad("%s: ntfs-cat %s (reference read %d bytes)"
                        % (what, o.describe(), ref.size))
                continue
            if (o.sha, o.size) == (ref.sha, ref.size):
                if kind == "file":
                    rep.files += 1
                else:
                    rep.streams += 1
                continue
            if not eager_icat and self.tsk_ok:
                ic = get(("icat", rec, aid), run, icat_cmd, REF_TIMEOUT)
                if ic.rc == 0 and (ic.sha, ic.size) == (o.sha, o.size):
                    rep.skip("references disagree")
                    rep.note("%s: ntfscat %d bytes, icat and ntfs-cat %d "
                             "bytes (same content)" % (what, ref.size,
                                                       o.size))
                    continue
            rep.bad("%s: content differs: ntfs-cat %d bytes sha256 %s, "
                    "reference %d bytes sha256 %s"
                    % (what, o.size, o.sha[:16], ref.size, ref.sha[:16]))

    def sample(self, items, children, rep):
        rnd = random.Random(SEED)
        small, big_dir, large = [], [], []
        for it in items:
            kind, rec, p, name, aid, size = it
            parent = p.rsplit("/", 1)[0] or "/"
            if size >= QUICK_SIZE_LIMIT:
                large.append(it)
            elif kind == "file" and children.get(parent, 0) >= \
                    QUICK_DIR_LIMIT:
                big_dir.append(it)
            else:
                small.append(it)
        pick_big = rnd.sample(big_dir, min(len(big_dir),
                                           QUICK_BIG_DIR_SAMPLE))
        large = [it for it in large if it[5] <= QUICK_LARGE_MAX]
        pick_large = rnd.sample(large, min(len(large), QUICK_LARGE_SAMPLE))
        n_skip = len(items) - len(small) - len(pick_big) - len(pick_large)
        if n_skip:
            rep.skip("not sampled (--quick)", n_skip)
        chosen = set(map(id, small + pick_big + pick_large))
        return [it for it in items if id(it) in chosen]


def print_report(rep, elapsed):
    im = rep.im
    where = im.source + (" @%d" % im.offset if im.offset else "")
    log("== %s (%s)" % (im.name, where))
    log("   entries compared: %d (disputed between references: %d)"
        % (rep.entries, rep.disputed))
    log("   files compared byte-for-byte: %d; named streams compared: %d"
        % (rep.files, rep.streams))
    log("   non-empty directories in collation order: %d; volume facts "
        "compared: %d; DOS names resolved: %d"
        % (rep.dirs_ordered, rep.facts, rep.dos_names))
    if rep.skips:
        log("   skipped: " + ", ".join("%s=%d" % kv
                                       for kv in sorted(rep.skips.items())))
    for n in rep.notes[:MAX_SHOWN]:
        log("   reference note: " + n)
    if len(rep.notes) > MAX_SHOWN:
        log("   ... %d more reference notes" % (len(rep.notes) - MAX_SHOWN))
    log("   mismatches: %d" % len(rep.mismatches))
    for m in rep.mismatches[:MAX_SHOWN]:
        log("     - " + m)
    if len(rep.mismatches) > MAX_SHOWN:
        log("     ... %d more" % (len(rep.mismatches) - MAX_SHOWN))
    log("   %s (%.1f s)" % ("PASS" if not rep.mismatches else "FAIL",
                            elapsed))
