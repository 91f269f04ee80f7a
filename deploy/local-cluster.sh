#!/usr/bin/env bash
# A Dask scheduler and N workers on this machine, without containers: for a first try,
# or for a big machine. Stop them with Ctrl-C.
#
#   deploy/local-cluster.sh 2            # 2 workers, one thread each
#   listen render articles/ --cluster tcp://127.0.0.1:8786
#
# On other machines, start workers the same way with the scheduler's address:
#   dask worker tcp://SCHEDULER-HOST:8786 --nworkers auto --nthreads 1
set -euo pipefail
workers="${1:-2}"
port="${LISTEN_SCHEDULER_PORT:-8786}"
trap 'kill 0' EXIT INT TERM
dask scheduler --host 127.0.0.1 --port "$port" --no-dashboard &
for _ in $(seq "$workers"); do
  dask worker "tcp://127.0.0.1:$port" --nthreads 1 --no-dashboard --death-timeout 30 &
done
wait
