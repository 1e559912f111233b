import Foundation
import HelpCenterForm
import HelpCenterReset
import HTTPTypes
import Hummingbird
import NIOCore

/// The sign-in page and the password-reset walkthrough over HTTP: forms in, pages out.
///
/// Every page: a browser cookie (HttpOnly, SameSite=Strict; `Secure` and the `__Host-` prefix over
/// TLS) to which the forms' anti-CSRF token is bound; POST-only state changes; strict form decoding
/// (``StrictForm``), whose refusals look the same for every address (HTTP 400); the same pages for
/// known and unknown addresses. The security headers come from ``AccountHeadersMiddleware``.
struct AccountController: Sendable {
    let service: ResetService
    let pages: AccountPages
    /// True when the site is served over TLS: cookies get `Secure` and the `__Host-` prefix.
    let secureCookies: Bool
    let inbox: CapturedDelivery?

    var browserCookie: String { secureCookies ? "__Host-hc_browser" : "hc_browser" }
    var sessionCookie: String { secureCookies ? "__Host-hc_session" : "hc_session" }

    func register(on router: Router<HelpCenterRequestContext>, root: String) {
        let account = router.group(RouterPath(root + "/account"))
        account.get("sign-in") { request, _ in try await self.signInPage(request) }
        account.post("sign-in") { request, context in try await self.signIn(request, context) }
        account.post("sign-out") { request, context in try await self.signOut(request, context) }
        account.get("reset") { request, _ in self.emailPage(request) }
        account.post("reset") { request, context in try await self.start(request, context) }
        account.get("reset/challenge") { request, context in try await self.challenge(request, context) }
        account.on("reset/available", method: .head) { _, _ in Response(status: .noContent) }
        account.get("reset/available") { _, _ in Response(status: .noContent) }
        account.get("reset/method") { request, _ in try await self.stepPage(request, page: .method) }
        account.post("reset/method") { request, context in try await self.choose(request, context) }
        account.get("reset/code") { request, _ in
            try await self.stepPage(request, page: .code, notice: request.uri.queryParameters.get("sent") == "1"
                ? "A new code is on its way if the address can receive it. Only the newest code works." : nil)
        }
        account.post("reset/code") { request, context in try await self.verifyCode(request, context) }
        account.post("reset/resend") { request, context in try await self.resend(request, context) }
        account.get("reset/questions") { request, _ in try await self.stepPage(request, page: .questions) }
        account.post("reset/questions") { request, context in try await self.answer(request, context) }
        account.get("reset/password") { request, _ in try await self.stepPage(request, page: .verified) }
        account.post("reset/password") { request, context in try await self.setPassword(request, context) }
        account.get("reset/done") { request, _ in self.donePage(request) }
        account.get("assets/{name}") { _, context in try self.asset(context) }
        if let inbox {
            router.get(RouterPath(root + "/demo/inbox")) { request, _ in await self.inboxPage(request, inbox: inbox) }
        }
    }

    // MARK: Browser cookie, forms, responses

    /// The browser token from the cookie, or a new one (then set by ``page(_:_:status:browser:request:)``).
    func browser(_ request: Request) -> (token: String, isNew: Bool) {
        if let value = request.cookies[browserCookie]?.value, service.isIssuedBrowserToken(value) { return (value, false) }
        return (service.newBrowserToken(), true)
    }

