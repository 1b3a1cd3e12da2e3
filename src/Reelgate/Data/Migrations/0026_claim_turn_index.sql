-- The remote claim's turn order looks up, for each user with jobs waiting, when that user last got a place upstream.
DROP INDEX jobs_remote_slot_at;
CREATE INDEX jobs_remote_user_slot_at ON jobs (provider, user_id, slot_at) WHERE slot_at IS NOT NULL;
