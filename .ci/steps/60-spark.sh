#!/usr/bin/env bash
# The report on Apache Spark (issue 13): PySpark in local[2] mode on Debian's JVM
# (default-jre-headless, installed by .ci/system-packages), equal to the polars engine on every
# number of the report and every per-dossier class, and `mot-cua report --engine spark`.
# One SparkSession for the module, 8,000 generated records: about two minutes.
set -euo pipefail
cd "$(dirname "$0")/../.."
test -x /usr/bin/java || { echo "java is missing: bash .ci/system-packages" >&2; exit 1; }
export JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f /usr/bin/java)")")}"
export PYSPARK_PYTHON="$PWD/.venv/bin/python"
export PYSPARK_DRIVER_PYTHON="$PWD/.venv/bin/python"
.venv/bin/python -m pytest -m spark tests/test_spark.py -q
