#!/usr/bin/env python3
"""`cellflow check` as users run it: formats, -j, --files-from, --exclude, --statistics, -o,
exit statuses, and a bad file in a batch. Runs on the shipped examples plus files written to a
temporary directory. Usage: check_cli_test.py CELLFLOW_BIN EXAMPLES_DIR"""

import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

failures = []


def check(condition, what):
    if not condition:
        failures.append(what)


def write_file(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def run(args, stdin=None, cwd=None):
    p = subprocess.run([CELLFLOW] + args, input=stdin, capture_output=True, cwd=cwd)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def raw_line_holds(path, line, text):
    """True if line `line` of the raw file holds the source line `text` (inside a JSON string
    for .ipynb)."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    if not 1 <= line <= len(lines):
        return False
    raw = lines[line - 1]
    if not path.endswith(".ipynb"):
        return raw == text
    for m in re.finditer(r'"((?:[^"\\]|\\.)*)"', raw):
        value = json.loads('"' + m.group(1) + '"')
        if text in value.split("\n"):
            return True
    return False


def cell_line(path, cell, line):
    with open(path, encoding="utf-8") as f:
        nb = json.load(f)
    source = nb["cells"][cell - 1]["source"]
    if isinstance(source, list):
        source = "".join(source)
    return source.split("\n")[line - 1]


def main():
    tmp = tempfile.mkdtemp()
    try:
        nbs = os.path.join(tmp, "nbs")
        shutil.copytree(EXAMPLES, nbs)
        write_file(os.path.join(nbs, "broken.ipynb"), '{"cells": [{"cell_type": "code", "sou')
        os.makedirs(os.path.join(nbs, "drafts"))
        shutil.copy(os.path.join(nbs, "typo.ipynb"), os.path.join(nbs, "drafts", "old.ipynb"))
        names = sorted(n for n in os.listdir(EXAMPLES) if n.endswith(".ipynb"))

        # -j1 and -j2 give the same bytes in every format.
        for fmt in ("text", "json", "jsonl", "sarif", "github"):
            outs = [run(["check", "-j%d" % j, "--format", fmt, "nbs"], cwd=tmp) for j in (1, 2)]
            check(outs[0] == outs[1], f"{fmt}: -j1 and -j2 differ")
            check(outs[0][0] == 1, f"{fmt}: exit status {outs[0][0]}, expected 1")

        # jsonl: one object per finding; the broken file is one NB002 and the others are checked.
        status, out, _ = run(["check", "--format", "jsonl", "nbs"], cwd=tmp)
        objs = [json.loads(line) for line in out.splitlines()]
        nb002 = [o for o in objs if o["code"] == "NB002"]
        check(len(nb002) == 1 and nb002[0]["path"] == "nbs/broken.ipynb", f"NB002: {nb002}")
        paths = {o["path"] for o in objs}
        for n in names:
            check(f"nbs/{n}" in paths, f"jsonl: no finding for {n}")
        # Output order is the walk order: sorted paths.
        order = [o["path"] for o in objs]
        check(order == sorted(order), "jsonl: findings not in path order")
        for o in objs:
            if o["code"] == "NB002":
                continue
            check(cell_line(os.path.join(tmp, o["path"]), o["cell"], o["line"]) is not None,
                  "jsonl: cell/line")

        # json: one document holding the same objects.
        _, out_json, _ = run(["check", "--format", "json", "nbs"], cwd=tmp)
        check(json.loads(out_json) == objs, "json array differs from the jsonl objects")

        # sarif: regions point at the raw line holding the source line.
        _, out, _ = run(["check", "--format", "sarif", "nbs"], cwd=tmp)
        sarif = json.loads(out)
        results = sarif["runs"][0]["results"]
        check(len(results) == len(objs), f"sarif: {len(results)} results, {len(objs)} in jsonl")
        rules = [r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]]
        checked = 0
        for r in results:
            check(rules[r["ruleIndex"]] == r["ruleId"], "sarif: ruleIndex")
            loc = r["locations"][0]["physicalLocation"]
            uri = loc["artifactLocation"]["uri"]
            check(loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%", "sarif: uriBaseId")
            check(r["partialFingerprints"], "sarif: no fingerprint")
            if r["ruleId"] == "NB002":
                continue
            props = r["properties"]
            text = cell_line(os.path.join(tmp, uri), props["cell"], props["line"])
            check(raw_line_holds(os.path.join(tmp, uri), loc["region"]["startLine"], text),
                  f"sarif: line {loc['region']['startLine']} of {uri} does not hold {text!r}")
            checked += 1
        check(checked >= 7, f"sarif: only {checked} results checked")
        fingerprints = [json.dumps(r["partialFingerprints"]) + r["locations"][0][
            "physicalLocation"]["artifactLocation"]["uri"] for r in results]
        check(len(set(fingerprints)) == len(fingerprints), "sarif: duplicate fingerprints")

        # A fingerprint survives an unrelated edit: a cell inserted at the top.
        with open(os.path.join(nbs, "typo.ipynb"), encoding="utf-8") as f:
            nb = json.load(f)
        before = {r["partialFingerprints"]["cellflowFinding/v1"] for r in results
                  if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                  == "nbs/typo.ipynb"}
        nb["cells"].insert(0, {"cell_type": "code", "execution_count": None, "metadata": {},
                               "outputs": [], "source": ["import os\n", "print(os.sep)"]})
        with open(os.path.join(tmp, "moved.ipynb"), "w", encoding="utf-8") as f:
            json.dump(nb, f, indent=1)
        _, out, _ = run(["check", "--format", "sarif", "moved.ipynb"], cwd=tmp)
        after = {r["partialFingerprints"]["cellflowFinding/v1"]
                 for r in json.loads(out)["runs"][0]["results"]}
        check(before and before == after, f"fingerprints moved: {before} vs {after}")

        # github: annotations on raw lines.
        _, out, _ = run(["check", "--format", "github", "nbs"], cwd=tmp)
        lines = out.splitlines()
        check(len(lines) == len(objs), f"github: {len(lines)} lines, {len(objs)} findings")
        for line, o in zip(lines, objs):
            m = re.match(r"::(error|warning|notice) file=([^,]+),line=(\d+)(,[^:]*)?::(.*)", line)
            check(m is not None, f"github: {line!r}")
            if m is None or o["code"] == "NB002":
                continue
            check(m.group(2) == o["path"], f"github: file {m.group(2)}")
            check(int(m.group(3)) == o["file_line"], f"github: line {m.group(3)}")
            text = cell_line(os.path.join(tmp, o["path"]), o["cell"], o["line"])
            check(raw_line_holds(os.path.join(tmp, o["path"]), int(m.group(3)), text),
                  f"github: raw line {m.group(3)} of {o['path']}")

        # --files-from (a file and stdin) gives what the same paths on the command line give.
        listed = [f"nbs/{n}" for n in names]
        want = run(["check", "--format", "jsonl"] + listed, cwd=tmp)
        write_file(os.path.join(tmp, "list.txt"), "\n".join(listed) + "\n\n")
        check(run(["check", "--format", "jsonl", "--files-from", "list.txt"], cwd=tmp) == want,
              "--files-from FILE")
        check(run(["check", "--format", "jsonl", "--files-from", "-"],
                  stdin=("\r\n".join(listed)).encode(), cwd=tmp) == want, "--files-from -")

        # --exclude: a file name, a directory, a glob with '/'.
        for glob, gone in (("broken.ipynb", "nbs/broken.ipynb"), ("drafts", "nbs/drafts/old.ipynb"),
                           ("nbs/drafts/*", "nbs/drafts/old.ipynb"), ("*.ipynb", None)):
            _, out, _ = run(["check", "--format", "jsonl", "--exclude", glob, "nbs"], cwd=tmp)
            got = {json.loads(line)["path"] for line in out.splitlines()}
            if gone is None:
                check(not got, f"--exclude {glob}: {got}")
            else:
                check(gone not in got and len(got) >= 3, f"--exclude {glob}: {got}")

        # --statistics: counts per rule equal the findings.
        _, out, _ = run(["check", "--statistics", "--format", "json", "nbs"], cwd=tmp)
        stats = {s["code"]: s["count"] for s in json.loads(out)}
        counts = {}
        for o in objs:
            counts[o["code"]] = counts.get(o["code"], 0) + 1
        check(stats == counts, f"--statistics {stats} vs {counts}")
        _, out, _ = run(["check", "--statistics", "nbs"], cwd=tmp)
        check(re.search(r"^\s+\d+  NB101  undefined-name$", out, re.M) is not None,
              f"--statistics text: {out!r}")

        # -o FILE writes the report there and nothing to stdout.
        status, out, _ = run(["check", "--format", "jsonl", "-o", "report.jsonl", "nbs"], cwd=tmp)
        with open(os.path.join(tmp, "report.jsonl"), encoding="utf-8") as f:
            check(f.read() == want[1] or status == 1, "-o")
        check(out == "", "-o: stdout not empty")

        # Exit statuses: 0 clean, 1 findings, 2 missing input; --select and --exit-zero.
        check(run(["check", "--select", "NB204", "nbs"], cwd=tmp)[0] == 0, "exit 0")
        check(run(["check", "--exit-zero", "nbs"], cwd=tmp)[0] == 0, "--exit-zero")
        check(run(["check", "nbs/missing.ipynb"], cwd=tmp)[0] == 2, "exit 2 on a missing file")
        status, _, err = run(["check"], cwd=tmp)
        check(status == 2 and "no paths" in err, f"no paths: {status} {err!r}")
        # graph: the backward edge of cell_order.ipynb, in JSON and dot.
        status, out, _ = run(["graph", "--format", "json", "nbs/cell_order.ipynb"], cwd=tmp)
        graph = json.loads(out)
        edges = {(e["from"], e["to"]): e for e in graph["edges"]}
        check(status == 0 and (4, 3) in edges and edges[(4, 3)]["backward"]
              and edges[(4, 3)]["names"] == ["sales"], f"graph json: {graph['edges']}")
        check(all(not e["backward"] for k, e in edges.items() if k != (4, 3)),
              "graph: only 4 -> 3 points backwards")
        _, out, _ = run(["graph", "nbs/cell_order.ipynb"], cwd=tmp)
        check(out.startswith("digraph") and re.search(r"c4 -> c3 \[label=\"sales\".*red", out),
              f"graph dot: {out!r}")

        # stats: one row per file in input order, the broken file with its error, counts that
        # agree with check.
        import csv
        import io
        _, out, _ = run(["stats", "-j2", "nbs"], cwd=tmp)
        rows = list(csv.DictReader(io.StringIO(out)))
        check([r["path"] for r in rows] == sorted(r["path"] for r in rows), "stats: order")
        by_path = {r["path"]: r for r in rows}
        check(by_path["nbs/broken.ipynb"]["error"] != "", "stats: broken file has no error")
        row = by_path.get("nbs/cell_order.ipynb", {})
        check(row.get("cells") == "4" and row.get("code_cells") == "3"
              and row.get("out_of_order") == "true" and row.get("NB102") == "1",
              f"stats row: {row}")
        per_file = collections.Counter((o["path"], o["code"]) for o in objs)
        for r in rows:
            if r["error"]:
                continue
            for code in ("NB101", "NB102", "NB103", "NB201", "NB301"):
                check(int(r[code]) == per_file[(r["path"], code)],
                      f"stats {r['path']} {code}: {r[code]} vs {per_file[(r['path'], code)]}")
        _, out_jsonl, _ = run(["stats", "--format", "jsonl", "nbs"], cwd=tmp)
        check(len(out_jsonl.splitlines()) == len(rows), "stats jsonl rows")

        # Imports: a typo of a local module, a missing name, an undeclared dependency.
        proj = os.path.join(tmp, "proj")
        os.makedirs(proj)
        write_file(os.path.join(proj, "config.py"), "session_conf = {}\nlearning_rate = 0.1\n")
        write_file(os.path.join(proj, "requirements.txt"), "numpy\n")
        write_file(os.path.join(proj, "nb.py"),
                   "# %%\nimport confg\nfrom config import session_cnf\nimport numpy\n"
                   "import sklearn\n")
        _, out, _ = run(["check", "--format", "jsonl", "proj/nb.py"], cwd=tmp)
        found = {o["code"]: o for o in map(json.loads, out.splitlines())}
        check(found.get("NB201", {}).get("help") == "did you mean 'config'?",
              f"NB201 hint: {found.get('NB201')}")
        check(found.get("NB202", {}).get("help") == "did you mean 'session_conf'?"
              and "cannot import name 'session_cnf' from 'config' (config.py)"
              == found.get("NB202", {}).get("message"), f"NB202: {found.get('NB202')}")
        check(found.get("NB203", {}).get("help") == "add 'scikit-learn' to requirements.txt",
              f"NB203: {found.get('NB203')}")

        # --site-packages (a distribution's top_level.txt), --path, --requirements, a script
        # inside a package with relative imports, %load_ext, Python 2 modules.
        site = os.path.join(tmp, "site")
        os.makedirs(os.path.join(site, "Foo_Dist-1.0.dist-info"))
        write_file(os.path.join(site, "Foo_Dist-1.0.dist-info", "top_level.txt"), "foomod\n")
        extra = os.path.join(tmp, "extra")
        os.makedirs(extra)
        write_file(os.path.join(extra, "extramod.py"), "VALUE = 1\n")
        write_file(os.path.join(tmp, "reqs.txt"), "foo-dist\n")
        write_file(os.path.join(proj, "env.py"),
                   "# %%\nimport foomod\nimport extramod\nfrom extramod import VALUE\n"
                   "%load_ext nosuchext\nimport urllib2\n")
        _, out, _ = run(["check", "--format", "jsonl", "proj/env.py"], cwd=tmp)
        got = sorted((o["code"], o["symbol"]) for o in map(json.loads, out.splitlines()))
        check(got == [("NB201", "extramod"), ("NB201", "extramod"), ("NB201", "foomod"),
                      ("NB201", "nosuchext"), ("NB201", "urllib2")], f"without options: {got}")
        _, out, _ = run(["check", "--format", "jsonl", "--site-packages", "site", "--path", "extra",
                         "--requirements", "reqs.txt", "proj/env.py"], cwd=tmp)
        got = [(o["code"], o["symbol"], o["help"]) for o in map(json.loads, out.splitlines())]
        check(got == [("NB201", "nosuchext", None),
                      ("NB201", "urllib2", "in Python 3 this is 'urllib.request'")],
              f"with options: {got}")
        pkg = os.path.join(tmp, "lib", "pkg")
        os.makedirs(pkg)
        for name, text in (("__init__.py", ""), ("util.py", "def helper():\n    pass\n"),
                           ("main.py", "from . import util\nfrom .util import helper, nope\n"
                                       "from .. import outside\n")):
            write_file(os.path.join(pkg, name), text)
        _, out, _ = run(["check", "--format", "jsonl", "lib/pkg/main.py"], cwd=tmp)
        got = [(o["code"], o["line"], o["symbol"]) for o in map(json.loads, out.splitlines())]
        check(got == [("NB202", 2, "nope"), ("NB201", 3, None)], f"relative imports: {got}")

        # What a notebook installs itself may be named after the module with a prefix: a
        # repository installed by URL, an organization's package.
        os.makedirs(os.path.join(tmp, "installs"))
        write_file(os.path.join(tmp, "installs", "nb.py"),
                   "# %%\n!pip install git+https://github.com/someone/gsoc-wav2vec2\n"
                   "!pip install google-ml-edu==0.1.2\n"
                   "import wav2vec2\nimport ml_edu.experiment\nimport notinstalled_xyz\n")
        _, out, _ = run(["check", "--format", "jsonl", "installs/nb.py"], cwd=tmp)
        got = [(o["code"], o["symbol"]) for o in map(json.loads, out.splitlines())]
        check(got == [("NB201", "notinstalled_xyz")], f"prefixed installs: {got}")

        # Extensions IPython gave away: NB201 with where they went.
        write_file(os.path.join(tmp, "ext.py"),
                   "# %%\n%load_ext cythonmagic\n%load_ext sympyprinting\n%load_ext autoreload\n")
        _, out, _ = run(["check", "--format", "jsonl", "ext.py"], cwd=tmp)
        got = [(o["code"], o["symbol"], o["help"]) for o in map(json.loads, out.splitlines())]
        check(got == [("NB201", "cythonmagic", "load 'Cython' instead: %load_ext Cython"),
                      ("NB201", "sympyprinting", "call sympy.init_printing() instead")],
              f"moved IPython extensions: {got}")

        # A repository's notebooks may import its own project's packages (`pip install -e .`):
        # those beside a build file that names the project, or in its src/ folder. They are
        # read like local modules; a pyproject.toml that only configures tools builds nothing.
        repo = os.path.join(tmp, "repo")
        for d in (".git", "notebooks/deep", "src/own_pkg", "flat_pkg", "not_a_package"):
            os.makedirs(os.path.join(repo, d))
        write_file(os.path.join(repo, "src", "own_pkg", "__init__.py"), "def known():\n    pass\n")
        write_file(os.path.join(repo, "flat_pkg", "__init__.py"), "")
        write_file(os.path.join(repo, "notebooks", "deep", "nb.py"),
                   "# %%\nimport own_pkg\nfrom own_pkg import known, unknown\nimport flat_pkg\n"
                   "import not_a_package\n")
        def project_findings():
            _, out, _ = run(["check", "--format", "jsonl", "repo/notebooks/deep/nb.py"], cwd=tmp)
            return [(o["code"], o["symbol"]) for o in map(json.loads, out.splitlines())]
        write_file(os.path.join(repo, "pyproject.toml"), "[tool.black]\nline-length = 99\n")
        unbuilt = [("NB201", "own_pkg"), ("NB201", "own_pkg"), ("NB201", "flat_pkg"),
                   ("NB201", "not_a_package")]
        check(project_findings() == unbuilt, f"tool-only pyproject: {project_findings()}")
        for build_file, text in (("pyproject.toml", '[project]\nname = "own-project"\n'),
                                 ("setup.cfg", "[metadata]\nname = own-project\n"),
                                 ("setup.py", "from setuptools import setup\nsetup()\n")):
            for other in ("pyproject.toml", "setup.cfg", "setup.py"):
                if os.path.exists(os.path.join(repo, other)):
                    os.remove(os.path.join(repo, other))
            write_file(os.path.join(repo, build_file), text)
            got = project_findings()
            check(got == [("NB202", "unknown"), ("NB201", "not_a_package")],
                  f"project packages with {build_file}: {got}")

        # The caret sits under the name in a terminal: wide characters take two columns.
        write_file(os.path.join(tmp, "wide.py"),
                   '# %%\nx = "漢字"; print(x, 未定義)\n\n# %%\nt = "é";\tprint(nope)\n')
        _, out, _ = run(["check", "wide.py"], cwd=tmp)
        lines = out.splitlines()
        carets = [l for l in lines if l.strip() and set(l.strip()) == {"^"}]
        check(carets == ["    " + " " * 21 + "^" * 6, "    " + " " * 15 + "^" * 4],
              f"carets under wide characters: {lines!r}")

        # A notebook in another language is not checked, and the text output says why.
        julia = os.path.join(tmp, "julia.ipynb")
        write_file(julia, json.dumps({
            "nbformat": 4, "nbformat_minor": 5,
            "metadata": {"kernelspec": {"name": "julia-1.9", "language": "julia"}},
            "cells": [{"cell_type": "code", "execution_count": None, "metadata": {},
                       "outputs": [], "source": "x = undefined_name + 1"}]}))
        code, out, _ = run(["check", "julia.ipynb"], cwd=tmp)
        check(code == 0 and "julia.ipynb: note: not checked: kernel language is 'julia', not "
              "Python\n" in out and "NB101" not in out, f"julia notebook: {code} {out!r}")
        # The summary does not count it as checked.
        check(out.endswith("0 files checked (1 not Python, skipped), no problems found\n"),
              f"julia notebook summary: {out!r}")

        # A dependency file that cannot be parsed is named on stderr, once, whatever the number
        # of notebooks beside it, and the run goes on.
        broken = os.path.join(tmp, "broken_deps")
        os.makedirs(os.path.join(broken, ".git"))
        write_file(os.path.join(broken, "pyproject.toml"),
                   '[project]\nname = "x"\ndependencies = ["numpy",\n')
        for n in ("a.py", "b.py"):
            write_file(os.path.join(broken, n), "# %%\nimport numpy\n")
        both = ["broken_deps/a.py", "broken_deps/b.py"]
        code, out, err = run(["check", "--format", "jsonl"] + both, cwd=tmp)
        warnings = [l for l in err.splitlines() if l.startswith("cellflow: warning:")]
        check(code in (0, 1) and len(warnings) == 1 and
              warnings[0].startswith("cellflow: warning: broken_deps/pyproject.toml: line "),
              f"broken dependency file: {code} {err!r}")
        write_file(os.path.join(broken, "pyproject.toml"),
                   '[project]\nname = "x"\ndependencies = ["numpy"]\n')
        _, _, err = run(["check", "--format", "jsonl"] + both, cwd=tmp)
        check(err == "", f"a good dependency file gives no warning: {err!r}")

        # A project whose packages live in another folder says where (setuptools' where and
        # package_dir, Poetry's from, Hatch's wheel packages).
        lib_repo = os.path.join(tmp, "lib_repo")
        for d in (".git", "notebooks", "lib/lib_pkg"):
            os.makedirs(os.path.join(lib_repo, d))
        write_file(os.path.join(lib_repo, "lib", "lib_pkg", "__init__.py"), "def f():\n    pass\n")
        write_file(os.path.join(lib_repo, "notebooks", "nb.py"),
                   "# %%\nfrom lib_pkg import f\nfrom lib_pkg import g\n")
        def lib_findings():
            _, out, _ = run(["check", "--format", "jsonl", "lib_repo/notebooks/nb.py"], cwd=tmp)
            return [(o["code"], o["symbol"]) for o in map(json.loads, out.splitlines())]
        check(lib_findings() == [("NB201", "lib_pkg"), ("NB201", "lib_pkg")],
              f"no build file: {lib_findings()}")
        for build_file, text in (
                ("pyproject.toml", '[tool.setuptools.packages.find]\nwhere = ["lib"]\n'),
                ("pyproject.toml", '[tool.setuptools]\npackage-dir = {"" = "lib"}\n'),
                ("pyproject.toml", '[tool.poetry]\nname = "x"\n'
                                   'packages = [{include = "lib_pkg", from = "lib"}]\n'),
                ("pyproject.toml", '[tool.hatch.build.targets.wheel]\npackages = ["lib/lib_pkg"]\n'),
                ("setup.cfg", "[options]\npackage_dir =\n    =lib\n"),
                ("setup.cfg", "[options.packages.find]\nwhere = lib\n"),
                ("setup.py", "from setuptools import setup\nsetup(package_dir={'': 'lib'})\n"),
                ("setup.py", "from setuptools import setup, find_packages\n"
                             "setup(packages=find_packages(where='lib'))\n")):
            for other in ("pyproject.toml", "setup.cfg", "setup.py"):
                if os.path.exists(os.path.join(lib_repo, other)):
                    os.remove(os.path.join(lib_repo, other))
            write_file(os.path.join(lib_repo, build_file), text)
            got = lib_findings()
            check(got == [("NB202", "g")], f"packages in lib/ with {build_file} {text!r}: {got}")

        # A walked directory resolves imports as files given one by one do (the walk hands
        # its listings to import resolution).
        write_file(os.path.join(proj, "star.py"),
                   "# %%\nfrom config import *\nprint(session_conf, not_defined_anywhere)\n")
        def findings(args, name):
            _, out, _ = run(["check", "--format", "jsonl"] + args, cwd=tmp)
            return [(o["code"], o["line"], o["symbol"], o["help"])
                    for o in map(json.loads, out.splitlines()) if o["path"].endswith(name)]
        for name in ("nb.py", "star.py"):
            walked = findings(["--include-py", "proj"], name)
            single = findings([f"proj/{name}"], name)
            check(walked == single and walked, f"{name}: walked {walked}, alone {single}")
        check(findings(["proj/star.py"], "star.py")
              == [("NB101", 2, "not_defined_anywhere", None)], "star import of a local module")
        # --no-imports: no NB2xx, and a star import may bind anything.
        check(findings(["--no-imports", "proj/nb.py"], "nb.py") == [],
              f"--no-imports nb.py: {findings(['--no-imports', 'proj/nb.py'], 'nb.py')}")
        check(findings(["--no-imports", "proj/star.py"], "star.py") == [],
              f"--no-imports star.py: {findings(['--no-imports', 'proj/star.py'], 'star.py')}")

        # The directory walk: sorted, into subdirectories, past hidden directories, checkpoints,
        # caches, node_modules, virtual environments and links to directories. Paths sort as
        # strings: "sub-x/e" < "sub.ipynb" < "sub/c" < "sub0.ipynb".
        walk = os.path.join(tmp, "walk")
        notebook = os.path.join(EXAMPLES, "typo.ipynb")
        for rel in ("b.ipynb", "a.ipynb", "sub/c.ipynb", "sub/deeper/d.ipynb", ".hidden/x.ipynb",
                    ".ipynb_checkpoints/a-checkpoint.ipynb", "__pycache__/x.ipynb",
                    "node_modules/x.ipynb", "venv/x.ipynb", "sub/.ipynb", "sub.ipynb",
                    "sub0.ipynb", "sub-x/e.ipynb", "sub/deeper.ipynb"):
            os.makedirs(os.path.dirname(os.path.join(walk, rel)), exist_ok=True)
            shutil.copy(notebook, os.path.join(walk, rel))
        open(os.path.join(walk, "venv", "pyvenv.cfg"), "w").close()
        write_file(os.path.join(walk, "script.py"), "print(undefined_here)\n")
        os.symlink("sub", os.path.join(walk, "linked"))
        def walked(args):
            _, out, _ = run(["stats", "--format", "csv"] + args, cwd=tmp)
            return [line.split(",")[0] for line in out.splitlines()[1:]]
        expected = ["walk/a.ipynb", "walk/b.ipynb", "walk/sub-x/e.ipynb", "walk/sub.ipynb",
                    "walk/sub/c.ipynb", "walk/sub/deeper.ipynb", "walk/sub/deeper/d.ipynb",
                    "walk/sub0.ipynb"]
        check(expected == sorted(expected), "walk: expected list not sorted")
        check(walked(["walk"]) == expected, f"walk: {walked(['walk'])}")
        for jobs in ("1", "2", "3"):
            got = walked(["-j", jobs, "walk"])
            check(got == expected, f"walk -j{jobs}: {got}")
        check(walked(["walk/"]) == expected, f"walk/: {walked(['walk/'])}")
        check(walked(["--include-py", "walk"]) == sorted(expected + ["walk/script.py"]),
              f"walk --include-py: {walked(['--include-py', 'walk'])}")
        check(walked(["--exclude", "sub", "walk"]) == [p for p in expected if "/sub/" not in p],
              f"walk --exclude sub: {walked(['--exclude', 'sub', 'walk'])}")

        # The pre-commit hook (.pre-commit-hooks.yaml): its entry, given the staged notebooks as
        # pre-commit gives them, reports their findings and fails the commit.
        hook_file = os.path.join(os.path.dirname(EXAMPLES), ".pre-commit-hooks.yaml")
        with open(hook_file, encoding="utf-8") as f:
            hook_text = f.read()
        try:
            import yaml
            hooks = yaml.safe_load(hook_text)
        except ImportError:  # the few keys this test reads, without PyYAML
            hooks = [{}]
            for m in re.finditer(r"^\s*-?\s*(\w+): (.*)$", hook_text, re.M):
                hooks[0][m.group(1)] = m.group(2)
            hooks[0]["types_or"] = ["jupyter"] if "[jupyter]" in hook_text else []
        hook = hooks[0]
        check(hook.get("id") == "cellflow" and hook.get("language") == "system"
              and "jupyter" in hook.get("types_or", []), f"pre-commit hook: {hook}")
        entry = hook.get("entry", "").split()
        check(entry[:2] == ["cellflow", "check"], f"pre-commit entry: {entry}")
        staged = ["nbs/cell_order.ipynb", "nbs/typo.ipynb"]
        status, out, err = run(entry[1:] + staged, cwd=tmp)
        check(status == 1 and "[NB102]" in out and "[NB101]" in out and err == "",
              f"pre-commit entry: status {status}, out {out!r}, err {err!r}")

        # [tool.cellflow] in the nearest pyproject.toml with one, from the working directory up;
        # an option on the command line wins; --no-config and --config FILE.
        proj = os.path.join(tmp, "proj_cfg")
        shutil.copytree(EXAMPLES, os.path.join(proj, "notebooks"))
        write_file(os.path.join(proj, "pyproject.toml"),
                   '[tool.cellflow]\nselect = ["NB102"]\nexclude = ["typo.ipynb"]\n')
        where = os.path.join(proj, "notebooks")

        def codes(args):
            _, out, _ = run(["check", "--format", "jsonl"] + args + ["."], cwd=where)
            return sorted({json.loads(line)["code"] for line in out.splitlines()})

        check(codes([]) == ["NB102"], f"config select: {codes([])}")
        check(codes(["--select", "NB101"]) == ["NB101"],
              f"--select over the config: {codes(['--select', 'NB101'])}")
        check("NB101" in codes(["--no-config"]), f"--no-config: {codes(['--no-config'])}")
        write_file(os.path.join(tmp, "other.toml"), '[tool.cellflow]\nselect = ["NB201"]\n')
        other = ["--config", os.path.join(tmp, "other.toml")]
        check(codes(other) == ["NB201"], f"--config FILE: {codes(other)}")
        _, out, _ = run(["stats", "--format", "csv", "."], cwd=where)
        check("typo.ipynb" not in out and "cell_order.ipynb" in out, f"stats with config: {out}")
        write_file(os.path.join(proj, "pyproject.toml"), '[tool.cellflow]\nselect = "NB1"\n')
        status, out, err = run(["check", "."], cwd=where)
        check(status == 2 and out == "" and "pyproject.toml:2: 'select' must be an array" in err,
              f"bad config: status {status}, err {err!r}")

        # No progress line when stderr is not a terminal.
        _, _, err = run(["check", "nbs"], cwd=tmp)
        check(err == "", f"stderr not empty: {err!r}")
    finally:
        shutil.rmtree(tmp)

    for f in failures:
        print("FAIL:", f)
    print(f"check_cli_test: {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__.splitlines()[-1], file=sys.stderr)
        sys.exit(2)
    CELLFLOW = os.path.abspath(sys.argv[1])
    EXAMPLES = os.path.abspath(sys.argv[2])
    sys.exit(main())
