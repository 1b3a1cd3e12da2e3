-- Running app processes; each records the last auth change it has applied so revocation can wait for all of them.
CREATE TABLE app_instances (
    id            uuid PRIMARY KEY,
    started_at    timestamptz NOT NULL DEFAULT now(),
    heartbeat_at  timestamptz NOT NULL DEFAULT now(),
    listening     boolean NOT NULL DEFAULT false,
    auth_seq      bigint NOT NULL DEFAULT 0
);
CREATE SEQUENCE auth_change_seq;
