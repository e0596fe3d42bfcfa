#!/usr/bin/env bash
# A throw-away nginx (the cluster's load balancer), on 127.0.0.1 only.
#   scripts/nginx.sh start <dir>   install Debian's nginx if missing (as root), check and
#                                  start <dir>/nginx.conf with <dir> as its prefix (pid, logs,
#                                  temporary files all inside <dir>)
#   scripts/nginx.sh stop <dir>    stop it gracefully (by its pid) and remove <dir>
# The configuration is written by `python -m bot cluster` (bot/ops/nginx_conf.py).
# Exit status 3: nginx cannot be installed here (the cluster tests then skip); 1: it is
# installed but did not start (the tests fail).
set -euo pipefail

action=${1:?usage: nginx.sh start|stop <dir>}
dir=${2:?usage: nginx.sh start|stop <dir>}

nginx_bin() { command -v nginx || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true; }

case "$action" in
start)
	[ -f "$dir/nginx.conf" ] || { echo "no $dir/nginx.conf" >&2; exit 2; }
	if [ -z "$(nginx_bin)" ]; then
		if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
			echo "nginx is not installed and cannot be installed here (needs root and apt-get)" >&2
			exit 3
		fi
		echo "Installing Debian's nginx (apt-get)..." >&2
		if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx; } >&2; then
			echo "apt-get install nginx failed" >&2
			exit 3
		fi
	fi
	bin=$(nginx_bin)
	mkdir -p "$dir/tmp" "$dir/logs"
	# Run as root, nginx's workers drop to "nobody": they write only their temporary files.
	[ "$(id -u)" = 0 ] && chown nobody "$dir/tmp"
	"$bin" -t -q -p "$dir" -c "$dir/nginx.conf" -e "$dir/logs/error.log" ||
		{ echo "nginx rejected $dir/nginx.conf" >&2; exit 1; }
	"$bin" -p "$dir" -c "$dir/nginx.conf" -e "$dir/logs/error.log" ||
		{ cat "$dir/logs/error.log" >&2 2>/dev/null; exit 1; }
	for _ in $(seq 50); do [ -s "$dir/nginx.pid" ] && exit 0; sleep 0.1; done
	echo "nginx did not write its pid file" >&2
	exit 1
	;;
stop)
	if [ -s "$dir/nginx.pid" ]; then
		pid=$(cat "$dir/nginx.pid")
		kill -QUIT "$pid" 2>/dev/null || true
		for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$pid" 2>/dev/null || true
	fi
	rm -rf "$dir"
	;;
*)
	echo "usage: nginx.sh start|stop <dir>" >&2
	exit 2
	;;
esac
