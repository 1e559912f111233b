import Foundation
import HelpCenterContent
import HelpCenterSite
import Logging
import ServiceLifecycle

/// `serve --watch`: polls the content folder (theme included) and rebuilds the site when a file is
/// added, removed or changed; then the server reloads its index and open pages reload themselves
/// (``LiveReload``). A build with errors keeps the previous site and shows the errors in the pages.
public struct SiteWatcher: Service {
    let content: String
    let output: String
    let server: HelpCenterServer
    let live: LiveReload
    let logger: Logger
    /// Time between two looks at the content folder.
    let interval: Duration

    public init(content: String, output: String, server: HelpCenterServer, live: LiveReload, logger: Logger, interval: Duration = .milliseconds(200)) {
        self.content = content
        self.output = output
        self.server = server
        self.live = live
        self.logger = logger
        self.interval = interval
    }

    /// Every file under the content folder with its size and modification time.
    func fingerprint() -> [String: [Double]] {
        var result: [String: [Double]] = [:]
        let keys: [URLResourceKey] = [.contentModificationDateKey, .fileSizeKey]
        guard let files = FileManager.default.enumerator(at: URL(fileURLWithPath: content), includingPropertiesForKeys: keys) else { return [:] }
        for case let url as URL in files {
            let values = try? url.resourceValues(forKeys: Set(keys))
            result[url.path] = [values?.contentModificationDate?.timeIntervalSince1970 ?? 0, Double(values?.fileSize ?? 0)]
        }
        return result
    }

    /// Rebuilds the site; returns the problems (errors and warnings) when the build failed.
    func rebuild() -> [String]? {
        guard let tree = try? ContentTree.load(from: content) else { return ["\(content): error: the content folder cannot be read"] }
        do {
            let theme = try Theme.load(for: tree)
            _ = try SiteBuilder(tree: tree, theme: theme).build(into: URL(fileURLWithPath: output, isDirectory: true))
            return nil
        } catch {
            return tree.diagnostics.filter { $0.severity == .error }.sorted().map(\.description) + ["\(error)"]
        }
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown { await watch() }
        await live.finishAll()
    }

    func watch() async {
        var last = fingerprint()
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            let now = fingerprint()
            guard now != last else { continue }
            last = now
            let start = ContinuousClock.now
            if let problems = rebuild() {
                logger.warning("rebuild failed: \(problems.count) problems; the previous site stays")
                await live.publish(.problems(problems))
            } else {
                server.reloadSite()
                logger.info("rebuilt in \(ContinuousClock.now - start)")
                await live.publish(.reload)
            }
        }
    }
}
