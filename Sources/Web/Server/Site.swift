import SmithDomain
import SmithStore

/// The UI's pages by URL: one function from a request to a response, used by the HTTP server and by the static
/// export alike.
///
/// Every list pages by key (`WHERE key > ? ORDER BY key LIMIT n`), never by OFFSET, and no response holds a whole
/// run or a whole trajectory.
public struct Site: Sendable {
    public let store: WebStore
    /// Rows per page of every list.
    public var pageSize: Int
    /// Steps in a trajectory page's first response (and in each further fragment).
    public var stepsPerPage: Int
    /// For the static export: pages show every step at once (there is no server to fetch the rest from).
    public var allStepsAtOnce = false

    public init(store: WebStore, pageSize: Int = 50, stepsPerPage: Int = 20) {
        self.store = store
        self.pageSize = pageSize
        self.stepsPerPage = stepsPerPage
    }

    /// The response to `GET path?query`: a page, a fragment, a download, a static file or an error page.
    public func respond(path: String, query: String?) -> WebResponse {
        let request = PageRequest(path: path, query: query)
        do {
            return try route(request)
        } catch let e as PageNotFound {
            return .html(Layout.notFound(e.message), status: 404)
        } catch let e as NameError where e.code == .notFound {
            return .html(Layout.notFound(e.message), status: 404)
        } catch let e as BadPageRequest {
            return .html(Layout.page("Bad request", [H.h1("Bad request"), H.p(e.message)]), status: 400)
        } catch let e as LogError where e.code == .notFound {
            return .html(Layout.notFound(String(describing: e)), status: 404)
        } catch {
            return .html(
                Layout.page(
                    "Error",
                    [
                        H.h1("This page could not be made"), H.p(String(describing: error)),
                        .el("p", [:], [H.a("/", "Back to the start page")]),
                    ]), status: 500)
        }
    }

    func route(_ r: PageRequest) throws -> WebResponse {
        let s = r.segments
        switch (s.first ?? "", s.count) {
        case ("", 0): return .html(try HomePage.render(self))
        case ("static", 2):
            guard let asset = Assets.response(s[1]) else { throw PageNotFound("no static file '\(s[1])'") }
            return asset
        case ("leaderboard", 1): return .html(try LeaderboardPage.index(self))
        case ("leaderboard", 2): return .html(try LeaderboardPage.render(self, benchmark: s[1]))
        case ("runs", 1): return .html(try RunsPage.render(self, r))
        case ("runs", 2): return .html(try RunDetailPage.render(self, name: s[1], r))
        case ("runs", 3):
            if r["fragment"] != nil {
                return .html(try TrajectoryPage.fragment(self, run: s[1], instance: s[2], r))
            }
            return .html(try TrajectoryPage.render(self, run: s[1], instance: s[2], r))
        case ("compare", 1): return .html(try ComparePage.render(self, r))
        case ("compare", 2) where s[1] == "trajectories": return .html(try ComparePage.sideBySide(self, r))
        case ("checkpoints", 2): return .html(try CheckpointPage.render(self, name: s[1]))
        case ("lineage", 3): return .html(try LineagePage.render(self, kind: s[1], name: s[2]))
        case ("sft", 1): return .html(try SftPage.index(self, r))
        case ("sft-diff", 1): return .html(try SftPage.diff(self, r))
        case ("sft", 2): return .html(try SftPage.render(self, name: s[1], r))
        case ("sft", 3) where s[2] == "download": return try SftPage.download(self, name: s[1])
        case ("instances", 2): return .html(try InstancePage.render(self, id: s[1]))
        case ("log", 1): return .html(try EventLogPage.index(self, r))
        case ("log", 2): return .html(try EventLogPage.event(self, seq: s[1]))
        case ("blobs", 2): return try EventLogPage.blob(self, hex: s[1], raw: r["raw"] != nil)
        default: throw PageNotFound("there is no page at /\(s.map(Link.segment).joined(separator: "/"))")
        }
    }
}
