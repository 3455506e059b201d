"""newsdesk on Apache Spark: the same stages, spread over a cluster (`newsdesk spark run`).

    from newsdesk.spark import run
    summary = run(["hdfs:///news/2024/"], "hdfs:///out/2024", Options(), master="yarn")

The job (:mod:`newsdesk.spark.job`) calls the functions of newsdesk in Spark tasks and writes
Parquet tables (items, stories, claims, briefs) whose rows have the JSON shapes of
`newsdesk stories`, `newsdesk claims` and `newsdesk brief`; :mod:`newsdesk.spark.load` puts
them into a store that `newsdesk serve` browses. Needs the `spark` extra (pyspark) and Java 17."""

from __future__ import annotations


def run(*args, **kwargs):
    """See :func:`newsdesk.spark.job.run`."""
    from .job import run as job_run

    return job_run(*args, **kwargs)
