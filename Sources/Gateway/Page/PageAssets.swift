/// The page's files, served by `PageController`.
enum PageAssets {
    static var html: String { pageHTML }
    static var script: String { pageScript }
    static var style: String { pageStyle }
}
