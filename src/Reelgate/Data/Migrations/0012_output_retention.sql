ALTER TABLE job_outputs ADD COLUMN expires_at timestamptz NULL, ADD COLUMN deleted_at timestamptz NULL;
CREATE INDEX job_outputs_due ON job_outputs (expires_at) WHERE deleted_at IS NULL AND expires_at IS NOT NULL;
ALTER TABLE jobs ADD COLUMN outputs_expired_at timestamptz NULL;
