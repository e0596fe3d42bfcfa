#!/usr/bin/env bash
# A throw-away Redis server (the cluster's lock store), on 127.0.0.1 only.
#   scripts/redis.sh start <dir> <port>   install Debian's redis-server if missing (as root),
#                                         start it with its files in <dir>, wait for PING
#   scripts/redis.sh stop <dir>           stop it (by its pid) and remove <dir>
# Connect with redis://127.0.0.1:<port>/0. Nothing is persisted (no RDB, no AOF).
# Exit status 3: Redis cannot be installed here (the cluster tests then skip); 1: it is
# installed but did not start (the tests fail).
set -euo pipefail

action=${1:?usage: redis.sh start|stop <dir> [<port>]}
dir=${2:?usage: redis.sh start|stop <dir> [<port>]}

case "$action" in
start)
	port=${3:?usage: redis.sh start <dir> <port>}
	if ! command -v redis-server >/dev/null; then
		if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
			echo "redis-server is not installed and cannot be installed here (needs root and apt-get)" >&2
			exit 3
		fi
		echo "Installing Debian's redis-server (apt-get)..." >&2
		if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server; } >&2; then
			echo "apt-get install redis-server failed" >&2
			exit 3
		fi
	fi
	mkdir -p "$dir"
	redis-server --bind 127.0.0.1 --port "$port" --protected-mode yes --daemonize yes \
		--dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" \
		--save "" --appendonly no >/dev/null || { cat "$dir/redis.log" >&2 2>/dev/null; exit 1; }
	for _ in $(seq 50); do
		if redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; then
			echo "redis://127.0.0.1:$port/0"
			exit 0
		fi
		sleep 0.1
	done
	echo "redis-server did not answer on 127.0.0.1:$port" >&2
	cat "$dir/redis.log" >&2 2>/dev/null || true
	exit 1
	;;
stop)
	if [ -f "$dir/redis.pid" ]; then
		pid=$(cat "$dir/redis.pid")
		kill "$pid" 2>/dev/null || true
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	fi
	rm -rf "$dir"
	;;
*)
	echo "usage: redis.sh start|stop <dir> [<port>]" >&2
	exit 2
	;;
esac
