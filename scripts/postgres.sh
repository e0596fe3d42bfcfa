#!/usr/bin/env bash
# A throw-away PostgreSQL server for the storage tests, on 127.0.0.1 only.
#   scripts/postgres.sh start <dir> <port>   install Debian's postgresql if missing (as root),
#                                            initdb in <dir>/data, start, create database "eig"
#   scripts/postgres.sh pause <dir>          stop it, keeping <dir> ("start" resumes it)
#   scripts/postgres.sh stop <dir>           stop it and remove <dir>
# Connect with postgresql://eig@127.0.0.1:<port>/eig (trust authentication, loopback only).
# With POSTGRES_PASSWORD set (make run-cluster), the server is the cluster profile's:
# scram-sha-256 password authentication over TCP (the socket in <dir> stays private to
# the server's user), fsync and full page writes on; it prints postgresql://eig:<password>@127.0.0.1:<port>/eig.
# Exit status 3: PostgreSQL cannot be installed or started here (the tests then skip).
set -euo pipefail

action=${1:?usage: postgres.sh start|stop <dir> [<port>]}
dir=${2:?usage: postgres.sh start|stop <dir> [<port>]}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

# Run a server binary as an unprivileged user: postgres refuses to run as root.
as_owner() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
start)
	port=${3:?usage: postgres.sh start <dir> <port>}
	if [ -z "$(pg_bin)" ] || [ ! -x "$(pg_bin)/initdb" ]; then
		if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
			echo "PostgreSQL is not installed and cannot be installed here (needs root and apt-get)" >&2
			exit 3
		fi
		echo "Installing Debian's postgresql (apt-get)..." >&2
		if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql; } >&2; then
			echo "apt-get install postgresql failed" >&2
			exit 3
		fi
	fi
	bin=$(pg_bin)
	if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
		echo "no postgres user to run the server as" >&2
		exit 3
	fi
	mkdir -p "$dir"
	[ "$(id -u)" = 0 ] && chown postgres: "$dir" && chmod 700 "$dir"
	password=${POSTGRES_PASSWORD:-}
	if [ ! -f "$dir/data/PG_VERSION" ]; then
		if [ -n "$password" ]; then
			# The password reaches initdb through a file only the server's user reads.
			umask 077
			printf '%s\n' "$password" >"$dir/pwfile"
			[ "$(id -u)" = 0 ] && chown postgres: "$dir/pwfile"
			# TCP (loopback) wants the password; the socket in <dir> (mode 700) stays
			# for this script's createdb.
			auth=(--auth-host=scram-sha-256 --auth-local=trust --pwfile="$dir/pwfile")
		else
			auth=(-A trust --no-sync)
		fi
		as_owner "$bin/initdb" -D "$dir/data" -U eig "${auth[@]}" -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
			{ rm -f "$dir/pwfile"; cat "$dir/initdb.log" >&2; exit 3; }
		rm -f "$dir/pwfile"
	fi
	if [ -n "$password" ]; then
		# The cluster profile: durable writes, password required (initdb's scram-sha-256).
		options="-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=on -c full_page_writes=on -c password_encryption=scram-sha-256"
	else
		# Loopback only, socket in <dir>, no fsync: a test server.
		options="-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	fi
	as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 -o "$options" \
		start >/dev/null || { cat "$dir/server.log" >&2; exit 3; }
	as_owner "$bin/createdb" -h "$dir" -p "$port" -U eig eig 2>/dev/null || true
	if [ -n "$password" ]; then
		encoded=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$password")
		echo "postgresql://eig:$encoded@127.0.0.1:$port/eig"
	else
		echo "postgresql://eig@127.0.0.1:$port/eig"
	fi
	;;
pause)
	bin=$(pg_bin)
	as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
	;;
stop)
	bin=$(pg_bin)
	if [ -n "$bin" ] && [ -f "$dir/data/postmaster.pid" ]; then
		as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
	fi
	rm -rf "$dir"
	;;
*)
	echo "usage: postgres.sh start|pause|stop <dir> [<port>]" >&2
	exit 2
	;;
esac
