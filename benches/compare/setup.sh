#!/usr/bin/env bash
# Installs polars, pandas and pyarrow (pinned, from PyPI) into target/comparevenv for the
# comparison harness (benches/compare/run.sh, issue 17 point 7). Not used by the tests.
# Idempotent: a venv with the pinned versions is kept as it is.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/venv.sh
out=target/comparevenv
POLARS=2.1.0
PANDAS=3.1.1
PYARROW=26.0.1
PYYAML=6.0.3
venv "$out"
want="polars==$POLARS pandas==$PANDAS pyarrow==$PYARROW pyyaml==$PYYAML"
if ! "$out/bin/python" - "$want" <<'EOF' 2>/dev/null
import sys
from importlib.metadata import version
sys.exit(any(version(p.split("==")[0]) != p.split("==")[1] for p in sys.argv[1].split()))
EOF
then
  # shellcheck disable=SC2086  # one argument per package
  "$out/bin/pip" install -q --disable-pip-version-check $want
fi
echo "polars $POLARS, pandas $PANDAS, pyarrow $PYARROW ready in $out"
