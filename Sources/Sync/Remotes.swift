import Foundation
import SmithJSON
public import SmithStore

/// A named remote of a store.
public struct Remote: Sendable, Equatable {
    public var name: String
    public var address: RemoteAddress

    public init(name: String, address: RemoteAddress) {
        self.name = name
        self.address = address
    }
}

/// The store's remotes, kept in `remotes.json` in the store's folder (configuration, not history: never in the
/// log), replaced whole and atomically on every change. No password is ever written there.
public struct Remotes: Sendable {
    public private(set) var all: [Remote]
    let path: String

    /// The remotes of the store at `location` (none when it has no `remotes.json`).
    public init(location: StoreLocation) throws {
        path = location.root + "/remotes.json"
        all = []
        guard let bytes = try StoreFiles.contents(path, limit: 1 << 20) else { return }
        let bad = SyncError(.invalid, "\(path): not a smithlog remotes file")
        guard let object = (try? JSONParser.parse(bytes))?.objectValue,
            let remotes = object.first(where: { $0.0 == "remotes" })?.1.arrayValue
        else { throw bad }
        for r in remotes {
            guard let pairs = r.objectValue, let name = pairs.first(where: { $0.0 == "name" })?.1.stringValue,
                let url = pairs.first(where: { $0.0 == "url" })?.1.stringValue
            else { throw bad }
            all.append(Remote(name: name, address: try RemoteAddress(url)))
        }
    }

    /// The remote named `name`, or the only one when `name` is nil.
    public func find(_ name: String?) throws(SyncError) -> Remote {
        if let name {
            guard let r = all.first(where: { $0.name == name }) else {
                let known = all.isEmpty ? "it has none" : "it has " + all.map(\.name).joined(separator: ", ")
                throw SyncError(.notFound, "no remote named '\(name)' in this store (\(known))")
            }
            return r
        }
        guard all.count == 1 else {
            throw SyncError(
                .notFound,
                all.isEmpty
                    ? "this store has no remote: add one with `smithlog remote add NAME postgres://USER@HOST:PORT/DB`"
                    : "this store has \(all.count) remotes (\(all.map(\.name).joined(separator: ", "))): name one")
        }
        return all[0]
    }

    public mutating func add(_ remote: Remote) throws {
        guard !all.contains(where: { $0.name == remote.name }) else {
            throw SyncError(.invalid, "a remote named '\(remote.name)' already exists (remove it first)")
        }
        all.append(remote)
        try save()
    }

    public mutating func remove(_ name: String) throws {
        _ = try find(name)
        all.removeAll { $0.name == name }
        try save()
    }

    private func save() throws {
        let value = JSONValue.object([
            ("remotes", .array(all.map { .object([("name", .string($0.name)), ("url", .string($0.address.text))]) }))
        ])
        try StoreFiles.replace(path, with: PythonJSON.compactBytes(value) + [0x0a])
    }
}
