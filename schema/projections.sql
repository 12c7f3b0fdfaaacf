-- smithlog projections: the SQLite read side, rebuilt from the event log.
--
-- This is the DDL the code runs (Sources/Projections/Engine/ProjectionSchema.swift holds the same text;
-- a test keeps them identical). The file `<store>/projections.sqlite` is disposable: smithlog deletes
-- and replays it whenever it is missing, damaged, or written by another schema version
-- (`PRAGMA user_version`, kept in ProjectionSchema.version). Change a table here => bump that version.
--
-- Conventions: natural keys are what users type (dataset name, instance id, run name); every row carries
-- `seq`, the log position of the event that made it (or last changed it); booleans are 0/1; hashes and
-- event ids are lowercase hex; JSON columns hold compact JSON for json_extract(); times are
-- milliseconds since the Unix epoch (UTC), taken from the event's recorded_at. The views meant for people
-- (trajectory_history, verdict_history, resolved, leaderboard_entries, leaderboard, timeline) add
-- `recorded_at_iso` beside it: the same time in ISO 8601, e.g. 2025-08-01T10:00:00.000Z.
--
-- Versions: every named thing (datasets, subsets, runs, eval_runs, sft_datasets, checkpoints,
-- benchmark_results) has a row per version; version N of a name is the N-th head event of its kind in the
-- name's stream, so numbers never change. `latest` is 1 on the version a bare NAME means now (the newest one
-- not retracted, or the newest when all are); `retracted` holds the reason given (NULL while it stands).
-- A reference to another named thing keeps the text as recorded (`NAME` or `NAME@N`) and its pinned version
-- in `<column>_version`: N for `NAME@N`, and for a bare `NAME` the newest version recorded before the
-- referencing event, so it never changes when a later version is recorded (NULL when the name is unknown).

-- Where each projection stands in the log.
CREATE TABLE projection_state (
    projection TEXT PRIMARY KEY,    -- datasets, subsets, runs, evals, sft, checkpoints, benchmarks or retractions
    last_seq INTEGER NOT NULL       -- seq of the last event this projection has applied (0: none yet)
) WITHOUT ROWID;

-- Events a projection could not apply (a payload it cannot read, a store written by a newer smithlog, a bug):
-- each is recorded once, skipped, and every other event still applies. `smithlog verify` lists them.
CREATE TABLE skipped_events (
    seq INTEGER PRIMARY KEY,        -- seq of the event
    type TEXT NOT NULL,             -- its type
    stream TEXT NOT NULL,           -- its stream
    projection TEXT NOT NULL,       -- the projection that could not apply it
    reason TEXT NOT NULL            -- why
);

-- Versions withdrawn by `smithlog retract` (Retracted); the retracted row keeps its data, marked.
CREATE TABLE retractions (
    kind TEXT NOT NULL,             -- dataset, subset, run, eval, sft, checkpoint or bench
    name TEXT NOT NULL,             -- the name retracted
    version INTEGER NOT NULL,       -- the version retracted
    reason TEXT NOT NULL,           -- the reason given
    recorded_at INTEGER NOT NULL,   -- when it was retracted
    seq INTEGER NOT NULL,           -- seq of the Retracted event
    PRIMARY KEY (kind, name, version)
) WITHOUT ROWID;

-- Dataset files imported (DatasetImported), a row per version.
CREATE TABLE datasets (
    name TEXT NOT NULL,             -- dataset name (--name, default: file name without extension)
    version INTEGER NOT NULL,       -- version of the name (1, 2, ...)
    latest INTEGER NOT NULL,        -- 1 on the version a bare name means now
    retracted TEXT,                 -- why it was retracted (NULL: it stands)
    file_name TEXT NOT NULL,        -- base name of the imported file
    sha256 TEXT NOT NULL,           -- SHA-256 of the whole file
    format TEXT NOT NULL,           -- json or jsonl
    rows INTEGER NOT NULL,          -- number of rows in the file
    recorded_at INTEGER NOT NULL,   -- when it was imported
    seq INTEGER NOT NULL,           -- seq of the DatasetImported event
    PRIMARY KEY (name, version)
);

