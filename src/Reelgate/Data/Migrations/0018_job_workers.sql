-- Worker processes beat here every few seconds. A job leased by a worker that stopped beating is taken over
-- before its lease runs out, so a killed process is noticed in seconds while a slow one keeps its long lease.
CREATE TABLE job_workers (
    id uuid PRIMARY KEY,
    host text NOT NULL,
    pid integer NOT NULL,
    started_at timestamptz NOT NULL DEFAULT now(),
    seen_at timestamptz NOT NULL DEFAULT now()
);
