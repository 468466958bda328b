#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""The deepest stack a program's call chains can reach, from GCC's
-fcallgraph-info=su files (one .ci per object).

Usage: python3 .ci/stack.py ROOT FILE.ci...

Each function's own frame comes from its node ("N bytes (static)"); the
edges are its direct calls. Prints the deepest chain from ROOT with the
bytes of each frame. Fails on a call cycle (recursion: the depth would be
the disk's to choose), on a frame GCC could not bound ("dynamic"), and on
a call to a function no file defines. Calls through a pointer (the
caller's read and allocation callbacks) are counted as 0 bytes and named
in the output: their frames are the caller's to add.
"""
import re
import sys

NODE = re.compile(r'node: \{ title: "([^"]+)" label: "([^"]*)"')
EDGE = re.compile(r'edge: \{ sourcename: "([^"]+)" targetname: "([^"]+)"')
SIZE = re.compile(r"\\n(\d+) bytes \(([a-z,]+)\)")


def main(root, files):
    frames, kinds, calls, statics = {}, {}, {}, {}
    for path in files:
        with open(path) as f:
            text = f.read()
        for title, label in NODE.findall(text):
            m = SIZE.search(label)
            if not m:
                continue  # a declaration: defined in another file
            frames[title] = int(m.group(1))
            kinds[title] = m.group(2)
            calls.setdefault(title, [])
            # "file:func" is a static function; a global one is just "func".
            if ":" in title:
                statics[(path, title.rsplit(":", 1)[1])] = title
        for src, dst in EDGE.findall(text):
            calls.setdefault(src, []).append((path, dst))
    bad = [t for t, k in kinds.items() if k != "static"]
    if bad:
        print("stack: frames GCC could not bound: %s" % ", ".join(sorted(bad)))
        return 1

    def resolve(path, name):
        if name in frames:
            return name
        return statics.get((path, name.rsplit(":", 1)[-1]), name if ":" in name else None)

    best, on_path, indirect = {}, set(), set()

    def depth(fn):
        if fn in best:
            return best[fn]
        if fn in on_path:
            raise RecursionError(fn)
        on_path.add(fn)
        deepest, chain = 0, []
        for path, dst in calls.get(fn, []):
            if dst == "__indirect_call":
                indirect.add(fn)
                continue
            target = resolve(path, dst)
            if target is None or target not in frames:
                raise LookupError("%s calls %s, defined nowhere" % (fn, dst))
            d, c = depth(target)
            if d > deepest:
                deepest, chain = d, c
        on_path.discard(fn)
        best[fn] = (frames[fn] + deepest, [fn] + chain)
        return best[fn]

    sys.setrecursionlimit(10000)
    if root not in frames:
        print("stack: %s is not defined in the files given" % root)
        return 1
    try:
        total, chain = depth(root)
    except RecursionError as e:
        print("stack: a call cycle through %s: the depth is unbounded" % e.args[0])
        return 1
    except LookupError as e:
        print("stack: %s" % e.args[0])
        return 1
    print("stack: deepest chain from %s: %d bytes" % (root, total))
    for fn in chain:
        print("  %6d  %s%s" % (frames[fn], fn.rsplit(":", 1)[-1],
                               "  (+ a callback)" if fn in indirect else ""))
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 3:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2:]))
