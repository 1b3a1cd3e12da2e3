-- Images users upload as generation input; the bytes live in object storage under storage_key.
CREATE TABLE uploads (
    id            uuid PRIMARY KEY,
    user_id       uuid NOT NULL REFERENCES users (id),
    storage_key   text NOT NULL,
    content_type  text NOT NULL,
    bytes         bigint NOT NULL CHECK (bytes > 0),
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX uploads_user ON uploads (user_id, id);