    func cookie(_ name: String, _ value: String, maxAge: Int?) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: secureCookies, httpOnly: true, sameSite: .strict)
    }

    func html(_ body: String, status: HTTPResponse.Status = .ok, browser: (token: String, isNew: Bool)? = nil) -> Response {
        var response = Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                                body: .init(byteBuffer: ByteBuffer(string: body)))
        if let browser, browser.isNew { response.setCookie(cookie(browserCookie, browser.token, maxAge: nil)) }
        return response
    }

    func redirect(_ path: String) -> Response { .redirect(to: pages.site.root + path, type: .normal) }

    /// Why a POST is refused before it reaches the flow.
    enum Refusal: Error { case badForm, forgedRequest }

    /// Reads a form POST: the browser cookie must exist, the request must come from this site
    /// (``SameOrigin``: `Sec-Fetch-Site` and `Origin`, when the browser sends them), the anti-CSRF token must match the cookie, and
    /// the body must be a strict form of `fields`.
    func form(_ request: Request, _ context: HelpCenterRequestContext, fields: Set<String>) async throws(Refusal) -> (StrictForm, browser: String) {
        guard let browser = request.cookies[browserCookie]?.value, service.isIssuedBrowserToken(browser) else { throw .forgedRequest }
        guard SameOrigin.check(request) else { throw .forgedRequest }
        var request = request
        guard let buffer = try? await request.collectBody(upTo: context.maxUploadSize),
              let form = try? StrictForm(body: String(buffer: buffer), allowed: fields.union(["csrf"])) else { throw .badForm }
        guard service.isValidCSRF(form["csrf"], browser: browser) else { throw .forgedRequest }
        return (form, browser)
    }

    /// Runs `body` on a valid form; a refused form gets the same "start again" page for everyone.
    func handleForm(_ request: Request, _ context: HelpCenterRequestContext, fields: Set<String>,
                    _ body: (StrictForm, String) async throws -> Response) async throws -> Response {
        let parsed: (form: StrictForm, browser: String)
        do {
            parsed = try await form(request, context, fields: fields)
        } catch {
            switch error {
            case .badForm:
                return endedPage(request, reason: "The form could not be read. Go back, reload the page and try again.", status: .badRequest)
            case .forgedRequest:
                return endedPage(request, reason: "This form has expired or did not come from this page. Reload the page and try again; cookies must be allowed.",
                                 status: .forbidden)
            }
        }
        return try await body(parsed.form, parsed.browser)
    }

    // MARK: Sign-in

    func signInPage(_ request: Request, error: String? = nil, email: String = "", humanCheck: Bool = false,
                    status: HTTPResponse.Status = .ok) async throws -> Response {
        let browser = browser(request)
        if error == nil, let session = request.cookies[sessionCookie]?.value, let account = try await service.account(session: session) {
            return html(pages.render("signed-in", .init(title: "Signed in", csrf: service.csrfToken(for: browser.token),
                                                          values: ["name": account.name, "email": account.email])), browser: browser)
        }
        let page = AccountPages.Page(title: "Sign in", csrf: service.csrfToken(for: browser.token), error: error,
                                     help: pages.links([.forgotPassword]), proofOfWork: humanCheck, values: ["email": email, "humanCheck": humanCheck])
        return html(pages.render("sign-in", page), status: status, browser: browser)
    }

    func signIn(_ request: Request, _ context: HelpCenterRequestContext) async throws -> Response {
        try await handleForm(request, context, fields: ["email", "password", "altcha"]) { form, _ in
            switch try await service.signIn(email: form["email"], password: form["password"], client: context.clientAddress, proofOfWork: form["altcha"]) {
            case .signedIn(let session, _):
                var response = redirect("/account/sign-in")
                response.setCookie(cookie(sessionCookie, session, maxAge: nil))
                return response
            case .failed:
                return try await signInPage(request, error: "The email address or password is not correct. Forgot your password? Reset it below.",
                                            email: form["email"], status: .unauthorized)
            case .rateLimited:
                return try await signInPage(request, error: "Too many failed sign-ins from this network. Wait an hour, or reset your password.",
                                            email: form["email"], status: .tooManyRequests)
            case .humanCheckRequired:
                return try await signInPage(request, error: "Many sign-ins to this address failed lately, so we ask for a quick human check first. "
                                            + "Wait until it says it is done, then enter your password and sign in again.",
                                            email: form["email"], humanCheck: true, status: .tooManyRequests)
            }
        }
    }

    func signOut(_ request: Request, _ context: HelpCenterRequestContext) async throws -> Response {
        try await handleForm(request, context, fields: []) { _, _ in
            if let session = request.cookies[sessionCookie]?.value { try await service.signOut(session: session) }
            var response = redirect("/account/sign-in")
            response.setCookie(cookie(sessionCookie, "", maxAge: 0))
            return response
        }
    }

    // MARK: Step 1

    func emailPage(_ request: Request, error: String? = nil, email: String = "", status: HTTPResponse.Status = .ok) -> Response {
        let browser = browser(request)
        let page = AccountPages.Page(title: "Reset your password", step: 1, csrf: service.csrfToken(for: browser.token), error: error,
                                     help: pages.links([.forgotPassword]), proofOfWork: true, values: ["email": email])
        return html(pages.render("reset-email", page), status: status, browser: browser)
    }

    func challenge(_ request: Request, _ context: HelpCenterRequestContext) async throws -> Response {
        // Challenges are counted per client: another site must not spend them (an <img> or a fetch from it).
        guard SameOrigin.check(request) else {
            return Response(status: .forbidden, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: #"{"error":"only this site's pages may ask for a human check"}"#)))
        }
        guard let challenge = try await service.challenge(client: context.clientAddress) else {
            return Response(status: .tooManyRequests, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: #"{"error":"too many human checks from this network; try again in an hour"}"#)))
        }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: challenge)))
    }

    func start(_ request: Request, _ context: HelpCenterRequestContext) async throws -> Response {
        try await handleForm(request, context, fields: ["email", "altcha"]) { form, browser in
            switch try await service.start(browser: browser, email: form["email"], proofOfWork: form["altcha"], client: context.clientAddress) {
            case .started: return redirect("/account/reset/method")
            case .invalidEmail:
                return emailPage(request, error: "Enter an email address such as name@example.com.", email: form["email"], status: .badRequest)
            case .humanCheckFailed:
                return emailPage(request, error: "The human check did not pass or has expired. Wait until it says Done, then submit again.",
                                 email: form["email"], status: .badRequest)
            default:
                return emailPage(request, error: "Too many reset requests from this network. Try again in an hour.", email: form["email"],
                                 status: .tooManyRequests)
            }
        }
    }

    // MARK: Steps 2 to 4

    /// Shows `page` when the flow allows it (the method page while no code or answers were verified
    /// yet, so a person can switch ways; the other pages in their own step); elsewhere, the right page.
    func stepPage(_ request: Request, page: ResetFlow.Step, error: String? = nil, notice: String? = nil, problems: [String] = [],
                  status: HTTPResponse.Status = .ok) async throws -> Response {
        let browser = browser(request)
        guard !browser.isNew, let flow = try await service.flow(browser: browser.token) else { return redirect("/account/reset") }
        let allowed = page == .method ? [.method, .code, .questions].contains(flow.step) : page == flow.step
        guard allowed else {
            switch flow.step {
            case .method, .code, .questions: return redirect("/account/reset/" + (flow.step == .questions ? "questions" : flow.step == .code ? "code" : "method"))
            case .verified: return redirect("/account/reset/password")
            case .done: return redirect("/account/reset/done")
            case .ended: return endedPage(request, reason: "This password reset has ended: it expired, or too many wrong codes were entered.", status: .forbidden)
            }
        }
        let csrf = service.csrfToken(for: browser.token)
        switch page {
        case .method:
            return html(pages.render("reset-method", .init(title: "Verify your account", step: 2, csrf: csrf, error: error,
                                                             help: pages.links([.forgotPassword]))), status: status)
        case .code:
            return html(codePage(flow, csrf: csrf, error: error, notice: notice), status: status)
        case .questions:
            let page = AccountPages.Page(title: "Answer your security questions", step: 3, csrf: csrf,
                                         error: error ?? flow.questionsLockedUntil.map { "Too many wrong answers. Answering questions is paused until \(Self.time($0)) UTC; you can verify by email or phone meanwhile." },
                                         help: pages.links([.forgotPassword]),
                                         values: ["question1": flow.questions[0], "question2": flow.questions[1]])
            return html(pages.render("reset-questions", page), status: status)
        case .verified:
            let page = AccountPages.Page(title: "Choose a new password", step: 4, csrf: csrf, error: nil, help: pages.links([.forgotPassword]),
                                         values: ["minimumLength": service.policy.minimumLength, "maximumLength": PasswordPolicy.maximumLength,
                                                  "problems": problems, "hasProblems": !problems.isEmpty])
            return html(pages.render("reset-password", page), status: status)
        case .done, .ended:
            return redirect("/account/reset")
        }
    }

    func codePage(_ flow: ResetFlow, csrf: String, error: String?, notice: String?) -> String {
        let now = service.currentDate()
        let wait = flow.nextSendAt.map { max(0, Int($0.timeIntervalSince(now).rounded(.up))) } ?? 0
        var values: [String: Any] = [
            "phone": flow.method == .phone, "nextSendEpoch": Int(flow.nextSendAt?.timeIntervalSince1970 ?? 0),
            "waiting": wait > 0 && flow.sendsLeft > 0, "waitSeconds": wait,
            "lifetimeMinutes": Int((flow.method == .phone ? ResetPolicy.smsCodeLifetime : ResetPolicy.emailCodeLifetime) / 60),
            "sendsLeftText": flow.sendsLeft == 0 ? "No more codes can be sent in this reset; start again later." : "",
        ]
        if let expires = flow.codeExpiresAt {
            values["expiresAt"] = Self.time(expires)
            values["expiresISO"] = ISO8601DateFormatter().string(from: expires)
            // "in 15 minutes" as of this response; account.js keeps it current and shows the local time.
            let minutesLeft = Int((expires.timeIntervalSince(now) / 60).rounded(.up))
            values["minutesLeftText"] = minutesLeft <= 0 ? "it has expired" : "in \(minutesLeft) minute\(minutesLeft == 1 ? "" : "s")"
        }
        let page = AccountPages.Page(title: "Enter the verification code", step: 3, csrf: csrf, error: error, notice: notice,
                                     help: pages.links(flow.method == .phone ? [.smsCode, .emailCode] : [.emailCode, .smsCode]), values: values)
        return pages.render("reset-code", page)
    }

    func choose(_ request: Request, _ context: HelpCenterRequestContext) async throws -> Response {
        try await handleForm(request, context, fields: ["method"]) { form, browser in
            guard let method = VerificationMethod(rawValue: form["method"]) else {
                return try await stepPage(request, page: .method, error: "Choose one of the three ways.", status: .badRequest)
            }
            switch try await service.choose(method, browser: browser, client: context.clientAddress) {
            case .questions: return redirect("/account/reset/questions")
            case .codeSent, .sendRefused: return redirect("/account/reset/code")
            case .sendLimitReached: return try await stepPage(request, page: .code, error: Self.sendLimitMessage, status: .tooManyRequests)
            default: return redirect("/account/reset/method")
            }
        }
    }

    /// Shown when no code was sent because the address's budget is spent: never "a code was sent".
    static let sendLimitMessage = "No new code was sent: this address has had as many codes as we send in a day. "
        + "A code you already received still works until it expires; otherwise try again tomorrow, answer your security questions, or contact support."

    func resend(_ request: Request, _ context: HelpCenterRequestContext) async throws -> Response {
        try await handleForm(request, context, fields: []) { _, browser in
            switch try await service.sendCode(browser: browser, client: context.clientAddress) {
            case .sendRefused:
                return try await stepPage(request, page: .code, error: "A new code cannot be sent yet. Wait until the button is available.",
                                          status: .tooManyRequests)
            case .sendLimitReached:
                return try await stepPage(request, page: .code, error: Self.sendLimitMessage, status: .tooManyRequests)
            default: return redirect("/account/reset/code?sent=1")
            }
        }
    }

    func verifyCode(_ request: Request, _ context: HelpCenterRequestContext) async throws -> Response {
        try await handleForm(request, context, fields: ["code"]) { form, browser in
            switch try await service.verifyCode(form["code"], browser: browser) {
            case .verified: return try await verified(browser)
            case .wrongCode(let left):
                return try await stepPage(request, page: .code, error: "That code is not right or has expired. \(left) \(left == 1 ? "try" : "tries") left.",
                                          status: .badRequest)
            default:
                return endedPage(request, reason: "Too many wrong codes were entered, or this reset expired. For your security it has ended.", status: .forbidden)
            }
        }
    }

    /// On to the new-password page with a new browser cookie (the flow moves to it).
    func verified(_ browser: String) async throws -> Response {
        var response = redirect("/account/reset/password")
        response.setCookie(cookie(browserCookie, try await service.rotateBrowser(browser), maxAge: nil))
        return response
    }

    func answer(_ request: Request, _ context: HelpCenterRequestContext) async throws -> Response {
        try await handleForm(request, context, fields: ["answer1", "answer2"]) { form, browser in
            switch try await service.answer([form["answer1"], form["answer2"]], browser: browser) {
            case .verified: return try await verified(browser)
            case .wrongAnswers(let left):
                return try await stepPage(request, page: .questions, error: "The answers do not match. \(left) \(left == 1 ? "try" : "tries") left.",
                                          status: .badRequest)
            case .questionsLocked(let until):
                return try await stepPage(request, page: .questions,
                                          error: "Too many wrong answers. Answering questions is paused until \(Self.time(until)) UTC; you can verify by email or phone meanwhile.",
                                          status: .tooManyRequests)
            default:
                return endedPage(request, reason: "This password reset has ended. Start again.", status: .forbidden)
            }
        }
    }

    func setPassword(_ request: Request, _ context: HelpCenterRequestContext) async throws -> Response {
        try await handleForm(request, context, fields: ["password", "confirmation"]) { form, browser in
            switch try await service.setPassword(form["password"], confirmation: form["confirmation"], browser: browser) {
            case .passwordChanged:
                var response = redirect("/account/reset/done")
                response.setCookie(cookie(sessionCookie, "", maxAge: 0))
                response.setCookie(cookie(browserCookie, service.newBrowserToken(), maxAge: nil))
                return response
            case .passwordRejected(let problems):
                return try await stepPage(request, page: .verified, problems: problems.map(PasswordPolicy.message(for:)), status: .badRequest)
            default:
                return endedPage(request, reason: "Verify your account first: a new password can be set only right after a correct code or answers, once.",
                                 status: .forbidden)
            }
        }
    }

    func donePage(_ request: Request) -> Response {
        let browser = browser(request)
        return html(pages.render("reset-done", .init(title: "Your password has been reset", csrf: service.csrfToken(for: browser.token))), browser: browser)
    }

    func endedPage(_ request: Request, reason: String, status: HTTPResponse.Status) -> Response {
        let browser = browser(request)
        let page = AccountPages.Page(title: "Start the reset again", csrf: service.csrfToken(for: browser.token), help: pages.links([.forgotPassword]),
                                     values: ["reason": reason])
        return html(pages.render("reset-ended", page), status: status, browser: browser)
    }

    /// The page a buyer sees when the database (or another peer) fails: nothing changed, try again.
    func unavailablePage(_ request: Request) -> Response {
        if request.uri.path.hasPrefix(pages.site.root + "/api/") {
            return Response(status: .serviceUnavailable, headers: [.contentType: "application/json; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: #"{"error":"the service is busy; nothing was changed, try again in a minute"}"#)))
        }
        let page = AccountPages.Page(title: "Please try again in a minute", csrf: "", help: pages.links([.forgotPassword]),
                                     values: ["reason": "The help center's service is busy right now, and nothing was changed. Try again in a minute; "
                                              + "a code already sent to you still works until it expires."])
        return html(pages.render("reset-ended", page), status: .serviceUnavailable)
    }

    // MARK: Files and the demo inbox

    func asset(_ context: HelpCenterRequestContext) throws -> Response {
        guard let name = context.parameters.get("name"), let asset = pages.assets[name] else { throw HTTPError(.notFound) }
        return Response(status: .ok, headers: [.contentType: asset.type], body: .init(byteBuffer: ByteBuffer(data: asset.data)))
    }

    func inboxPage(_ request: Request, inbox: CapturedDelivery) async -> Response {
        let messages = await inbox.messages.reversed().map { message -> [String: Any] in
            ["channel": message.channel == .email ? "Email" : "SMS", "to": message.to, "subject": message.subject, "body": message.body,
             "hasSubject": !message.subject.isEmpty, "sentAt": Self.time(message.sentAt, withDate: true), "sentISO": ISO8601DateFormatter().string(from: message.sentAt)]
        }
        let browser = browser(request)
        return html(pages.render("inbox", .init(title: "Demo inbox", csrf: service.csrfToken(for: browser.token), values: ["messages": messages])),
                    browser: browser)
    }

    static func time(_ date: Date, withDate: Bool = false) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = withDate ? "yyyy-MM-dd HH:mm:ss" : "HH:mm"
        return formatter.string(from: date)
    }
}