-- Dataset rows (InstanceRegistered); an instance id may appear in several datasets.
CREATE TABLE instances (
    dataset TEXT NOT NULL,          -- dataset name the row belongs to
    instance_id TEXT NOT NULL,      -- task instance id, e.g. pandas-dev__pandas.95280573.pr_53652
    position INTEGER NOT NULL,      -- 0-based row index in the dataset file
    repo TEXT,                      -- repository (owner/name or the SWE-smith mirror), when the row has one
    bug_type TEXT NOT NULL,         -- kind of bug derived from the id: pr, lm_rewrite, func_pm_..., swe-bench
    f2p_count INTEGER NOT NULL,     -- number of FAIL_TO_PASS tests
    p2p_count INTEGER NOT NULL,     -- number of PASS_TO_PASS tests
    image_name TEXT,                -- Docker image of the environment, when the row names one
    created_at TEXT,                -- the row's created_at, as written in it
    row_sha256 TEXT NOT NULL,       -- SHA-256 of the row's bytes (the blob); smithlog's instance_rows view adds row_json
    seq INTEGER NOT NULL,           -- seq of the InstanceRegistered event
    PRIMARY KEY (dataset, instance_id)
) WITHOUT ROWID;
CREATE INDEX instances_by_instance_id ON instances (instance_id);

-- Named selections of instances (SubsetDefined), a row per version (definition).
CREATE TABLE subsets (
    name TEXT NOT NULL,             -- subset name
    version INTEGER NOT NULL,       -- version of the name (1, 2, ...)
    latest INTEGER NOT NULL,        -- 1 on the version a bare name means now
    retracted TEXT,                 -- why it was retracted (NULL: it stands)
    definition TEXT NOT NULL,       -- id of the SubsetDefined event (what its members name)
    dataset TEXT NOT NULL,          -- dataset the instances were selected from, as recorded
    dataset_version INTEGER,        -- that dataset's version, pinned
    dataset_sha256 TEXT NOT NULL,   -- SHA-256 of that dataset's file at selection time
    condition TEXT NOT NULL,        -- the SQL condition over `instances` that selected them
    members INTEGER NOT NULL,       -- number of members the definition announced
    recorded_at INTEGER NOT NULL,   -- when it was defined
    seq INTEGER NOT NULL,           -- seq of the SubsetDefined event
    PRIMARY KEY (name, version)
);

-- Members of every subset definition (InstanceSelected); join subsets on definition for a version's members.
CREATE TABLE subset_members (
    subset TEXT NOT NULL,           -- subset name
    position INTEGER NOT NULL,      -- 0-based position in the subset (dataset order)
    instance_id TEXT NOT NULL,      -- the member
    definition TEXT NOT NULL,       -- id of the SubsetDefined event the membership belongs to
    seq INTEGER NOT NULL,           -- seq of the InstanceSelected event
    PRIMARY KEY (subset, definition, position)
) WITHOUT ROWID;
CREATE INDEX subset_members_by_instance_id ON subset_members (instance_id);

-- SWE-agent run-batches (RunStarted), a row per version.
CREATE TABLE runs (
    name TEXT NOT NULL,             -- run name
    version INTEGER NOT NULL,       -- version of the name (1, 2, ...)
    latest INTEGER NOT NULL,        -- 1 on the version a bare name means now
    retracted TEXT,                 -- why it was retracted (NULL: it stands)
    model TEXT,                     -- model name the agent used
    agent_version TEXT,             -- version of the scaffold that wrote it (SWE-agent, mini-swe-agent)
    scaffold TEXT,                  -- swe-agent or mini-swe-agent (the agent that wrote the run)
    config_file TEXT,               -- name of the run's config file
    config_json TEXT,               -- the run config as JSON
    config_sha256 TEXT,             -- SHA-256 of the config file (its blob)
    subset TEXT,                    -- subset the run was over, when known, as recorded
    subset_version INTEGER,         -- that subset's version, pinned
    folder TEXT,                    -- the run folder's absolute path (NULL for runs recorded before it was kept)
    instances INTEGER NOT NULL,     -- trajectories recorded for this version (grows when the folder is ingested again)
    recorded_at INTEGER NOT NULL,   -- when it was recorded
    seq INTEGER NOT NULL,           -- seq of the RunStarted event
    checkpoint TEXT,                -- for an inference run (ingest trajectories --checkpoint): the checkpoint, as recorded
    checkpoint_version INTEGER,     -- that checkpoint's version, pinned
    PRIMARY KEY (name, version)
);

