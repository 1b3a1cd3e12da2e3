# Sourced by ./test: the n8n runtime, and a Reelgate served as a process for the tests of the clients in
# integrations/, which reach it only over HTTP. npm installs are kept under .data/ so a second run reuses them.

# n8n 2.8.4 (the newest that runs on Node 20) under .data/n8n; its xlsx dependency points at a host we cannot
# reach, hence the override. Exports N8N_BIN.
install_n8n() {
  local home="$DATA_DIR/n8n"
  if [ ! -x "$home/node_modules/.bin/n8n" ]; then
    log "installing n8n 2.8.4 (takes several minutes, once)"
    mkdir -p "$home"
    cat > "$home/package.json" <<'JSON'
{ "name": "reelgate-n8n-runtime", "private": true, "dependencies": { "n8n": "2.8.4" }, "overrides": { "xlsx": "0.18.5" } }
JSON
    npm install --prefix "$home" --no-audit --no-fund --loglevel=error --cache "$DATA_DIR/npm-cache" >/dev/null
  fi
  export N8N_BIN="$home/node_modules/.bin/n8n"
}

# Builds the n8n community node with its locked dependencies.
build_n8n_node() {
  local dir="$REELGATE_ROOT/integrations/n8n-nodes-reelgate"
  if [ ! -d "$dir/node_modules/n8n-workflow" ]; then
    npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error --cache "$DATA_DIR/npm-cache" >/dev/null
  fi
  npm run --prefix "$dir" --silent build
}

# Serves the built app on a free port against a fresh database of its own, with a user holding 100 credits.
# Exports REELGATE_URL and REELGATE_API_KEY; stop it with stop_integration_app.
start_integration_app() {
  local database="reelgate_integrations" home="$DATA_DIR/integration" port=18480 url
  url="${TEST_DATABASE_URL%/*}/$database"
  "$(pg_bin)/psql" "$TEST_DATABASE_URL" -qX -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" -c "CREATE DATABASE $database" >/dev/null
  rm -rf "$home"
  mkdir -p "$home"
  DATABASE_URL="$url" reelgate migrate >/dev/null
  DATABASE_URL="$url" reelgate admin create-user --email clients@reelgate.test --password "integration password" --credits 100 >/dev/null
  REELGATE_API_KEY="$(DATABASE_URL="$url" reelgate admin create-key --email clients@reelgate.test --name integrations)"
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  # exec, so the pid is the app's own and stop_integration_app ends it.
  (exec env DATABASE_URL="$url" HOST=127.0.0.1 PORT="$port" BILLING_ALLOW_SANDBOX=true Fetch__AllowPrivateNetworks=true Rendering__Preset=ultrafast \
    DataProtection__KeysPath="$home/keys" Storage__LocalPath="$home/storage" Jobs__WorkDirectory="$home/work" \
    Logging__LogLevel__Default=Warning dotnet "$REELGATE_ROOT/src/Reelgate/bin/Release/net10.0/Reelgate.dll" serve >"$home/app.log" 2>&1) &
  INTEGRATION_APP_PID=$!
  export REELGATE_URL="http://127.0.0.1:$port" REELGATE_API_KEY
  for _ in $(seq 1 600); do
    curl -fs "$REELGATE_URL/health/live" >/dev/null 2>&1 && { log "Reelgate for the integrations on $REELGATE_URL"; return 0; }
    kill -0 "$INTEGRATION_APP_PID" 2>/dev/null || break
    sleep 0.1
  done
  cat "$home/app.log" >&2
  log "Reelgate for the integrations did not start"
  return 1
}

stop_integration_app() {
  [ -n "${INTEGRATION_APP_PID:-}" ] || return 0
  kill -TERM "$INTEGRATION_APP_PID" 2>/dev/null || true
  wait "$INTEGRATION_APP_PID" 2>/dev/null || true
  INTEGRATION_APP_PID=""
}
