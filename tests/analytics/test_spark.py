"""The same Ibis definitions on Spark (PySpark local mode) and on DuckDB give identical results.

One session-scoped SparkSession (start-up takes about 20 s); needs Java 17 and pyspark (dev group).
"""

from __future__ import annotations

import pytest

from pimh.analytics import engine
from pimh.analytics.indicators import DIMENSIONS, Settings, parse_quarter
from pimh.analytics.synth import synthesise

pytestmark = [
    pytest.mark.spark,
    # pyspark 4.0's toPandas still passes pandas 3's deprecated copy keyword, and py4j leaves its
    # gateway socket to the garbage collector: library matters, limited to this module.
    pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]

BREAKDOWNS = [[], *[[name] for name in DIMENSIONS], ["local_authority", "imd_quintile"]]


@pytest.fixture(scope="session")
def spark():
    pyspark_sql = pytest.importorskip("pyspark.sql")
    session = (
        pyspark_sql.SparkSession.builder.master("local[2]")
        .appName("pimh-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def national(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synth20k")
    synthesise(folder, children=20_000, seed=11)
    return folder


def results(source):
    units = engine.all_units(source, parse_quarter("FY2026Q1"), Settings()).cache()
    found = {}
    for by in BREAKDOWNS:
        for row in engine.aggregate(units, by):
            found[(row["code"], *[(name, row[name]) for name in by])] = (row["num"], row["den"], row["aux"])
    return found


def results_in_one_pass(source):
    """What the indicator pack uses: every breakdown at once (GROUPING SETS on DuckDB)."""
    units = engine.all_units(source, parse_quarter("FY2026Q1"), Settings())
    found = {}
    for by, rows in zip(BREAKDOWNS, engine.aggregate_many(units, BREAKDOWNS), strict=True):
        for row in rows:
            found[(row["code"], *[(name, row[name]) for name in by])] = (row["num"], row["den"], row["aux"])
    return found


def test_spark_and_duckdb_give_identical_results(spark, national):
    on_duckdb = results(engine.open_snapshot(national, "duckdb"))
    on_spark = results(engine.open_snapshot(national, "spark", spark=spark))
    assert len(on_duckdb) > 1000
    assert on_spark == on_duckdb
    assert results_in_one_pass(engine.open_snapshot(national, "duckdb")) == on_spark
