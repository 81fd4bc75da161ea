#!/usr/bin/env python3
"""Re-check the cellflow syntax snippet corpus against CPython 3.11.

Usage:
    python3 verify.py [-v] [--newer PYTHON ...]

Checks:
  valid.txt          every snippet is accepted by ast.parse (with and without
                     the final newline).
  invalid.txt        every snippet makes ast.parse raise SyntaxError (or a
                     subclass) whose .msg equals the MESSAGE in the header.
  valid_312.txt      every snippet is rejected by this interpreter (3.11) with
                     a SyntaxError; the message is not checked.
  invalid_bytes.txt  every body is a one-line bytes literal; ast.parse on the
                     decoded bytes raises SyntaxError with .msg == MESSAGE, or
                     succeeds when MESSAGE is "OK".

--newer PYTHON (repeatable) additionally runs every valid_312.txt snippet
through another interpreter (e.g. a 3.12 or 3.13 build): snippets tagged with
a version <= that interpreter's version must be accepted, snippets tagged with
a newer version must be rejected.

Prints "N passed, M failed" and exits with status 1 on any mismatch.
"""

import ast
import json
import os
import re
import subprocess
import sys
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
VERSION_RE = re.compile(r"^3\.(\d+)$")


class Snippet:
    def __init__(self, path, lineno, name, meta, body):
        self.path = path
        self.lineno = lineno
        self.name = name
        self.meta = meta
        self.body = body

    @property
    def where(self):
        return f"{os.path.basename(self.path)}:{self.lineno} {self.name}"

    def source(self):
        """Body lines, each terminated by a newline."""
        return "".join(line + "\n" for line in self.body)


def read_snippets(path, with_meta, problems):
    with open(path, "rb") as f:
        data = f.read()
    text = data.decode("utf-8")
    if "\r" in text:
        problems.append(f"{path}: contains a CR character (LF line endings only)")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    snippets = []
    seen = set()
    cur = None
    for lineno, line in enumerate(lines, 1):
        if line.startswith("=== "):
            header = line[4:]
            if with_meta:
                name, sep, meta = header.partition(" | ")
                if not sep:
                    problems.append(f"{path}:{lineno}: header without ' | MESSAGE'")
            else:
                name, meta = header, None
            if not NAME_RE.match(name):
                problems.append(f"{path}:{lineno}: bad snippet name {name!r}")
            if name in seen:
                problems.append(f"{path}:{lineno}: duplicate snippet name {name!r}")
            seen.add(name)
            cur = Snippet(path, lineno, name, meta, [])
            snippets.append(cur)
        elif cur is not None:
            cur.body.append(line)
    for snip in snippets:
        while snip.body and snip.body[-1].strip(" \t") == "":
            snip.body.pop()
    return snippets


def parse(source):
    """Return None if ast.parse accepts source, else the exception."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            ast.parse(source)
        except SyntaxError as exc:
            return exc
        except (ValueError, MemoryError, RecursionError) as exc:
            return exc
    return None


def describe(exc):
    if exc is None:
        return "accepted"
    if isinstance(exc, SyntaxError):
        return f"{type(exc).__name__}: {exc.msg!r} (line {exc.lineno})"
    return f"{type(exc).__name__}: {exc}"


_BYTES_ESCAPES = {"n": 0x0A, "r": 0x0D, "t": 0x09, "\\": 0x5C, '"': 0x22}


def decode_bytes_literal(body):
    """Decode b"..." using only the escapes \\n \\r \\t \\\\ \\" \\xHH.

    This mirrors what the C++ test harness implements; the result is also
    cross-checked against ast.literal_eval.
    """
    if not (body.startswith('b"') and body.endswith('"') and len(body) >= 3):
        raise ValueError("body must be a b\"...\" literal on one line")
    inner = body[2:-1]
    out = bytearray()
    i = 0
    while i < len(inner):
        ch = inner[i]
        if ch == "\\":
            nxt = inner[i + 1 : i + 2]
            if nxt in _BYTES_ESCAPES:
                out.append(_BYTES_ESCAPES[nxt])
                i += 2
            elif nxt == "x" and re.fullmatch(r"[0-9a-fA-F]{2}", inner[i + 2 : i + 4]):
                out.append(int(inner[i + 2 : i + 4], 16))
                i += 4
            else:
                raise ValueError(f"unsupported escape at offset {i}")
        elif ch == '"':
            raise ValueError("unescaped double quote inside literal")
        elif not (0x20 <= ord(ch) < 0x7F):
            raise ValueError("non-printable or non-ASCII character; use \\xHH")
        else:
            out.append(ord(ch))
            i += 1
    result = bytes(out)
    if ast.literal_eval(body) != result:
        raise ValueError("decoder disagrees with ast.literal_eval")
    return result


_CHILD = r"""
import ast, json, sys, warnings
warnings.simplefilter("ignore")
res = {}
for name, src in json.loads(sys.stdin.read()):
    try:
        ast.parse(src)
        res[name] = None
    except SyntaxError as e:
        res[name] = "%s: %s" % (type(e).__name__, e.msg)
    except Exception as e:
        res[name] = "%s: %s" % (type(e).__name__, e)
