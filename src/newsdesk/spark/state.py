"""Continuing from an earlier run (`--state DIR`: the output folder of that run), as the store
continues from what it holds:

- a record whose id the earlier run read is not read again: running again on the same inputs
  adds nothing (the output is the earlier tables, unchanged);
- new records are numbered after the earlier run's last number; their verdicts are their own,
  but a copy of an earlier item (exact, near or paraphrase) points to that item's canonical
  item, and earlier verdicts never change;
- stories: those still open (no quiet gap of `story_quiet_days` before the newest new record;
  undated stories stay open) and those that an earlier item's new copy joins are clustered
  again together with the new items, as the store regroups its open stories when an ingest
  ends; a regrouped story keeps the id of the earlier story it shares most items with (when
  that story gave it most of its items), others are named after their smallest item id.
  Closed stories keep their rows;
- claims of new items are added; briefs are made again for regrouped stories only."""

from __future__ import annotations

from ..errors import NewsdeskError
from ..options import Options
from . import rows as R

_ISO = "yyyy-MM-dd'T'HH:mm:ssXXX"


class State:
    def __init__(self, spark, base: str, tables: dict, options: Options):
        self.spark, self.base, self.tables, self.options = spark, base, tables, options
        self.last_n = tables["items"].agg({"n": "max"}).first()[0] or 0
        self._newest: float | None = None  # the newest new record's time (seconds)
        self._open = None  # (story) of the earlier stories that are regrouped

    @classmethod
    def open(cls, spark, path: str, options: Options) -> State:
        from pyspark.sql import functions as F
        from pyspark.sql.utils import AnalysisException

        from ..embed import pile_embedder

        base = path.rstrip("/")
        tables = {}
        for name in ("items", "stories", "claims", "briefs"):
            try:
                tables[name] = spark.read.parquet(f"{base}/{name}")
            except AnalysisException:
                if name in ("items", "stories"):
                    raise NewsdeskError(f"{path} holds no {name} table: give --state the --output folder of an "
                                        "earlier spark run that wrote items and stories", code=2) from None
        if "english" not in tables["items"].columns:  # written before items had MiniLM vectors: none
            tables["items"] = tables["items"].withColumn("english", F.lit(None).cast("array<float>"))
        if "embedder" not in tables["items"].columns:  # written before the model was recorded: the
            # one its kept items' languages called for, as that run chose it
            used = tables["items"].where(F.col("status") == "used")
            chosen = pile_embedder([r[0] for r in used.select("language").distinct().collect()], options)
            tables["items"] = tables["items"].withColumn(
                "embedder", F.when(F.col("status") == "used", F.lit(chosen)).cast("string"))
        return cls(spark, base, tables, options)

    def embedder(self) -> str | None:
        """The model of the earlier vectors (None when no item was kept)."""
        from pyspark.sql import functions as F

        row = self.tables["items"].where(F.col("embedder").isNotNull()).select("embedder").first()
        return row[0] if row else None

    def language_counts(self) -> dict:
        """How many earlier canonical items are in each language (None: unknown)."""
        from pyspark.sql import functions as F

        used = self.tables["items"].where(F.col("status") == "used")
        return {r[0]: r[1] for r in used.groupBy("language").count().collect()}

    # ------------------------------------------------------------ the new records

    def new_only(self, items):
        """(the records whose id the earlier run did not read, numbered after it; how many were
        read before)."""
        from pyspark.sql import functions as F

        ids = self.tables["items"].select("id").distinct()
        seen = items.join(ids, "id", "left_semi").count()
        fresh = items.join(ids, "id", "left_anti").withColumn("n", F.col("n") + F.lit(self.last_n))
        self._newest = fresh.agg(F.max(F.unix_timestamp(F.to_timestamp("published")))).first()[0]
        return fresh.select(*R.ITEM_COLUMNS, "unreadable"), seen

    def copy_to(self, output: str, tables) -> str:
        base = output.rstrip("/")
        for name, frame in self.tables.items():
            if name in tables:
                frame.write.mode("overwrite").parquet(f"{base}/{name}")
        return base

    # ------------------------------------------------------------ what copies and paraphrases compare with

    def items(self):
        """The earlier records as item columns."""
        from pyspark.sql import functions as F

        t = self.tables["items"]
        return t.select("n", "id", "text", "title", "url", "source", F.date_format("published", _ISO).alias("published"),
                        "language", "origin", F.when(F.col("status") == "dropped", F.col("reason")).alias("junk_reason"),
                        "junk_spans", "truncated", "note").select(*R.ITEM_COLUMNS)

    def live(self):
        """(n, id, text, root) of the earlier live records (used or merged)."""
        from pyspark.sql import functions as F

        t = self.tables["items"]
        roots = t.select(F.col("id").alias("duplicate_of"), F.col("n").alias("root_n"))
        return t.where(F.col("status") != "dropped").join(roots, "duplicate_of", "left") \
            .select("n", "id", "text", F.coalesce("root_n", "n").alias("root"))

    def canonical(self, english: bool):
        """The earlier canonical items (used) with their vectors, as `vectors.embed` gives them;
        their MiniLM vectors (`english`) only when this run compares English pairs by MiniLM."""
        from pyspark.sql import functions as F

        used = self.tables["items"].where(F.col("status") == "used").select(
            "n", F.unix_micros("happened_from").cast("double").alias("first"),
            F.unix_micros("happened_to").cast("double").alias("last"), "vector",
            F.col("english") if english else F.lit(None).cast("array<float>").alias("english"))
        used = used.withColumn("first", F.col("first") / 1e6).withColumn("last", F.col("last") / 1e6)
        return self.items().join(used, "n")

    def canonical_roots(self):
        from pyspark.sql import functions as F

        return self.tables["items"].where(F.col("status") == "used").select(F.col("n").alias("node"), F.col("n").alias("root"))

    # ------------------------------------------------------------ stories

    def regrouped(self, heads, copy_rows):
        """(the heads to cluster: new ones and those of the stories to regroup; their copies),
        from every head and the new copies (n, root, how, id, source, published)."""
        from pyspark.sql import functions as F

        t = self.tables["items"]
        reopened = copy_rows.join(t.select(F.col("n").alias("root"), "story"), "root").select("story")
        self._open = self._open_stories().unionByName(reopened).distinct().localCheckpoint()
        earlier_heads = t.where(F.col("status") == "used").join(self._open, "story").select("n")
        new_heads = heads.join(t.select("n"), "n", "left_anti").select("n")
        heads = heads.join(earlier_heads.unionByName(new_heads), "n", "left_semi")
        roots = t.select(F.col("id").alias("duplicate_of"), F.col("n").alias("root"))
        earlier_copies = t.where(F.col("status").isin("merged", "translation")).join(roots, "duplicate_of") \
            .join(earlier_heads.withColumnRenamed("n", "root"), "root", "left_semi") \
            .select("n", "root", F.when(F.col("status") == "translation", "translation")
                    .otherwise(F.regexp_extract("reason", r"\((\w+)\)", 1)).alias("how"), "id", "source",
                    F.date_format("published", _ISO).alias("published"))
        return heads, copy_rows.unionByName(earlier_copies)

    def _open_stories(self):
        """(story) of the earlier stories still open when the newest new record was published
        (no quiet gap of `story_quiet_days` before it), and the undated ones; all of them when
        no new record has a date."""
        from pyspark.sql import functions as F

        stories = self.tables["stories"]
        if self._newest is not None:
            quiet = self._newest - self.options.story_quiet_days * 86400
            stories = stories.where(F.col("last_seen").isNull() | (F.unix_timestamp("last_seen") >= F.lit(quiet)))
        return stories.select(F.col("id").alias("story"))

    def named(self, grouped):
        """The regrouped stories named: the id of the earlier story they share most items with
        when that story gave them most of its items, else their smallest item id's story id."""
        from pyspark.sql import Window
        from pyspark.sql import functions as F

        from ..cluster import story_id

        t = self.tables["items"].select(F.col("n").alias("m"), F.col("story").alias("old"))
        shared = grouped.select("id", F.explode("items").alias("m")).join(t, "m").where(F.col("old").isNotNull()) \
            .groupBy("id", "old").count()
        best_old = Window.partitionBy("id").orderBy(F.desc("count"), "old")
        best_new = Window.partitionBy("old").orderBy(F.desc("count"), "id")
        kept = shared.withColumn("a", F.row_number().over(best_old)).withColumn("b", F.row_number().over(best_new)) \
            .where((F.col("a") == 1) & (F.col("b") == 1)).select("id", F.col("old").alias("kept"))
        taken = self.tables["stories"].select(F.col("id").alias("taken"))
        fresh = F.udf(lambda ids: story_id("group " + " ".join(sorted(ids))), "string")
        named = grouped.join(kept, "id", "left").join(taken, F.col("id") == F.col("taken"), "left")
        new_id = F.when(F.col("kept").isNotNull(), F.col("kept")) \
            .when(F.col("taken").isNotNull(), fresh("item_ids")).otherwise(F.col("id"))
        return named.withColumn("id", new_id).drop("kept", "taken")

    def with_closed(self, grouped):
        """Every story: the regrouped ones and the earlier ones left as they were."""
        from pyspark.sql import functions as F

        closed = self.tables["stories"].join(self._open.withColumnRenamed("story", "id"), "id", "left_anti")
        closed = closed.select("id", "label", "items", "item_ids", "angles", "sources", "origins",
                               F.date_format("first_seen", _ISO).alias("first_seen"),
                               F.date_format("last_seen", _ISO).alias("last_seen"))
        return grouped.unionByName(closed)

    def with_items(self, rows, every_story):
        """The new records' rows and the earlier ones, each with its story now."""
        from pyspark.sql import functions as F

        members = every_story.select("id", F.explode("items").alias("n")).select("n", F.col("id").alias("now"))
        earlier = self.tables["items"].join(members, "n", "left").withColumn("story", F.col("now")).drop("now")
        return earlier.select(*rows.columns).unionByName(rows)

    def with_claims(self, claims):
        return claims if "claims" not in self.tables else self.tables["claims"].unionByName(claims)

    def with_briefs(self, briefs, grouped):
        """The new briefs, and the earlier ones of stories left as they were."""
        if "briefs" not in self.tables:
            return briefs
        kept = self.tables["briefs"].join(self._open, "story", "left_anti") \
            .join(grouped.select("id").withColumnRenamed("id", "story"), "story", "left_anti")
        return kept.unionByName(briefs)

