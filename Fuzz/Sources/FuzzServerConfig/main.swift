// The server configuration file (`serve --config`): YAML with secrets, read by ServerConfig.parse.
import HelpCenterContent

@_cdecl("LLVMFuzzerTestOneInput")
public func test(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    do {
        let config = try ServerConfig.parse(text, path: "fuzz/server.yml", environment: [:])
        precondition(config.port.map { (1...65535).contains($0) } ?? true, "a port out of range was taken")
        precondition(config.email.smtp.map { (1...65535).contains($0.port) } ?? true, "an SMTP port out of range was taken")
    } catch {
        for diagnostic in error.diagnostics {
            let line = diagnostic.description
            precondition(!line.contains("\n") && !line.contains("\r"), "a diagnostic of more than one line")
            precondition(line.hasPrefix("fuzz/server.yml:") || line.hasPrefix("environment:"), "a diagnostic without its file")
        }
    }
    return 0
}
