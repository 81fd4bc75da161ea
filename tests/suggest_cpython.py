#!/usr/bin/env python3
"""CPython 3.11's own NameError suggestions, for tests/suggest_test.cc.

Generates deterministic (namespace, wrong name) pairs from a fixed list of identifiers: each
wrong name is an identifier with characters deleted, inserted, substituted, transposed or
changed in case; each namespace holds 1 to 30 names. For every pair, Python 3.11 runs code that
defines the namespace as the globals of a fresh dict and reads the wrong name inside a function
(no locals, so CPython searches the globals, then the builtins), and its default excepthook
prints the NameError with "Did you mean: 'x'?".

Prints one TSV row per pair: the wrong name, CPython's suggestion (empty for none) and the
namespace's names separated by spaces, in the order they were defined. CPython 3.11 goes
through the globals in dict (definition) order; the names are defined sorted, the order of
dir() and the one cellflow uses, so ties resolve alike.

Exits with status 2 (and a message on stderr) under any Python other than 3.11: 3.12 computes
suggestions differently (in traceback.py, over locals, globals and builtins at once).
"""

import builtins
import io
import keyword
import random
import re
import sys

SEED = 20240611
PAIRS = 2400
PROBE = "_cellflow_probe_"

# Identifiers of every shape: short and long, snake_case and CamelCase, digits, names that
# differ only in case, builtins, and two longer than CPython's 40-character limit.
SEED_NAMES = [
    # short
    "x", "y", "z", "i", "j", "k", "n", "X", "Y", "N", "df", "DF", "Df", "ax", "fig", "lr",
    "np", "pd", "plt", "sns", "tf", "nn", "fn", "cb", "ok", "db", "rs", "idx", "val", "acc",
    # snake_case
    "learning_rate", "batch_size", "num_epochs", "train_loader", "val_loader", "session_conf",
    "session_config", "model_path", "data_dir", "output_dir", "random_state", "test_size",
    "n_estimators", "max_depth", "hidden_dim", "num_layers", "dropout_rate", "weight_decay",
    "train_df", "test_df", "y_pred", "y_true", "x_train", "x_test", "feature_names",
    "target_col", "label_encoder", "tokenizer", "attention_mask", "input_ids", "results",
    "result", "scores", "score", "total_count", "word_counts", "file_list", "file_name",
    "filename", "user_id", "user_ids", "max_len", "min_len", "is_valid", "has_labels",
    # long
    "preprocessed_training_dataframe", "cumulative_explained_variance_ratio",
    "number_of_training_samples_per_class",
    "a_very_long_variable_name_that_exceeds_the_limit",
    "another_extremely_long_identifier_beyond_forty_chars",
    # CamelCase
    "DataFrame", "RandomForestClassifier", "LogisticRegression", "StandardScaler",
    "TfidfVectorizer", "MyDataset", "TrainConfig", "HTTPServer", "JSONDecoder", "XMLParser",
    "Conv2d", "BatchNorm1d", "LSTMCell", "ResNet50", "GridSearchCV",
    # digits
    "conv1", "conv2", "layer_3", "layer3", "x1", "x2", "model_v2", "fc1", "fc2", "h5file",
    "utf8", "base64", "sha256", "epoch_10", "r2_score", "f1_score", "top5", "v1beta2",
    # only the case differs
    "model", "Model", "MODEL", "config", "Config", "CONFIG", "data", "Data", "total", "TOTAL",
    "path", "Path",
    # underscores
    "_cache", "_tmp", "_private_helper", "__version",
    # builtins
    "print", "len", "range", "enumerate", "isinstance", "sorted", "zip", "input", "open",
    "filter", "format", "dict", "list", "sum", "max", "ValueError", "KeyError", "Exception",
    "FileNotFoundError", "NotImplemented",
]

BUILTIN_NAMES = sorted(name for name in dir(builtins))
ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"


