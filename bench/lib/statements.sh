# Sourced by benches: with BENCH_PG_STATEMENTS=1, the SQL statements run during the measurement, from
# pg_stat_statements, which the PostgreSQL server must preload (shared_preload_libraries = 'pg_stat_statements'); planning
# times are 0 unless it also has pg_stat_statements.track_planning = on.
#   statements_start URL             create the extension in the bench's database and reset the counters
#   statements_report URL JOBS       print the statements by total time, with calls per job, and the row writes per table

statements_enabled() { [ "${BENCH_PG_STATEMENTS:-0}" = 1 ]; }

statements_start() {
  statements_enabled || return 0
  local url="$1"
  if ! "$psql_bin" "$url" -qAtc "SHOW shared_preload_libraries" | grep -q pg_stat_statements; then
    log "BENCH_PG_STATEMENTS=1 but the server does not preload pg_stat_statements; not counting statements"
    BENCH_PG_STATEMENTS=0
    return 0
  fi
  "$psql_bin" "$url" -qAt -c "SET client_min_messages = warning" -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" \
    -c "SELECT pg_stat_statements_reset()" >/dev/null
}

statements_report() {
  statements_enabled || return 0
  local url="$1" jobs="$2"
  printf '\nSQL statements in the bench database (pg_stat_statements, top-level and nested), per job of %s:\n' "$jobs"
  "$psql_bin" "$url" -q -P pager=off -P footer=off -v jobs="$jobs" <<'SQL'
\pset format aligned
WITH s AS (
    SELECT * FROM pg_stat_statements
    WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND query NOT LIKE '%pg_stat_statements%')
SELECT round(sum(calls)::numeric / :jobs, 1) AS "calls/job", round((sum(total_exec_time) / :jobs)::numeric, 3) AS "ms/job",
       round((sum(total_plan_time) / :jobs)::numeric, 3) AS "plan ms/job",
       sum(calls) AS calls, round(sum(total_exec_time)::numeric) AS "total ms", 'all statements' AS query
FROM s
UNION ALL
(SELECT round(calls::numeric / :jobs, 2), round((total_exec_time / :jobs)::numeric, 3), round((total_plan_time / :jobs)::numeric, 3),
        calls, round(total_exec_time::numeric),
        left(regexp_replace(query, '\s+', ' ', 'g'), 150)
 FROM s ORDER BY total_exec_time DESC LIMIT 30);
SQL
  printf '\nRow writes per job in the bench database (HOT: updates that rewrote no index entry), and the automatic analyzes and\nvacuums of each table since the database was created (an analyze makes every session plan its statements on that table again):\n'
  "$psql_bin" "$url" -q -P pager=off -P footer=off -v jobs="$jobs" <<'SQL'
SELECT relname AS "table", round(n_tup_ins::numeric / :jobs, 2) AS "inserts/job", round(n_tup_upd::numeric / :jobs, 2) AS "updates/job",
       round(n_tup_hot_upd::numeric / :jobs, 2) AS "HOT/job", (SELECT count(*) FROM pg_index i WHERE i.indrelid = t.relid) AS indexes,
       autoanalyze_count AS autoanalyzes, autovacuum_count AS autovacuums
FROM pg_stat_user_tables t WHERE n_tup_ins + n_tup_upd > 0 ORDER BY n_tup_ins + n_tup_upd DESC;
SQL
}
