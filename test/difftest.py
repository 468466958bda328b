#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Differential test: our CLI tools against independent NTFS readers.

Usage (ctest runs this):

    python3 test/difftest.py --bin BUILD/bin --images test/images \
        --shared ../shared/images --work BUILD/testwork [--quick] \
        [--jobs 2] [--timeout 60] [--only SUBSTRING]

Python 3 standard library only.  Reference readers are run at test time
(the cmocka unit tests read what test/images/make-refs.py recorded
instead; this test is the one that asks the other readers):
  * ntfs-3g tools  : ntfsls, ntfscat, ntfsinfo  (Debian package ntfs-3g)
  * The Sleuth Kit : fls, icat, istat, fsstat   (Debian package sleuthkit)
Nothing about image contents is hard-coded here; every expectation comes
from a reference reader.  If a reference tool is missing the test FAILS
(exit 1) rather than silently passing.

Images
------
* test/images/*.img.xz  -- our own bare volumes (mkntfs + ntfs-3g), except
  those with a JSON manifest (ntfs-names: names with newlines and ESC
  sequences, which ntfsls and fls print raw; test/cli_names.py checks it.
  ntfs-special: WOF files, reparse points, EAs; test/special_manifest.py).  Each is
  decompressed into WORK/difftest/own/ (cached: redone only if the .xz is
  newer than the decompressed file).
* SHARED (optional, skipped with a message if absent) -- real-world images
  listed in SHARED_IMAGES below, decompressed into WORK/difftest/shared/.
  For MBR-partitioned images the partition offset is read from the first MBR
  partition entry (LBA at byte 446+8, x512) and cross-checked against the
  offset documented in shared/images/README.md.  Our tools read the whole
  disk with --offset; TSK reads it with -o SECTORS; ntfs-3g tools cannot
  take an offset, so the partition is copied once into a cached file.
  Decompressed files are written sparse (zero blocks are seeked over).
  Note: ntfs-ramslack's slack is filled with a pattern, so it costs ~1 GiB
  for the disk plus ~1 GiB for the partition copy (about 2.2 GiB in all).

What is compared (per image)
----------------------------
1. Listing.  `ntfs-ls -R -a -i IMAGE /` -> set of (record, /path) versus
   `ntfsls -a -s -R -i` (ntfs-3g) and `fls -r -p -l` (TSK).  Entries the two
   references agree on must appear in ours; an entry of ours that neither
   reference has is a mismatch; entries only one reference has are
   "disputed" and counted, and there ntfsls decides: ours must be exactly
   ntfsls's set (fls loses entries of ntfs-c64k's wide/ index).  If one
   reference cannot read the volume the other decides alone.  The listing
   comparison is always complete (one process per tool).  Also checked:
   `ntfs-ls -R -a` (without -i) prints exactly the same paths in the same
   order, no entry is printed twice, and every entry is printed after its
   parent directory.
1b. Order.  The entries of each directory, in the order ntfs-ls printed
   them, are strictly increasing in NTFS collation order (upper-cased
   UTF-16 units, then the units) through the volume's $UpCase as
   `ntfscat IMAGE '$UpCase'` reads it.  (ntfsls's own order is not that:
   it prints the $INDEX_ROOT's entries, then each index block's in VCN
   order.)
1c. Volume facts.  `ntfs-info IMAGE` (label, serial, version, dirty,
   sector, cluster, record and index block sizes, total and free
   clusters, $MFT and $MFTMirr LCNs, MFT records) versus `ntfsinfo -m`,
   `fsstat` (when TSK reads the volume) and the initialized size of $MFT's
   $DATA from `ntfsinfo -v -i 0` (MFT records = that / record size).
1d. DOS names.  Each root entry that `ntfsls -x` shows under a DOS name
   resolves to the same record through `ntfs-info IMAGE /DOSNAME`, and
   istat lists that name among the record's $FILE_NAMEs.
2. `ntfs-cat IMAGE /difftest-no-such-file-PID` must exit 1 with no output.
3. Unnamed $DATA, byte for byte: for every non-directory entry (every hard
   link separately) sha256(ntfs-cat IMAGE PATH) versus the record's data
   from the references (`ntfscat -r -i REC`; `icat REC-128-ID`).
4. Named $DATA streams (found in fls output as `path:name` lines of type
   128, on files and directories): sha256(ntfs-cat -s NAME IMAGE PATH)
   versus `ntfscat -r -i REC -n NAME` and `icat REC-128-ID`, once per record.

Which reference decides the bytes: for our own images ntfscat (fast: ~2 ms
per call against ~17 ms for icat); icat is consulted only when ours differs
from ntfscat -- if icat then agrees with ours, the item is reported as a
reference disagreement instead of a failure.  For the shared images both are
run; where they disagree ntfs-cat must match one of them (reported as a
note), otherwise it is a mismatch.

Known reference differences (found while writing this test):
  * ntfscat applies the multi-sector-transfer fixups to the $DATA of $MFT
    and $MFTMirr (records 0 and 1) unless given the undocumented `-r`
    (raw) option; icat prints the bytes as stored on disk.  We pass `-r`,
    i.e. ntfs-cat is expected to print stored bytes, like any stream.
  * $BadClus:$Bad (sparse, size = volume size, initialized size 0): icat
    prints 0 bytes, ntfscat prints data-size zero bytes.  Reading past the
    initialized size yields zeros, so ntfscat is right; reported as a note.
  * TSK 4.11 cannot open volumes with 2 MiB clusters ("Cannot determine
    file system type").  When one reference cannot read a volume at all,
    the other decides alone (reported as a note); the $DATA attributes of
    each record then come from `ntfsinfo -i REC` instead of fls.

Normalisations (presentation only, never content):
  * ntfsls prints per-directory blocks ("/dir:" header, then "  REC name"
    lines including "." and ".."): "."/".." are dropped and names are joined
    to the header path.
  * fls prints paths without the leading "/" and prints named attributes as
    separate "path:attrname" lines (named $DATA streams and named index
    attributes such as $Secure:$SDH, $Quota:$O).  Those are folded back into
    the file's name; a file whose only lines carry a suffix (e.g. $Secure,
    $Extend/$Quota) has no unnamed $DATA and is not byte-compared.  TSK also
    repeats a directory's named streams as "dir/.:stream"; dropped.
  * fls entries marked deleted ("*"), the virtual "$OrphanFiles" directory
    and everything under it are dropped: ntfs-ls lists only what is reachable
    from the root.  So are fls entries whose directory-entry type is "-"
    (e.g. "-/r 28-128-2: test/1.txt" on ntfs3.raw): in-use records that TSK
    attaches to a directory by their $FILE_NAME parent reference although
    the directory's index has no entry for them (reported as notes).  Both
    references hide DOS (8.3) names, as ntfs-ls does.
  * The root itself is not an entry (ntfs-ls never prints "."); ntfsls' "."
    of the root is dropped like every other ".".

Skips (counted per reason, never failures):
  * ntfs-cat exit 1 with "unsupported" when istat reports the $DATA
    attribute as Compressed/Encrypted (skipped: compressed / encrypted).
    "unsupported" on an attribute istat calls plain is a mismatch.
  * entries without unnamed $DATA; items where the references disagree or
    fail; in --quick mode the items not sampled.

--quick samples: every file < 1 MiB in directories with < 200 entries, at
most 200 (seeded) random files from bigger directories, plus at most 10
(seeded) files >= 1 MiB; named streams < 1 MiB.  Default mode checks all.

Every invocation of our tools has a timeout (--timeout, default 60 s); a
timeout, a signal or an exit status other than 0/1 is a failure.  Output:
one summary block per image, then a final line `N passed, M failed` (N
images fully matched, M images with mismatches).  Exit 1 if M > 0.
"""
import argparse
import os
import shutil
import sys
import time

from ntfsref.compare import Report, Tester, print_report
from ntfsref.images import prepare_own, prepare_shared
from ntfsref.tools import OUR_TOOLS, REF_TOOLS, log


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True, help="folder with ntfs-ls etc.")
    ap.add_argument("--images", required=True, help="folder of *.img.xz")
    ap.add_argument("--shared", default=None,
                    help="shared real-world image folder (optional)")
    ap.add_argument("--work", required=True, help="scratch/cache folder")
    ap.add_argument("--quick", action="store_true",
                    help="sample file contents instead of checking all")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=60.0,
                    help="seconds per invocation of our tools")
    ap.add_argument("--only", default=None,
                    help="test only images whose name contains this")
    args = ap.parse_args(argv)

    missing = [t for t in REF_TOOLS if shutil.which(t) is None]
    if missing:
        log("ERROR: reference tool(s) not found: %s. Install the Debian "
            "packages ntfs-3g and sleuthkit; this test cannot pass without "
            "its references." % ", ".join(missing))
        log("0 passed, 1 failed")
        return 1
    missing = [t for t in OUR_TOOLS
               if not os.access(os.path.join(args.bin, t), os.X_OK)]
    if missing:
        log("ERROR: our tool(s) not found in %s: %s"
            % (args.bin, ", ".join(missing)))
        log("0 passed, 1 failed")
        return 1

    os.makedirs(args.work, exist_ok=True)
    t0 = time.monotonic()
    images = prepare_own(args.images, args.work)
    images += prepare_shared(args.shared, args.work)
    if args.only:
        images = [im for im in images if args.only in im.name]
    if not images:
        log("ERROR: no images to test (looked in %s and %s)"
            % (args.images, args.shared))
        log("0 passed, 1 failed")
        return 1
    log("difftest: %d image(s), %s mode, %d job(s); preparation %.1f s"
        % (len(images), "quick" if args.quick else "full", args.jobs,
           time.monotonic() - t0))

    tester = Tester(args)
    passed = failed = 0
    try:
        for im in images:
            t1 = time.monotonic()
            try:
                rep = tester.test_image(im)
            except ValueError as e:      # unparseable reference output
                rep = Report(im)
                rep.bad("cannot parse reference output: %s" % e)
            print_report(rep, time.monotonic() - t1)
            if rep.mismatches:
                failed += 1
            else:
                passed += 1
    finally:
        tester.pool.shutdown(wait=True, cancel_futures=True)
    log("total time %.1f s" % (time.monotonic() - t0))
    log("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
