#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""The README's API example must be examples/api_example.c, which the build
compiles: fail if the two drift apart."""
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent
readme = (root / "README.md").read_text(encoding="utf-8")
m = re.search(r"<!-- api_example\.c -->\n```c\n(.*?)```", readme, re.S)
if m is None:
    print("README.md has no api_example.c block")
    sys.exit(1)
source = (root / "examples" / "api_example.c").read_text(encoding="utf-8")
if m.group(1) != source:
    print("README.md's API example differs from examples/api_example.c")
    sys.exit(1)
print("1 passed, 0 failed")
