-- External sign-in identities, cookie sessions that can be ended everywhere, and API key scopes, expiry and rotation.

-- Accounts made by an external sign-in may have no email (a token without one) and no password ('').
DROP INDEX users_email_key;
CREATE UNIQUE INDEX users_email_key ON users (lower(email)) WHERE email <> '';

CREATE TABLE identities (
    id              uuid PRIMARY KEY,
    user_id         uuid NOT NULL REFERENCES users (id),
    provider        text NOT NULL,
    subject         text NOT NULL,
    email           text NULL,
    email_verified  boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_used_at    timestamptz NULL,
    UNIQUE (provider, subject)
);
CREATE INDEX identities_user ON identities (user_id, created_at);

CREATE TABLE sessions (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id),
    method      text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    ended_at    timestamptz NULL
);
CREATE INDEX sessions_user_active ON sessions (user_id) WHERE ended_at IS NULL;

-- Keys made before scopes keep what they could do: everything, and admin work for admins.
ALTER TABLE api_keys
    ADD COLUMN scopes text[] NOT NULL DEFAULT '{render,generate,jobs:read,projects,billing,webhooks}',
    ADD COLUMN expires_at timestamptz NULL,
    ADD COLUMN replaced_by uuid NULL REFERENCES api_keys (id);
UPDATE api_keys k SET scopes = k.scopes || '{admin}'::text[] FROM users u WHERE u.id = k.user_id AND u.role = 'admin';
ALTER TABLE api_keys ALTER COLUMN scopes DROP DEFAULT;
