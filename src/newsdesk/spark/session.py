"""The Spark session a job runs in: the user's cluster (spark-submit, --master) or local mode.

Local mode needs Java 17 (Debian: `apt-get install openjdk-17-jre-headless`) and binds to
127.0.0.1 (`SPARK_LOCAL_IP`) so that a laptop without a resolvable host name works. Every
Python task runs with `NEWSDESK_THREADS` set to its share of the cores (`spark.task.cpus`; in
local mode the cores over the task slots), so that ONNX Runtime, BLAS and spaCy in two tasks
on two cores do not each take both cores."""

from __future__ import annotations

import os
import re
import shutil
import sys
from contextlib import contextmanager

from ..errors import NewsdeskError

LOCAL = "local[*]"
"""The master when neither --master nor spark-submit names one."""
STATIC_PLAN_BYTES = 64 * 2**20
"""Inputs (with an earlier run's tables) smaller than this are planned without adaptive query
execution: AQE runs every shuffle as a job of its own and plans the query again after it (about
150 jobs instead of 45 on 850 items), and the shuffle partitions, twice the cores, leave it no
partitions to coalesce. Larger inputs keep the cluster's setting (AQE on by default: it evens
out skewed joins). Such inputs also get one shuffle partition per core (see planned_for)."""
LOCAL_JAVA_OPTIONS = "-XX:TieredStopAtLevel=1"
"""The JVM a local-mode session starts compiles with the quick JIT compiler (C1) only: on 8,253
items the optimising one (C2) took about half the JVM's CPU (24 of 51 s) compiling code that a
run of a minute or two hardly uses, on cores the Python workers need (benchmarks/
spark_throughput.py; docs/spark.md). Not set when spark.driver.extraJavaOptions is given."""
_JAVA_OPTIONS = "spark.driver.extraJavaOptions"
_ADAPTIVE = "spark.sql.adaptive.enabled"
_PARTITIONS = "spark.sql.shuffle.partitions"
_THREAD_VARIABLES = ("NEWSDESK_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def require_spark() -> None:
    """A one-line error when pyspark or Java is missing."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise NewsdeskError("the Spark path needs pyspark: pip install -e '.[spark]'", code=2) from None
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        raise NewsdeskError("Spark needs Java 17: install it (Debian: apt-get install openjdk-17-jre-headless) "
                            "or set JAVA_HOME", code=2)


def _task_threads(master: str, task_cpus: str | None) -> int:
    """Threads for one task's models: spark.task.cpus when set; in local mode, the machine's
    cores shared among the task slots (local[1] on two cores: two threads); else one."""
    if task_cpus:
        return int(task_cpus)
    local = re.fullmatch(r"local(?:\[(\d+|\*)(?:,\d+)?\])?", master)
    if not local:
        return 1
    cores = os.cpu_count() or 1
    slots = 1 if local.group(1) is None else cores if local.group(1) == "*" else int(local.group(1))
    return max(1, cores // max(1, slots))


def session(master: str | None = None, partitions: int | None = None, conf: dict[str, str] | None = None,
            app: str = "newsdesk"):
    """The active SparkSession, or a new one. `master` wins over spark-submit's; without either,
    local mode on every core. `partitions` sets the shuffle partitions (default: twice the
    cores of the cluster, at least 2); `conf` adds Spark settings."""
    require_spark()
    from pyspark import SparkConf
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None and master in (None, active.sparkContext.master):
        if partitions:
            active.conf.set("spark.sql.shuffle.partitions", str(partitions))
        return active
    given = SparkConf()
    master = master or given.get("spark.master", None) or LOCAL
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # the workers run this interpreter
    cpus = str(_task_threads(master, given.get("spark.task.cpus", None)))
    builder = (SparkSession.builder.appName(app).master(master)
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.sql.execution.arrow.pyspark.enabled", "true")
               .config("spark.ui.showConsoleProgress", "false")
               # Python tasks return whole batches; a batch of 1,024 items with their texts stays small.
               .config("spark.sql.execution.arrow.maxRecordsPerBatch", "1024"))
    for name in _THREAD_VARIABLES:
        builder = builder.config(f"spark.executorEnv.{name}", os.environ.get(name, cpus))
    if master.startswith("local") and not given.contains("spark.driver.memory"):
        # local mode: the driver is the executor too; Spark's 1 GB default runs out of heap on
        # a few thousand items with their texts (the plans of the join rounds add up)
        builder = builder.config("spark.driver.memory", "3g")
    if master.startswith("local") and not given.contains(_JAVA_OPTIONS) and _JAVA_OPTIONS not in (conf or {}):
        builder = builder.config(_JAVA_OPTIONS, LOCAL_JAVA_OPTIONS)
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    default = max(2, 2 * spark.sparkContext.defaultParallelism)
    spark.conf.set("spark.sql.shuffle.partitions", str(partitions or default))
    return spark


@contextmanager
def planned_for(spark, size: int, partitions: int | None = None):
    """While a run on `size` bytes of input runs, when that is under STATIC_PLAN_BYTES: AQE off
    (unless the user set it) and, unless `partitions` were asked for, one shuffle partition per
    core instead of two (a task of a few hundred items costs more to schedule than to run).
    The session's settings again afterwards."""
    if size >= STATIC_PLAN_BYTES:
        yield
        return
    changed = {}
    if not spark.sparkContext.getConf().contains(_ADAPTIVE):
        changed[_ADAPTIVE] = "false"
    if not partitions:
        changed[_PARTITIONS] = str(max(1, spark.sparkContext.defaultParallelism))
    before = {key: spark.conf.get(key) for key in changed}
    for key, value in changed.items():
        spark.conf.set(key, value)
    try:
        yield
    finally:
        for key, value in before.items():
            spark.conf.set(key, value)