print(json.dumps([list(sys.version_info[:2]), res]))
"""


def main(argv):
    verbose = "-v" in argv
    newer = []
    args = list(argv)
    while "--newer" in args:
        i = args.index("--newer")
        newer.append(args[i + 1])
        del args[i : i + 2]

    if sys.version_info[:2] != (3, 11):
        print(f"warning: expected CPython 3.11, running {sys.version.split()[0]}",
              file=sys.stderr)

    problems = []
    passed = 0
    failed = 0

    def ok(snip, detail=""):
        nonlocal passed
        passed += 1
        if verbose:
            print(f"ok    {snip.where} {detail}")

    def fail(snip, detail):
        nonlocal failed
        failed += 1
        print(f"FAIL  {snip.where}: {detail}")

    # 1. valid.txt
    for snip in read_snippets(os.path.join(HERE, "valid.txt"), False, problems):
        src = snip.source()
        exc = parse(src)
        if exc is not None:
            fail(snip, describe(exc))
            continue
        if src:
            exc = parse(src[:-1])
            if exc is not None:
                fail(snip, "without final newline: " + describe(exc))
                continue
        ok(snip)

    # 2. invalid.txt
    for snip in read_snippets(os.path.join(HERE, "invalid.txt"), True, problems):
        exc = parse(snip.source())
        if isinstance(exc, SyntaxError) and exc.msg == snip.meta:
            ok(snip)
        else:
            fail(snip, f"expected SyntaxError {snip.meta!r}, got {describe(exc)}")

    # 3. valid_312.txt
    newer_snips = read_snippets(os.path.join(HERE, "valid_312.txt"), True, problems)
    for snip in newer_snips:
        if not VERSION_RE.match(snip.meta or ""):
            fail(snip, f"bad version tag {snip.meta!r}")
            continue
        exc = parse(snip.source())
        if isinstance(exc, SyntaxError):
            ok(snip, describe(exc))
        else:
            fail(snip, f"expected rejection by {sys.version.split()[0]}, got {describe(exc)}")

    for exe in newer:
        payload = json.dumps([(s.name, s.source()) for s in newer_snips])
        proc = subprocess.run([exe, "-c", _CHILD], input=payload,
                              capture_output=True, text=True, encoding="utf-8")
        if proc.returncode != 0:
            problems.append(f"--newer {exe}: child failed: {proc.stderr.strip()}")
            continue
        (major, minor), results = json.loads(proc.stdout)
        for snip in newer_snips:
            m = VERSION_RE.match(snip.meta or "")
            if not m:
                continue
            want_ok = int(m.group(1)) <= minor
            got = results.get(snip.name)
            tag = f"[{exe} = {major}.{minor}]"
            if want_ok and got is None:
                ok(snip, tag + " accepted")
            elif not want_ok and got is not None:
                ok(snip, tag + " rejected: " + got)
            else:
                fail(snip, f"{tag} expected {'acceptance' if want_ok else 'rejection'}, "
                           f"got {'accepted' if got is None else got}")

    # 4. invalid_bytes.txt
    for snip in read_snippets(os.path.join(HERE, "invalid_bytes.txt"), True, problems):
        if len(snip.body) != 1:
            fail(snip, f"body must be exactly one line, has {len(snip.body)}")
            continue
        try:
            data = decode_bytes_literal(snip.body[0])
        except (ValueError, SyntaxError) as e:
            fail(snip, f"bad bytes literal: {e}")
            continue
        exc = parse(data)
        if snip.meta == "OK":
            if exc is None:
                ok(snip)
            else:
                fail(snip, "expected OK, got " + describe(exc))
        elif isinstance(exc, SyntaxError) and exc.msg == snip.meta:
            ok(snip)
        else:
            fail(snip, f"expected SyntaxError {snip.meta!r}, got {describe(exc)}")

    for p in problems:
        print("FAIL  " + p)
    failed += len(problems)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