-- Trajectories (TrajectoryProduced): the latest recording per run and instance. A re-recording (other bytes,
-- so a new event) replaces the row here; the trigger below moves the replaced one to superseded_trajectories.
CREATE TABLE trajectories (
    run TEXT NOT NULL,              -- run name
    instance_id TEXT NOT NULL,      -- task instance id
    run_version INTEGER NOT NULL,   -- the run's version in force when it was recorded (1 before any RunStarted)
    seq INTEGER NOT NULL,           -- seq of the TrajectoryProduced event
    event_id TEXT NOT NULL,         -- its event id (what verdicts and SFT samples name in `trajectory`)
    traj_sha256 TEXT NOT NULL,      -- SHA-256 of the .traj file (its blob)
    format TEXT NOT NULL,           -- history-only, pre-1.0, 1.0-messages or 1.1-query
    exit_status TEXT,               -- SWE-agent exit status: submitted, exit_cost, exit_context, ...
    submission_sha256 TEXT,         -- SHA-256 of the submitted patch, NULL when nothing was submitted
    instance_cost REAL,             -- model cost in USD
    tokens_sent INTEGER,            -- prompt tokens
    tokens_received INTEGER,        -- completion tokens
    api_calls INTEGER,              -- model calls
    steps INTEGER NOT NULL,         -- steps in the trajectory
    swe_agent_version TEXT,         -- SWE-agent version that wrote it
    swe_rex_version TEXT,           -- SWE-ReX version that wrote it
    recorded_at INTEGER NOT NULL    -- when it was recorded
);
-- The key: one row per run and instance. A unique index rather than a primary key, so a large catch-up
-- appends rows in log order and builds the key once at the end (Sources/Projections/Engine/KeyedTable.swift).
CREATE UNIQUE INDEX trajectories_key ON trajectories (run, instance_id);
CREATE INDEX trajectories_by_instance_id ON trajectories (instance_id);
-- The trajectory a verdict or an SFT line names (their `trajectory` column), found without a scan.
CREATE INDEX trajectories_by_event_id ON trajectories (event_id);
-- A run version's trajectories with what the runs page sums and counts, read from the index alone.
CREATE INDEX trajectories_by_run ON trajectories (run, run_version, exit_status, instance_cost, steps);

-- Trajectories replaced by a later recording for the same run and instance (plus what replaced them).
CREATE TABLE superseded_trajectories (
    seq INTEGER PRIMARY KEY,        -- seq of the replaced TrajectoryProduced event
    run TEXT NOT NULL,              -- run name
    instance_id TEXT NOT NULL,      -- task instance id
    run_version INTEGER NOT NULL,   -- the run's version it was recorded under
    event_id TEXT NOT NULL,         -- its event id
    traj_sha256 TEXT NOT NULL,      -- SHA-256 of the .traj file
    format TEXT NOT NULL,           -- trajectory format
    exit_status TEXT,               -- SWE-agent exit status
    submission_sha256 TEXT,         -- SHA-256 of the submitted patch
    instance_cost REAL,             -- model cost in USD
    tokens_sent INTEGER,            -- prompt tokens
    tokens_received INTEGER,        -- completion tokens
    api_calls INTEGER,              -- model calls
    steps INTEGER NOT NULL,         -- steps in the trajectory
    swe_agent_version TEXT,         -- SWE-agent version
    swe_rex_version TEXT,           -- SWE-ReX version
    recorded_at INTEGER NOT NULL,   -- when it was recorded
    superseded_by INTEGER NOT NULL  -- seq of the recording that replaced it
);
CREATE INDEX superseded_trajectories_by_instance_id ON superseded_trajectories (instance_id);
CREATE INDEX superseded_trajectories_by_event_id ON superseded_trajectories (event_id);

CREATE TRIGGER trajectories_keep_superseded BEFORE UPDATE ON trajectories
BEGIN
    INSERT INTO superseded_trajectories VALUES (OLD.seq, OLD.run, OLD.instance_id, OLD.run_version, OLD.event_id,
        OLD.traj_sha256, OLD.format, OLD.exit_status, OLD.submission_sha256, OLD.instance_cost, OLD.tokens_sent,
        OLD.tokens_received, OLD.api_calls, OLD.steps, OLD.swe_agent_version, OLD.swe_rex_version,
        OLD.recorded_at, NEW.seq);
END;

-- Every recording of every trajectory, latest and replaced: the history of an instance.
CREATE VIEW trajectory_history AS
SELECT
    run,                            -- run name
    instance_id,                    -- task instance id
    run_version,                    -- the run's version it was recorded under
    seq,                            -- seq of the TrajectoryProduced event
    event_id,                       -- its event id
    traj_sha256,                    -- SHA-256 of the .traj file
    exit_status,                    -- SWE-agent exit status
    instance_cost,                  -- model cost in USD
    steps,                          -- steps in the trajectory
    recorded_at,                    -- when it was recorded
    strftime('%Y-%m-%dT%H:%M:%fZ', recorded_at / 1000.0, 'unixepoch') AS recorded_at_iso, -- the same, ISO 8601
    NULL AS superseded_by           -- seq of the recording that replaced it (NULL: the latest)
FROM trajectories
UNION ALL
SELECT run, instance_id, run_version, seq, event_id, traj_sha256, exit_status, instance_cost, steps, recorded_at,
    strftime('%Y-%m-%dT%H:%M:%fZ', recorded_at / 1000.0, 'unixepoch'),    -- the same columns,
    superseded_by                   -- for the replaced recordings
