-- The upstream's own output link, shown after our stored copy while the upstream still honours it.
ALTER TABLE jobs ADD COLUMN provider_output_url text NULL, ADD COLUMN provider_output_expires_at timestamptz NULL;
