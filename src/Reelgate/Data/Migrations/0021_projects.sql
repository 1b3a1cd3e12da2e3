-- Projects of clips: photos become generated clips, which are approved, ordered and assembled with music into one video.
CREATE TABLE projects (
    id             uuid PRIMARY KEY,
    user_id        uuid NOT NULL REFERENCES users (id),
    title          text NOT NULL,
    music_key      text NULL,
    music_type     text NULL,
    music_source   text NULL,
    status         text NOT NULL DEFAULT 'in_progress' CHECK (status IN ('in_progress', 'assembling', 'assembled')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX projects_user ON projects (user_id, id DESC);

-- job_id is the clip's latest generation; its current video (from video_job_id) stays until a newer generation is done.
CREATE TABLE clips (
    id              uuid PRIMARY KEY,
    project_id      uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    user_id         uuid NOT NULL REFERENCES users (id),
    position        int NOT NULL,
    image_key       text NOT NULL,
    prompt          text NULL,
    duration_sec    int NOT NULL CHECK (duration_sec IN (5, 10, 15)),
    status          text NOT NULL CHECK (status IN ('generating', 'done', 'failed')),
    job_id          uuid NOT NULL REFERENCES jobs (id),
    video_job_id    uuid NULL REFERENCES jobs (id),
    video_key       text NULL,
    video_seconds   double precision NULL,
    video_at        timestamptz NULL,
    approved        boolean NOT NULL DEFAULT false,
    error_code      text NULL,
    error_message   text NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX clips_project ON clips (project_id, position);
CREATE UNIQUE INDEX clips_job ON clips (job_id);
CREATE INDEX clips_generating ON clips (job_id) WHERE status = 'generating';

-- Every assembly of a project: its job, and once done the project's own copy of the final video.
CREATE TABLE project_assemblies (
    job_id       uuid PRIMARY KEY REFERENCES jobs (id),
    project_id   uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    user_id      uuid NOT NULL REFERENCES users (id),
    clip_ids     uuid[] NOT NULL,
    status       text NOT NULL DEFAULT 'assembling' CHECK (status IN ('assembling', 'done', 'failed')),
    video_key    text NULL,
    duration     double precision NULL,
    error_message text NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    completed_at timestamptz NULL
);
CREATE INDEX project_assemblies_project ON project_assemblies (project_id, job_id DESC);
CREATE INDEX project_assemblies_pending ON project_assemblies (job_id) WHERE status = 'assembling';
