-- Remote jobs are parked between short steps: run_after is the next check, poll_step the backoff reached,
-- upstream_slot marks a job counted against its provider's MaxInFlight from the moment it may be submitted (slot_at), and
-- signalled_at the last callback, so a callback that lands during a step is not lost when the step parks the job.
ALTER TABLE jobs
    ADD COLUMN upstream_slot boolean NOT NULL DEFAULT false,
    ADD COLUMN slot_at timestamptz NULL,
    ADD COLUMN poll_step int NOT NULL DEFAULT 0,
    ADD COLUMN signalled_at timestamptz NULL,
    ADD COLUMN upstream_canceled_at timestamptz NULL;
UPDATE jobs SET upstream_slot = true
WHERE provider <> 'local' AND upstream_submitted_at IS NOT NULL AND status IN ('queued', 'fetching', 'rendering', 'saving');

DROP INDEX jobs_due;
CREATE INDEX jobs_local_due ON jobs (run_after) WHERE provider = 'local' AND status IN ('queued', 'fetching', 'rendering', 'saving');
CREATE INDEX jobs_remote_due ON jobs (provider, run_after) WHERE provider <> 'local' AND status IN ('queued', 'fetching', 'rendering', 'saving');
CREATE INDEX jobs_remote_in_flight ON jobs (provider) WHERE upstream_slot AND status IN ('queued', 'fetching', 'rendering', 'saving');
-- Users take turns for places upstream: the one given a place longest ago goes first.
CREATE INDEX jobs_remote_slot_at ON jobs (provider, slot_at) WHERE slot_at IS NOT NULL;
CREATE INDEX jobs_upstream_cancel ON jobs (provider) WHERE status = 'canceled' AND upstream_id IS NOT NULL AND upstream_canceled_at IS NULL;

-- A user's active jobs, counted beside the hold under the same row lock, so admission never counts rows.
ALTER TABLE credit_accounts ADD COLUMN active_jobs int NOT NULL DEFAULT 0 CHECK (active_jobs >= 0);
UPDATE credit_accounts c SET active_jobs = (
    SELECT count(*) FROM jobs j WHERE j.user_id = c.user_id AND j.status IN ('queued', 'fetching', 'rendering', 'saving'));
DROP INDEX jobs_user_active;

-- Requests per second to each provider, shared by every instance: a token bucket refilled on each take.
CREATE TABLE provider_rate_buckets (
    provider    text PRIMARY KEY,
    tokens      double precision NOT NULL,
    last_taken  int NOT NULL DEFAULT 0,
    refilled_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
