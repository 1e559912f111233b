// Search: query parsing (analyzer, prefixes, typo correction) and ranking, snippets and highlights over
// a small index built once. The first byte picks the options; the rest is the query.
import HelpCenterSearch

let categories = [
    SearchIndex.Category(title: "Orders & Payment", url: "/order-payment/"),
    SearchIndex.Category(title: "Account", url: "/account/"),
]
let index = SearchIndex(documents: [
    SearchDocument(title: "How do I reset my password?", url: "/account/password/reset/", categories: ["Account", "Password"],
                   summary: "Reset a forgotten password by email, SMS or security questions.", tags: ["password", "sign-in", "2FA"],
                   sections: [.init(heading: "", anchor: "", text: "Open the sign-in page and choose Forgot password."),
                              .init(heading: "Step 1: Open the page", anchor: "step-1-open-the-page", text: "A 15-minute code is sent to your résumé address."),
                              .init(heading: "By phone", anchor: "by-phone", text: "We text a six-digit code to +1 555 0100.")]),
    SearchDocument(title: "Refund timeline", url: "/order-payment/refunds/refund-timeline/", categories: ["Orders & Payment", "Refunds"],
                   summary: "How long a refund takes.", tags: ["refund", "order protection"],
                   sections: [.init(heading: "", anchor: "", text: "Refunds for order_1001 reach your card within 5–10 business days."),
                              .init(heading: "Cancellation", anchor: "cancellation", text: "Cancel before shipping; application/json webhooks report it.")]),
    SearchDocument(title: "支払い方法", url: "/order-payment/payment-methods/", categories: ["Orders & Payment"],
                   summary: "クレジットカードと銀行振込", tags: ["支払い"],
                   sections: [.init(heading: "Überweisung", anchor: "uberweisung", text: "Zahlung & Rückgabe: 결제 방법 and naïve café payments.")]),
    SearchDocument(title: "Track an order", url: "/order-payment/track/", categories: ["Orders & Payment"], summary: "", tags: [],
                   sections: [.init(heading: "", anchor: "", text: String(repeating: "tracking number carrier delivery ", count: 50))]),
], categories: categories)

@_cdecl("LLVMFuzzerTestOneInput")
public func test(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    let selector = bytes.first ?? 0
    let query = String(decoding: bytes.dropFirst(), as: UTF8.self)
    let category: String? = switch selector % 4 {
    case 0: nil
    case 1: "Orders & Payment"
    case 2: "account"
    default: "no such category"
    }
    let options = SearchOptions(category: category, limit: Int(selector / 4) % 12, subResults: Int(selector % 5))
    let response = index.search(query, options: options)
    _ = response
    return 0
}
