"""Score listen's extraction against trafilatura on both development sets, in the same run.

    .venv/bin/python bench/extract_quality.py [--sets readability,trafilatura] [--no-rules]
                                              [--out FILE]

readability-dev (130 pages, reference text): token-shingle precision, recall and F1
(the metric of extract_eval.py) for listen's article text, listen's narration (intro
and closing line included) and trafilatura; listen with each of its left-out rules
switched off in turn (code listings, reference lists, footnote markers, captions) and
with all four off (``--no-rules`` skips these five runs); and listen's article text and
trafilatura on the pages where listen leaves out code or footnotes and on the rest.

trafilatura-dev (692 pages in many languages, must-have and must-not-have passages):
precision, recall and F1 of the passages (the metric of snippet_eval.py) for listen's
article text and trafilatura, the pages where listen fails, and the pages where listen
finds none of the must-have passages while trafilatura finds some (the number to drive
to zero), listed by URL.

Each page goes in as bytes, as ``listen script - --format text`` and
``trafilatura --no-comments`` get it from the scorers; everything runs in this process,
one page at a time. ``--out`` writes every page's scores and texts as JSON.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import importlib
import io
import json
import re
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any
from unittest.mock import patch

import trafilatura
from lxml.html import HtmlElement

from listen.errors import ListenError
from listen.models import Article, Dropped
from listen.read import blocks, cleanup, furniture, patterns
from listen.read.extract import extract_article
from listen.read.load import load_page
from listen.scriptview import script_as_text
from listen.speech.script import ScriptOptions, build_script

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent / "../shared"
DEFAULT_READABILITY = SHARED / "samples/readability-dev"
DEFAULT_TRAFILATURA = SHARED / "samples/trafilatura-dev"
DEFAULT_TOOLS = SHARED / "tools"

Counts = tuple[float, float, float]

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
ARTICLE_TEXT = ScriptOptions(intro=False, outro=False)
NARRATION = ScriptOptions()


@dataclass(frozen=True)
class Sample:
    page_id: str
    html: bytes
    truth: Any
    """Reference text (readability-dev), or the item with its passages (trafilatura-dev)."""


def _tool(tools: Path, name: str) -> ModuleType:
    path = tools / f"{name}.py"
    if not path.is_file():
        raise SystemExit(f"no {name}.py in {tools} (give the folder with --tools)")
    sys.path.insert(0, str(path.resolve().parent))
    return importlib.import_module(name)


def _readability_samples(data: Path) -> list[Sample]:
    truth_file = data / "ground-truth.json"
    if not truth_file.is_file():
        raise SystemExit(f"no ground-truth.json in {data} (give the folder with --readability)")
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    samples = []
    for page_id in sorted(truth):
        path = data / "html" / f"{page_id}.html"
        if not path.is_file():
            raise SystemExit(f"missing HTML for page {page_id}: {path}")
        html = path.read_text(encoding="utf-8", errors="replace").encode("utf-8")
        samples.append(Sample(page_id, html, truth[page_id].get("articleBody") or ""))
    return samples


def _trafilatura_samples(data: Path) -> list[Sample]:
    items_file = data / "evaldata.json"
    if not items_file.is_file():
        raise SystemExit(f"no evaldata.json in {data} (give the folder with --trafilatura)")
    items = json.loads(items_file.read_text(encoding="utf-8"))
    samples = []
    for url in sorted(items):
        name = items[url]["file"]
        packed = data / "html" / f"{name}.gz"
        html = gzip.decompress(packed.read_bytes()) if packed.exists() else (
            data / "html" / name
        ).read_bytes()
        samples.append(Sample(url, html, items[url]))
    return samples


def _article(html: bytes, *, keep_captions: bool = False) -> Article | ListenError:
    try:
        page = load_page("-", stdin=io.BytesIO(html))
        return extract_article(page, keep_captions=keep_captions)
    except ListenError as exc:
        return exc


def _text(article: Article | ListenError, options: ScriptOptions = ARTICLE_TEXT) -> str:
    """What ``listen script -`` prints: ``--format text`` without intro and outro."""
    if isinstance(article, ListenError):
        return ""
    return script_as_text(build_script(article, options))


def _trafilatura(html: bytes) -> str:
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
            stack.enter_context(
                patch.object(furniture, "_is_footnote_marker", lambda element: False)
            )
            class_reasons.add("footnote-marker")
            roles |= {"doc-noteref", "doc-backlink"}
        kept = tuple(item for item in patterns.CLASS_REASONS if item[0] not in class_reasons)
        stack.enter_context(patch.object(patterns, "CLASS_REASONS", kept))
        kept_roles = {k: v for k, v in patterns.ROLE_REASONS.items() if k not in roles}
        stack.enter_context(patch.dict(patterns.ROLE_REASONS, kept_roles, clear=True))
        stack.callback(furniture.class_reasons_cache_clear)  # read with the rules restored
        furniture.class_reasons_cache_clear()  # and with these ones
        yield


def _row(label: str, scores: dict[str, float], n: int | None = None) -> str:
    count = "" if n is None else f"{n:>5}  "
    return (
        f"{label:<34}{count}{scores['precision']:.4f} {scores['recall']:.4f} {scores['f1']:.4f}"
    )


# --- readability-dev: token shingles ------------------------------------------


@dataclass(frozen=True)
class Shingles:
    """extract_eval.py's metric over a list of pages."""

    page_counts: Callable[[str, str], Counts]
    corpus_scores: Callable[[Sequence[Counts], Sequence[bool]], dict[str, float]]

    def score(self, samples: Sequence[Sample], texts: Sequence[str]) -> dict[str, float]:
        counts = [self.page_counts(s.truth, t) for s, t in zip(samples, texts, strict=True)]
        return self.corpus_scores(counts, [False] * len(counts))  # accuracy not reported

    def subset(
        self, samples: Sequence[Sample], texts: Sequence[str], keep: Sequence[bool]
    ) -> dict[str, float]:
        chosen = [(s, t) for s, t, k in zip(samples, texts, keep, strict=True) if k]
        return self.score([s for s, _ in chosen], [t for _, t in chosen])


