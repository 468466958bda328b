#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""The man pages are clean and in step with --help.

Usage (ctest runs this): python3 test/man_pages.py --bin BUILD/bin --man docs/man

For each tool with a page docs/man/TOOL.1: `mandoc -T lint -W warning`
finds nothing; every option `TOOL --help` prints appears in the rendered
page, and every option the page's .Fl macros name appears in --help.
"""
import argparse
import os
import re
import subprocess
import sys

OPTION = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True)
    ap.add_argument("--man", required=True)
    args = ap.parse_args()
    pages = sorted(f for f in os.listdir(args.man) if f.endswith(".1"))
    failures = checks = 0
    for page in pages:
        tool = page[:-2]
        src_path = os.path.join(args.man, page)
        if not os.path.exists(os.path.join(args.bin, tool)):
            # ntfs-mount is built only where libfuse3 is found.
            print("%s: not built, its page not checked" % tool)
            continue
        lint = subprocess.run(["mandoc", "-T", "lint", "-W", "warning", src_path],
                              capture_output=True, text=True)
        if lint.returncode != 0:
            print("FAIL: %s: mandoc -T lint:\n%s%s" % (page, lint.stdout, lint.stderr))
            failures += 1
        rendered = subprocess.run(["mandoc", "-T", "ascii", src_path], capture_output=True,
                                  text=True, check=True).stdout
        rendered = re.sub(r".\x08", "", rendered)
        words = set(OPTION.findall(rendered))
        helptext = subprocess.run([os.path.join(args.bin, tool), "--help"], capture_output=True,
                                  text=True, check=True).stdout
        in_help = set(OPTION.findall(helptext))
        # ".Fl aiRl" is -a -i -R -l; ".Fl \-offset" is --offset.
        in_page = set()
        for line in open(src_path, encoding="utf-8"):
            for m in re.finditer(r"\bFl (\\-)?([A-Za-z][\w-]*)", line):
                if m.group(1):
                    in_page.add("--" + m.group(2))
                else:
                    in_page.update("-" + c for c in m.group(2))
        for opt in sorted(in_help):
            checks += 1
            if opt not in words:
                print("FAIL: %s --help names %s, the man page does not" % (tool, opt))
                failures += 1
        for opt in sorted(in_page):
            checks += 1
            if opt not in in_help:
                print("FAIL: the %s man page names %s, --help does not" % (tool, opt))
                failures += 1
        print("%s: %d options in --help, %d in the page" % (tool, len(in_help), len(in_page)))
    if not pages:
        print("FAIL: no man pages in %s" % args.man)
        failures += 1
    print("%d passed, %d failed" % (checks - failures, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
