internal import SmithJSON

/// Reads SWE-agent run-batch output folders, `trajectories/<user>/<run>/`, of 1.x and pre-1.0 SWE-agent, and
/// mini-swe-agent batch output folders (`<id>/<id>.traj.json`).
public enum RunFolderReader {
    /// Lists the run at `path`: its trajectories (sorted by instance id), config, model name, exit statuses and
    /// predictions.
    ///
    /// Throws `ReadError` when `path` is missing, a file, an empty folder, or not a run (no `.traj` or
    /// `.traj.json` in it nor in its instance folders). Unreadable auxiliary files are reported in
    /// `RunFolder.problems`.
    ///
    /// With `eachPrediction`, the predictions are handed to it one at a time as they are read (in the order
    /// `predictions` would hold them) and not kept: a run's `preds.json` holds every patch. If they fail to read
    /// part-way, it may have had some: `predictionsHandedOut` says whether it had them all. With `patches` false,
    /// the `<instance>.patch` files are not looked for (every `patchPath` is nil): a caller that does not use them
    /// (ingest reads the patch from the trajectory) then holds one path a trajectory, not two.
    public static func read(
        atPath path: String, patches: Bool = true, eachPrediction: ((Prediction) -> Void)? = nil
    ) throws(ReadError) -> RunFolder {
        let names = try FileSystem.requireNonEmptyFolder(path)
        // The predictions are read before the trajectories are listed: `preds.json` is read whole (3.5 MB for
        // 2,600 instances) and the listing is two paths a trajectory (1.5 MB), so the two are never held at once.
        var predictions = RunFolder(path: path, name: "", layout: .flat, trajectories: [])
        readPredictions(into: &predictions, names: names, each: eachPrediction)
        var (layout, trajectories) = try listTrajectories(path, names: names, patches: patches)
        numberInListingOrder(&trajectories, folder: path)
        var run = RunFolder(
            path: path, name: FileSystem.lastComponent(FileSystem.absolute(path)), layout: layout,
            trajectories: trajectories)
        if trajectories.contains(where: { $0.path.hasSuffix(".traj.json") }) { run.scaffold = .miniSweAgent }
        readConfig(into: &run, names: names)
        readExitStatuses(into: &run, names: names)
        run.predictionsPath = predictions.predictionsPath
        run.predictions = predictions.predictions
        run.predictionsHandedOut = predictions.predictionsHandedOut
        run.problems += predictions.problems
        return run
    }

    // MARK: trajectories

    private static func listTrajectories(
        _ path: String, names: [String], patches: Bool
    ) throws(ReadError) -> (RunFolder.Layout, [RunFolder.TrajectoryFile]) {
        var files: [RunFolder.TrajectoryFile] = []
        var nested = 0
        let patchesFolder = FileSystem.join(path, "patches")
        for name in names {
            let child = FileSystem.join(path, name)
            if name.hasSuffix(".traj.json"), name.count > 10, FileSystem.isFileOrSpecial(child) {
                // mini-swe-agent run outside its batch layout: <instance>.traj.json here.
                files.append(RunFolder.TrajectoryFile(instanceId: String(name.dropLast(10)), path: child))
            } else if name.hasSuffix(".traj"), name.count > 5, FileSystem.isFileOrSpecial(child) {
                // Pre-1.0: <instance>.traj here, <instance>.patch in patches/ (or next to it).
                let id = String(name.dropLast(5))
                let patch =
                    patches
                    ? firstFile([
                        FileSystem.join(patchesFolder, id + ".patch"), FileSystem.join(path, id + ".patch"),
                    ]) : nil
                files.append(RunFolder.TrajectoryFile(instanceId: id, path: child, patchPath: patch))
            } else if FileSystem.isFolder(child) {
                // 1.x: <instance>/<instance>.traj and <instance>/<instance>.patch.
                // SWE-agent 1.x: <instance>.traj; mini-swe-agent: <instance>.traj.json.
                var traj = FileSystem.join(child, name + ".traj")
                if !FileSystem.isFileOrSpecial(traj) { traj += ".json" }
                guard FileSystem.isFileOrSpecial(traj) else { continue }
                nested += 1
                files.append(
                    RunFolder.TrajectoryFile(
                        instanceId: name, path: traj,
                        patchPath: patches ? firstFile([FileSystem.join(child, name + ".patch")]) : nil))
            }
        }
        guard !files.isEmpty else {
            throw ReadError(
                path: path,
                message: "not a SWE-agent run (nor a mini-swe-agent one): expected <instance>/<instance>.traj, "
                    + "<instance>/<instance>.traj.json or <instance>.traj inside, found "
                    + names.prefix(5).joined(separator: ", "))
        }
        files.sort { $0.instanceId.utf8.lexicographicallyPrecedes($1.instanceId.utf8) }
        return (nested > 0 ? .perInstanceFolders : .flat, files)
    }

