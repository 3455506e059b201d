"""`newsdesk spark run` (the pipeline on Apache Spark, Parquet tables out) and `newsdesk spark
load` (those tables into a store that `newsdesk serve` browses)."""

from __future__ import annotations

import sys

from ..options import INPUT_FORMATS
from . import _util

TABLES = ("items", "stories", "claims", "briefs")


def add(commands) -> None:
    spark = commands.add_parser("spark", help="run the pipeline on Apache Spark (needs the spark extra and Java 17)",
                                description="Run the pipeline on Apache Spark: `newsdesk spark run` writes Parquet tables "
                                "(items, stories, claims, briefs); `newsdesk spark load` puts them into a store.")
    actions = spark.add_subparsers(dest="action", required=True, metavar="ACTION")

    run = actions.add_parser("run", help="read INPUT..., write the items, stories, claims and briefs tables under DIR",
                             description="Read INPUT... on Spark (files, folders or Hadoop URIs: file://, hdfs://, s3a://; "
                             "every format newsdesk reads, and Parquet) and write Parquet tables under --output.")
    run.add_argument("paths", nargs="+", metavar="INPUT", help=_util.PATH_HELP.replace("a URL, or - for standard input",
                                                                                       "or a Hadoop URI") + ", or Parquet")
    run.add_argument("--output", "-o", required=True, metavar="DIR", help="folder (or URI) for the tables")
    run.add_argument("--master", metavar="URL", help="Spark master: local[2], spark://HOST:7077, yarn... "
                     "(default: spark-submit's, else local[*])")
    run.add_argument("--partitions", type=_util.positive, metavar="N",
                     help="partitions of each shuffle (default: twice the cores; one per core for an input under 64 MB)")
    run.add_argument("--state", metavar="DIR", help="continue from the --output folder of an earlier run: only new "
                     "records are added, and they join its open stories")
    run.add_argument("--tables", default=",".join(TABLES), metavar="LIST",
                     help=f"which tables to write, comma-separated (default: {','.join(TABLES)})")
    run.add_argument("--errors", metavar="DIR", help="write the records that could not be read to DIR, as a Parquet table")
    run.add_argument("--strict", action="store_true", help="exit with status 3 when any record could not be read")
    _util.add_options_argument(run)
    group = run.add_argument_group("input")
    group.add_argument("--input-format", choices=INPUT_FORMATS, metavar="FORMAT",
                       help=f"read every INPUT as this format instead of detecting it: {', '.join(INPUT_FORMATS)} "
                       "(Parquet is recognised by its .parquet name)")
    group.add_argument("--field", action="append", metavar="ROLE=NAME",
                       help="the field or column holding text, title, url, source, published or language (repeatable)")
    run.set_defaults(run=run_job)

    load = actions.add_parser("load", help="put the tables of `newsdesk spark run` into a store (for newsdesk serve)",
                              description="Load the items and stories tables under DIR into a new store, with search "
                              "indexes, so that `newsdesk serve --db FILE` browses them.")
    load.add_argument("folder", metavar="DIR", help="the --output folder of `newsdesk spark run`")
    load.add_argument("--db", metavar="FILE", help=_util.DB_HELP)
    load.set_defaults(run=run_load)


def run_job(args) -> int:
    from ..errors import NewsdeskError
    from ..spark import run

    options = _util.options_from(args)
    tables = tuple(t.strip() for t in args.tables.split(",") if t.strip())
    unknown = sorted(set(tables) - set(TABLES))
    if unknown:
        raise NewsdeskError(f"unknown table(s) in --tables: {', '.join(unknown)} (choose from {', '.join(TABLES)})", code=2)
    summary = run(args.paths, args.output, options, master=args.master, partitions=args.partitions,
                  state=args.state, errors=args.errors, tables=tables)
    if summary.unreadable:
        hint = f" (listed in {args.errors})" if args.errors else " (--errors DIR lists them)"
        print(f"newsdesk: skipped {summary.unreadable} record(s) that could not be read{hint}", file=sys.stderr)
    print(summary.line(args.output))
    return 3 if args.strict and summary.unreadable else 0


def run_load(args) -> int:
    from ..spark.load import load

    path = _util.db_path(args)
    counts = load(args.folder, path)
    repeats = counts["seen"]
    seen = f"; {repeats:,} record{'s' if repeats != 1 else ''} read twice (the same id) loaded once" if repeats else ""
    print(f"{counts['items']:,} items and {counts['stories']:,} stories loaded into {path}{seen} "
          f"(browse them: newsdesk serve --db {path})")
    return 0
