public import SmithDomain
public import SmithJSON

/// Pure functions that turn a payload written with an older schema version into the next version's
/// shape, so projections only ever see the current shape (schema/README.md, "Evolving a type").
///
/// Every type is at version 1 today, so `standard` is empty. An event older than its type's current
/// version with no path of upcasters to it cannot be applied; neither can one newer than this code.
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
    public static var standard: Upcasters { Upcasters() }

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
