"""The Spark job: `run(inputs, output, options)` wires the stages, each a function of
newsdesk called in tasks; and the spark-submit entry:

    spark-submit [spark options] src/newsdesk/spark/job.py run INPUT... --output DIR [...]
    python -m newsdesk.spark run INPUT... --output DIR [...]     # the same, local mode by default

(the arguments of `newsdesk spark`). Stages, in order:

1. read in partitions, numbered as the CLI numbers them (newsdesk.spark.read);
2. verdicts, then exact and near copies (newsdesk.spark.prepare);
3. embeddings of the canonical items (`mapInPandas`), embedding neighbourhoods (k-means), and
   paraphrases within them (newsdesk.spark.vectors);
4. stories in blocks (newsdesk.spark.stories);
5. the tables: items, stories, claims (in partitions), briefs (per story), written as Parquet
   under the output folder by Spark's commit protocol, so that a task that fails and is retried
   writes its rows once (every task computes the same rows from the same input: seeded, sorted).

Nothing collects items or vectors on the driver: it holds the file list, one count per input
unit, the k-means centroids and the counts it prints."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field

from ..embed import TO_MINILM_SCALE
from ..errors import NewsdeskError
from ..options import Options
from . import outputs, prepare, read, stories, vectors
from . import rows as R
from .state import State


@dataclass
class Summary:
    """What a run did: counts of records by status, stories, claims, briefs, and the tables
    written."""

    records: int = 0
    used: int = 0
    merged: int = 0
    dropped: int = 0
    unreadable: int = 0
    seen: int = 0
    stories: int = 0
    claims: int = 0
    briefs: int = 0
    tables: list[str] = field(default_factory=list)

    def line(self, output: str) -> str:
        parts = [f"{self.records:,} records: {self.used:,} used, {self.merged:,} merged, {self.dropped:,} dropped"]
        if self.unreadable:
            parts.append(f"{self.unreadable:,} could not be read")
        if self.seen:
            parts.append(f"{self.seen:,} already in the state")
        parts.append(f"{self.stories:,} stories, {self.claims:,} claims, {self.briefs:,} briefs")
        return "; ".join(parts) + f" -> {output}"


def run(inputs: list[str], output: str, options: Options | None = None, *, spark=None, master: str | None = None,
        partitions: int | None = None, state: str | None = None, errors: str | None = None,
        tables: tuple[str, ...] = outputs.TABLES) -> Summary:
    """Run the pipeline on `inputs` (files, folders, URIs) and write the Parquet tables under
    `output`. `state`: the output folder of an earlier run to continue from (newsdesk.spark.state);
    `errors`: a folder for the table of records that could not be read."""
    from .session import planned_for, session

    options = options or Options()
    unknown = sorted(set(tables) - set(outputs.TABLES))
    if unknown:
        raise NewsdeskError(f"unknown table(s) {', '.join(unknown)}: choose from {', '.join(outputs.TABLES)}", code=2)
    if state and _same(state, output):
        raise NewsdeskError("--state and --output must be different folders (the state is read while the output "
                            "is written)", code=2)
    spark = spark or session(master, partitions)
    try:
        listed = read.list_inputs(spark, inputs, options)  # listed once: it sizes the plan and is read
        size = sum(i.size for i in listed) + (read.folder_bytes(spark, state) if state else 0)
        with planned_for(spark, size, partitions):
            return _run(spark, listed, output, options, state, errors, tables)
    except Exception as exc:
        raise _one_line(exc) from None
    finally:
        spark.catalog.clearCache()


def _run(spark, inputs: list[read.Input], output, options, state, errors, tables) -> Summary:
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    keep = StorageLevel.MEMORY_AND_DISK
    now = time.time()  # the `now` of newsdesk.timing: when an undated item was received
    earlier = State.open(spark, state, options) if state else None
    items = read.read_items(spark, inputs, options)
    if errors:
        read.errors_table(items).write.mode("overwrite").parquet(errors)
    summary = Summary()
    if earlier is not None:
        items, summary.seen = earlier.new_only(items)
    judged = prepare.judge(items, options).persist(keep)
    summary.unreadable = judged.where(F.col("unreadable")).count()
    if earlier is not None and not judged.limit(1).count():  # every record was read before
        return count(spark, earlier.copy_to(output, tables), summary, tables)

    # copies by text (exact, near); the canonical items' vectors; paraphrases
    found = prepare.copies(judged, options, earlier.live() if earlier else None).persist(keep)
    canonical = judged.where(F.col("junk_reason").isNull()).join(found.select("n"), "n", "left_anti")
    base = output.rstrip("/")
    if set(tables) == {"claims"}:  # the claims table alone: no vectors, no stories (they need neither)
        claims = outputs.claims_table(canonical, options)
        (earlier.with_claims(claims) if earlier is not None else claims).write.mode("overwrite").parquet(f"{base}/claims")
        return count(spark, base, summary, tables)
    embedder, english = _pile_embedders(canonical, options, earlier)
    # read three times (both sides of the embeddings' join, the items table): persisted, its
    # Python pass (dates in the texts) runs once
    happened = prepare.spans(judged, now).persist(keep)
    embedded = vectors.embed(canonical.select(*R.ITEM_COLUMNS).join(happened, "n"), embedder, english)
    if earlier is not None:
        embedded = embedded.unionByName(earlier.canonical(english is not None))
    embedded = embedded.persist(keep)
    centres, windows = _blocking(embedded, options)
    placed = vectors.assign(embedded, centres).persist(keep)
    scale = TO_MINILM_SCALE.get(embedder)
    # checkpointed, not only persisted: the plans of the component rounds and (with --state) of
    # the joins with the earlier tables otherwise grow until printing them fills the driver's heap
    copies = _paraphrases(placed, found, options, earlier, scale).localCheckpoint()

    # stories (with an earlier run: the new items and the open stories' items, regrouped)
    heads = placed.join(copies.select("n"), "n", "left_anti")
    copy_rows = copies.join(judged.select("n", "id", "source", "published"), "n")
    if earlier is not None:
        heads, copy_rows = earlier.regrouped(heads, copy_rows)
        heads, copy_rows = heads.localCheckpoint(), copy_rows.localCheckpoint()
    grouped = stories.group_stories(heads, copy_rows, options, centres, windows, scale)
    if earlier is not None:
        grouped = earlier.named(grouped)
    grouped = grouped.localCheckpoint()
    every_story = earlier.with_closed(grouped) if earlier is not None else grouped

    tables_out = {}
    if "items" in tables:
        rows = outputs.items_table(judged.join(happened, "n"), copies, every_story, placed, embedder)
        tables_out["items"] = earlier.with_items(rows, every_story) if earlier is not None else rows
    if "stories" in tables:
        tables_out["stories"] = outputs.stories_table(every_story)
    if "claims" in tables:
        claims = outputs.claims_table(canonical, options)
        tables_out["claims"] = earlier.with_claims(claims) if earlier is not None else claims
    if "briefs" in tables:
        members = judged.select(*R.ITEM_COLUMNS)
        if earlier is not None:
            members = members.unionByName(earlier.items())
        briefs = outputs.briefs_table(members, grouped, options)
        tables_out["briefs"] = earlier.with_briefs(briefs, grouped) if earlier is not None else briefs
    for name in outputs.TABLES:
        if name in tables_out:
            tables_out[name].write.mode("overwrite").parquet(f"{base}/{name}")
    return count(spark, base, summary, tables)


def _same(a: str, b: str) -> bool:
    from pathlib import Path

    if "://" in a or "://" in b:
        return a.rstrip("/") == b.rstrip("/")
    return Path(a).resolve() == Path(b).resolve()


def _pile_embedders(canonical, options: Options, earlier: State | None) -> tuple[str, str | None]:
    """The embedder of the whole pile and the one its English items are also embedded by, or
    None: MiniLM in a mostly English pile on the multilingual model (newsdesk.cluster.
    compares_english_by_minilm). The pile's embedder is an earlier run's (its vectors are compared
    with the new ones, as a store keeps the embedder of its first ingest), else the one the
    canonical items' languages call for (newsdesk.embed.pile_embedder); the English share is
    that of the new and the earlier canonical items. The driver sees one count per language."""
    from collections import Counter

    from ..cluster import compares_english_by_minilm
    from ..embed import pile_embedder

    counts = Counter({r[0]: r[1] for r in canonical.groupBy("language").count().collect()})
    embedder = None
    if earlier is not None:
        counts.update(earlier.language_counts())
        embedder = earlier.embedder()
    embedder = embedder or pile_embedder(list(counts), options)
    english = counts[None] + counts["en"]
    return embedder, options.embedder if compares_english_by_minilm(english, sum(counts.values()), embedder,
                                                                    options) else None


def _blocking(embedded, options: Options):
    """(k-means centroids or None, whether items are blocked by time window): one block when the
    canonical items fit in one, else enough centroids for the largest time window."""
    from pyspark.sql import functions as F

    total = embedded.count()
    if total <= options.story_block_size:
        return None, False
    day = F.floor(F.col("last") / 86400.0 / stories.WINDOW_DAYS)
    largest = embedded.groupBy(day.alias("window")).count().agg(F.max("count")).first()[0]
    k = vectors.blocks_needed(largest, options.story_block_size)
    return (vectors.centroids(embedded, k, options.seed) if k > 1 else None), True


def _paraphrases(placed, found, options: Options, earlier, scale):
    """Every copy with its final root: paraphrase groups (named by their smallest item) take in
    the copies of their members; a member in another language than its group's item that was
    found as a translation is a "translation" (newsdesk.prepare.merge_paraphrases)."""
    from pyspark.sql import functions as F

    from .graph import components

    pairs = vectors.paraphrases(placed, options, scale)
    fixed = earlier.canonical_roots() if earlier is not None else None
    if fixed is not None:
        new = placed.join(fixed.select(F.col("node").alias("n")), "n", "left_anti").select("n")
        pairs = pairs.join(new.withColumnRenamed("n", "a"), "a", "left_semi").unionByName(
            pairs.join(new.withColumnRenamed("n", "b"), "b", "left_semi")).distinct()
    translated = pairs.where(F.col("how") == "translation")
    translated = translated.select(F.col("a").alias("n")).unionByName(translated.select(F.col("b").alias("n"))) \
        .distinct().withColumn("translated", F.lit(True))
    language = placed.select("n", F.coalesce("language", F.lit("en")).alias("language"))
    merged = components(pairs, fixed).where(F.col("node") != F.col("root")) \
        .select(F.col("node").alias("n"), "root")
    if fixed is not None:
        merged = merged.join(fixed.select(F.col("node").alias("n")), "n", "left_anti")
    merged = merged.join(translated, "n", "left").join(language, "n") \
        .join(language.select(F.col("n").alias("root"), F.col("language").alias("root_language")), "root") \
        .select("n", "root", F.when(F.col("translated") & (F.col("language") != F.col("root_language")),
                                    "translation").otherwise("semantic").alias("how"))
    moved = merged.select(F.col("n").alias("old"), F.col("root").alias("new"))
    repointed = found.join(moved, found.root == moved.old, "left") \
        .select("n", F.coalesce("new", "root").alias("root"), "how")
    return repointed.unionByName(merged)


def count(spark, base: str, summary: Summary, tables) -> Summary:
    """The summary's counts, read back from the tables written under `base`."""
    for name in outputs.TABLES:
        if name not in tables:
            continue
        frame = spark.read.parquet(f"{base}/{name}")
        summary.tables.append(name)
        if name == "items":
            for row in frame.groupBy("status").count().collect():
                setattr(summary, row["status"], row["count"])
            summary.records = summary.used + summary.merged + summary.dropped
        else:
            setattr(summary, name, frame.count())
    return summary


def _one_line(exc: Exception) -> Exception:
    """A NewsdeskError raised in a task reaches the driver inside Spark's exception: say its
    message alone. Anything else stays as it is."""
    if isinstance(exc, NewsdeskError):
        return exc
    text = str(exc)
    marker = "NewsdeskError: "
    if marker in text:
        message = text[text.rindex(marker) + len(marker):].strip().splitlines()[0]
        return NewsdeskError(message, code=2)
    return exc


def main(argv: list[str] | None = None) -> int:
    """The spark-submit entry: the arguments of `newsdesk spark` (run, load)."""
    from ..cli import main as cli_main

    return cli_main(["spark", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
