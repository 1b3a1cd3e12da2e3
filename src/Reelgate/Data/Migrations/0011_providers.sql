-- Jobs run on an upstream provider (Shotstack, Runway, RunPod). The upstream id is written before any later step,
-- and upstream_submitted_at before the submit request leaves, so a resumed job knows a submit may already exist.
ALTER TABLE jobs
    ADD COLUMN upstream_id            text NULL,
    ADD COLUMN upstream_status        text NULL,
    ADD COLUMN upstream_submitted_at  timestamptz NULL,
    ADD COLUMN callback_token_hash    bytea NULL;

CREATE UNIQUE INDEX jobs_upstream ON jobs (provider, upstream_id) WHERE upstream_id IS NOT NULL;
