# Sourced by the setup scripts of the reference tests (tests/pm4py, tests/sql):
# `venv DIR` makes a Python venv in DIR unless there is one, installing Debian's
# python3-venv first when the machine lacks it.
venv() {
  if [ ! -x "$1/bin/python" ]; then
    if ! python3 -m venv "$1" 2>/dev/null; then
      apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
      python3 -m venv "$1"
    fi
  fi
}
