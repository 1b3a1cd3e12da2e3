-- Submission counts a user's active jobs under the account lock; this keeps that count to the active few.
CREATE INDEX jobs_user_active ON jobs (user_id) WHERE status IN ('queued', 'fetching', 'rendering', 'saving');
