/// One file of the dashboard page, compiled into the binary from `Resources/` (SwiftPM `.embedInCode`).
///
/// The page is three same-origin files: `/` the HTML, `/dashboard.css` and `/dashboard.js`. They are separate, not
/// inlined into one document, so the page's `Content-Security-Policy` can allow only `'self'` for styles and scripts
/// (no `'unsafe-inline'`), and the files are edited and checked as what they are. Charts are inline SVG drawn by the
/// script; nothing is loaded from another origin.
struct DashboardAsset: Sendable {
    /// The path it is served at.
    let path: String
    /// Its Content-Type.
    let contentType: String
    /// The file's bytes, as in `Resources/`.
    let bytes: [UInt8]

    /// `Resources/dashboard.html`: the document.
    static let page = DashboardAsset(
        path: "/", contentType: "text/html; charset=utf-8", bytes: PackageResources.dashboard_html)
    /// `Resources/dashboard.css`: the styles.
    static let styles = DashboardAsset(
        path: "/dashboard.css", contentType: "text/css; charset=utf-8", bytes: PackageResources.dashboard_css)
    /// `Resources/dashboard.js`: the script that polls `/api/snapshot` and draws the page.
    static let script = DashboardAsset(
        path: "/dashboard.js", contentType: "text/javascript; charset=utf-8", bytes: PackageResources.dashboard_js)

    /// The page and its assets, in the order they are registered.
    static let all = [page, styles, script]
}
