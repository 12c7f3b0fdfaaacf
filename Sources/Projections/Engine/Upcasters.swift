public import SmithDomain
public import SmithJSON

/// Pure functions that turn a payload written with an older schema version into the next version's
/// shape, so projections only ever see the current shape (schema/README.md, "Evolving a type").
///
/// `standard` holds InstanceRegistered v1 → v2; every other type is at version 1. An event older than its
/// type's current version with no path of upcasters to it cannot be applied; neither can one newer than this
/// code.
public struct Upcasters: Sendable {
    /// Turns a version-N payload into a version-N+1 payload; throws when the old payload cannot be read.
    public typealias Upcast = @Sendable (JSONValue) throws -> JSONValue

    private struct Key: Hashable {
        var type: EventType
        var version: Int
    }

    private var table: [Key: Upcast] = [:]

    public init() {}

    /// The upcasters this release of smithlog ships.
    public static var standard: Upcasters {
        var u = Upcasters()
        u.register(.instanceRegistered, from: 1, instanceRegisteredV2)
        return u
    }

    /// InstanceRegistered v1 → v2: drops `instance_id` and `row_sha256`, keeping the other fields in order.
    ///
    /// v1 events carried them redundantly: `instance_id` is the stream name minus `instance/` and `row_sha256`
    /// the hex of the event's only blob, which is where the projection reads both from now. An upcaster sees
    /// only the payload, so it cannot check that they agree with the envelope; smithlog always wrote them so.
    static let instanceRegisteredV2: Upcast = { payload in
        guard case .object(let pairs) = payload else { throw ApplyFailure("the payload is not a JSON object") }
        return .object(pairs.filter { $0.0 != "instance_id" && $0.0 != "row_sha256" })
    }

    /// Registers the step from `version` to `version + 1` of `type`.
    public mutating func register(_ type: EventType, from version: Int, _ upcast: @escaping Upcast) {
        table[Key(type: type, version: version)] = upcast
    }

    /// The payload in the current version of `type`'s schema.
    func upcast(_ payload: JSONValue, type: EventType, from version: Int) throws(ApplyFailure) -> JSONValue {
        let current = type.currentVersion
        if version > current {
            throw ApplyFailure(
                "it was written with schema version \(version), newer than this smithlog knows (\(current));"
                    + " upgrade smithlog")
        }
        var payload = payload
        var v = version
        while v < current {
            guard let step = table[Key(type: type, version: v)] else {
                throw ApplyFailure(
                    "it was written with schema version \(v) and there is no upcaster to version \(v + 1)")
            }
            do {
                payload = try step(payload)
            } catch {
                throw ApplyFailure("the upcaster from schema version \(v) failed: \(error)")
            }
            v += 1
        }
        return payload
    }
}
