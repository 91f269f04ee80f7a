"""Score listen's extraction against trafilatura on the readability development set.

    .venv/bin/python bench/extract_quality.py [--data DIR] [--eval-tool FILE]

Prints token-shingle precision, recall and F1 (the metric of extract_eval.py) for
listen's article text, listen's narration (intro and closing line included),
trafilatura, listen with each of its left-out rules switched off in turn (code
listings, reference lists, footnote markers, captions) and with all four off, and
listen's article text and trafilatura on the pages where listen leaves out code or
footnotes and on the rest. Everything runs in this process, one page at a time.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import re
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from unittest.mock import patch

import trafilatura
from lxml.html import HtmlElement

from listen.errors import ListenError
from listen.models import Article, Dropped, Page
from listen.read import blocks, cleanup, patterns
from listen.read.extract import extract_article
from listen.scriptview import script_as_text
from listen.speech.script import ScriptOptions, build_script

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent / "../shared/samples/readability-dev"
DEFAULT_EVAL_TOOL = HERE.parent / "../shared/tools/extract_eval.py"

Counts = tuple[float, float, float]
PageCounts = Callable[[str, str], Counts]
CorpusScores = Callable[[Sequence[Counts], Sequence[bool]], dict[str, float]]

# The left-out rules a variant can switch off, and the rows that switch them off.
RULES = ("code", "references", "markers", "captions")
VARIANTS = (
    ("code listings read", frozenset({"code"})),
    ("reference lists read", frozenset({"references"})),
    ("footnote markers kept", frozenset({"markers"})),
    ("captions read", frozenset({"captions"})),
    ("all four", frozenset(RULES)),
)
# Pages with one of these reasons among listen's dropped items form the "rules" subset.
SUBSET_REASONS = {"code", "footnotes"}
NEVER = re.compile(r"(?!)")


@dataclass(frozen=True)
class Sample:
    page_id: str
    html: str
    truth: str


@dataclass(frozen=True)
class Metric:
    page_counts: PageCounts
    corpus_scores: CorpusScores

    def score(self, samples: Sequence[Sample], texts: Sequence[str]) -> dict[str, float]:
        counts = [self.page_counts(s.truth, t) for s, t in zip(samples, texts, strict=True)]
        return self.corpus_scores(counts, [False] * len(counts))  # accuracy not reported


def _load_metric(tool: Path) -> Metric:
    if not tool.is_file():
        raise SystemExit(f"no eval tool at {tool} (give one with --eval-tool)")
    sys.path.insert(0, str(tool.resolve().parent))
    module = importlib.import_module(tool.stem)
    return Metric(module.page_counts, module.corpus_scores)


def _load_samples(data: Path) -> list[Sample]:
    truth_file = data / "ground-truth.json"
    if not truth_file.is_file():
        raise SystemExit(f"no ground-truth.json in {data} (give the data folder with --data)")
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    samples = []
    for page_id in sorted(truth):
        path = data / "html" / f"{page_id}.html"
        if not path.is_file():
            raise SystemExit(f"missing HTML for page {page_id}: {path}")
        html = path.read_text(encoding="utf-8", errors="replace")
        samples.append(Sample(page_id, html, truth[page_id].get("articleBody") or ""))
    return samples


def _article(html: str, *, keep_captions: bool = False) -> Article | None:
    page = Page(html, "-", None, datetime.now(timezone.utc), "utf-8")
    try:
        return extract_article(page, keep_captions=keep_captions)
    except ListenError:
        return None


def _text(article: Article | None, options: ScriptOptions) -> str:
    """What ``listen script -`` prints: ``--format text`` without intro and outro."""
    return "" if article is None else script_as_text(build_script(article, options))


ARTICLE_TEXT = ScriptOptions(intro=False, outro=False)
NARRATION = ScriptOptions()


def _trafilatura(html: str) -> str:
    return trafilatura.extract(html, include_comments=False) or ""


def _read_every_chunk(pre: HtmlElement, plain: bool, dropped: list[Dropped]) -> None:
    """Stand-in for ``cleanup.read_pre``: read every blank-line chunk as a paragraph."""
    chunks = [" ".join(c.split()) for c in re.split(r"\n\s*\n", pre.text_content())]
    tail = pre.tail
    pre.clear()
    pre.tag = "div"
    pre.tail = tail
    for chunk in chunks:
        if chunk:
            paragraph = pre.makeelement("p", {})
            paragraph.text = chunk
            pre.append(paragraph)


@contextlib.contextmanager
def _rules_off(rules: frozenset[str]) -> Iterator[None]:
    """Switch off listen's left-out rules named in ``rules`` (captions excepted, which
    ``extract_article`` takes as an argument); everything is restored on exit."""
    class_reasons: set[str] = set()
    roles: set[str] = set()
    with contextlib.ExitStack() as stack:
        if "code" in rules:
            stack.enter_context(patch.object(cleanup, "read_pre", _read_every_chunk))
        if "references" in rules:
            stack.enter_context(patch.object(blocks, "_NOTES_HEADING", NEVER))
            class_reasons.add("footnotes")
            roles |= {"doc-endnotes", "doc-footnote"}
        if "markers" in rules:
            stack.enter_context(patch.object(blocks, "_MARKERS", NEVER))
            stack.enter_context(patch.object(blocks, "_SUPERSCRIPTS", NEVER))
            stack.enter_context(patch.object(cleanup, "_is_footnote_marker", lambda element: False))
            class_reasons.add("footnote-marker")
            roles |= {"doc-noteref", "doc-backlink"}
        kept = tuple(item for item in patterns.CLASS_REASONS if item[0] not in class_reasons)
        stack.enter_context(patch.object(patterns, "CLASS_REASONS", kept))
        kept_roles = {k: v for k, v in patterns.ROLE_REASONS.items() if k not in roles}
        stack.enter_context(patch.dict(patterns.ROLE_REASONS, kept_roles, clear=True))
        yield


def _variant_texts(samples: Sequence[Sample], rules: frozenset[str]) -> list[str]:
    with _rules_off(rules):
        keep_captions = "captions" in rules
        return [_text(_article(s.html, keep_captions=keep_captions), ARTICLE_TEXT) for s in samples]


def _has_rule_drop(article: Article | None) -> bool:
    return article is not None and any(d.reason in SUBSET_REASONS for d in article.dropped)


def _row(label: str, scores: dict[str, float], n: int | None = None) -> str:
    count = "" if n is None else f"{n:>5}  "
    return (
        f"{label:<32}{count}{scores['precision']:.3f}  {scores['recall']:.3f}  {scores['f1']:.3f}"
    )


def _subset(
    metric: Metric, samples: Sequence[Sample], texts: Sequence[str], keep: Sequence[bool]
) -> dict[str, float]:
    chosen = [(s, t) for s, t, k in zip(samples, texts, keep, strict=True) if k]
    return metric.score([s for s, _ in chosen], [t for _, t in chosen])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="ground-truth.json and html/<id>.html"
    )
    parser.add_argument(
        "--eval-tool", type=Path, default=DEFAULT_EVAL_TOOL, help="extract_eval.py to score with"
    )
    args = parser.parse_args()
    if not args.data.is_dir():
        raise SystemExit(f"no data folder at {args.data} (give one with --data)")
    metric = _load_metric(args.eval_tool)
    samples = _load_samples(args.data)
    start = time.perf_counter()

    articles = [_article(s.html) for s in samples]
    listen_texts = [_text(a, ARTICLE_TEXT) for a in articles]
    narration_texts = [_text(a, NARRATION) for a in articles]
    trafilatura_texts = [_trafilatura(s.html) for s in samples]

    print(f"pages {len(samples)} in {args.data.resolve()}")
    print(f"{'':<32}P      R      F1")
    print(_row("listen, article text", metric.score(samples, listen_texts)))
    print(_row("listen, narration", metric.score(samples, narration_texts)))
    print(_row("trafilatura", metric.score(samples, trafilatura_texts)))
    print("listen, article text, with a left-out rule off:")
    for label, rules in VARIANTS:
        print(_row(f"  {label}", metric.score(samples, _variant_texts(samples, rules))))

    with_rules = [_has_rule_drop(a) for a in articles]
    without = [not k for k in with_rules]
    print(f"by page: listen leaves out {' or '.join(sorted(SUBSET_REASONS))}, or not:")
    print(f"{'':<32}    n  P      R      F1")
    for name, keep in (("with those rules", with_rules), ("other pages", without)):
        n = sum(keep)
        print(_row(f"  {name}, listen", _subset(metric, samples, listen_texts, keep), n))
        print(_row(f"  {name}, trafilatura", _subset(metric, samples, trafilatura_texts, keep), n))
    print(f"seconds {time.perf_counter() - start:.1f}")


if __name__ == "__main__":
    main()