FROM superseded_trajectories;

-- Harness evaluation runs (EvalRunStarted), a row per version.
CREATE TABLE eval_runs (
    name TEXT NOT NULL,             -- evaluation run name (the harness run_id)
    version INTEGER NOT NULL,       -- version of the name (1, 2, ...)
    latest INTEGER NOT NULL,        -- 1 on the version a bare name means now
    retracted TEXT,                 -- why it was retracted (NULL: it stands)
    of_run TEXT,                    -- the agent run whose patches were evaluated, when known, as recorded
    of_run_version INTEGER,         -- that run's version, pinned
    layout TEXT NOT NULL,           -- swe-smith or swe-bench report layout
    summary_sha256 TEXT,            -- SHA-256 of the summary report, when there was one
    model TEXT,                     -- model name, when known
    recorded_at INTEGER NOT NULL,   -- when it was recorded
    seq INTEGER NOT NULL,           -- seq of the EvalRunStarted event
    dataset TEXT,                   -- what the SWE-bench harness's run.json says was graded against: the dataset,
    split TEXT,                     -- its split,
    created_at TEXT,                -- and when the run started (ISO 8601, as written)
    run_metadata_sha256 TEXT,       -- SHA-256 of run.json (its blob)
    PRIMARY KEY (name, version)
);

