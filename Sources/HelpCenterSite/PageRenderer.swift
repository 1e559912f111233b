import Foundation
import HelpCenterContent
import HelpCenterMarkdown

/// Builds the model of each page from the content tree and renders it with the theme.
struct PageRenderer: Sendable {
    let tree: ContentTree
    let theme: Theme
    private let sidebar: [CategoryModel]

    init(tree: ContentTree, theme: Theme) {
        self.tree = tree
        self.theme = theme
        var sidebar: [CategoryModel] = []
        for index in tree.topCategories where tree.hasPublishedArticles(inCategory: index) {
            let category = tree.categories[index]
            sidebar.append(CategoryModel(title: category.title, url: category.url, summary: category.summary))
        }
        self.sidebar = sidebar
    }

    // MARK: - Pages

    func home() -> String {
        let categories = tree.topCategories.filter { tree.hasPublishedArticles(inCategory: $0) }.map { categoryModel($0, articleLimit: 5) }
        let jsonLD = JSONLD.website(tree.config)
        let model = HomePage(page: chrome(title: tree.config.title, description: tree.config.description, url: tree.config.pathPrefix + "/",
                                          ogType: "website", jsonLD: jsonLD, currentTop: nil),
                             categories: categories)
        return theme.render(model, template: "home")
    }

    func category(_ index: Int) -> String {
        theme.render(categoryPage(index), template: "category")
    }

    /// The category page's model: cheap to make, for telling whether the page must be rendered again.
    func categoryPage(_ index: Int) -> CategoryPage {
        let category = tree.categories[index]
        let trail = breadcrumb(to: category.parent)
        return CategoryPage(
            page: chrome(title: category.title, description: category.summary ?? "", url: category.url, ogType: "website",
                         jsonLD: JSONLD.breadcrumbs(trail + [LinkModel(title: category.title, url: category.url)], config: tree.config),
                         currentTop: topCategory(of: index)),
            breadcrumb: trail,
            category: categoryModel(index, articleLimit: nil))
    }

    /// Renders a category page from its ``categoryPage(_:)`` model.
    func category(_ model: CategoryPage) -> String {
        theme.render(model, template: "category")
    }

    func article(_ index: Int) -> String {
        article(index, model: articleModel(index))
    }

    /// Renders the article page from its ``articleModel(_:)``, adding the body.
    func article(_ index: Int, model: ArticlePage) -> String {
        var model = model
        model.bodyHTML = articleBody(index)
        return theme.render(model, template: "article")
    }

    /// The article's page model with an empty ``ArticlePage/bodyHTML``: cheap to make, for telling
    /// whether a page must be rendered again (with ``articleBody(_:)``, the costly part).
    func articleModel(_ index: Int) -> ArticlePage {
        let article = tree.articles[index]
        let trail = breadcrumb(to: article.category)
        var sectionArticles: [LinkModel] = []
        var sectionTitle: String?
        if let category = article.category {
            sectionTitle = tree.categories[category].title
            // Lazily: the first ten others, without a pass over the whole category for every article.
            sectionArticles = Array(tree.categories[category].articles.lazy.filter { $0 != index }.prefix(10)).map { link(to: $0) }
        }
        let summary = article.frontMatter.summary
        return ArticlePage(
            page: chrome(title: article.title, description: summary ?? "", url: article.url, ogType: "article",
                         jsonLD: JSONLD.article(article, breadcrumb: trail + [LinkModel(title: article.title, url: article.url)], config: tree.config),
                         currentTop: article.category.map { topCategory(of: $0) }),
            breadcrumb: trail,
            title: article.title,
            summary: summary,
            updated: article.frontMatter.updated,
            updatedDisplay: article.frontMatter.updated.map(Self.displayDate),
            bodyHTML: "",
            related: article.related.map { link(to: $0) },
            sectionArticles: sectionArticles,
            sectionTitle: sectionTitle,
            walkthrough: article.frontMatter.walkthrough,
            permalink: article.id.flatMap { tree.redirects["a/\($0)/index.html"] != nil ? tree.config.pathPrefix + "/a/\($0)/" : nil } ?? article.url,
            hasRelated: !article.related.isEmpty,
            hasSectionArticles: !sectionArticles.isEmpty)
    }