def _has_rule_drop(article: Article | ListenError) -> bool:
    return isinstance(article, Article) and any(
        d.reason in SUBSET_REASONS for d in article.dropped
    )


def readability_report(
    metric: Shingles, samples: list[Sample], *, rules: bool, out: dict[str, Any]
) -> None:
    articles = [_article(s.html) for s in samples]
    listen_texts = [_text(a) for a in articles]
    trafilatura_texts = [_trafilatura(s.html) for s in samples]
    print(f"readability-dev: {len(samples)} pages, token-shingle metric (extract_eval.py)")
    print(f"{'':<34}P      R      F1")
    print(_row("listen, article text", metric.score(samples, listen_texts)))
    narration = [_text(a, NARRATION) for a in articles]
    print(_row("listen, narration", metric.score(samples, narration)))
    print(_row("trafilatura", metric.score(samples, trafilatura_texts)))
    if rules:
        print("listen, article text, with a left-out rule off:")
        for label, off in VARIANTS:
            with _rules_off(off):
                texts = [_text(_article(s.html, keep_captions="captions" in off)) for s in samples]
            print(_row(f"  {label}", metric.score(samples, texts)))
    with_rules = [_has_rule_drop(a) for a in articles]
    print(f"by page: listen leaves out {' or '.join(sorted(SUBSET_REASONS))}, or not:")
    print(f"{'':<34}    n  P      R      F1")
    others = [not k for k in with_rules]
    for name, keep in (("with those rules", with_rules), ("other pages", others)):
        n = sum(keep)
        print(_row(f"  {name}, listen", metric.subset(samples, listen_texts, keep), n))
        print(_row(f"  {name}, trafilatura", metric.subset(samples, trafilatura_texts, keep), n))
    out["readability-dev"] = {
        s.page_id: {"listen": lt, "trafilatura": tt}
        for s, lt, tt in zip(samples, listen_texts, trafilatura_texts, strict=True)
    }


# --- trafilatura-dev: must-have and must-not-have passages ------------------------


def _passages(results: Sequence[dict[str, Any]]) -> dict[str, float]:
    """snippet_eval.py's corpus figures: passages counted over all pages."""
    tp, fp, fn = (sum(r[key] for r in results) for key in ("tp", "fp", "fn"))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def trafilatura_report(score: Callable[..., dict[str, Any]], samples: list[Sample],
                       out: dict[str, Any]) -> None:
    pages: dict[str, Any] = {}
    failed: list[tuple[str, str]] = []
    for sample in samples:
        article = _article(sample.html)
        if isinstance(article, ListenError):
            failed.append((sample.page_id, str(article)))
        listen_text, trafilatura_text = _text(article), _trafilatura(sample.html)
        pages[sample.page_id] = {
            "listen": {**score(sample.truth, listen_text), "text": listen_text},
            "trafilatura": {**score(sample.truth, trafilatura_text), "text": trafilatura_text},
        }
    print(f"trafilatura-dev: {len(samples)} pages, must-have/must-not-have passages "
          "(snippet_eval.py)")
    print(f"{'':<34}P      R      F1")
    for who in ("listen", "trafilatura"):
        label = "listen, article text" if who == "listen" else who
        print(_row(label, _passages([p[who] for p in pages.values()])))
    lost = [url for url, p in pages.items()
            if p["listen"]["tp"] == 0 and p["trafilatura"]["tp"] > 0]
    won = [url for url, p in pages.items()
           if p["trafilatura"]["tp"] == 0 and p["listen"]["tp"] > 0]
    print(f"pages where listen fails: {len(failed)}")
    for url, error in failed:
        print(f"  {url}\n    {error[:160]}")
    print(f"pages where listen finds no must-have passage and trafilatura finds some: "
          f"{len(lost)} (the reverse: {len(won)})")
    for url in lost:
        print(f"  {url}")
    out["trafilatura-dev"] = pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="readability,trafilatura",
                        help="which sets to score, comma-separated")
    parser.add_argument("--readability", type=Path, default=DEFAULT_READABILITY,
                        help="readability-dev: ground-truth.json and html/<id>.html")
    parser.add_argument("--trafilatura", type=Path, default=DEFAULT_TRAFILATURA,
                        help="trafilatura-dev: evaldata.json and html/<name>.gz")
    parser.add_argument("--tools", type=Path, default=DEFAULT_TOOLS,
                        help="the folder of extract_eval.py and snippet_eval.py")
    parser.add_argument("--no-rules", action="store_true",
                        help="skip the five readability-dev runs with left-out rules off")
    parser.add_argument("--out", type=Path, help="write every page's scores and texts here")
    args = parser.parse_args()
    sets = {name.strip() for name in args.sets.split(",")}
    start = time.perf_counter()
    out: dict[str, Any] = {}
    if "readability" in sets:
        tool = _tool(args.tools, "extract_eval")
        metric = Shingles(tool.page_counts, tool.corpus_scores)
        readability_report(metric, _readability_samples(args.readability),
                           rules=not args.no_rules, out=out)
    if "trafilatura" in sets:
        tool = _tool(args.tools, "snippet_eval")
        trafilatura_report(tool.score, _trafilatura_samples(args.trafilatura), out)
    if args.out:
        args.out.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"seconds {time.perf_counter() - start:.1f}")


if __name__ == "__main__":
    main()
