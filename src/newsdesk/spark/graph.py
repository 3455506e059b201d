"""Connected components of a graph held as a DataFrame of edges, each named by its smallest
node: the union-find of newsdesk.dedup (whose roots are the smallest item numbers), spread
over the cluster.

Each round every node takes the smallest label among itself and its neighbours, then the label
of its label (pointer jumping), so a chain of copies settles in a few rounds rather than one
round per link. Duplicate graphs are mostly stars and short chains: three to five rounds."""

from __future__ import annotations

MAX_ROUNDS = 100


def components(edges, fixed=None):
    """DataFrame (node, root) for every node of `edges` (columns a, b: item numbers), root being
    the smallest node of its component. `fixed` (node, root), when given, pins those nodes to a
    root that never changes (items of an earlier run): a new node joins the smallest root it
    reaches, and two earlier components are never joined through new nodes."""
    from pyspark.sql import functions as F

    both = edges.select("a", "b").unionByName(edges.select(F.col("b").alias("a"), F.col("a").alias("b"))).distinct()
    both = both.localCheckpoint()
    if not both.limit(1).count():  # no edges (a pile without copies): skip the rounds, each a job
        return both.select(F.col("a").alias("node"), F.col("b").alias("root"))
    nodes = both.select(F.col("a").alias("node")).distinct()
    if fixed is not None:  # a pinned node's label is its root: it passes that on, and takes no other
        nodes = nodes.join(fixed.withColumnRenamed("root", "pinned"), "node", "left")
    else:
        nodes = nodes.withColumn("pinned", F.lit(None).cast("long"))
    label = nodes.select("node", "pinned", F.coalesce("pinned", "node").alias("root")).localCheckpoint()
    for _ in range(MAX_ROUNDS):
        smallest = both.join(label.select(F.col("node").alias("b"), F.col("root").alias("theirs")), "b") \
            .groupBy("a").agg(F.min("theirs").alias("theirs")).withColumnRenamed("a", "node")
        step = label.join(smallest, "node", "left").select(
            "node", "pinned", F.col("root").alias("before"),
            F.coalesce("pinned", F.least("root", F.coalesce("theirs", "root"))).alias("root"))
        jump = step.alias("s").join(step.select(F.col("node").alias("r"), F.col("root").alias("rr")),
                                    F.col("s.root") == F.col("r"), "left") \
            .select("node", "pinned", "before",
                    F.coalesce("pinned", F.least("root", F.coalesce("rr", "root"))).alias("root"))
        # each row keeps the root it had before the round, so whether the round changed anything
        # is read from the checkpointed rows: no second join with the previous labels, no shuffle
        jump = jump.localCheckpoint()
        label = jump.drop("before")
        if not jump.where(F.col("root") != F.col("before")).limit(1).count():
            return label.select("node", "root")
    raise RuntimeError(f"connected components did not settle in {MAX_ROUNDS} rounds")
