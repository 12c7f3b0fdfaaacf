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
-- milliseconds since the Unix epoch (UTC), taken from the event's recorded_at.

-- Where each projection stands in the log.
CREATE TABLE projection_state (
    projection TEXT PRIMARY KEY,    -- datasets, subsets, runs, evals, sft, checkpoints or benchmarks
    last_seq INTEGER NOT NULL,      -- seq of the last event this projection has applied (0: none yet)
    stopped_seq INTEGER,            -- seq of the event it could not apply (NULL when healthy)
    stopped_type TEXT,              -- that event's type
    stopped_stream TEXT,            -- that event's stream
    stopped_reason TEXT             -- why it could not be applied
) WITHOUT ROWID;

-- Dataset files imported (DatasetImported); a re-import under the same name replaces the row.
CREATE TABLE datasets (
    name TEXT PRIMARY KEY,          -- dataset name (--name, default: file name without extension)
    file_name TEXT NOT NULL,        -- base name of the imported file
    sha256 TEXT NOT NULL,           -- SHA-256 of the whole file
    format TEXT NOT NULL,           -- json or jsonl
    rows INTEGER NOT NULL,          -- number of rows in the file
    recorded_at INTEGER NOT NULL,   -- when it was imported
    seq INTEGER NOT NULL            -- seq of the DatasetImported event
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

-- Named selections of instances (SubsetDefined); a new definition of a name replaces the old one.
CREATE TABLE subsets (
    name TEXT PRIMARY KEY,          -- subset name
    definition TEXT NOT NULL,       -- id of the SubsetDefined event in force
    dataset TEXT NOT NULL,          -- dataset the instances were selected from
    dataset_sha256 TEXT NOT NULL,   -- SHA-256 of that dataset's file at selection time
    condition TEXT NOT NULL,        -- the SQL condition over `instances` that selected them
    members INTEGER NOT NULL,       -- number of members the definition announced
    recorded_at INTEGER NOT NULL,   -- when it was defined
    seq INTEGER NOT NULL            -- seq of the SubsetDefined event
);

-- Members of the subset definitions in force (InstanceSelected naming that definition).
CREATE TABLE subset_members (
    subset TEXT NOT NULL,           -- subset name
    position INTEGER NOT NULL,      -- 0-based position in the subset (dataset order)
    instance_id TEXT NOT NULL,      -- the member
    definition TEXT NOT NULL,       -- id of the SubsetDefined event the membership belongs to
    seq INTEGER NOT NULL,           -- seq of the InstanceSelected event
    PRIMARY KEY (subset, definition, position)
) WITHOUT ROWID;
CREATE INDEX subset_members_by_instance_id ON subset_members (instance_id);

-- SWE-agent run-batches (RunStarted); re-recording a run with another config replaces the row.
CREATE TABLE runs (
    name TEXT PRIMARY KEY,          -- run name
    model TEXT,                     -- model name the agent used
    agent_version TEXT,             -- SWE-agent version
    config_file TEXT,               -- name of the run's config file
    config_json TEXT,               -- the run config as JSON
    config_sha256 TEXT,             -- SHA-256 of the config file (its blob)
    subset TEXT,                    -- subset the run was over, when known
    instances INTEGER NOT NULL,     -- number of instances in the batch
    recorded_at INTEGER NOT NULL,   -- when it was recorded
    seq INTEGER NOT NULL            -- seq of the RunStarted event
);

-- Trajectories (TrajectoryProduced): the latest recording per run and instance. A re-recording (other bytes,
-- so a new event) replaces the row here; the trigger below moves the replaced one to superseded_trajectories.
CREATE TABLE trajectories (
    run TEXT NOT NULL,              -- run name
    instance_id TEXT NOT NULL,      -- task instance id
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

-- Trajectories replaced by a later recording for the same run and instance (plus what replaced them).
CREATE TABLE superseded_trajectories (
    seq INTEGER PRIMARY KEY,        -- seq of the replaced TrajectoryProduced event
    run TEXT NOT NULL,              -- run name
    instance_id TEXT NOT NULL,      -- task instance id
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

CREATE TRIGGER trajectories_keep_superseded BEFORE UPDATE ON trajectories
BEGIN
    INSERT INTO superseded_trajectories VALUES (OLD.seq, OLD.run, OLD.instance_id, OLD.event_id,
        OLD.traj_sha256, OLD.format, OLD.exit_status, OLD.submission_sha256, OLD.instance_cost, OLD.tokens_sent,
        OLD.tokens_received, OLD.api_calls, OLD.steps, OLD.swe_agent_version, OLD.swe_rex_version,
        OLD.recorded_at, NEW.seq);
END;

-- Every recording of every trajectory, latest and replaced: the history of an instance.
CREATE VIEW trajectory_history AS
SELECT
    run,                            -- run name
    instance_id,                    -- task instance id
    seq,                            -- seq of the TrajectoryProduced event
    event_id,                       -- its event id
    traj_sha256,                    -- SHA-256 of the .traj file
    exit_status,                    -- SWE-agent exit status
    instance_cost,                  -- model cost in USD
    steps,                          -- steps in the trajectory
    recorded_at,                    -- when it was recorded
    NULL AS superseded_by           -- seq of the recording that replaced it (NULL: the latest)
FROM trajectories
UNION ALL
SELECT run, instance_id, seq, event_id, traj_sha256, exit_status, instance_cost, steps, recorded_at,
    superseded_by                   -- the same columns, for the replaced recordings
FROM superseded_trajectories;

-- Harness evaluation runs (EvalRunStarted).
CREATE TABLE eval_runs (
    name TEXT PRIMARY KEY,          -- evaluation run name (the harness run_id)
    of_run TEXT,                    -- the agent run whose patches were evaluated, when known
    layout TEXT NOT NULL,           -- swe-smith or swe-bench report layout
    summary_sha256 TEXT,            -- SHA-256 of the summary report, when there was one
    model TEXT,                     -- model name, when known
    recorded_at INTEGER NOT NULL,   -- when it was recorded
    seq INTEGER NOT NULL            -- seq of the EvalRunStarted event
);

-- Verdicts (EvalVerdictRecorded): the latest per eval run and instance. A newer verdict replaces the row here;
-- the trigger below moves the replaced one to superseded_verdicts.
CREATE TABLE verdicts (
    eval_run TEXT NOT NULL,         -- evaluation run name
    instance_id TEXT NOT NULL,      -- task instance id
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

-- Verdicts replaced by a later one for the same eval run and instance (same columns, plus who replaced it).
CREATE TABLE superseded_verdicts (
    seq INTEGER PRIMARY KEY,        -- seq of the replaced EvalVerdictRecorded event
    eval_run TEXT NOT NULL,         -- evaluation run name
    instance_id TEXT NOT NULL,      -- task instance id
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
    INSERT INTO superseded_verdicts VALUES (OLD.seq, OLD.eval_run, OLD.instance_id, OLD.resolved,
        OLD.patch_exists, OLD.patch_applied, OLD.timed_out, OLD.f2p_success, OLD.f2p_failure, OLD.p2p_success,
        OLD.p2p_failure, OLD.report_sha256, OLD.of_run, OLD.trajectory, OLD.recorded_at, NEW.seq);
END;

-- Every verdict, latest and replaced: the history of an instance's evaluations.
CREATE VIEW verdict_history AS
SELECT
    eval_run,                       -- evaluation run name
    instance_id,                    -- task instance id
    seq,                            -- seq of the EvalVerdictRecorded event
    resolved,                       -- 1 when it was resolved
    timed_out,                      -- 1 when the evaluation timed out
    report_sha256,                  -- SHA-256 of the report.json
    of_run,                         -- agent run evaluated
    recorded_at,                    -- when it was recorded
    NULL AS superseded_by           -- seq of the verdict that replaced it (NULL: the latest)
FROM verdicts
UNION ALL
SELECT eval_run, instance_id, seq, resolved, timed_out, report_sha256, of_run, recorded_at, superseded_by
FROM superseded_verdicts;

-- The resolved set: the latest verdict per eval run and instance, where it resolved.
CREATE VIEW resolved AS
SELECT
    eval_run,                       -- evaluation run name
    instance_id,                    -- task instance id
    of_run,                         -- agent run evaluated, when known
    trajectory,                     -- event id of the trajectory evaluated, when known
    report_sha256,                  -- SHA-256 of the instance's report.json
    seq                             -- seq of the verdict
FROM verdicts
WHERE resolved = 1;

-- SFT datasets (SftDatasetBuilt); a new build of a name replaces the old one and its samples.
CREATE TABLE sft_datasets (
    name TEXT PRIMARY KEY,          -- SFT dataset name
    build TEXT NOT NULL,            -- id of the SftDatasetBuilt event in force
    style TEXT NOT NULL,            -- xml, ticks or tool
    transform TEXT NOT NULL,        -- transform version: xml-v1, xml-v2, ticks-v1, tool-v1 or combine
    system_prompt_sha256 TEXT,      -- SHA-256 of the system prompt put in system messages
    traj_run TEXT,                  -- run whose trajectories were transformed
    eval_run TEXT,                  -- eval run that decided which were resolved
    subset TEXT,                    -- subset the trajectories were limited to
    only_resolved INTEGER NOT NULL, -- 1 when only resolved trajectories were kept
    file_name TEXT NOT NULL,        -- name of the exported jsonl
    export_sha256 TEXT NOT NULL,    -- SHA-256 of the exported jsonl
    lines INTEGER NOT NULL,         -- lines in the export
    skipped_json TEXT NOT NULL,     -- counts of skipped trajectories by reason, as a JSON object
    combined_from_json TEXT,        -- for combined datasets: the inputs, as a JSON array
    seed INTEGER,                   -- shuffle seed (combine)
    max_per_inst INTEGER,           -- trajectories kept per instance at most (combine)
    recorded_at INTEGER NOT NULL,   -- when it was built
    seq INTEGER NOT NULL            -- seq of the SftDatasetBuilt event
);

-- Lines of the SFT builds in force (FtSampleEmitted naming that build).
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

-- Fine-tuning checkpoints (CheckpointSaved).
CREATE TABLE checkpoints (
    name TEXT PRIMARY KEY,          -- checkpoint name
    config_json TEXT NOT NULL,      -- the torchtune config, as JSON
    config_sha256 TEXT NOT NULL,    -- SHA-256 of the config file (its blob)
    base_model TEXT,                -- model fine-tuned
    lr REAL,                        -- learning rate
    epochs INTEGER,                 -- epochs configured
    batch_size INTEGER,             -- batch size
    gradient_accumulation_steps INTEGER, -- gradient accumulation steps
    max_seq_len INTEGER,            -- maximum sequence length
    data_files TEXT,                -- dataset.data_files of the config
    sft_dataset TEXT,               -- SFT dataset it trained on, when matched
    sft_match TEXT NOT NULL,        -- how sft_dataset was matched: sha256, file-name or unknown
    epoch INTEGER,                  -- epoch this checkpoint was saved at
    dir TEXT,                       -- checkpoint folder
    files_json TEXT NOT NULL,       -- its files [{path, size, sha256}], as JSON
    recorded_at INTEGER NOT NULL,   -- when it was recorded
    seq INTEGER NOT NULL            -- seq of the CheckpointSaved event
);

-- SWE-bench scores (BenchmarkEvaluated); percentages and the 95% Wilson interval are computed on apply.
CREATE TABLE benchmark_results (
    name TEXT PRIMARY KEY,          -- result name
    benchmark TEXT NOT NULL,        -- swe-bench_lite, swe-bench_verified or swe-bench-m
    split TEXT NOT NULL,            -- dataset split, e.g. test
    model TEXT,                     -- model evaluated
    checkpoint TEXT,                -- checkpoint evaluated, when it is one of ours
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
    recorded_at INTEGER NOT NULL,   -- when it was recorded
    seq INTEGER NOT NULL            -- seq of the BenchmarkEvaluated event
);
CREATE INDEX benchmark_results_ranking ON benchmark_results (benchmark, split, resolved_pct DESC);

-- Benchmark results ranked by resolved %, with the lineage checkpoint -> SFT dataset -> trajectory run.
CREATE VIEW leaderboard AS
SELECT
    rank() OVER (PARTITION BY b.benchmark, b.split ORDER BY b.resolved_pct DESC) AS rank, -- 1: best; ties share
    b.benchmark,                    -- swe-bench_lite, swe-bench_verified or swe-bench-m
    b.split,                        -- dataset split
    b.name,                         -- result name
    b.model,                        -- model evaluated
    b.resolved,                     -- instances resolved
    b.total,                        -- benchmark size
    b.resolved_pct,                 -- 100 * resolved / total
    b.ci_low,                       -- 95% Wilson interval, lower end, percent
    b.ci_high,                      -- 95% Wilson interval, upper end, percent
    (SELECT sum(t.instance_cost) FROM trajectories AS t -- cost: USD of the agent run named like the result
        WHERE t.run = b.name) AS cost,
    b.checkpoint,                   -- checkpoint evaluated
    c.base_model,                   -- the checkpoint's base model
    c.sft_dataset,                  -- SFT dataset the checkpoint trained on
    s.traj_run,                     -- run whose trajectories made that SFT dataset
    s.eval_run AS traj_eval_run,    -- eval run that selected the resolved trajectories
    r.model AS traj_model,          -- model that produced those trajectories
    b.seq                           -- seq of the BenchmarkEvaluated event
FROM benchmark_results AS b
LEFT JOIN checkpoints AS c ON c.name = b.checkpoint
LEFT JOIN sft_datasets AS s ON s.name = c.sft_dataset
LEFT JOIN runs AS r ON r.name = s.traj_run
ORDER BY b.benchmark, b.split, rank, b.name;
