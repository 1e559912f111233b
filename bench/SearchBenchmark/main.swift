// Measures the search library in process: loads SITE/search/, runs each query of QUERIES (one per
// line) once to warm up, then times every query once more.
// Usage: search-benchmark SITE QUERIES            → JSON {"queries": n, "p50_ms": …, "p99_ms": …, "max_ms": …, "load_ms": …}
//        search-benchmark SITE QUERIES THREADS S  → JSON {"threads": t, "seconds": s, "queries_per_second": …}: THREADS
//        threads run the queries round-robin for S seconds, each building the full response (snippets and
//        the JSON /api/search writes): the engine alone, for bench/load.py to compare the server with.
import Foundation
import HelpCenterSearch
import Synchronization

let arguments = CommandLine.arguments
guard arguments.count == 3 || arguments.count == 5 else {
    FileHandle.standardError.write(Data("usage: search-benchmark SITE QUERIES [THREADS SECONDS]\n".utf8))
    exit(2)
}
let clock = ContinuousClock()
let loadStart = clock.now
let index = try SearchIndex.load(from: URL(fileURLWithPath: arguments[1]).appendingPathComponent("search"))
let loadTime = clock.now - loadStart
let queries = try String(contentsOfFile: arguments[2], encoding: .utf8).split(separator: "\n").map(String.init)
for query in queries { _ = index.search(query) }

if arguments.count == 5, let threads = Int(arguments[3]), let seconds = Double(arguments[4]) {
    let done = Atomic<Int>(0)
    let deadline = clock.now + .milliseconds(Int(seconds * 1000))
    let group = DispatchGroup()
    for thread in 0..<threads {
        group.enter()
        Thread {
            var i = thread
            while clock.now < deadline {
                _ = index.search(queries[i % queries.count]).json()
                i += threads
                done.add(1, ordering: .relaxed)
            }
            group.leave()
        }.start()
    }
    group.wait()
    print(String(format: "{\"threads\": %d, \"seconds\": %.1f, \"queries_per_second\": %.0f}", threads, seconds,
                 Double(done.load(ordering: .relaxed)) / seconds))
    exit(0)
}

var samples: [Double] = []
for query in queries {
    let start = clock.now
    _ = index.search(query)
    let elapsed = clock.now - start
    samples.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
}
let sorted = samples.sorted()
for (time, query) in zip(samples, queries).sorted(by: { $0.0 > $1.0 }).prefix(8) {
    FileHandle.standardError.write(Data(String(format: "slowest: %.2f ms %@ (%d results)\n", time, query, index.search(query).total).utf8))
}
func percentile(_ p: Double, of sorted: [Double]) -> Double { sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)] }
let load = Double(loadTime.components.attoseconds) / 1e15 + Double(loadTime.components.seconds) * 1000
print(String(format: "{\"queries\": %d, \"p50_ms\": %.3f, \"p99_ms\": %.3f, \"max_ms\": %.3f, \"load_ms\": %.1f}",
             sorted.count, percentile(0.5, of: sorted), percentile(0.99, of: sorted), sorted.last ?? 0, load))
