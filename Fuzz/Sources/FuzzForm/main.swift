// Form bodies and query strings (StrictForm): the reset pages' POST bodies and /api/search's query.
import HelpCenterForm

@_cdecl("LLVMFuzzerTestOneInput")
public func test(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let body = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    let fields: Set<String> = ["email", "code", "password", "confirm", "csrf", "q", "limit", "category"]
    for ignoringOthers in [false, true] {
        if let form = try? StrictForm(body: body, allowed: fields, ignoringOthers: ignoringOthers, maximumValueBytes: 1024) {
            for (name, value) in form.fields {
                precondition(fields.contains(name), "a field not allowed was kept: \(name)")
                precondition(value.utf8.count <= 1024, "an over-long value was kept")
                precondition(form[name] == value)
            }
        }
    }
    return 0
}