    /// The article's body as HTML, its links resolved (CommonMark 0.30 through libcmark).
    func articleBody(_ index: Int) -> String {
        let resolved = tree.articles[index].resolvedLinks
        let renderer = HTMLRenderer(rawHTML: tree.config.rawHTML) { destination, _ in
            guard let entry = resolved[destination] else { return destination }
            return entry
        }
        return renderer.render(tree.articles[index].document)
    }

    func notFound() -> String {
        var page = chrome(title: "Page not found", description: "", url: tree.config.pathPrefix + "/404.html", ogType: "website", jsonLD: "", currentTop: nil)
        page.canonical = ""
        return theme.render(TopicsPage(page: page, categories: topics()), template: "404")
    }

    func search() -> String {
        let page = chrome(title: "Search", description: "Search every article of \(tree.config.title).", url: tree.config.pathPrefix + "/search/",
                          ogType: "website", jsonLD: "", currentTop: nil)
        return theme.render(TopicsPage(page: page, categories: topics()), template: "search")
    }

    private func topics() -> [CategoryModel] {
        tree.topCategories.filter { tree.hasPublishedArticles(inCategory: $0) }.map { categoryModel($0, articleLimit: 0) }
    }

    func redirect(to target: String) -> String {
        theme.render(RedirectPage(target: target, canonical: tree.config.origin + target, lang: tree.config.language), template: "redirect")
    }

    // MARK: - Parts

    private func chrome(title: String, description: String, url: String, ogType: String, jsonLD: String, currentTop: Int?) -> PageChrome {
        let config = tree.config
        var sidebar = self.sidebar
        if let currentTop, let position = tree.topCategories.filter({ tree.hasPublishedArticles(inCategory: $0) }).firstIndex(of: currentTop) {
            sidebar[position].current = true
        }
        let pageTitle = title == config.title ? title : "\(title) | \(config.title)"
        let support = config.support.map { SupportModel(email: $0.email, phone: $0.phone, hours: $0.hours, url: $0.url) }
        return PageChrome(lang: config.language, siteTitle: config.title, pageTitle: pageTitle,
                          description: description.isEmpty ? config.description : description,
                          canonical: config.origin + url, ogType: ogType, root: config.pathPrefix,
                          jsonLDHTML: jsonLD, sidebar: sidebar, support: support)
    }

    private func categoryModel(_ index: Int, articleLimit: Int?) -> CategoryModel {
        let category = tree.categories[index]
        // Full pages list the category's own articles (sections follow); cards list the top articles of the whole subtree.
        let listed = articleLimit == nil ? category.articles : tree.publishedArticles(inSubtree: index)
        let articles = listed.prefix(articleLimit ?? Int.max).map { link(to: $0) }
        let sections = articleLimit == nil
            ? category.children.filter { tree.hasPublishedArticles(inCategory: $0) }.map { categoryModel($0, articleLimit: nil) }
            : category.children.filter { tree.hasPublishedArticles(inCategory: $0) }.map {
                CategoryModel(title: tree.categories[$0].title, url: tree.categories[$0].url, summary: tree.categories[$0].summary)
            }
        return CategoryModel(title: category.title, url: category.url, summary: category.summary, articles: Array(articles), sections: sections)
    }

    private func link(to article: Int) -> LinkModel {
        LinkModel(title: tree.articles[article].title, url: tree.articles[article].url, summary: tree.articles[article].frontMatter.summary)
    }

    /// Home, then each category from the top down to `category` (inclusive).
    private func breadcrumb(to category: Int?) -> [LinkModel] {
        var trail: [LinkModel] = []
        var current = category
        while let index = current {
            trail.insert(LinkModel(title: tree.categories[index].title, url: tree.categories[index].url), at: 0)
            current = tree.categories[index].parent
        }
        return [LinkModel(title: "Home", url: tree.config.pathPrefix + "/")] + trail
    }

    private func topCategory(of index: Int) -> Int {
        var current = index
        while let parent = tree.categories[current].parent { current = parent }
        return current
    }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

    /// `2026-10-14` → `14 October 2026`.
    static func displayDate(_ iso: String) -> String {
        let parts = iso.prefix(10).split(separator: "-")
        guard parts.count == 3, let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month) else { return iso }
        return "\(day) \(monthNames[month - 1]) \(parts[0])"
    }
}
