import json
from collections import Counter
from pathlib import Path


def word_counts(text: str, min_len: int = 3) -> Counter:
    words = [w.lower().strip(".,;:!?") for w in text.split()]
    return Counter(w for w in words if len(w) >= min_len)


class Report:
    def __init__(self, path: Path):
        self.path = path
        self.counts = word_counts(path.read_text(encoding="utf-8"))

    def top(self, n: int = 5) -> dict[str, int]:
        return {word: count for word, count in self.counts.most_common(n)}

    def __str__(self) -> str:
        return f"{self.path.name}: {len(self.counts)} distinct words, top {self.top(3)}"


if __name__ == "__main__":
    report = Report(Path(__file__))
    print(report, json.dumps(report.top()), sep="\n")
