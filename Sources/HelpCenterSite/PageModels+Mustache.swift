import Mustache

// Mustache looks values up by name. Without `MustacheParent` it reflects over every stored property
// for every lookup (Mirror), which was half of a build's time; these switches answer directly.

extension LinkModel: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "title": title
        case "url": url
        case "summary": summary
        case "current": current
        default: nil
        }
    }
}

extension CategoryModel: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "title": title
        case "url": url
        case "summary": summary
        case "articles": articles
        case "sections": sections
        case "current": current
        case "hasArticles": hasArticles
        case "hasSections": hasSections
        default: nil
        }
    }
}

extension PageChrome: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "lang": lang
        case "siteTitle": siteTitle
        case "pageTitle": pageTitle
        case "description": description.isEmpty ? nil : description
        case "canonical": canonical.isEmpty ? nil : canonical
        case "ogType": ogType
        case "root": root
        case "jsonLDHTML": jsonLDHTML
        case "sidebar": sidebar
        case "support": support
        default: nil
        }
    }
}

extension SupportModel: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "email": email
        case "phone": phone
        case "phoneURL": phoneURL
        case "hours": hours
        case "url": url
        default: nil
        }
    }
}

extension HomePage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "page": page
        case "categories": categories
        default: nil
        }
    }
}

extension CategoryPage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "page": page
        case "breadcrumb": breadcrumb
        case "category": category
        default: nil
        }
    }
}

extension ArticlePage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "page": page
        case "breadcrumb": breadcrumb
        case "title": title
        case "summary": summary
        case "updated": updated
        case "updatedDisplay": updatedDisplay
        case "bodyHTML": bodyHTML
        case "related": related
        case "sectionArticles": sectionArticles
        case "sectionTitle": sectionTitle
        case "walkthrough": walkthrough
        case "permalink": permalink
        case "hasRelated": hasRelated
        case "hasSectionArticles": hasSectionArticles
        default: nil
        }
    }
}

extension TopicsPage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "page": page
        case "categories": categories
        default: nil
        }
    }
}

extension RedirectPage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "target": target
        case "canonical": canonical
        case "lang": lang
        default: nil
        }
    }
}
