import Foundation
import HelpCenterSite
import Logging
import ServiceLifecycle

/// Notices a `helpcenter build` run beside a running `serve` (without `--watch`) and reloads what the
/// server keeps in memory of the site: its search index, redirects and 404 page (pages themselves
/// are read from disk, and the response cache revalidates each by a stat). It checks the build's
/// marker file (``SiteBuilder/marker``) every `interval`: a build swaps in a whole new folder, so the
/// marker's inode or modification time changes. One `stat` per interval, whatever the traffic.
public struct SiteReloader: Service {
    let server: HelpCenterServer
    let folder: String
    let interval: Duration
    let logger: Logger

    public init(server: HelpCenterServer, folder: String, interval: Duration = .seconds(2), logger: Logger) {
        self.server = server
        self.folder = folder
        self.interval = interval
        self.logger = logger
    }

    /// The marker's inode and modification time, or nil when there is no built site.
    func stamp() -> [Int]? {
        var info = stat()
        guard stat(folder + "/" + SiteBuilder.marker, &info) == 0 else { return nil }
        return [Int(info.st_ino), Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec)]
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var last = stamp()
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                let current = stamp()
                guard current != last, current != nil else { continue }
                last = current
                server.reloadSite()
                logger.info("the site was built again: search index, redirects and 404 page reloaded")
            }
        }
    }
}
