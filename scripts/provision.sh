# Sourced by ./run and ./test: installs what is missing and starts a private PostgreSQL under .data/.
# Exports DATABASE_URL (unless already set) and REELGATE_ROOT. ./test also starts s3rver (start_s3rver).

REELGATE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REELGATE_ROOT
DATA_DIR="$REELGATE_ROOT/.data"
mkdir -p "$DATA_DIR"

log() { printf '\033[1;35m[reelgate]\033[0m %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root to run: $*"; return 1; fi
}

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

provision_packages() {
  # Chromium draws html, rich-text, svg and shape assets.
  local pkgs=(ffmpeg bubblewrap fonts-dejavu-core ca-certificates curl chromium)
  [ -z "${DATABASE_URL:-}" ] && pkgs+=(postgresql)
  # The build installs the web app's browser libraries with npm.
  command -v npm >/dev/null || pkgs+=(npm)
  apt_install "${pkgs[@]}" "$@"
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

# Runs a PostgreSQL tool as the cluster's owner (postgres when we are root).
pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
  if [ -n "${DATABASE_URL:-}" ]; then return 0; fi
  local bin pgdata sock port password
  bin="$(pg_bin)"
  pgdata="$DATA_DIR/pg"
  sock="$DATA_DIR/pgsock"
  port="${PG_PORT:-54329}"
  if [ ! -f "$DATA_DIR/pg-password" ]; then
    head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$DATA_DIR/pg-password"
  fi
  password="$(cat "$DATA_DIR/pg-password")"
  mkdir -p "$sock"
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$DATA_DIR" "$sock"; chmod 755 "$DATA_DIR"; fi
  if [ ! -f "$pgdata/PG_VERSION" ]; then
    log "creating PostgreSQL cluster in $pgdata"
    rm -rf "$pgdata"
    local pwfile="$DATA_DIR/pg-password.init"
    cp "$DATA_DIR/pg-password" "$pwfile"
    if [ "$(id -u)" -eq 0 ]; then mkdir -p "$pgdata"; chown postgres "$pgdata" "$pwfile"; fi
    pg_as_owner "$bin/initdb" -D "$pgdata" -U reelgate --pwfile="$pwfile" --auth-local=scram-sha-256 --auth-host=scram-sha-256 -E UTF8 >/dev/null
    rm -f "$pwfile"
    cat >> "$pgdata/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$sock'
max_connections = 500
shared_buffers = 256MB
fsync = ${PG_FSYNC:-on}
CONF
  fi
  if ! pg_as_owner "$bin/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
    log "starting PostgreSQL on 127.0.0.1:$port"
    pg_as_owner "$bin/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w -t 60 start >/dev/null
  fi
  export DATABASE_URL="postgres://reelgate:$password@127.0.0.1:$port/reelgate"
  if ! PGPASSWORD="$password" "$bin/psql" -h 127.0.0.1 -p "$port" -U reelgate -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='reelgate'" | grep -q 1; then
    PGPASSWORD="$password" "$bin/createdb" -h 127.0.0.1 -p "$port" -U reelgate reelgate
  fi
}

build_app() {
  log "building"
  dotnet build "$REELGATE_ROOT/src/Reelgate/Reelgate.csproj" -c Release --nologo -v q -clp:ErrorsOnly >&2
}

reelgate() { dotnet "$REELGATE_ROOT/src/Reelgate/bin/Release/net10.0/Reelgate.dll" "$@"; }

# Installs s3rver under .data/s3rver and starts it on 127.0.0.1 with one bucket and an emptied data folder, for tests
# against a real S3 API. S3RVER_PORT (the next free port from it), S3RVER_BUCKET and S3RVER_DATA override the defaults.
# Exports TEST_S3_ENDPOINT and TEST_S3_BUCKET; stop it with stop_s3rver.
start_s3rver() {
  local home="$DATA_DIR/s3rver" port="${S3RVER_PORT:-14568}" bucket="${S3RVER_BUCKET:-reelgate-test}"
  local data="${S3RVER_DATA:-$DATA_DIR/s3rver/data}" attempt
  if [ ! -x "$home/node_modules/.bin/s3rver" ]; then
    command -v npm >/dev/null || apt_install nodejs npm
    log "installing s3rver"
    mkdir -p "$home"
    npm install --prefix "$home" --no-save --no-audit --no-fund --no-package-lock --no-update-notifier --loglevel=error s3rver@3.7.1 >/dev/null
  fi
  # A port free when probed can still be taken before s3rver binds it; then the next one is tried.
  for attempt in $(seq 1 20); do
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    rm -rf "$data"
    mkdir -p "$data"
    "$home/node_modules/.bin/s3rver" -d "$data" -a 127.0.0.1 -p "$port" -s --configure-bucket "$bucket" >"$home/s3rver.log" 2>&1 &
    S3RVER_PID=$!
    for _ in $(seq 1 100); do
      (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
      kill -0 "$S3RVER_PID" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$S3RVER_PID" 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      export TEST_S3_ENDPOINT="http://127.0.0.1:$port" TEST_S3_BUCKET="$bucket"
      log "s3rver on $TEST_S3_ENDPOINT (bucket $bucket)"
      return 0
    fi
    stop_s3rver
    grep -q EADDRINUSE "$home/s3rver.log" || break
    port=$((port + 1))
  done
  cat "$home/s3rver.log" >&2
  log "s3rver did not start"
  return 1
}

stop_s3rver() {
  [ -n "${S3RVER_PID:-}" ] || return 0
  kill -TERM "$S3RVER_PID" 2>/dev/null || true
  wait "$S3RVER_PID" 2>/dev/null || true
  S3RVER_PID=""
}
