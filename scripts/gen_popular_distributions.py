#!/usr/bin/env python3
"""Writes data/popular_distributions.txt: PyPI's most downloaded projects whose module is
imported under the project's own name, beyond those data/import_names.tsv lists.

A notebook that imports such a module ("import tbats", "import plotly_resampler") uses a
third-party package, not a local module that went missing, so cellflow treats it as it treats
the modules of data/import_names.tsv. The module name is taken to be the project's name with
'-' and '.' made '_' and lower case, which is how most projects name their module; a project
whose module is named otherwise is still listed under a name that nobody imports, which is
harmless.

Names that a notebook's own helper module is likely to carry are left out, so that a missing
`config.py` or `utils.py` is still reported: English words (from a word list), words that
programmers use for such modules (GENERIC below), names of one or two characters, names made
only of such words ("data_loader"), and the standard library's modules.

Inputs: a table of PyPI projects with a header row and the columns name, version, month,
rank_among_15000_most_downloaded (blank for the others), summary; a word list, one word per
line (Debian's wamerican: /usr/share/dict/american-english).

Run: python3 scripts/gen_popular_distributions.py PYPI_TSV WORDS > data/popular_distributions.txt
"""
import re
import sys

GENERIC = set("""
api app apps args auth base cfg cli common conf config configs const consts core creds
data dataloader dataloaders dataset datasets db dbutils dl dotfiles env envs eval evaluation
func funcs gui helper helpers io lib libs llm main misc ml model models mylib mymodule nlp nn
params preprocess preprocessing rl secrets settings src test tests tools trainer ui util utils
viz vis visualization plot plots plotting metrics cv ai pid para proces tk cg dt fs jupyter pypi
""".split())


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[-1])
    pypi, words_path = sys.argv[1], sys.argv[2]
    words = {w.strip().lower() for w in open(words_path, encoding="utf-8") if "'" not in w}
    listed = set()
    for line in open("data/import_names.tsv", encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        listed.add(line.split("\t")[0].split(".")[0].lower())
    stdlib = {m.lower() for m in sys.stdlib_module_names}
    stdlib |= {"asynchat", "asyncore", "distutils", "imp", "smtpd"}

    def generic(part):
        return part in words or part in GENERIC or len(part) <= 2

    chosen = {}
    with open(pypi, encoding="utf-8") as f:
        next(f)
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) < 4 or not fields[3].isdigit():
                continue
            name = fields[0]
            module = re.sub(r"[-.]+", "_", name.lower())
            if not re.fullmatch(r"[a-z_][a-z0-9_]*", module):
                continue
            if module in listed or module in stdlib or generic(module):
                continue
            parts = [p for p in module.split("_") if p]
            if all(generic(p) for p in parts):
                continue
            chosen.setdefault(module, name)
    print("# PyPI's most downloaded projects whose module has the project's name (see")
    print("# scripts/gen_popular_distributions.py): one project name per line, sorted by module.")
    for module in sorted(chosen):
        print(chosen[module])


if __name__ == "__main__":
    main()
