import Foundation
import SmithStore

/// Reads whole files for ingest, turning failures into one clear line.
enum FileReading {
    static func bytes(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
                throw IngestError("\(path): cannot read \(isDir.boolValue ? "a folder as a file" : "the file")")
            }
            throw IngestError("\(path): no such file")
        }
        return [UInt8](data)
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    static func baseName(_ path: String) -> String {
        var p = path
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        return (p as NSString).lastPathComponent
    }
}