-- The kind of every verdict (EvalVerdictRecorded.kind), the latest per eval run and instance like `verdicts`:
-- resolved, unresolved, error (no test result: timed out, patch did not apply, the harness's error_ids),
-- infra (the environment broke: SWE-bench's infra_failure / infra_failure_ids; not a model failure) or
-- missing (no patch to evaluate).
CREATE TABLE verdict_kinds (
    eval_run TEXT NOT NULL,         -- evaluation run name
    instance_id TEXT NOT NULL,      -- task instance id
    eval_version INTEGER NOT NULL,  -- the eval run's version in force when it was recorded
    kind TEXT NOT NULL,             -- resolved, unresolved, error, infra or missing
    infra_reason TEXT,              -- the harness's reason (out_of_memory, no_tests_collected, ...), when it gave one
    seq INTEGER NOT NULL,           -- seq of the EvalVerdictRecorded event
    PRIMARY KEY (eval_run, instance_id)
);

-- Verdicts (EvalVerdictRecorded): the latest per eval run and instance. A newer verdict replaces the row here;
-- the trigger below moves the replaced one to superseded_verdicts.
CREATE TABLE verdicts (
    eval_run TEXT NOT NULL,         -- evaluation run name
    instance_id TEXT NOT NULL,      -- task instance id
    eval_version INTEGER NOT NULL,  -- the eval run's version in force when it was recorded (1 before any)
    seq INTEGER NOT NULL,           -- seq of the EvalVerdictRecorded event
    resolved INTEGER NOT NULL,      -- 1 when the instance was resolved
    patch_exists INTEGER,           -- 1 when a patch was submitted (NULL: report does not say)
    patch_applied INTEGER,          -- 1 when the patch applied (NULL: report does not say)
    timed_out INTEGER NOT NULL,     -- 1 when the evaluation timed out
    f2p_success INTEGER NOT NULL,   -- FAIL_TO_PASS tests that passed
    f2p_failure INTEGER NOT NULL,   -- FAIL_TO_PASS tests that failed
    p2p_success INTEGER NOT NULL,   -- PASS_TO_PASS tests that passed
    p2p_failure INTEGER NOT NULL,   -- PASS_TO_PASS tests that failed
    report_sha256 TEXT NOT NULL,    -- SHA-256 of the instance's report.json (its blob)
    of_run TEXT,                    -- agent run evaluated, when known (join trajectories on run, instance_id)
    trajectory TEXT,                -- event id of the TrajectoryProduced evaluated, when known
    recorded_at INTEGER NOT NULL    -- when it was recorded
);
-- The key: one row per eval run and instance (a unique index, as for trajectories).
CREATE UNIQUE INDEX verdicts_key ON verdicts (eval_run, instance_id);
-- The resolved set of an eval run (the `resolved` view below), read from the index alone.
CREATE INDEX verdicts_resolved ON verdicts (eval_run, instance_id) WHERE resolved = 1;
CREATE INDEX verdicts_by_instance_id ON verdicts (instance_id);
-- The verdict on a trajectory (by its event id), found without a scan.
CREATE INDEX verdicts_by_trajectory ON verdicts (trajectory);
-- An eval run version's verdicts and how many were resolved, counted from the index alone.
CREATE INDEX verdicts_by_eval_run ON verdicts (eval_run, eval_version, resolved);

-- Verdicts replaced by a later one for the same eval run and instance (same columns, plus who replaced it).
CREATE TABLE superseded_verdicts (
    seq INTEGER PRIMARY KEY,        -- seq of the replaced EvalVerdictRecorded event
    eval_run TEXT NOT NULL,         -- evaluation run name
    instance_id TEXT NOT NULL,      -- task instance id
    eval_version INTEGER NOT NULL,  -- the eval run's version it was recorded under
    resolved INTEGER NOT NULL,      -- 1 when it was resolved
    patch_exists INTEGER,           -- 1 when a patch was submitted
    patch_applied INTEGER,          -- 1 when the patch applied
    timed_out INTEGER NOT NULL,     -- 1 when the evaluation timed out
    f2p_success INTEGER NOT NULL,   -- FAIL_TO_PASS tests that passed
    f2p_failure INTEGER NOT NULL,   -- FAIL_TO_PASS tests that failed
    p2p_success INTEGER NOT NULL,   -- PASS_TO_PASS tests that passed
    p2p_failure INTEGER NOT NULL,   -- PASS_TO_PASS tests that failed
    report_sha256 TEXT NOT NULL,    -- SHA-256 of the report.json
    of_run TEXT,                    -- agent run evaluated
    trajectory TEXT,                -- event id of the trajectory evaluated
    recorded_at INTEGER NOT NULL,   -- when it was recorded
    superseded_by INTEGER NOT NULL  -- seq of the verdict that replaced it
);
CREATE INDEX superseded_verdicts_by_instance_id ON superseded_verdicts (instance_id);

CREATE TRIGGER verdicts_keep_superseded BEFORE UPDATE ON verdicts
BEGIN
    INSERT INTO superseded_verdicts VALUES (OLD.seq, OLD.eval_run, OLD.instance_id, OLD.eval_version, OLD.resolved,
        OLD.patch_exists, OLD.patch_applied, OLD.timed_out, OLD.f2p_success, OLD.f2p_failure, OLD.p2p_success,
        OLD.p2p_failure, OLD.report_sha256, OLD.of_run, OLD.trajectory, OLD.recorded_at, NEW.seq);
END;

-- Every verdict, latest and replaced: the history of an instance's evaluations.
CREATE VIEW verdict_history AS
SELECT
    eval_run,                       -- evaluation run name
    instance_id,                    -- task instance id
    eval_version,                   -- the eval run's version it was recorded under
    seq,                            -- seq of the EvalVerdictRecorded event
    resolved,                       -- 1 when it was resolved
    timed_out,                      -- 1 when the evaluation timed out
    report_sha256,                  -- SHA-256 of the report.json
    of_run,                         -- agent run evaluated
    recorded_at,                    -- when it was recorded
    strftime('%Y-%m-%dT%H:%M:%fZ', recorded_at / 1000.0, 'unixepoch') AS recorded_at_iso, -- the same, ISO 8601
    NULL AS superseded_by           -- seq of the verdict that replaced it (NULL: the latest)
FROM verdicts
UNION ALL
SELECT eval_run, instance_id, eval_version, seq, resolved, timed_out, report_sha256, of_run, recorded_at,
    strftime('%Y-%m-%dT%H:%M:%fZ', recorded_at / 1000.0, 'unixepoch'),    -- the same columns,
    superseded_by                   -- for the replaced verdicts
FROM superseded_verdicts;

-- The resolved set: the latest verdict per eval run and instance, where it resolved.
CREATE VIEW resolved AS
SELECT
    eval_run,                       -- evaluation run name
    instance_id,                    -- task instance id
    eval_version,                   -- the eval run's version it was recorded under
    of_run,                         -- agent run evaluated, when known
    trajectory,                     -- event id of the trajectory evaluated, when known
    report_sha256,                  -- SHA-256 of the instance's report.json
    recorded_at,                    -- when the verdict was recorded
    strftime('%Y-%m-%dT%H:%M:%fZ', recorded_at / 1000.0, 'unixepoch') AS recorded_at_iso, -- the same, ISO 8601
    seq                             -- seq of the verdict
FROM verdicts
WHERE resolved = 1;

-- SFT datasets (SftDatasetBuilt), a row per version (build).
CREATE TABLE sft_datasets (
    name TEXT NOT NULL,             -- SFT dataset name
    version INTEGER NOT NULL,       -- version of the name (1, 2, ...)
    latest INTEGER NOT NULL,        -- 1 on the version a bare name means now
    retracted TEXT,                 -- why it was retracted (NULL: it stands)
    build TEXT NOT NULL,            -- id of the SftDatasetBuilt event (what its samples name)
    style TEXT NOT NULL,            -- xml, ticks or tool
    transform TEXT NOT NULL,        -- transform version: xml-v1, xml-v2, ticks-v1, tool-v1 or combine
    system_prompt_sha256 TEXT,      -- SHA-256 of the system prompt put in system messages
    traj_run TEXT,                  -- run whose trajectories were transformed, as recorded
    traj_run_version INTEGER,       -- that run's version, pinned
    eval_run TEXT,                  -- eval run that decided which were resolved, as recorded
    eval_run_version INTEGER,       -- that eval run's version, pinned
    subset TEXT,                    -- subset the trajectories were limited to, as recorded
    subset_version INTEGER,         -- that subset's version, pinned
    only_resolved INTEGER NOT NULL, -- 1 when only resolved trajectories were kept
    file_name TEXT NOT NULL,        -- name of the exported jsonl
    export_sha256 TEXT NOT NULL,    -- SHA-256 of the exported jsonl
    lines INTEGER NOT NULL,         -- lines in the export
    skipped_json TEXT NOT NULL,     -- counts of skipped trajectories by reason, as a JSON object
    combined_from_json TEXT,        -- for combined datasets: the inputs, as a JSON array
    seed INTEGER,                   -- shuffle seed (combine)
    max_per_inst INTEGER,           -- trajectories kept per instance at most (combine)
    recorded_at INTEGER NOT NULL,   -- when it was built
    seq INTEGER NOT NULL,           -- seq of the SftDatasetBuilt event
    PRIMARY KEY (name, version)
);

-- Lines of every SFT build (FtSampleEmitted); join sft_datasets on build for a version's lines.
CREATE TABLE sft_samples (
    dataset TEXT NOT NULL,          -- SFT dataset name
    position INTEGER NOT NULL,      -- 0-based line index in the export
    build TEXT NOT NULL,            -- id of the SftDatasetBuilt event the line belongs to
    instance_id TEXT NOT NULL,      -- task instance id of the line
    trajectory TEXT,                -- event id of the TrajectoryProduced it came from, when known
    line_sha256 TEXT NOT NULL,      -- SHA-256 of the line (its blob)
    seq INTEGER NOT NULL,           -- seq of the FtSampleEmitted event
    PRIMARY KEY (dataset, build, position)
) WITHOUT ROWID;
CREATE INDEX sft_samples_by_instance_id ON sft_samples (instance_id);

-- Fine-tuning checkpoints (CheckpointSaved), a row per version.
CREATE TABLE checkpoints (
    name TEXT NOT NULL,             -- checkpoint name
    version INTEGER NOT NULL,       -- version of the name (1, 2, ...)
    latest INTEGER NOT NULL,        -- 1 on the version a bare name means now
    retracted TEXT,                 -- why it was retracted (NULL: it stands)
    config_json TEXT NOT NULL,      -- the torchtune config, as JSON
    config_sha256 TEXT NOT NULL,    -- SHA-256 of the config file (its blob)
    base_model TEXT,                -- model fine-tuned
    lr REAL,                        -- learning rate
    epochs INTEGER,                 -- epochs configured
    batch_size INTEGER,             -- batch size
    gradient_accumulation_steps INTEGER, -- gradient accumulation steps
    max_seq_len INTEGER,            -- maximum sequence length
    data_files TEXT,                -- dataset.data_files of the config
    sft_dataset TEXT,               -- SFT dataset it trained on, when matched, as recorded
    sft_dataset_version INTEGER,    -- that SFT dataset's version, pinned
    sft_match TEXT NOT NULL,        -- how sft_dataset was matched: sha256, file-name or unknown
    epoch INTEGER,                  -- epoch this checkpoint was saved at
    dir TEXT,                       -- checkpoint folder
    files_json TEXT NOT NULL,       -- its files [{path, size, sha256}], as JSON
    recorded_at INTEGER NOT NULL,   -- when it was recorded
    seq INTEGER NOT NULL,           -- seq of the CheckpointSaved event
    data_kind TEXT,                 -- sft, or preference (a DPO preference dataset)
    data_sha256 TEXT,               -- SHA-256 of the preference data file, when it was found
    parent_checkpoint TEXT,         -- checkpoint whose folder checkpointer.checkpoint_dir is
    parent_checkpoint_version INTEGER, -- that checkpoint's version, pinned
    PRIMARY KEY (name, version)
);

-- Training curves (TrainingMetricsRecorded): a row per metric per line of a torchtune DiskLogger log
-- (`Step N | loss:0.53 lr:2e-05 ...`), recorded with a checkpoint by `checkpoint record --metrics`.
CREATE TABLE training_metrics (
    checkpoint TEXT NOT NULL,       -- checkpoint name
    checkpoint_version INTEGER NOT NULL, -- its version
    step INTEGER NOT NULL,          -- the step the value was logged at
    name TEXT NOT NULL,             -- metric, e.g. loss, lr, tokens_per_second_per_gpu, rewards/chosen
    value REAL,                     -- its value (NULL for nan; inf as SQLite's Inf)
    line INTEGER NOT NULL,          -- 1-based index of the log's step line it was read from
    log_sha256 TEXT NOT NULL,       -- SHA-256 of the log file (its blob)
    seq INTEGER NOT NULL            -- seq of the TrainingMetricsRecorded event
);
CREATE INDEX training_metrics_by_checkpoint ON training_metrics (checkpoint, checkpoint_version, name, step);

-- SWE-bench scores (BenchmarkEvaluated), a row per version; percentages and the 95% Wilson interval are
-- computed on apply.
CREATE TABLE benchmark_results (
    name TEXT NOT NULL,             -- result name
    version INTEGER NOT NULL,       -- version of the name (1, 2, ...)
    latest INTEGER NOT NULL,        -- 1 on the version a bare name means now
    retracted TEXT,                 -- why it was retracted (NULL: it stands)
    benchmark TEXT NOT NULL,        -- swe-bench_lite, swe-bench_verified or swe-bench-m
    split TEXT NOT NULL,            -- dataset split, e.g. test
    model TEXT,                     -- model evaluated
    checkpoint TEXT,                -- checkpoint evaluated, when it is one of ours, as recorded
    checkpoint_version INTEGER,     -- that checkpoint's version, pinned
    total INTEGER NOT NULL,         -- the benchmark's full size (the denominator)
    submitted INTEGER NOT NULL,     -- instances with a prediction
    resolved INTEGER NOT NULL,      -- instances resolved
    unresolved INTEGER NOT NULL,    -- instances not resolved
    error INTEGER NOT NULL,         -- instances whose evaluation failed
    empty_patch INTEGER NOT NULL,   -- instances with an empty patch
    incomplete INTEGER NOT NULL,    -- instances not evaluated
    report_format TEXT NOT NULL,    -- swe-bench-v2 (harness run report) or sb-cli
    report_sha256 TEXT NOT NULL,    -- SHA-256 of the report (its blob)
    ids_sha256 TEXT NOT NULL,       -- SHA-256 of the id lists (their blob)
    resolved_pct REAL,              -- 100 * resolved / total (NULL when total is 0)
    ci_low REAL,                    -- lower end of the 95% Wilson score interval, in percent
    ci_high REAL,                   -- upper end of the 95% Wilson score interval, in percent
    cost REAL,                      -- what the run cost in USD, as recorded (bench record --cost); NULL: unknown
    recorded_at INTEGER NOT NULL,   -- when it was recorded
    seq INTEGER NOT NULL,           -- seq of the BenchmarkEvaluated event
    of_run TEXT,                    -- the trajectory (inference) run whose predictions were scored, as recorded
    of_run_version INTEGER,         -- that run's version, pinned
    response_sha256 TEXT,           -- SHA-256 of sb-cli's .response.json beside the report (its blob), when present
    infra INTEGER,                  -- instances the harness classed as infrastructure failures (NULL: not said)
    PRIMARY KEY (name, version)
);
CREATE INDEX benchmark_results_ranking ON benchmark_results (benchmark, split, resolved_pct DESC);

-- The instances a benchmark result's id lists name (read from its ids blob on apply), one row per instance with
-- the first list naming it: `history` finds the results naming an instance here, not by reading every result's
-- id lists (hundreds in a team's store).
CREATE TABLE benchmark_instances (
    seq INTEGER NOT NULL,           -- seq of the BenchmarkEvaluated event
    instance_id TEXT NOT NULL,      -- an instance id in one of its lists
    list TEXT NOT NULL              -- the first list naming it: resolved_ids, unresolved_ids, ...
);
CREATE INDEX benchmark_instances_by_instance_id ON benchmark_instances (instance_id);

-- The latest version of every benchmark result, retracted ones included (marked), with its pinned lineage
-- checkpoint -> SFT dataset -> trajectory run: what `leaderboard` ranks.
CREATE VIEW leaderboard_entries AS
SELECT
    b.benchmark,                    -- swe-bench_lite, swe-bench_verified or swe-bench-m
    b.split,                        -- dataset split
    b.name,                         -- result name
    b.version,                      -- result version
    b.model,                        -- model evaluated
    b.resolved,                     -- instances resolved
    b.total,                        -- benchmark size
    b.resolved_pct,                 -- 100 * resolved / total
    b.ci_low,                       -- 95% Wilson interval, lower end, percent
    b.ci_high,                      -- 95% Wilson interval, upper end, percent
    coalesce(b.cost, (SELECT sum(t.instance_cost) FROM trajectories AS t -- cost: USD as recorded, else of the run
        WHERE t.run = b.name)) AS cost,                          -- named like the result
    b.checkpoint,                   -- checkpoint evaluated, as recorded
    b.checkpoint_version,           -- its pinned version
    c.base_model,                   -- the checkpoint's base model
    c.sft_dataset,                  -- SFT dataset the checkpoint trained on
    c.sft_dataset_version,          -- its pinned version
    s.traj_run,                     -- run whose trajectories made that SFT dataset
    s.traj_run_version,             -- its pinned version
    s.eval_run AS traj_eval_run,    -- eval run that selected the resolved trajectories
    r.model AS traj_model,          -- model that produced those trajectories
    b.retracted,                    -- why the result was retracted (NULL: it stands)
    b.recorded_at,                  -- when the result was recorded
    strftime('%Y-%m-%dT%H:%M:%fZ', b.recorded_at / 1000.0, 'unixepoch') AS recorded_at_iso, -- the same, ISO 8601
    b.seq,                          -- seq of the BenchmarkEvaluated event
    b.infra,                        -- infrastructure failures, counted apart from the model's (NULL: not said)
    b.of_run,                       -- inference run whose predictions were scored, as recorded
    b.of_run_version                -- its pinned version
FROM benchmark_results AS b
-- A reference is kept as recorded, NAME or NAME@N, with its pinned version: it names the row of that version.
-- The second condition of each join is implied by the first; it lets SQLite find the row by its key (name,
-- version) instead of comparing every row of that version (the leaderboard at a million events).
LEFT JOIN checkpoints AS c
    ON c.version = b.checkpoint_version AND b.checkpoint IN (c.name, c.name || '@' || c.version)
    AND c.name IN (b.checkpoint, substr(b.checkpoint, 1, length(b.checkpoint) - length('@' || b.checkpoint_version)))
LEFT JOIN sft_datasets AS s
    ON s.version = c.sft_dataset_version AND c.sft_dataset IN (s.name, s.name || '@' || s.version)
    AND s.name IN (c.sft_dataset, substr(c.sft_dataset, 1, length(c.sft_dataset) - length('@' || c.sft_dataset_version)))
LEFT JOIN runs AS r
    ON r.version = s.traj_run_version AND s.traj_run IN (r.name, r.name || '@' || r.version)
    AND r.name IN (s.traj_run, substr(s.traj_run, 1, length(s.traj_run) - length('@' || s.traj_run_version)))
WHERE b.latest = 1 OR b.retracted IS NOT NULL;

-- Benchmark results ranked by resolved % (the latest version of each name; retracted ones left out).
CREATE VIEW leaderboard AS
SELECT
    rank() OVER (PARTITION BY benchmark, split ORDER BY resolved_pct DESC) AS rank, -- 1: best; ties share
    *                               -- the columns of leaderboard_entries
FROM leaderboard_entries
WHERE retracted IS NULL
ORDER BY benchmark, split, rank, name;

-- Every version of every named thing, in log order, with its time in ISO 8601: what was recorded when.
CREATE VIEW timeline AS
SELECT
    kind,                           -- dataset, subset, run, eval, sft, checkpoint or bench (as `retract` names them)
    name,                           -- its name
    version,                        -- its version
    latest,                         -- 1 on the version a bare name means now
    retracted,                      -- why it was retracted (NULL: it stands)
    recorded_at,                    -- when it was recorded
    strftime('%Y-%m-%dT%H:%M:%fZ', recorded_at / 1000.0, 'unixepoch') AS recorded_at_iso, -- the same, ISO 8601
    seq                             -- seq of the event that recorded it
FROM (
    SELECT 'dataset' AS kind, name, version, latest, retracted, recorded_at, seq FROM datasets
    UNION ALL SELECT 'subset', name, version, latest, retracted, recorded_at, seq FROM subsets
    UNION ALL SELECT 'run', name, version, latest, retracted, recorded_at, seq FROM runs
    UNION ALL SELECT 'eval', name, version, latest, retracted, recorded_at, seq FROM eval_runs
    UNION ALL SELECT 'sft', name, version, latest, retracted, recorded_at, seq FROM sft_datasets
    UNION ALL SELECT 'checkpoint', name, version, latest, retracted, recorded_at, seq FROM checkpoints
    UNION ALL SELECT 'bench', name, version, latest, retracted, recorded_at, seq FROM benchmark_results
)
ORDER BY seq;
