"""The code cells of a notebook parsed with Python's json module, shared by the benchmark
scripts (extract_cells.py, nbqa_convert.py, compare_pyflakes.py)."""


def code_cells(notebook):
    """Yields the source text of each code cell, in file order (nbformat 3 and 4; list sources
    joined; items that are not strings skipped)."""
    cells = notebook.get("cells")
    if cells is None:  # nbformat 3
        cells = [c for ws in notebook.get("worksheets") or [] if isinstance(ws, dict)
                 for c in ws.get("cells") or []]
    if not isinstance(cells, list):
        return
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", cell.get("input", ""))
        if isinstance(source, list):
            source = "".join(s for s in source if isinstance(s, str))
        if isinstance(source, str):
            yield source
