-- Shotstack-format callbacks owed to an Edit's `callback` URL. A row is written in the transaction that makes
-- its job final, so a job never ends without its callback being owed.
CREATE TABLE shotstack_callbacks (
    id               bigserial PRIMARY KEY,
    job_id           uuid NOT NULL UNIQUE REFERENCES jobs (id),
    url              text NOT NULL,
    state            text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts         int NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    created_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz NULL
);
CREATE INDEX shotstack_callbacks_due ON shotstack_callbacks (next_attempt_at) WHERE state = 'pending';

CREATE TABLE shotstack_callback_attempts (
    id           bigserial PRIMARY KEY,
    callback_id  bigint NOT NULL REFERENCES shotstack_callbacks (id),
    attempt      int NOT NULL,
    at           timestamptz NOT NULL DEFAULT now(),
    status_code  int NULL,
    error        text NULL,
    elapsed_ms   int NOT NULL
);
CREATE INDEX shotstack_callback_attempts_callback ON shotstack_callback_attempts (callback_id, attempt);

-- The Edit as submitted, kept only when merge fields changed it (jobs.request holds the merged Edit), so
-- GET /render/{id}?data=true can answer with the original.
CREATE TABLE shotstack_edit_sources (
    job_id  uuid PRIMARY KEY REFERENCES jobs (id),
    edit    jsonb NOT NULL
);
