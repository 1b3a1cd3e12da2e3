CREATE TABLE users (
    id              uuid PRIMARY KEY,
    email           text NOT NULL,
    password_hash   text NOT NULL,
    role            text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
    plan            text NULL,
    referral_code   text NOT NULL UNIQUE,
    failed_logins   int NOT NULL DEFAULT 0,
    locked_until    timestamptz NULL,
    disabled_at     timestamptz NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE api_keys (
    id                   uuid PRIMARY KEY,
    user_id              uuid NOT NULL REFERENCES users (id),
    name                 text NOT NULL,
    prefix               text NOT NULL,
    key_hash             bytea NOT NULL UNIQUE,
    rate_limit_requests  int NULL CHECK (rate_limit_requests > 0),
    rate_limit_window    int NULL CHECK (rate_limit_window > 0),
    created_at           timestamptz NOT NULL DEFAULT now(),
    last_used_at         timestamptz NULL,
    revoked_at           timestamptz NULL
);
CREATE INDEX api_keys_user ON api_keys (user_id, created_at DESC);

CREATE TABLE audit_log (
    id          uuid PRIMARY KEY,
    actor_id    uuid NULL REFERENCES users (id),
    action      text NOT NULL,
    target_type text NOT NULL,
    target_id   text NOT NULL,
    details     jsonb NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_target ON audit_log (target_type, target_id, created_at DESC);

CREATE TABLE idempotency_records (
    user_id          uuid NOT NULL,
    key              text NOT NULL,
    request_hash     bytea NOT NULL,
    completed        boolean NOT NULL DEFAULT false,
    response_status  int NULL,
    response_body    bytea NULL,
    response_type    text NULL,
    response_location text NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_records_created ON idempotency_records (created_at);
