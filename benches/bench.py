#!/usr/bin/env python3
"""factlint throughput benchmark, beside ripgrep and cat, on generated news text.

Run from anywhere:  python3 benches/bench.py            (the table, then the corner cases)
                    python3 benches/bench.py --quick    (1 and 10 MB only, 1 run: a smoke test)
                    python3 benches/bench.py --gigabyte (adds the 1 GB file to the corner cases)

What it does, all under target/bench/ (gitignored; regenerated only when missing):
  1. builds factlint (`cargo build --release`) and installs ripgrep if it is not on PATH
     (Debian's package when apt-get can be used, else `cargo install ripgrep --locked`
     into target/bench/tools), saying which;
  2. generates text from corpus/ paragraphs with planted name variants: 1, 10 and 100 MB,
     each as one file and as the same documents in ~4 KB files;
  3. generates knowledge bases: the embedded default pack, and packs of 1,000, 10,000 and
     100,000 generated entities (people, organizations, places; a share with dated names,
     former names and dated roles), each with the patterns file of its surface forms;
  4. runs, for every pack and text, `factlint check` (every default rule, JSON to
     /dev/null), `rg -F -w -f PATTERNS` over the same surface forms and `cat`, in the
     same run, several runs each, interleaved so that a noisy neighbour hits all three
     alike; prints median MB/s, factlint/rg ratio, peak RSS, and start-up time (the
     knowledge-base compile) against rg's start-up with the same patterns;
  5. times the near-miss lookup alone at 1,000, 10,000 and 100,000 entities
     (`cargo bench --bench near_miss`; skip with --no-near-miss);
  6. checks the corner cases for time linear in their size (one huge file, one huge line,
     100,000 mentions of one entity, one surface form prefixing 10,000 others).

Why Python: the driver only generates files and times processes; the machine's Python
3.11 standard library (tomllib, subprocess) does both without adding a crate,
a workspace member or build time to the project. Peak RSS is GNU time's figure
(`/usr/bin/time`, installed when missing: Debian package `time`).

Results go to stdout and to target/bench/results.md and results.json. The result is the
ratios, not absolute times: the machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "target" / "bench"
DATA = BENCH / "data"
PACKS = BENCH / "packs"
OUT = BENCH / "out"
TOOLS = BENCH / "tools"
FACTLINT = ROOT / "target" / "release" / "factlint"
MB = 1_000_000
# Bump when generation changes, so stale data is regenerated.
GENERATOR_VERSION = "4"
SEED = 20240628


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------
# Tools
# --------------------------------------------------------------------------------------


def ensure_factlint() -> None:
    log("building factlint: cargo build --release")
    env = dict(os.environ)
    env.setdefault("CARGO_BUILD_JOBS", "1")
    subprocess.run(["cargo", "build", "--release", "--locked"], cwd=ROOT, env=env, check=True)


def ensure_ripgrep() -> str:
    """ripgrep 14 or later: rg 13 (Debian 12's package) implements -w over many patterns
    so slowly (105 s for 10 MB against 45,000 patterns, where rg 15 takes 0.8 s) that the
    comparison would flatter factlint."""
    local = TOOLS / "bin" / "rg"
    for candidate in (shutil.which("rg"), str(local)):
        if candidate and Path(candidate).exists() and ripgrep_major(candidate) >= 14:
            return candidate
    apt = shutil.which("apt-get")
    if not shutil.which("rg") and apt and os.geteuid() == 0:
        log("ripgrep is not installed: trying Debian's package (apt-get install ripgrep)")
        subprocess.run([apt, "update", "-qq"], check=False)
        subprocess.run([apt, "install", "-y", "-qq", "ripgrep"], check=False)
        found = shutil.which("rg")
        if found and ripgrep_major(found) >= 14:
            return found
    log(f"no ripgrep 14 or later: cargo install ripgrep --locked --root {TOOLS}")
    env = dict(os.environ)
    env.setdefault("CARGO_BUILD_JOBS", "1")
    subprocess.run(
        ["cargo", "install", "ripgrep", "--locked", "--root", str(TOOLS)], env=env, check=True
    )
    return str(local)


def ripgrep_major(program: str) -> int:
    words = tool_version(program).split()
    try:
        return int(words[1].split(".")[0]) if len(words) > 1 else 0
    except ValueError:
        return 0


def tool_version(program: str) -> str:
    result = subprocess.run([program, "--version"], capture_output=True, text=True, check=False)
    return result.stdout.splitlines()[0] if result.stdout else "?"


# --------------------------------------------------------------------------------------
# Knowledge bases
# --------------------------------------------------------------------------------------


def default_pack_forms() -> tuple[list[str], dict[str, tuple[list[str], list[str]]]]:
    """Every surface form of the embedded pack, as src/kb/compile.rs collects them, and
    by entity kind its names and its variants (for planting)."""
    forms: list[str] = []
    variants: list[str] = []
    by_kind: dict[str, tuple[list[str], list[str]]] = {}

    def add(text: str) -> None:
        forms.append(text)

    def variant_forms(specs: list) -> list[str]:
        return [spec if isinstance(spec, str) else spec["form"] for spec in specs]

    for path in sorted((ROOT / "rules").glob("*.toml")):
        pack = tomllib.loads(path.read_text(encoding="utf-8"))
        for kind in ("person", "organization", "place"):
            names, kind_variants = by_kind.setdefault(kind, ([], []))
            for entity in pack.get(kind, []):
                names += [entity["name"]] if "name" in entity else [n["name"] for n in entity["names"]]
                kind_variants += variant_forms(entity.get("variants", []))
                for name in entity.get("names", []):
                    kind_variants += variant_forms(name.get("variants", []))
        for person in pack.get("person", []):
            add(person["name"])
            for alias in person.get("aliases", []):
                add(alias)
            for form in variant_forms(person.get("variants", [])):
                add(form)
                variants.append(form)
        for organization in pack.get("organization", []):
            add(organization["name"])
            if "acronym" in organization:
                add(organization["acronym"])
            for alias in organization.get("aliases", []):
                add(alias)
            for form in variant_forms(organization.get("variants", [])):
                add(form)
                variants.append(form)
            for former in organization.get("former", []):
                add(former["name"])
                for alias in former.get("aliases", []):
                    add(alias)
                if "acronym" in former:
                    add(former["acronym"])
        for place in pack.get("place", []):
            for name in place.get("names", []):
                add(name["name"])
                for form in variant_forms(name.get("variants", [])):
                    add(form)
                    variants.append(form)
            for alias in place.get("aliases", []):
                add(alias)
            for form in variant_forms(place.get("variants", [])):
                add(form)
                variants.append(form)
            for fixed in place.get("fixed", []):
                add(fixed)
    assert set(variants) <= set(forms)
    return list(dict.fromkeys(forms)), by_kind


GIVEN_NAMES = """Aigerim Aizhan Akmal Alibek Amina Anvar Arman Askar Aslan Aziz Bakhyt Bauyrzhan
Dariga Daulet Dilnoza Erlan Farida Farkhod Gulnara Ibrahim Ilyas Jamila Kamila Karim Khadija
Laila Madina Mansur Marat Mukhtar Nadia Nurlan Omar Rashid Rustam Saida Samir Serik Tamara
Timur Ulan Yasmin Yusuf Zarina Zhanar Ahmed Fatima Hassan Layla Mariam Mohamed Nour Tariq
Youssef Zainab Anna Elena Ivan Olga Pavel Sergei Svetlana Tatiana Viktor Yelena Andrzej Katarzyna
Piotr Agnieszka Jan Eva Lukas Petra Tomas Ana Carlos Diego Lucia Mateo Sofia Valentina Amadou
Aminata Fatoumata Ibrahima Moussa Ousmane Kwame Ama Kofi Chinedu Ngozi Emeka Li Wei Mei Hiroshi
Yuki Haruto Min-jun Seo-yeon Arjun Priya Rahul Ananya Deepa Vikram Leila Reza Parisa Dariush""".split()

ONSETS = "b d g k kh l m n r s sh t z zh v y j f h".split()
NUCLEI = "a e i o u ai ei ia ou".split()
CODAS = ["", "", "", "n", "r", "l", "s", "k", "m", "t"]
SURNAME_ENDINGS = "ov ova ev yev enko ski ska ovich uly kyzy yan i ani adze ez son".split()
PLACE_ENDINGS = "abad grad sk ovka tau kent pur stan polis burg ville shahr".split()
ORG_ADJECTIVES = """National Regional International Islamic European African Asian Central
Northern Southern Eastern Western Joint Permanent Independent United Federal""".split()
ORG_NOUNS = """Council Commission Agency Committee Forum Centre Institute Foundation Bank
Union Alliance Office Bureau Authority Network Organisation""".split()
ORG_FIELDS = """Maritime Affairs; Food Security; Water Resources; Cultural Heritage; Digital
Cooperation; Energy Transition; Public Health; Civil Aviation; Disaster Relief; Human Rights;
Trade Facilitation; Youth and Sport; Higher Education; Press Freedom; Migration Studies;
Statistics; Nuclear Safety; Climate Adaptation; Desert Research; Rail Transport; Fisheries;
Interfaith Dialogue; Border Management; Financial Inclusion; Textile Industry""".replace(
    "\n", " "
).split("; ")
REGIONS = """the Caspian Region; Central Asia; the Gulf States; the Sahel; the Black Sea;
the Caucasus; the Mediterranean; the Horn of Africa; the Balkans; the Indian Ocean;
the Silk Road; the Arab World; West Africa; the Danube Basin; the Aral Sea; the Andes""".replace(
    "\n", " "
).split("; ")
OFFICE_TITLES = """Minister of Foreign Affairs; Minister of Finance; Minister of Culture;
Prime Minister; Speaker of Parliament; Mayor; Governor; Ambassador to the United Nations;
Chief Justice; Minister of Energy; Minister of Health; Secretary-General; Director-General;
Special Envoy; High Commissioner""".replace("\n", " ").split("; ")


def syllables(rng: random.Random, count: int) -> str:
    return "".join(
        rng.choice(ONSETS) + rng.choice(NUCLEI) + rng.choice(CODAS) for _ in range(count)
    )


def respell(word: str, rng: random.Random) -> str:
    """A plausible transliteration variant of a name (Abdrakhmanov / Abdurahmanov)."""
    rules = [
        ("kh", "h"), ("zh", "j"), ("sh", "sch"), ("ov", "off"), ("ev", "eff"), ("y", "i"),
        ("ai", "ay"), ("ou", "u"), ("i", "y"), ("k", "q"), ("j", "dj"), ("ia", "iya"),
        ("e", "ye"), ("u", "ou"), ("a", "aa"),
    ]
    rng.shuffle(rules)
    for old, new in rules:
        if old in word[1:]:
            return word[0] + word[1:].replace(old, new, 1)
    return word + "e"


def year_date(rng: random.Random, low: int, high: int) -> str:
    return f"{rng.randint(low, high)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


@dataclass
class Generated:
    """Generated entities in order: a pack of N entities is the first N."""

    tables: list[str] = field(default_factory=list)
    forms: list[list[str]] = field(default_factory=list)
    # (canonical-ish form, variant form, kind) for planting mentions.
    mentionable: list[tuple[str, list[str], str]] = field(default_factory=list)
    offices: str = ""


def generate_entities(count: int) -> Generated:
    rng = random.Random(SEED)
    taken: set[str] = set(default_pack_forms()[0])
    generated = Generated()

    def claim(text: str) -> bool:
        if text in taken:
            return False
        taken.add(text)
        return True

    office_ids = []
    office_tables = []
    for index, title in enumerate(OFFICE_TITLES):
        for region in REGIONS:
            office_id = f"office-{index}-{len(office_ids)}"
            office_ids.append(office_id)
            office_tables.append(
                f'[[office]]\nid = "{office_id}"\ntitle = "{title} of {region.replace("the ", "")}"\n'
                f'source = "generated"\n'
            )
    generated.offices = "\n".join(office_tables)

    while len(generated.tables) < count:
        index = len(generated.tables)
        kind = rng.random()
        if kind < 0.6:
            given = rng.choice(GIVEN_NAMES)
            surname = syllables(rng, rng.randint(1, 3)).capitalize() + rng.choice(SURNAME_ENDINGS)
            name = f"{given} {surname}"
            if not claim(name):
                continue
            forms = [name]
            aliases = []
            if claim(surname):
                aliases.append(surname)
            variants = []
            for _ in range(rng.randint(1, 3)):
                spelled = respell(surname, rng)
                for candidate in (f"{respell(given, rng)} {spelled}", spelled):
                    if candidate != name and candidate != surname and claim(candidate):
                        variants.append(candidate)
            roles = []
            if rng.random() < 0.3:
                start = rng.randint(1990, 2020)
                for _ in range(rng.randint(1, 2)):
                    end = start + rng.randint(1, 6)
                    roles.append(
                        f'{{ office = "{rng.choice(office_ids)}", from = {start}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}, '
                        f"until = {end}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)} }}"
                    )
                    start = end + 1
            forms += aliases + variants
            table = (
                f'[[person]]\nid = "person-{index}"\nname = "{name}"\n'
                f"aliases = {json.dumps(aliases)}\nvariants = {json.dumps(variants)}\n"
            )
            if roles:
                table += "roles = [" + ", ".join(roles) + "]\n"
            table += 'source = "generated"\n'
            generated.mentionable.append((name, variants, "person"))
        elif kind < 0.8:
            adjective = rng.choice(ORG_ADJECTIVES)
            noun = rng.choice(ORG_NOUNS)
            field_name = rng.choice(ORG_FIELDS)
            region = rng.choice(REGIONS)
            extra = syllables(rng, 2).capitalize()
            name = f"{adjective} {noun} for {field_name} of {extra} and {region}"
            if not claim(name):
                continue
            forms = [name]
            words = [word for word in name.split() if word[0].isupper()]
            acronym = "".join(word[0] for word in words)
            acronym_line = ""
            if claim(acronym):
                forms.append(acronym)
                acronym_line = f'acronym = "{acronym}"\n'
            variants = []
            spelled = name.replace("Organisation", "Organization").replace("Centre", "Center")
            if spelled == name:
                spelled = name.replace(" and ", " & ")
            if claim(spelled):
                variants.append(spelled)
            former_line = ""
            if rng.random() < 0.25:
                former = f"{adjective} {noun} on {field_name} of {extra}"
                if claim(former):
                    forms.append(former)
                    former_line = (
                        f'former = [{{ name = "{former}", until = {year_date(rng, 1995, 2020)} }}]\n'
                    )
            forms += variants
            table = (
                f'[[organization]]\nid = "organization-{index}"\nname = "{name}"\n{acronym_line}'
                f"variants = {json.dumps(variants)}\n{former_line}"
                f'members = [{{ count = {rng.randint(5, 60)}, term = "member states" }}]\n'
                'source = "generated"\n'
            )
            generated.mentionable.append((name, variants, "organization"))
        else:
            base = syllables(rng, rng.randint(1, 2)).capitalize()
            name = base + rng.choice(PLACE_ENDINGS)
            if not claim(name):
                continue
            forms = [name]
            names = []
            if rng.random() < 0.3:
                old = base + rng.choice(PLACE_ENDINGS)
                if old != name and claim(old):
                    change = year_date(rng, 1960, 2022)
                    names.append(f'{{ name = "{old}", until = {change} }}')
                    names.append(f'{{ name = "{name}", from = {change} }}')
                    forms.append(old)
            if not names:
                names.append(f'{{ name = "{name}" }}')
            variants = []
            spelled = respell(name, rng)
            if claim(spelled):
                variants.append(spelled)
            hyphenated = f"{name[:3]}-{name[3:]}"
            if len(name) > 6 and claim(hyphenated):
                variants.append(hyphenated)
            forms += variants
            table = (
                f'[[place]]\nid = "place-{index}"\nnames = [' + ", ".join(names) + "]\n"
                f"variants = {json.dumps(variants)}\n" 'source = "generated"\n'
            )
            generated.mentionable.append((name, variants, "place"))
        generated.tables.append(table)
        generated.forms.append(forms)
    return generated


@dataclass
class Pack:
    name: str  # "default", "1000", ...
    label: str
    factlint_args: list[str]
    patterns: Path
    form_count: int


def write_packs(sizes: list[int], generated: Generated) -> list[Pack]:
    PACKS.mkdir(parents=True, exist_ok=True)
    packs = []
    forms, _ = default_pack_forms()
    patterns = PACKS / "default.patterns"
    patterns.write_text("\n".join(forms) + "\n", encoding="utf-8")
    packs.append(Pack("default", "default pack", [], patterns, len(forms)))
    for size in sizes:
        toml = PACKS / f"entities-{size}.toml"
        patterns = PACKS / f"entities-{size}.patterns"
        if not toml.exists() or not patterns.exists():
            toml.write_text(
                "# Generated by benches/bench.py: plausible, fictional entities.\n\n"
                + generated.offices
                + "\n"
                + "\n".join(generated.tables[:size]),
                encoding="utf-8",
            )
            form_list = [form for forms_of in generated.forms[:size] for form in forms_of]
            patterns.write_text("\n".join(form_list) + "\n", encoding="utf-8")
        count = sum(1 for _ in patterns.open(encoding="utf-8"))
        packs.append(
            Pack(
                str(size),
                f"{size:,} entities",
                ["--no-default-rules", "--rules", str(toml)],
                patterns,
                count,
            )
        )
    return packs


# --------------------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------------------

TEMPLATES = [
    "{person} met officials of the {organization} in {place} on Tuesday.",
    "Speaking in {place}, {person} said the {organization} would publish its report next month.",
    "The {organization} welcomed the appointment of {person}, who previously worked in {place}.",
    "{person} and {person} discussed cooperation with the {organization}.",
    "Delegations from {place} and {place} attended the session chaired by {person}.",
    "According to the {organization}, talks in {place} will resume after the summer.",
]
MONTHS = "January February March April May June July August September October November December".split()


def corpus_paragraphs() -> tuple[list[str], list[str]]:
    titles, paragraphs = [], []
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        lines = [line for line in lines if line]
        titles.append(lines[0])
        paragraphs += [line for line in lines[1:] if len(line) > 80]
    return titles, paragraphs


class TextSource:
    """An endless stream of ~4 KB news documents: corpus paragraphs, shuffled, with
    sentences planting canonical names and known variants (of the default pack and of
    the first 1,000 generated entities, so that every pack finds mentions)."""

    def __init__(self, generated: Generated) -> None:
        self.rng = random.Random(SEED + 1)
        self.titles, self.paragraphs = corpus_paragraphs()
        _, self.default_by_kind = default_pack_forms()
        self.by_kind: dict[str, list[tuple[str, list[str]]]] = {}
        for name, entity_variants, kind in generated.mentionable[:1000]:
            self.by_kind.setdefault(kind, []).append((name, entity_variants))

    def fill(self, kind: str) -> str:
        # Mostly correct names, as in a real archive: about one planted variant in
        # twenty mentions, which with the seed paragraphs' own variants gives a few
        # findings per 4 KB document.
        roll = self.rng.random()
        default_names, default_variants = self.default_by_kind[kind]
        if roll < 0.02 and default_variants:
            return self.rng.choice(default_variants)
        if roll < 0.35:
            return self.rng.choice(default_names)
        name, variants = self.rng.choice(self.by_kind[kind])
        if variants and roll < 0.38:
            return self.rng.choice(variants)
        return name

    def sentence(self) -> str:
        template = self.rng.choice(TEMPLATES)
        while "{" in template:
            start = template.index("{")
            end = template.index("}", start)
            template = template[:start] + self.fill(template[start + 1 : end]) + template[end + 1 :]
        return template

    def document(self) -> str:
        rng = self.rng
        date = f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(2015, 2025)}"
        parts = [rng.choice(self.titles), date]
        size = len(parts[0]) + len(date)
        while size < 3900:
            paragraph = rng.choice(self.paragraphs)
            planted = " ".join(self.sentence() for _ in range(rng.randint(1, 3)))
            for block in (paragraph, planted):
                parts.append(block)
                size += len(block.encode("utf-8")) + 1
        return "\n".join(parts) + "\n"


def write_texts(sizes_mb: list[int], source: TextSource) -> None:
    """For each size: one file, and the same documents as ~4 KB files under files-N/."""
    for size in sizes_mb:
        single = DATA / f"text-{size}MB.txt"
        directory = DATA / f"files-{size}MB"
        if single.exists() and directory.exists():
            continue
        log(f"generating {size} MB of text")
        if directory.exists():
            shutil.rmtree(directory)
        directory.mkdir(parents=True)
        written = 0
        index = 0
        with single.open("w", encoding="utf-8") as whole:
            while written < size * MB:
                document = source.document()
                subdirectory = directory / f"{index // 1000:04d}"
                subdirectory.mkdir(exist_ok=True)
                (subdirectory / f"{index:06d}.txt").write_text(document, encoding="utf-8")
                whole.write(document)
                written += len(document.encode("utf-8"))
                index += 1


# --------------------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    peak_rss_kb: int
    status: int


GNU_TIME = Path("/usr/bin/time")


def ensure_gnu_time() -> None:
    if GNU_TIME.exists():
        return
    apt = shutil.which("apt-get")
    if apt and os.geteuid() == 0:
        log("/usr/bin/time is not installed: apt-get install time")
        subprocess.run([apt, "update", "-qq"], check=False)
        subprocess.run([apt, "install", "-y", "-qq", "time"], check=False)
    if not GNU_TIME.exists():
        raise SystemExit("benches/bench.py needs GNU time (/usr/bin/time, Debian package `time`)")


def run_once(command: list[str], stdout: Path | None, env: dict | None = None,
             timeout: float | None = None) -> Run:
    """Runs a command, returning wall time and peak RSS in KiB, as `/usr/bin/time -v`
    reports it ("Maximum resident set size"). GNU time starts the command: a process
    forked from this (large) Python process would count Python's pages in its peak."""
    rss_file = OUT / "peak-rss"
    wrapped = [str(GNU_TIME), "-f", "%M", "-o", str(rss_file), *command]
    sink = open(stdout, "wb") if stdout else open(os.devnull, "wb")
    try:
        started = time.perf_counter()
        # A session of its own, so that a timeout stops GNU time and the command.
        process = subprocess.Popen(wrapped, stdout=sink, stderr=subprocess.DEVNULL, env=env,
                                   start_new_session=True)
        try:
            status = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return Run(float("inf"), 0, -1)
        elapsed = time.perf_counter() - started
    finally:
        sink.close()
    lines = rss_file.read_text().split() if rss_file.exists() else []
    peak = int(lines[-1]) if lines and lines[-1].isdigit() else 0
    # GNU time exits with the command's status (and prints "Command exited with
    # non-zero status" into the -o file, before the figure).
    return Run(elapsed, peak, status)


def check_status(name: str, run: Run, allowed: tuple[int, ...]) -> None:
    if run.status not in allowed:
        raise SystemExit(f"{name} failed with status {run.status}")


@dataclass
class Measure:
    seconds: list[float] = field(default_factory=list)
    rss_kb: int = 0

    def add(self, run: Run) -> None:
        self.seconds.append(run.seconds)
        self.rss_kb = max(self.rss_kb, run.peak_rss_kb)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def factlint_command(pack: Pack, target: Path) -> list[str]:
    return [str(FACTLINT), "check", "--format", "json", *pack.factlint_args, str(target)]


def rg_command(rg: str, pack: Pack, target: Path, threads: int | None = None) -> list[str]:
    # The default 100 MB limit on the compiled regex rejects ~400,000 patterns.
    command = [rg, "--no-config", "--regex-size-limit", "4G", "-F", "-w", "-f", str(pack.patterns)]
    if threads:
        command += ["-j", str(threads)]
    return command + [str(target)]


def cat_command(target: Path) -> list[str]:
    if target.is_dir():
        return ["xargs", "-0", "-a", str(file_list(target)), "cat"]
    return ["cat", str(target)]


def file_list(directory: Path) -> Path:
    listing = OUT / f"{directory.name}.list"
    if not listing.exists():
        files = sorted(str(path) for path in directory.rglob("*.txt"))
        listing.write_bytes(b"\0".join(name.encode() for name in files))
    return listing


def surface_bytes(target: Path) -> int:
    if target.is_dir():
        return sum(path.stat().st_size for path in target.rglob("*.txt"))
    return target.stat().st_size


def measure_case(rg: str, pack: Pack, target: Path, runs: int,
                 extra: dict[str, tuple[list[str], dict | None]] | None = None) -> dict:
    """factlint, rg and cat on one target, interleaved run by run."""
    commands: dict[str, tuple[list[str], dict | None]] = {
        "factlint": (factlint_command(pack, target), None),
        "rg": (rg_command(rg, pack, target), None),
        "cat": (cat_command(target), None),
    }
    commands.update(extra or {})
    measures = {name: Measure() for name in commands}
    # One untimed run of each warms the page cache and the binaries.
    findings = 0
    for name, (command, env) in commands.items():
        # rg's output goes to a real file: with stdout on /dev/null ripgrep may stop at
        # the first match, which would not be a search of the whole text. factlint's
        # warm-up report is kept to count its findings.
        sink = OUT / "rg.out" if name.startswith("rg") else None
        if name == "factlint":
            sink = OUT / "factlint.json"
        run = run_once(command, sink, env)
        check_status(name, run, (0, 1))
        if name == "factlint":
            summary = json.loads(sink.read_text(encoding="utf-8"))["summary"]
            findings = summary["errors"] + summary["warnings"] + summary["infos"]
    for _ in range(runs):
        for name, (command, env) in commands.items():
            run = run_once(command, OUT / "rg.out" if name.startswith("rg") else None, env)
            check_status(name, run, (0, 1))
            measures[name].add(run)
    size = surface_bytes(target)
    result = {"bytes": size, "findings": findings}
    for name, measure in measures.items():
        result[name] = {
            "median_seconds": measure.median,
            "mb_per_s": size / MB / measure.median,
            "peak_rss_mb": measure.rss_kb / 1024,
        }
    result["ratio_to_rg"] = result["factlint"]["mb_per_s"] / result["rg"]["mb_per_s"]
    return result


def measure_startup(rg: str, pack: Pack, runs: int) -> dict:
    """Time to load and compile the knowledge base: factlint and rg on a one-line file."""
    tiny = DATA / "one-line.txt"
    tiny.write_text("Nothing to see here.\n", encoding="utf-8")
    factlint, ripgrep = Measure(), Measure()
    run_once(factlint_command(pack, tiny), None)
    run_once(rg_command(rg, pack, tiny), OUT / "rg.out")
    for _ in range(max(runs, 5)):
        factlint.add(run_once(factlint_command(pack, tiny), None))
        ripgrep.add(run_once(rg_command(rg, pack, tiny), OUT / "rg.out"))
    return {
        "factlint_seconds": factlint.median,
        "rg_seconds": ripgrep.median,
        "factlint_rss_mb": factlint.rss_kb / 1024,
        "rg_rss_mb": ripgrep.rss_kb / 1024,
    }


# --------------------------------------------------------------------------------------
# Corner cases
# --------------------------------------------------------------------------------------


def make_single_line(size_mb: int) -> Path:
    path = DATA / f"one-line-{size_mb}MB.txt"
    if not path.exists():
        source = DATA / f"text-{size_mb}MB.txt"
        with source.open("rb") as reader, path.open("wb") as writer:
            while chunk := reader.read(1 << 20):
                writer.write(chunk.replace(b"\n", b" "))
    return path


def make_mentions(count: int, one_line: bool) -> Path:
    path = DATA / f"mentions-{count}{'-one-line' if one_line else ''}.txt"
    if not path.exists():
        sentence = "Mr. Abdurahmanov met the press. "
        separator = "" if one_line else "\n"
        lines = []
        for index in range(0, count, 5):
            lines.append(sentence * min(5, count - index) + separator)
        path.write_text("15 September 2022\n" + "".join(lines) + "\n", encoding="utf-8")
    return path


PREFIX_STEM = "Zorovitch"


def make_prefix_pack(count: int) -> tuple[Pack, list[str]]:
    """One person's surname `Zorovitch` prefixes `count` other people's full names
    (`Zorovitch Abab`, `Zorovitch Abac`, ...)."""
    rng = random.Random(SEED + 2)
    suffixes: list[str] = []
    seen: set[str] = set()
    while len(suffixes) < count:
        word = syllables(rng, 3).capitalize()
        if word not in seen:
            seen.add(word)
            suffixes.append(word)
    toml = PACKS / f"prefix-{count}.toml"
    patterns = PACKS / f"prefix-{count}.patterns"
    tables = [f'[[person]]\nid = "stem"\nname = "Ivan {PREFIX_STEM}"\naliases = ["{PREFIX_STEM}"]\nsource = "generated"\n']
    forms = [f"Ivan {PREFIX_STEM}", PREFIX_STEM]
    for index, suffix in enumerate(suffixes):
        name = f"{PREFIX_STEM} {suffix}"
        tables.append(f'[[person]]\nid = "prefixed-{index}"\nname = "{name}"\n'
                      f'variants = ["{PREFIX_STEM} {suffix}a"]\nsource = "generated"\n')
        forms += [name, f"{name}a"]
    toml.write_text("\n".join(tables), encoding="utf-8")
    patterns.write_text("\n".join(forms) + "\n", encoding="utf-8")
    pack = Pack(f"prefix-{count}", f"prefix x{count}",
                ["--no-default-rules", "--rules", str(toml)], patterns, len(forms))
    return pack, suffixes


def make_prefix_text(suffixes: list[str], size_mb: int) -> Path:
    """Text where every mention makes the scanner choose among the prefixed forms: full
    names, names whose longest match ends inside a word (falling back to the stem), and
    the stem alone."""
    path = DATA / f"prefix-text-{len(suffixes)}-{size_mb}MB.txt"
    if not path.exists():
        rng = random.Random(SEED + 3)
        written = 0
        with path.open("w", encoding="utf-8") as writer:
            while written < size_mb * MB:
                words = []
                for _ in range(12):
                    suffix = rng.choice(suffixes)
                    words.append(rng.choice([
                        f"{PREFIX_STEM} {suffix}", f"{PREFIX_STEM} {suffix}ab",
                        f"{PREFIX_STEM} {suffix}a", f"{PREFIX_STEM} said",
                    ]))
                line = "Reports name " + ", ".join(words) + ".\n"
                writer.write(line)
                written += len(line)
    return path


def run_corners(rg: str, default: Pack, runs: int, gigabyte: bool, timeout: float) -> list[dict]:
    rows = []

    def timed(label: str, pack: Pack, target: Path, compare: bool = True) -> dict:
        log(f"corner: {label}")
        factlint = Measure()
        rg_measure = Measure()
        timed_out = False
        for _ in range(runs):
            run = run_once(factlint_command(pack, target), None, timeout=timeout)
            factlint.add(run)
            if run.status == -1:
                timed_out = True
                break
            check_status("factlint", run, (0, 1))
            if compare:
                rg_measure.add(run_once(rg_command(rg, pack, target), OUT / "rg.out"))
        size = surface_bytes(target)
        row = {
            "case": label,
            "bytes": size,
            "factlint_seconds": None if timed_out else factlint.median,
            "timed_out_after": timeout if timed_out else None,
            "factlint_rss_mb": factlint.rss_kb / 1024,
            "rg_seconds": rg_measure.median if rg_measure.seconds else None,
        }
        rows.append(row)
        return row

    # One big file: 10 MB -> 100 MB (-> 1 GB).
    timed("one file, 10 MB", default, DATA / "text-10MB.txt")
    timed("one file, 100 MB", default, DATA / "text-100MB.txt")
    if gigabyte:
        big = DATA / "text-1000MB.txt"
        if not big.exists():
            with big.open("wb") as writer:
                for _ in range(10):
                    with (DATA / "text-100MB.txt").open("rb") as reader:
                        shutil.copyfileobj(reader, writer, 1 << 22)
        timed("one file, 1 GB", default, big, compare=True)
    # One line: 1 MB -> 10 MB -> 100 MB.
    for size in (1, 10, 100):
        timed(f"one line, {size} MB", default, make_single_line(size))
    # Many mentions of one entity, on separate lines and all on one line.
    for count in (10_000, 100_000):
        timed(f"{count:,} mentions, 5 a line", default, make_mentions(count, one_line=False))
    for count in (10_000, 100_000):
        timed(f"{count:,} mentions, one line", default, make_mentions(count, one_line=True))
    # One form prefixing many others: compile time and scan time.
    tiny = DATA / "one-line.txt"
    for count in (1_000, 10_000):
        pack, suffixes = make_prefix_pack(count)
        timed(f"prefix pack x{count:,}: start-up", pack, tiny)
        for size in (1, 10):
            timed(f"prefix pack x{count:,}: {size} MB of prefixed mentions", pack,
                  make_prefix_text(suffixes, size))
    return rows


# --------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------


def format_table(rows: list[list[str]], header: list[str]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1,10,100", help="text sizes in MB (default 1,10,100)")
    parser.add_argument("--entities", default="1000,10000,100000",
                        help="generated knowledge-base sizes (default 1000,10000,100000)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per command (default 3)")
    parser.add_argument("--quick", action="store_true", help="1 and 10 MB, 1,000 and 10,000 entities, 1 run, no corners")
    parser.add_argument("--no-corners", action="store_true", help="skip the corner cases")
    parser.add_argument("--only-corners", action="store_true", help="only the corner cases")
    parser.add_argument("--generate-only", action="store_true", help="generate the data and stop")
    parser.add_argument("--gigabyte", action="store_true", help="add the 1 GB file to the corner cases")
    parser.add_argument("--timeout", type=float, default=120, help="seconds before a corner-case run is abandoned (default 120)")
    parser.add_argument("--no-near-miss", action="store_true",
                        help="skip the near-miss lookup benchmark (cargo bench --bench near_miss)")
    arguments = parser.parse_args()
    if arguments.quick:
        arguments.sizes, arguments.entities, arguments.runs = "1,10", "1000,10000", 1
        arguments.no_corners = True
    sizes = [int(size) for size in arguments.sizes.split(",") if size]
    entity_sizes = [int(size) for size in arguments.entities.split(",") if size]

    ensure_factlint()
    rg = ensure_ripgrep()
    ensure_gnu_time()
    for directory in (DATA, PACKS, OUT):
        directory.mkdir(parents=True, exist_ok=True)
    stamp = BENCH / "generator-version"
    if not stamp.exists() or stamp.read_text() != GENERATOR_VERSION:
        log("generator changed: regenerating data")
        for directory in (DATA, PACKS, OUT):
            shutil.rmtree(directory)
            directory.mkdir(parents=True)
        stamp.write_text(GENERATOR_VERSION)

    log(f"generating {max(entity_sizes, default=1000):,} entities")
    started = time.perf_counter()
    generated = generate_entities(max(entity_sizes + [1000]))
    log(f"  done in {time.perf_counter() - started:.1f} s")
    packs = write_packs(entity_sizes, generated)
    needed = sorted(set(sizes) | ({1, 10, 100} if not arguments.no_corners else set()))
    write_texts(needed, TextSource(generated))
    if arguments.generate_only:
        return

    machine = f"{os.cpu_count()} cores, {platform_description()}"
    results: dict = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": machine,
        "factlint": tool_version(str(FACTLINT)),
        "rg": tool_version(rg),
        "cases": [],
        "startup": {},
        "threads": {},
        "corners": [],
    }
    log(f"{results['factlint']}; {results['rg']}; {machine}")

    if not arguments.only_corners:
        for pack in packs:
            log(f"start-up: {pack.label} ({pack.form_count:,} surface forms)")
            results["startup"][pack.name] = measure_startup(rg, pack, arguments.runs)
            save(results)
            for size in sizes:
                for layout, target in (("one file", DATA / f"text-{size}MB.txt"),
                                       ("4 KB files", DATA / f"files-{size}MB")):
                    log(f"measuring: {pack.label}, {size} MB, {layout}")
                    case = measure_case(rg, pack, target, arguments.runs)
                    case.update(pack=pack.name, size_mb=size, layout=layout)
                    results["cases"].append(case)
                    save(results)
        # 1 vs 2 threads on the largest 4 KB-file surface.
        largest = max(sizes)
        target = DATA / f"files-{largest}MB"
        for pack in (packs[0], packs[-1]):
            log(f"threads: {pack.label}, {largest} MB of 4 KB files")
            one = dict(os.environ, RAYON_NUM_THREADS="1")
            two = dict(os.environ, RAYON_NUM_THREADS="2")
            extra = {
                "factlint-1": (factlint_command(pack, target), one),
                "factlint-2": (factlint_command(pack, target), two),
                "rg-1": (rg_command(rg, pack, target, 1), None),
                "rg-2": (rg_command(rg, pack, target, 2), None),
            }
            case = measure_case(rg, pack, target, arguments.runs, extra)
            results["threads"][pack.name] = {
                "factlint_speedup": case["factlint-1"]["median_seconds"] / case["factlint-2"]["median_seconds"],
                "rg_speedup": case["rg-1"]["median_seconds"] / case["rg-2"]["median_seconds"],
                "factlint_1_mb_per_s": case["factlint-1"]["mb_per_s"],
                "factlint_2_mb_per_s": case["factlint-2"]["mb_per_s"],
            }
            save(results)

    if not arguments.no_near_miss and not arguments.only_corners:
        results["near_miss"] = near_miss_table(arguments.quick)
        save(results)

    if not arguments.no_corners:
        results["corners"] = run_corners(rg, packs[0], max(1, min(arguments.runs, 3)),
                                         arguments.gigabyte, arguments.timeout)

    report = render(results, packs)
    print(report)
    (BENCH / "results.md").write_text(report + "\n", encoding="utf-8")
    (BENCH / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    log(f"written: {BENCH / 'results.md'} and results.json")


def near_miss_table(quick: bool) -> str:
    """The near-miss lookup cost at 1,000, 10,000 and 100,000 entities: the index
    alone, on the library API (benches/near_miss.rs), since a whole-process timing
    buries one lookup under knowledge-base compile and scanning."""
    log("near-miss lookup: cargo bench --bench near_miss")
    env = dict(os.environ)
    env.setdefault("CARGO_BUILD_JOBS", "1")
    command = ["cargo", "bench", "--locked", "--bench", "near_miss", "--"]
    result = subprocess.run(command + (["--quick"] if quick else []), cwd=ROOT, env=env,
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        log(result.stderr[-2000:])
        return f"(near-miss benchmark failed: exit code {result.returncode})"
    return result.stdout.strip()


def save(results: dict) -> None:
    """Results so far, so that an interrupted run still leaves numbers behind."""
    (BENCH / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def platform_description() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return sys.platform


def render(results: dict, packs: list[Pack]) -> str:
    out = [f"factlint benchmark, {results['date']}, {results['machine']}",
           f"{results['factlint']}; {results['rg']}", ""]
    by_pack = {pack.name: pack for pack in packs}
    if results["cases"]:
        rows = []
        for case in results["cases"]:
            pack = by_pack[case["pack"]]
            rows.append([
                pack.label, f"{pack.form_count:,}", f"{case['size_mb']} MB", case["layout"],
                f"{case['factlint']['mb_per_s']:.0f}", f"{case['rg']['mb_per_s']:.0f}",
                f"{case['cat']['mb_per_s']:.0f}", f"**{case['ratio_to_rg']:.2f}**",
                f"{case['factlint']['peak_rss_mb']:.0f}", f"{case['rg']['peak_rss_mb']:.0f}",
                f"{case['findings']:,}",
            ])
        out.append("Throughput (median MB/s over the whole run, start-up included):\n")
        out.append(format_table(rows, ["knowledge base", "forms", "text", "layout",
                                       "factlint MB/s", "rg MB/s", "cat MB/s",
                                       "factlint / rg", "factlint RSS MB", "rg RSS MB",
                                       "findings"]))
        out.append("")
    if results["startup"]:
        rows = []
        for name, startup in results["startup"].items():
            pack = by_pack[name]
            rows.append([
                pack.label, f"{pack.form_count:,}",
                f"{startup['factlint_seconds'] * 1000:.0f}", f"{startup['rg_seconds'] * 1000:.0f}",
                f"**{startup['factlint_seconds'] / startup['rg_seconds']:.2f}**",
                f"{startup['factlint_rss_mb']:.0f}", f"{startup['rg_rss_mb']:.0f}",
            ])
        out.append("Start-up on a one-line file (factlint: load and compile the knowledge base; "
                   "rg: parse the patterns and build its matcher), median:\n")
        out.append(format_table(rows, ["knowledge base", "forms", "factlint ms", "rg ms",
                                       "factlint / rg", "factlint RSS MB", "rg RSS MB"]))
        out.append("")
    if results["threads"]:
        rows = []
        for name, threads in results["threads"].items():
            rows.append([by_pack[name].label, f"{threads['factlint_1_mb_per_s']:.0f}",
                         f"{threads['factlint_2_mb_per_s']:.0f}",
                         f"**{threads['factlint_speedup']:.2f}×**", f"{threads['rg_speedup']:.2f}×"])
        out.append("Threads, largest text as 4 KB files (factlint: RAYON_NUM_THREADS; rg: -j):\n")
        out.append(format_table(rows, ["knowledge base", "factlint 1 thread MB/s",
                                       "factlint 2 threads MB/s", "factlint speed-up",
                                       "rg speed-up"]))
        out.append("")
    if results.get("near_miss"):
        out.append("Near-miss lookup cost as the knowledge base grows (cargo bench --bench near_miss):\n")
        out.append(results["near_miss"])
        out.append("")
    if results["corners"]:
        rows = []
        for corner in results["corners"]:
            seconds = (f"{corner['factlint_seconds']:.2f}" if corner["factlint_seconds"] is not None
                       else f"> {corner['timed_out_after']:.0f} (stopped)")
            rg_seconds = f"{corner['rg_seconds']:.2f}" if corner["rg_seconds"] is not None else "-"
            rate = (f"{corner['bytes'] / MB / corner['factlint_seconds']:.0f}"
                    if corner["factlint_seconds"] else "-")
            rows.append([corner["case"], f"{corner['bytes'] / MB:.1f}", seconds, rate,
                         f"{corner['factlint_rss_mb']:.0f}", rg_seconds])
        out.append("Corner cases (default pack unless named; linear means MB/s stays flat as the size grows):\n")
        out.append(format_table(rows, ["case", "MB", "factlint s", "factlint MB/s",
                                       "factlint RSS MB", "rg s"]))
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    main()
