public import SmithStore

/// One instance's verdict in an evaluation run (its `report.json` is the blob).
///
/// Identity: the evaluation run, the instance and the report's SHA-256. Version 2 added `kind` (see
/// `VerdictKind`; derived from the version 1 fields when read from version 1, which knew no infra failures) and
/// `infra_reason`.
public struct EvalVerdictRecorded: PipelineEvent {
    public static let eventType = EventType.evalVerdictRecorded
    public static let schemaVersion = 2
    public static let upcasters: [Int: Upcast] = [1: addKind]

    public var evalRun: String
    public var instanceID: String
    public var resolved: Bool
    public var patchExists: Bool?
    public var patchApplied: Bool?
    public var timedOut: Bool
    public var failToPassSuccess: Int
    public var failToPassFailure: Int
    public var passToPassSuccess: Int
    public var passToPassFailure: Int
    public var report: Digest
    public var ofRun: String?
    /// Id of the `TrajectoryProduced` whose patch was evaluated, when known.
    public var trajectory: Digest?
    /// What kind of outcome this is: `resolved`, `unresolved`, `error`, `infra` or `missing` (`VerdictKind`).
    public var kind: String
    /// Why the harness classed the failure (`failure_reasons` / `infra_failure_reason`), when it did.
    public var infraReason: String?

    public init(
        evalRun: String, instanceID: String, resolved: Bool, patchExists: Bool?, patchApplied: Bool?,
        timedOut: Bool, failToPassSuccess: Int, failToPassFailure: Int, passToPassSuccess: Int,
        passToPassFailure: Int, report: Digest, ofRun: String?, trajectory: Digest?, kind: VerdictKind? = nil,
        infraReason: String? = nil
    ) {
        self.kind =
            (kind
            ?? VerdictKind.derived(
                resolved: resolved, timedOut: timedOut, patchExists: patchExists, patchApplied: patchApplied)).rawValue
        self.infraReason = infraReason
        self.evalRun = evalRun
        self.instanceID = instanceID
        self.resolved = resolved
        self.patchExists = patchExists
        self.patchApplied = patchApplied
        self.timedOut = timedOut
        self.failToPassSuccess = failToPassSuccess
        self.failToPassFailure = failToPassFailure
        self.passToPassSuccess = passToPassSuccess
        self.passToPassFailure = passToPassFailure
        self.report = report
        self.ofRun = ofRun
        self.trajectory = trajectory
    }

    public var stream: String { StreamName.evalRun(evalRun) }
    public var blobs: [Digest] { [report] }

    public func encode(to p: inout PayloadEncoder) {
        p.string("eval_run", evalRun)
        p.string("instance_id", instanceID)
        p.bool("resolved", resolved)
        p.bool("patch_exists", patchExists)
        p.bool("patch_applied", patchApplied)
        p.bool("timed_out", timedOut)
        p.int("f2p_success", failToPassSuccess)
        p.int("f2p_failure", failToPassFailure)
        p.int("p2p_success", passToPassSuccess)
        p.int("p2p_failure", passToPassFailure)
        p.digest("report_sha256", report)
        p.string("of_run", ofRun)
        p.digest("trajectory", trajectory)
        p.string("kind", kind)
        p.string("infra_reason", infraReason)
    }

    public init(from p: inout PayloadDecoder, envelope: EventEnvelope) throws(EventDecodingError) {
        evalRun = try p.string("eval_run")
        instanceID = try p.string("instance_id")
        resolved = try p.bool("resolved")
        patchExists = try p.optionalBool("patch_exists")
        patchApplied = try p.optionalBool("patch_applied")
        timedOut = try p.bool("timed_out")
        failToPassSuccess = try p.int("f2p_success")
        failToPassFailure = try p.int("f2p_failure")
        passToPassSuccess = try p.int("p2p_success")
        passToPassFailure = try p.int("p2p_failure")
        report = try p.digest("report_sha256")
        ofRun = try p.optionalString("of_run")
        trajectory = try p.optionalDigest("trajectory")
        kind = try p.string("kind")
        infraReason = try p.optionalString("infra_reason")
    }

    public func encodeIdentity(to p: inout PayloadEncoder) {
        p.string("eval_run", evalRun)
        p.string("instance_id", instanceID)
        p.digest("report_sha256", report)
    }

    public func validate() throws(EventValidationError) {
        try EventValidation.name(evalRun, "EvalVerdictRecorded.eval_run")
        try EventValidation.instanceID(instanceID, "EvalVerdictRecorded.instance_id")
        guard VerdictKind(rawValue: kind) != nil else {
            throw EventValidationError(
                "EvalVerdictRecorded.kind",
                "must be one of \(VerdictKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    /// v1 → v2: the kind the version 1 fields imply (version 1 knew no infra failures), no reason.
    static let addKind: Upcast = { payload in
        guard case .object(let pairs) = payload else { throw EventDecodingError("the payload is not a JSON object") }
        let kind = VerdictKind.derived(
            resolved: payload["resolved"]?.boolValue ?? false, timedOut: payload["timed_out"]?.boolValue ?? false,
            patchExists: payload["patch_exists"]?.boolValue, patchApplied: payload["patch_applied"]?.boolValue)
        return .object(pairs + [("kind", .string(kind.rawValue)), ("infra_reason", .null)])
    }
}
