CREATE TABLE jobs (
    id                uuid PRIMARY KEY,
    user_id           uuid NOT NULL REFERENCES users (id),
    kind              text NOT NULL CHECK (kind IN ('render', 'generation', 'assembly')),
    status            text NOT NULL CHECK (status IN ('queued', 'fetching', 'rendering', 'saving', 'done', 'failed', 'canceled')),
    progress          real NOT NULL DEFAULT 0,
    provider          text NOT NULL DEFAULT 'local',
    request           jsonb NOT NULL,
    quote             numeric(18,2) NOT NULL,
    duration          double precision NULL,
    error_code        text NULL,
    error_message     text NULL,
    attempts          int NOT NULL DEFAULT 0,
    max_attempts      int NOT NULL DEFAULT 3,
    run_after         timestamptz NOT NULL DEFAULT now(),
    lease_owner       uuid NULL,
    lease_until       timestamptz NULL,
    callback_url      text NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    completed_at      timestamptz NULL
);
CREATE INDEX jobs_due ON jobs (run_after) WHERE status IN ('queued', 'fetching', 'rendering', 'saving');
CREATE INDEX jobs_user ON jobs (user_id, id DESC);

CREATE TABLE job_events (
    id       bigserial PRIMARY KEY,
    job_id   uuid NOT NULL REFERENCES jobs (id),
    at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    status   text NOT NULL,
    message  text NOT NULL
);
CREATE INDEX job_events_job ON job_events (job_id, id);

CREATE TABLE job_outputs (
    job_id        uuid NOT NULL REFERENCES jobs (id),
    kind          text NOT NULL CHECK (kind IN ('video', 'image', 'audio', 'poster', 'thumbnail')),
    storage_key   text NOT NULL,
    content_type  text NOT NULL,
    length        bigint NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, kind)
);
