import HelpCenterForm
import HelpCenterReset

extension StrictForm {
    /// A form or query string read with the reset flow's field limit (``ResetPolicy/maximumFieldBytes``).
    init(body: String, allowed: Set<String>, ignoringOthers: Bool = false) throws {
        try self.init(body: body, allowed: allowed, ignoringOthers: ignoringOthers, maximumValueBytes: ResetPolicy.maximumFieldBytes)
    }
}
