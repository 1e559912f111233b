// Measures in-process query latency of the search library: loads SITE/search/ and runs each query
// of QUERIES (one per line) once to warm up, then times every query once more.
// Usage: search-benchmark SITE QUERIES   → prints JSON {"queries": n, "p50_ms": …, "p99_ms": …, "load_ms": …}
import Foundation
import HelpCenterSearch

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: search-benchmark SITE QUERIES\n".utf8))
    exit(2)
}
let clock = ContinuousClock()
let loadStart = clock.now
let index = try SearchIndex.load(from: URL(fileURLWithPath: arguments[1]).appendingPathComponent("search"))
let loadTime = clock.now - loadStart
let queries = try String(contentsOfFile: arguments[2], encoding: .utf8).split(separator: "\n").map(String.init)
for query in queries { _ = index.search(query) }
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