def mutate(name, rng):
    """One edit: delete, insert, substitute, transpose or change case."""
    kind = rng.choice(["delete", "insert", "substitute", "transpose", "case", "case"])
    pos = rng.randrange(len(name))
    if kind == "delete" and len(name) > 1:
        return name[:pos] + name[pos + 1:]
    if kind == "insert":
        return name[:pos] + rng.choice(ALPHABET) + name[pos:]
    if kind == "substitute":
        return name[:pos] + rng.choice(ALPHABET) + name[pos + 1:]
    if kind == "transpose" and len(name) > 1:
        pos = min(pos, len(name) - 2)
        return name[:pos] + name[pos + 1] + name[pos] + name[pos + 2:]
    # Case: one letter, or now and then the whole name.
    if rng.random() < 0.2:
        return rng.choice([name.upper(), name.lower(), name.capitalize(), name.swapcase()])
    return name[:pos] + name[pos].swapcase() + name[pos + 1:]


def usable(name):
    return name.isidentifier() and name.isascii() and not keyword.iskeyword(name)


def excepthook_text(exc):
    """What the default excepthook prints for `exc`."""
    out = io.StringIO()
    saved = sys.stderr
    sys.stderr = out
    try:
        sys.__excepthook__(type(exc), exc, exc.__traceback__)
    finally:
        sys.stderr = saved
    return out.getvalue()


def cpython_suggestion(namespace, wrong):
    """CPython's suggestion for reading `wrong` in a function whose globals are `namespace`."""
    source = "".join(f"{name} = None\n" for name in namespace)
    source += f"def {PROBE}():\n    return {wrong}\n"
    scope = {}
    exec(source, scope)
    probe = scope.pop(PROBE)
    scope.pop("__builtins__", None)  # the function keeps the builtins it was created with
    try:
        probe()
    except NameError as exc:
        last = excepthook_text(exc).rstrip("\n").rsplit("\n", 1)[-1]
        if not last.startswith("NameError: "):
            raise RuntimeError(f"unexpected excepthook output for {wrong!r}: {last!r}")
        match = re.search(r"\. Did you mean: '([^']*)'\?$", last)
        return match.group(1) if match else ""
    raise RuntimeError(f"reading {wrong!r} did not raise NameError")


def pairs(rng):
    """Yields (namespace, wrong name) pairs, namespaces sorted."""
    made = 0
    seen = set()
    while made < PAIRS:
        size = rng.choice([1, 2, 3, 5, 8, 12, 20, 30]) if rng.random() < 0.5 else rng.randint(1, 30)
        namespace = set(rng.sample(SEED_NAMES, size))
        roll = rng.random()
        if roll < 0.65:
            target = rng.choice(sorted(namespace))
        elif roll < 0.85:
            target = rng.choice(BUILTIN_NAMES)
        else:
            target = rng.choice(SEED_NAMES)
        # A near miss of the target in the namespace too: close competitors and ties.
        if rng.random() < 0.3:
            rival = mutate(target, rng)
            if usable(rival) and not rival.startswith("__"):
                namespace.add(rival)
        wrong = target
        for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
            wrong = mutate(wrong, rng)
        if (not usable(wrong) or wrong in namespace or hasattr(builtins, wrong) or
                wrong == PROBE):
            continue
        key = (wrong, tuple(sorted(namespace)))
        if key in seen:
            continue
        seen.add(key)
        made += 1
        yield sorted(namespace), wrong


def main():
    if sys.version_info[:2] != (3, 11):
        sys.stderr.write(f"suggest_cpython.py needs Python 3.11, this is {sys.version.split()[0]}\n")
        return 2
    for name in SEED_NAMES:
        assert usable(name), name
    rng = random.Random(SEED)
    out = sys.stdout
    for namespace, wrong in pairs(rng):
        out.write(f"{wrong}\t{cpython_suggestion(namespace, wrong)}\t{' '.join(namespace)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
