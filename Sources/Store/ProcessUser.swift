import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Who appends: the user part of an event's `actor` (`user@host`).
enum ProcessUser {
    /// `$USER` when it is set, else the name the password database gives the effective uid (cron jobs, containers
    /// and `env -i` run without `$USER`), else the uid itself as a number: never a made-up name.
    static var name: String {
        if let user = ProcessInfo.processInfo.environment["USER"], !user.isEmpty { return user }
        let uid = geteuid()
        // getpwuid_r, not getpwuid: the entry lives in our buffer, not in storage another thread may reuse.
        var entry = passwd()
        var found: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16_384)
        let name = buffer.withUnsafeMutableBufferPointer { b -> String? in
            guard getpwuid_r(uid, &entry, b.baseAddress!, b.count, &found) == 0, found != nil else { return nil }
            // Optional on some platforms' headers, not on others'.
            let name: UnsafeMutablePointer<CChar>? = entry.pw_name
            guard let cName = name else { return nil }
            return String(cString: cName)
        }
        if let name, !name.isEmpty { return name }
        return String(uid)
    }
}
