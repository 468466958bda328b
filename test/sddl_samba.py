#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""ntfs-info's SDDL against Samba's, for every descriptor of ntfs-secure.

    python3 test/sddl_samba.py --bin BUILD/bin --images test/images --work DIR

test/images/ntfs-secure.json holds, for each file, the descriptor ntfs-3g
gave back (getfattr system.ntfs_acl) and Samba's SDDL of those bytes
(python3-samba 4.17: ndr_unpack(security.descriptor, b).as_sddl()), recorded
when the image was made. Here `ntfs-info IMAGE PATH` must print a
"security:" line that equals Samba's string once these documented
differences are taken out:

  * Rights. Samba writes a mask as directory-service letters (RPWPCRCC...)
    or as 0x%08x, and never FA/FR/FW/FX (its FA means 0x1ff, not Windows'
    FILE_ALL_ACCESS 0x1f01ff); ntfs-info follows Windows (FA FR FW FX for
    the exact file masks, letters when they cover the mask, else 0x%x).
    Both sides' rights fields are turned into numbers before comparing.
  * A NULL DACL (SE_DACL_PRESENT, offset 0): Samba prints no D: part,
    ntfs-info prints D:NO_ACCESS_CONTROL as Windows does. Checked against
    the descriptor's bytes, then left out.
  * Where Samba fails (4.17 crashes on a mandatory label ACE; the manifest
    then holds null), the string is compared with one written from the
    generator's description of that descriptor (EXPECTED below).

Everything else (aliases, flags and their order, GUIDs, SIDs, ACE order)
must match exactly. Prints "N passed, N failed".
"""
import argparse
import json
import lzma
import os
import re
import subprocess
import sys

# [MS-DTYP] 2.5.1.1 ace-rights: two-letter codes and their bits.
RIGHTS = {
    "GA": 0x10000000, "GR": 0x80000000, "GW": 0x40000000, "GX": 0x20000000,
    "RC": 0x00020000, "SD": 0x00010000, "WD": 0x00040000, "WO": 0x00080000,
    "RP": 0x10, "WP": 0x20, "CC": 0x1, "DC": 0x2, "LC": 0x4, "SW": 0x8, "LO": 0x80,
    "DT": 0x40, "CR": 0x100,
    "FA": 0x001F01FF, "FR": 0x00120089, "FW": 0x00120116, "FX": 0x001200A0,
}
LABEL_RIGHTS = {"NW": 0x1, "NR": 0x2, "NX": 0x4}

# Descriptors Samba 4.17 cannot render, as the generator (make-images.sh,
# secure_image) built them: owner BA, group SY, DACL (A;;FR;;;WD), SACL a
# mandatory label ACE, no-write-up (0x1), low integrity (S-1-16-4096).
EXPECTED = {
    "/sd/label.txt": "O:BAG:SYD:(A;;FR;;;WD)S:(ML;;NW;;;LW)",
}

# Records 0-11 by name (ntfs-info takes a path).
SYSTEM = ["$MFT", "$MFTMirr", "$LogFile", "$Volume", "$AttrDef", "", "$Bitmap", "$Boot",
          "$BadClus", "$Secure", "$UpCase", "$Extend"]


def rights(tok, label):
    if tok.startswith("0x"):
        return int(tok, 16)
    table = LABEL_RIGHTS if label else RIGHTS
    if len(tok) % 2:
        raise ValueError("rights %r" % tok)
    return sum(table[tok[i:i + 2]] for i in range(0, len(tok), 2))


def normalise(sddl):
    """Each ACE's rights field as 0x%x."""
    def ace(m):
        f = m.group(1).split(";")
        f[2] = "0x%x" % rights(f[2], f[0] == "ML")
        return "(" + ";".join(f) + ")"
    return re.sub(r"\(([^()]*)\)", ace, sddl)


def null_dacl(sd):
    control = int.from_bytes(sd[2:4], "little")
    return bool(control & 0x4) and int.from_bytes(sd[16:20], "little") == 0


def security_line(ntfs_info, image, path):
    out = subprocess.run([ntfs_info, image, path], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError("ntfs-info %s: exit %d: %s" % (path, out.returncode, out.stderr))
    lines = [l for l in out.stdout.splitlines() if l.startswith("security: ")]
    if len(lines) != 1:
        raise RuntimeError("ntfs-info %s: %d security lines" % (path, len(lines)))
    return lines[0][len("security: "):]


def compare(ours, samba, sd, path):
    """None if they agree (up to the documented differences), else why not."""
    if samba is None:
        if path not in EXPECTED:
            return "Samba has no SDDL and no expected string is written here"
        return None if ours == EXPECTED[path] else "expected %s" % EXPECTED[path]
    if null_dacl(sd) and "D:" not in samba:
        ours = re.sub(r"D:(P|AR|AI)*NO_ACCESS_CONTROL", "", ours)
    if "NO_ACCESS_CONTROL" in ours:
        return "NO_ACCESS_CONTROL where the bytes have no NULL ACL Samba leaves out"
    try:
        a, b = normalise(ours), normalise(samba)
    except (KeyError, ValueError) as e:
        return "cannot read a rights field: %s" % e
    return None if a == b else "normalised: ours %s, Samba's %s" % (a, b)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", required=True)
    ap.add_argument("--images", required=True)
    ap.add_argument("--work", required=True)
    args = ap.parse_args()
    ntfs_info = os.path.join(args.bin, "ntfs-info")
    with open(os.path.join(args.images, "ntfs-secure.json"), encoding="ascii") as f:
        manifest = json.load(f)
    os.makedirs(args.work, exist_ok=True)
    image = os.path.join(args.work, "ntfs-secure.img")
    with lzma.open(os.path.join(args.images, "ntfs-secure.img.xz")) as src:
        data = src.read()
    with open(image + ".tmp", "wb") as dst:
        dst.write(data)
    os.replace(image + ".tmp", image)

    cases = [(e["path"], e["sd_hex"], e["sddl_samba"]) for e in manifest["entries"]]
    cases += [("/" + SYSTEM[e["inode"]], e["sd_hex"], e["sddl_samba"])
              for e in manifest["system"] if e["sd_hex"] is not None]
    passed = failed = exact = 0
    for path, sd_hex, samba in cases:
        sd = bytes.fromhex(sd_hex)
        try:
            ours = security_line(ntfs_info, image, path)
            why = compare(ours, samba, sd, path)
        except RuntimeError as e:
            why = str(e)
        if why is None:
            passed += 1
            exact += ours == samba
        else:
            failed += 1
            print("FAIL %s: %s\n  ours:  %s\n  Samba: %s" % (path, why, ours, samba))
    # $MFT has no descriptor at all.
    if security_line(ntfs_info, image, "/$MFT") != "none":
        print("FAIL /$MFT: a descriptor where there is none")
        failed += 1
    else:
        passed += 1
    print("sddl_samba: %d descriptors, %d identical to Samba's before normalising"
          % (len(cases), exact))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
