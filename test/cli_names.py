#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Names from the disk cannot drive the terminal: the CLIs on ntfs-names.

Usage (ctest runs this):

    python3 test/cli_names.py --bin BUILD/bin --images test/images --work DIR

test/images/ntfs-names.img.xz holds names, stream names and a label with
ESC sequences, BEL, newlines, DEL, C1 controls and U+2028, and names that
only look quoted. What is in it comes from test/images/ntfs-names.json,
written by make-images.sh with the bytes it created (checked there against
ntfscat). Every output line of ntfs-ls, ntfs-info and every message of
ntfs-cat must:
  * hold no control character (C0 but the line's newline, DEL, C1,
    U+2028/U+2029), on stdout and on stderr;
  * be the name as it is, or exactly what GNU coreutils prints for it
    (`printf %q` = ls --quoting-style=shell-escape, and for ntfs-info's
    fields ls --quoting-style=shell-escape-always);
  * read back as the name when bash parses it as a word;
  * never leave a name printed as it is that starts with a quote.
One line per entry, also with -R when a directory's name holds a newline.
Python 3 standard library, bash and GNU coreutils.
"""

import argparse
import hashlib
import json
import lzma
import os
import re
import subprocess
import sys
import tempfile

UTF8 = dict(os.environ, LC_ALL="C.UTF-8")
# What must never reach a terminal. A line's own "\n" is split off first.
CONTROL = re.compile(rb"[\x00-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xa8\xa9]")

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def run(args, check_stdout=True):
    p = subprocess.run(args, capture_output=True, timeout=60)
    streams = [("stderr", p.stderr)] + ([("stdout", p.stdout)] if check_stdout else [])
    for what, data in streams:
        for line in data.split(b"\n"):
            if CONTROL.search(line):
                fail("%s %s: control character in %r" % (os.path.basename(args[0]), what, line))
    return p


def gnu_q(name):
    """GNU's shell-escape quoting of any string: coreutils printf %q."""
    return subprocess.run(["/usr/bin/printf", "%q", name.encode("utf-8", "surrogateescape")],
                          capture_output=True, check=True, env=UTF8).stdout


def gnu_q_always(name, scratch):
    """ls --quoting-style=shell-escape-always needs a file of that name."""
    if name == "":
        return gnu_q(name)  # no file has it; printf %q quotes "" too
    path = os.path.join(scratch, name)
    open(path, "wb").close()
    try:
        out = subprocess.run(["ls", "-1d", "--quoting-style=shell-escape-always", "--", name],
                             cwd=scratch, capture_output=True, check=True, env=UTF8).stdout
    finally:
        os.unlink(path)
    return out.rstrip(b"\n")


def bash_word(word):
    p = subprocess.run(["bash", "-c", b"printf %s " + word], capture_output=True, env=UTF8)
    if p.returncode != 0:
        fail("bash cannot read %r as a word" % word)
    return p.stdout


def read_word(word):
    """The rule the man pages give: a word that starts with a quote is
    quoted (bash reads it back); any other is the name as it is."""
    return (bash_word(word) if word[:1] in (b"'", b'"') else word).decode("utf-8", "replace")


def check_word(word, name, what, always_form=None):
    """WORD is how a tool printed NAME (str)."""
    raw = name.encode("utf-8")
    if always_form is not None:
        want = always_form
    elif word == raw:
        if raw[:1] in (b"'", b'"'):
            fail("%s: %r printed as it is, so it reads as a quoted name" % (what, raw))
        return
    else:
        want = gnu_q(name)
    if word != want:
        fail("%s: printed %r, GNU quotes %r as %r" % (what, word, raw, want))
    elif bash_word(word) != raw:
        fail("%s: %r does not read back as %r" % (what, word, raw))


