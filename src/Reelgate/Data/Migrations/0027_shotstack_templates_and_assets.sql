-- Shotstack-format templates: an Edit saved under a name by its owner, rendered later with merge fields.
-- `template` is null when it was saved without one, which Shotstack stores as a blank template.
CREATE TABLE shotstack_templates (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id),
    name        text NOT NULL,
    template    jsonb NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX shotstack_templates_user ON shotstack_templates (user_id, created_at);

-- The Serve API names each stored output by an id of its own, distinct from its render's id.
ALTER TABLE job_outputs ADD COLUMN asset_id uuid NOT NULL DEFAULT gen_random_uuid();
CREATE UNIQUE INDEX job_outputs_asset_id ON job_outputs (asset_id);
