/// The folder walking behind `EvalRunFolder.scan`.
struct EvalRunScanner {
    let path: String
    /// The run report given by the caller, read instead of looking for `<model>.<run_id>.json`.
    var report: String? = nil

    /// Files an instance folder has when the harness ran it, with or without producing a report.
    static let instanceLogNames = ["run_instance.log", "test_output.txt", "patch.diff", "eval.sh"]

    func scan() throws(ReadError) -> EvalRunFolder {
        let names = try FileSystem.requireNonEmptyFolder(path)
        let runId = FileSystem.lastComponent(FileSystem.absolute(path))
        var folder = EvalRunFolder(path: path, runId: runId, layout: .sweSmith)
        var foundModelFolder = false

        if let given = self.report { readSummary(given, model: nil, into: &folder) }
        for name in names {
            let child = FileSystem.join(path, name)
            if name == "run.json" && FileSystem.isFile(child) {
                readRunMetadata(child, into: &folder)
                continue
            }
            if name == "report.json" && FileSystem.isFileOrSpecial(child) {
                readSummary(child, model: nil, into: &folder)
                continue
            }
            guard FileSystem.isFolder(child) else { continue }
            let report = FileSystem.join(child, "report.json")
            if FileSystem.isFileOrSpecial(report) {
                readInstance(report, instanceId: name, model: nil, into: &folder)
            } else if let instances = modelFolderInstances(child) {
                foundModelFolder = true
                for instance in instances {
                    let instanceFolder = FileSystem.join(child, instance)
                    let instanceReport = FileSystem.join(instanceFolder, "report.json")
                    if FileSystem.isFileOrSpecial(instanceReport) {
                        readInstance(instanceReport, instanceId: instance, model: name, into: &folder)
                    } else {
                        folder.instancesWithoutReport.append(instance)
                    }
                }
                if self.report == nil { findRunReport(model: name, runId: runId, into: &folder) }
            } else if looksLikeInstanceFolder(child) {
                folder.instancesWithoutReport.append(name)
            }
        }

        if foundModelFolder { folder.layout = .sweBench }
        guard
            !folder.instances.isEmpty || !folder.summaries.isEmpty || !folder.errors.isEmpty
                || !folder.instancesWithoutReport.isEmpty
        else {
            throw ReadError(
                path: path,
                message: "not an evaluation run: expected <instance_id>/report.json (SWE-smith) or "
                    + "<model>/<instance_id>/report.json (SWE-bench) inside, found "
                    + names.prefix(5).joined(separator: ", "))
        }
        folder.instances.sort {
            $0.instanceId == $1.instanceId
                ? ($0.model ?? "").utf8.lexicographicallyPrecedes(($1.model ?? "").utf8)
                : $0.instanceId.utf8.lexicographicallyPrecedes($1.instanceId.utf8)
        }
        folder.instancesWithoutReport.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return folder
    }

    private func readInstance(_ report: String, instanceId: String, model: String?, into folder: inout EvalRunFolder) {
        do throws(ReadError) {
            let verdict = try EvalReportReader.readInstanceReport(atPath: report, instanceId: instanceId)
            folder.instances.append(
                EvalRunFolder.InstanceReport(
                    instanceId: verdict.instanceId, path: report, model: model, verdict: verdict))
        } catch {
            if error.message == InstanceReportParser.validationReportMessage { folder.validationReports += 1 }
            folder.errors.append(error)
        }
    }

    /// `run.json` (`write_run_metadata` in swebench/harness/run_evaluation.py): dataset, split, task_repo,
    /// created_at. An unreadable one is an error of the scan like a bad report.
    private func readRunMetadata(_ file: String, into folder: inout EvalRunFolder) {
        do throws(ReadError) {
            let top = try ObjectFields(
                try JSONDocument.readFile(file), file: file, what: "run metadata (a JSON object)")
            folder.runMetadata = EvalRunFolder.RunMetadata(
                path: file, dataset: try top.optionalString("dataset"), split: try top.optionalString("split"),
                taskRepo: try top.optionalString("task_repo"), createdAt: try top.optionalString("created_at"))
        } catch {
            folder.errors.append(error)
        }
    }

    private func readSummary(_ file: String, model: String?, into folder: inout EvalRunFolder) {
        do throws(ReadError) {
            let summary = try EvalReportReader.readSummary(atPath: file)
            folder.summaries.append(EvalRunFolder.SummaryFile(path: file, model: model, summary: summary))
        } catch {
            folder.errors.append(error)
        }
    }

    /// The instance folders of a SWE-bench model folder, or `nil` when `folder` is not one.
    private func modelFolderInstances(_ folder: String) -> [String]? {
        guard let names = try? FileSystem.entries(folder) else { return nil }
        let instances = names.filter { looksLikeInstanceFolder(FileSystem.join(folder, $0)) }
        return instances.isEmpty ? nil : instances
    }

    private func looksLikeInstanceFolder(_ folder: String) -> Bool {
        guard FileSystem.isFolder(folder) else { return false }
        return FileSystem.isFile(FileSystem.join(folder, "report.json"))
            || Self.instanceLogNames.contains { FileSystem.isFile(FileSystem.join(folder, $0)) }
    }

    /// SWE-bench writes `<model>.<run_id>.json` into the directory the harness ran in, usually the one holding
    /// `logs/`; look in the run folder and the three folders above it.
    private func findRunReport(model: String, runId: String, into folder: inout EvalRunFolder) {
        var directory = FileSystem.absolute(path)
        let name = "\(model).\(runId).json"
        for _ in 0..<4 {
            let candidate = FileSystem.join(directory, name)
            if FileSystem.isFile(candidate) {
                readSummary(candidate, model: model, into: &folder)
                return
            }
            let up = FileSystem.parent(directory)
            if up == directory { break }
            directory = up
        }
        folder.runReportsNotFound.append(name)
    }
}