def lines(data):
    out = data.split(b"\n")
    if out and out[-1] == b"":
        out.pop()
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True)
    ap.add_argument("--images", required=True)
    ap.add_argument("--work", required=True)
    args = ap.parse_args()
    ls, cat, info = (os.path.join(args.bin, t) for t in ("ntfs-ls", "ntfs-cat", "ntfs-info"))
    os.makedirs(args.work, exist_ok=True)
    img = os.path.join(args.work, "ntfs-names.img")
    with lzma.open(os.path.join(args.images, "ntfs-names.img.xz")) as f, open(img, "wb") as o:
        o.write(f.read())
    with open(os.path.join(args.images, "ntfs-names.json"), encoding="ascii") as f:
        manifest = json.load(f)
    entries = manifest["entries"]
    paths = {e["path"]: e for e in entries if e["kind"] != "stream"}
    n_checks = 0

    # ntfs-ls of the root, plain and with -i: one line per entry.
    top = {p for p in paths if "/" not in p}
    for opt in ([], ["-i"]):
        got = {}
        for line in lines(run([ls] + opt + [img, "/"]).stdout):
            word = line.split(b" ", 1)[-1] if opt else line
            name = read_word(word)
            if name in top:
                check_word(word, name, "ntfs-ls %s" % " ".join(opt))
                if opt and int(line.split(b" ")[0]) != paths[name]["inode"]:
                    fail("ntfs-ls -i: %r has record %s, not %d" % (name, line.split()[0], paths[name]["inode"]))
            got[name] = got.get(name, 0) + 1
            n_checks += 1
        if set(got) != top or any(v != 1 for v in got.values()):
            fail("ntfs-ls %s lists %r, the manifest %r" % (" ".join(opt), sorted(got), sorted(top)))

    # -R and -l -R: full paths, one line each, as one quoted word.
    for opt in (["-R"], ["-l", "-R"]):
        got = []
        for line in lines(run([ls] + opt + [img, "/"]).stdout):
            word = line.split(b" ", 5)[-1] if "-l" in opt else line  # - SIZE DATE TIME REC NAME
            path = read_word(word)
            check_word(word, path, "ntfs-ls %s" % " ".join(opt))
            got.append(path)
            n_checks += 1
        want = sorted("/" + p for p in paths)
        if sorted(got) != want:
            fail("ntfs-ls %s lists %r, the manifest %r" % (" ".join(opt), sorted(got), want))

    # ntfs-info: the label, and each file's attribute and stream names.
    with tempfile.TemporaryDirectory(dir=args.work) as scratch:
        out = lines(run([info, img]).stdout)
        label = [l for l in out if l.startswith(b"label: ")]
        if len(label) != 1:
            fail("ntfs-info: %d label lines" % len(label))
        else:
            check_word(label[0][7:], manifest["label"], "ntfs-info label")
            n_checks += 1
        host = [e for e in entries if e["kind"] == "stream"][0]["path"]
        streams = {e["stream"] for e in entries if e["kind"] == "stream"} | {""}
        seen = set()
        for line in lines(run([info, img, "/" + host]).stdout):
            m = re.match(rb"(stream: |attribute: \$DATA \(0x80\) name=)('[^ ]*'|\"[^ ]*\")", line)
            if m:
                name = read_word(m.group(2))
                check_word(m.group(2), name, "ntfs-info stream", gnu_q_always(name, scratch))
                seen.add(name)
                n_checks += 1
        if seen != streams:
            fail("ntfs-info /%r: streams %r, the manifest %r" % (host, sorted(seen), sorted(streams)))
        for p, e in paths.items():
            if e["kind"] == "file":
                if run([info, img, "/" + p]).returncode != 0:
                    fail("ntfs-info %r failed" % p)
                n_checks += 1

    # ntfs-cat: the bytes that were written.
    for e in entries:
        if e["kind"] == "dir":
            continue
        cmd = [cat] + (["-s", e["stream"]] if "stream" in e else []) + [img, "/" + e["path"]]
        p = run(cmd, check_stdout=False)
        if p.returncode != 0 or hashlib.sha256(p.stdout).hexdigest() != e["sha256"]:
            fail("ntfs-cat %r%s: wrong bytes or exit %d" % (e["path"], ":" + e["stream"] if "stream" in e else "", p.returncode))
        n_checks += 1

    # Messages name hostile paths quoted too (the path comes back from the disk
    # in -R; here it is the user's, which must not slip through either).
    d = [p for p, e in paths.items() if e["kind"] == "dir" and "/" not in p][0]
    for cmd, path in (([cat, img], "/" + d), ([cat, img], "/" + d + "/missing\x1b[2J"),
                      ([ls, img], "/new\nline.txt/x"), ([cat, "-s", "no\x07such", img], "/streams.txt")):
        p = run(cmd + [path])
        if p.returncode != 1 or not p.stderr:
            fail("%r: exit %d, stderr %r" % (cmd[1:] + [path], p.returncode, p.stderr))
        n_checks += 1

    os.unlink(img)
    print("%d checks, %d failures" % (n_checks, len(failures)))
    print("%d passed, %d failed" % (n_checks - len(failures), len(failures)))
    return 1 if failures or n_checks == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
