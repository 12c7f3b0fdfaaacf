/// Benchmark run reports for one instance, as the two tools write them: the CLI and web tests record a pair of
/// results that disagree on it (a flipped instance).
public enum SampleReports {
    /// A SWE-bench harness run report (schema_version 2) that resolved `id`, out of 500.
    public static func harnessResolved(_ id: String) -> String {
        """
        {"total_instances": 500, "submitted_instances": 1, "completed_instances": 1, "resolved_instances": 1,
         "unresolved_instances": 0, "empty_patch_instances": 0, "error_instances": 0, "completed_ids": ["\(id)"],
         "incomplete_ids": [], "empty_patch_ids": [], "submitted_ids": ["\(id)"], "resolved_ids": ["\(id)"],
         "unresolved_ids": [], "error_ids": [], "schema_version": 2}
        """
    }

    /// An sb-cli report that did not resolve `id`, out of 500.
    public static func sbCliUnresolved(_ id: String) -> String {
        """
        {"total_instances": 500, "submitted_instances": 1, "completed_instances": 1, "resolved_instances": 0,
         "unresolved_instances": 1, "error_instances": 0, "pending_instances": 0, "failed_instances": 0,
         "resolved_ids": [], "unresolved_ids": ["\(id)"], "submitted_ids": ["\(id)"], "error_ids": []}
        """
    }
}
