import Foundation
import HelpCenterContent
import HelpCenterSite
import Logging
import ServiceLifecycle

/// `serve --watch`: rebuilds the site when a file under the content folder (theme included) is
/// saved, added or removed, then the server takes the new index and open pages reload themselves
/// (``LiveReload``). Rebuilds are incremental: with the ``BuildCache`` of the previous build, only
/// the changed files are parsed again, and only the pages whose content or inputs (titles in related
/// lists, category listings, …) changed are rendered and written. A build with errors keeps the
/// previous site and shows the errors in the pages.
public struct SiteWatcher: Service {
    let content: String
    let output: String
    let server: HelpCenterServer
    let live: LiveReload
    let cache: BuildCache
    let logger: Logger
    /// How long to wait after a change for the rest of a save (editors write a file in several steps).
    let settle: Duration

    /// - Parameter cache: the cache the site in `output` was built with (the first build of `serve --watch`).
    public init(content: String, output: String, server: HelpCenterServer, live: LiveReload, cache: BuildCache, logger: Logger,
                settle: Duration = .milliseconds(20)) {
        self.content = content
        self.output = output
        self.server = server
        self.live = live
        self.cache = cache
        self.logger = logger
        self.settle = settle
    }

    /// Rebuilds the site; returns the build's summary and how long reading the content took, or the
    /// build's problems (errors and warnings) when it failed.
    func rebuild() -> Result<(summary: SiteBuilder.Summary, loading: Duration), Problems> {
        let start = ContinuousClock.now
        guard let tree = try? ContentTree.load(from: content, cache: cache.content) else {
            return .failure(Problems(lines: ["\(content): error: the content folder cannot be read"]))
        }
        let loading = ContinuousClock.now - start
        do {
            let theme = try Theme.load(for: tree)
            return .success((try SiteBuilder(tree: tree, theme: theme).build(into: URL(fileURLWithPath: output, isDirectory: true), cache: cache), loading))
        } catch {
            return .failure(Problems(lines: tree.failureLines(error)))
        }
    }

    /// Runs `body` on a thread of its own with a 64 MiB stack instead of on Swift concurrency's
    /// threads, whose stacks are far smaller: a build is bounded in depth everywhere (issue 23), and
    /// this leaves a wide margin for any C library it calls, so a rebuild never takes the server down.
    static func onLargeStack<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.stackSize = 64 << 20
            thread.start()
        }
    }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }

    struct Problems: Error {
        var lines: [String]
    }

    public func run() async throws {
        let monitor = FolderMonitor(folder: content)
        await cancelWhenGracefulShutdown {
            var built = 0
            for await change in monitor.changes where change > built {
                try? await Task.sleep(for: settle)
                built = monitor.generation  // changes seen until now are in this rebuild
                let start = ContinuousClock.now
                switch await Self.onLargeStack({ rebuild() }) {
                case .failure(let problems):
                    logger.warning("rebuild failed, the previous site stays: \(problems.lines.last ?? "")")
                    await live.publish(.problems(problems.lines))
                case .success(let (summary, loading)):
                    server.reloadSite(search: cache.searchIndex)
                    let total = ContinuousClock.now - start
                    logger.info("rebuilt in \(Self.milliseconds(total)) ms (content \(Self.milliseconds(loading)) ms, site \(Self.milliseconds(total - loading)) ms): \(summary.written) files written")
                    await live.publish(.reload)
                }
            }
        }
        monitor.stop()
        await live.finishAll()
    }
}