    /// Numbers the trajectories in the order `readdir` lists the run folder (the instance folders, or the
    /// flat files). A folder that cannot be listed again leaves them unnumbered.
    private static func numberInListingOrder(_ files: inout [RunFolder.TrajectoryFile], folder: String) {
        guard let listed = try? FileSystem.listingOrder(folder) else { return }
        var byEntry: [String: Int] = [:]
        for (i, file) in files.enumerated() {
            // The folder entry: <instance>/ in the per-instance layout, the file itself in the flat one.
            let nested = file.path.hasPrefix(FileSystem.join(folder, file.instanceId) + "/")
            byEntry[nested ? file.instanceId : FileSystem.lastComponent(file.path)] = i
        }
        var next = 0
        for name in listed {
            guard let i = byEntry[name] else { continue }
            files[i].listingPosition = next
            next += 1
        }
    }

    private static func firstFile(_ candidates: [String]) -> String? {
        candidates.first(where: FileSystem.isFile)
    }

    // MARK: config

    private static func readConfig(into run: inout RunFolder, names: [String]) {
        guard let name = ["run_batch.config.yaml", "args.yaml"].first(where: names.contains) else { return }
        let path = FileSystem.join(run.path, name)
        run.configPath = path
        do throws(ReadError) {
            let config = try RunConfig.read(path)
            run.config = config
            run.modelName = try RunConfig.modelName(config, file: path)
        } catch {
            run.problems.append(error)
        }
    }

    // MARK: exit statuses

    private static func readExitStatuses(into run: inout RunFolder, names: [String]) {
        let mini = MiniExitStatuses.files(in: names)
        if !mini.isEmpty {
            let paths = mini.map { FileSystem.join(run.path, $0) }
            run.exitStatusesPaths = paths
            run.exitStatusesPath = paths.last
            var read: [ExitStatuses] = []
            for path in paths {
                do throws(ReadError) {
                    read.append(try ExitStatusesReader.read(atPath: path))
                } catch {
                    run.problems.append(error)
                }
            }
            if !read.isEmpty { run.exitStatuses = MiniExitStatuses.merge(read) }
            return
        }
        guard names.contains("run_batch_exit_statuses.yaml") else { return }
        let path = FileSystem.join(run.path, "run_batch_exit_statuses.yaml")
        run.exitStatusesPath = path
        run.exitStatusesPaths = [path]
        do throws(ReadError) {
            run.exitStatuses = try ExitStatusesReader.read(atPath: path)
        } catch {
            run.problems.append(error)
        }
    }

    // MARK: predictions

    private static func readPredictions(
        into run: inout RunFolder, names: [String], each: ((Prediction) -> Void)?
    ) {
        guard let name = ["preds.json", "all_preds.jsonl"].first(where: names.contains) else {
            readPredFiles(into: &run, each: each)
            return
        }
        let path = FileSystem.join(run.path, name)
        run.predictionsPath = path
        do throws(ReadError) {
            if let each {
                try PredictionsReader.forEach(atPath: path, each)
                run.predictionsHandedOut = true
            } else {
                run.predictions = try PredictionsReader.read(atPath: path)
            }
        } catch {
            run.problems.append(error)
        }
    }

    /// SWE-agent writes `<instance>/<instance>.pred` as each instance finishes and merges them into
    /// `preds.json` at the end; an interrupted run has only the `.pred` files.
    private static func readPredFiles(into run: inout RunFolder, each: ((Prediction) -> Void)?) {
        guard let found = try? PredictionsReader.readPredFiles(inFolder: run.path),
            !found.predictions.isEmpty || !found.errors.isEmpty
        else { return }
        if let each {
            found.predictions.forEach(each)
            run.predictionsHandedOut = true
        } else {
            run.predictions = found.predictions
        }
        run.problems += found.errors
    }
}
