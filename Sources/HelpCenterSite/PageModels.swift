/// The values each Mustache template of the theme receives. Plain strings are HTML-escaped once by
/// Mustache (`{{value}}`); fields named `…HTML` are already-safe HTML, written with `{{{…HTML}}}`.

/// A link with its text, for lists, breadcrumbs and the sidebar.
struct LinkModel: Sendable, Hashable {
    var title: String
    var url: String
    var summary: String?
    var current = false
}

/// A category as listed on the home page, a category page or the sidebar.
struct CategoryModel: Sendable, Hashable {
    var title: String
    var url: String
    var summary: String?
    var articles: [LinkModel]
    var sections: [CategoryModel]
    var current: Bool
    // Mustache sees stored properties only (it reads values through Mirror).
    var hasArticles: Bool
    var hasSections: Bool

    init(title: String, url: String, summary: String?, articles: [LinkModel] = [], sections: [CategoryModel] = [], current: Bool = false) {
        self.title = title
        self.url = url
        self.summary = summary
        self.articles = articles
        self.sections = sections
        self.current = current
        hasArticles = !articles.isEmpty
        hasSections = !sections.isEmpty
    }
}

/// Values every page has: site identity, head metadata and chrome.
struct PageChrome: Sendable, Hashable {
    var lang: String
    var siteTitle: String
    var pageTitle: String
    var description: String
    var canonical: String
    var ogType: String
    /// The site's path prefix (`""` or `/help`), for root-relative asset and home URLs.
    var root: String
    var jsonLDHTML: String
    var sidebar: [CategoryModel]
    var support: SupportModel?
}

struct SupportModel: Sendable, Hashable {
    var email: String?
    var phone: String?
    /// The phone number as a `tel:` URL (RFC 3966): spaces and punctuation other than `+` removed.
    var phoneURL: String?
    var hours: String?
    var url: String?

    init(email: String?, phone: String?, hours: String?, url: String?) {
        self.email = email
        self.phone = phone
        self.phoneURL = phone.map { "tel:" + $0.filter { $0.isNumber || $0 == "+" } }
        self.hours = hours
        self.url = url
    }
}

struct HomePage: Sendable, Hashable {
    var page: PageChrome
    var categories: [CategoryModel]
}

struct CategoryPage: Sendable, Hashable {
    var page: PageChrome
    var breadcrumb: [LinkModel]
    var category: CategoryModel
}

struct ArticlePage: Sendable, Hashable {
    var page: PageChrome
    var breadcrumb: [LinkModel]
    var title: String
    var summary: String?
    var updated: String?
    var updatedDisplay: String?
    var bodyHTML: String
    var related: [LinkModel]
    var sectionArticles: [LinkModel]
    var sectionTitle: String?
    var walkthrough: String?
    /// The article's lasting link for copy-link buttons: `/a/<id>/` when it has an id, else its URL.
    var permalink: String
    var hasRelated: Bool
    var hasSectionArticles: Bool
}

/// A page that lists the topics: the 404 page and the search page.
struct TopicsPage: Sendable, Hashable {
    var page: PageChrome
    var categories: [CategoryModel]
}

struct RedirectPage: Sendable, Hashable {
    var target: String
    var canonical: String
    var lang: String
}
