import PostgresSupport
import StorageSupport
import Testing

@Suite("PostgreSQL URLs and --db locations")
struct PostgresURLTests {
    @Test func parsesEveryPart() throws {
        let url = try PostgresURL(parsing: "postgres://order%40hub:p%3Ass@db.internal:6543/orders?sslmode=require&schema=orders_v1")
        #expect(url.username == "order@hub")
        #expect(url.password == "p:ss")
        #expect(url.host == "db.internal")
        #expect(url.port == 6543)
        #expect(url.database == "orders")
        #expect(url.tls == .require)
        #expect(url.schema == "orders_v1")
        #expect(url.description == "postgres://order@hub:***@db.internal:6543/orders?sslmode=require&schema=orders_v1")
    }

    @Test func defaultsPortAndTLSAndReadsIPv6() throws {
        let url = try PostgresURL(parsing: "postgresql://postgres@[::1]/orderhub")
        #expect(url.host == "::1")
        #expect(url.port == 5432)
        #expect(url.password == nil)
        #expect(url.tls == .prefer)
        #expect(url.schema == nil)
    }

    @Test(arguments: [
        "mysql://u@h/db", "postgres://h/db", "postgres://u@h", "postgres://u@h/", "postgres://u@:5432/db",
        "postgres://u@h:99999/db", "postgres://u@h:port/db", "postgres://u@h/db?sslmode=maybe", "postgres://u@h/db?pool=3",
        "postgres://u@h/db?schema=Bad-Name", "postgres://u%zz@h/db",
    ])
    func refusesMalformedURLs(text: String) {
        #expect(throws: PostgresSettingError.self) { try PostgresURL(parsing: text) }
    }

    @Test func locationsChooseTheBackend() throws {
        #expect(try StoreLocation(parsing: "sqlite:./data/orders.db") == .sqlite(path: "./data/orders.db"))
        guard case .postgres(let url) = try StoreLocation(parsing: "postgres://u@localhost/orders") else {
            Issue.record("not PostgreSQL")
            return
        }
        #expect(url.database == "orders")
        #expect(try StoreLocation(parsing: "postgres://u:old@h/db").withPassword("new") == .postgres(try PostgresURL(parsing: "postgres://u:new@h/db")))
        #expect(throws: PostgresSettingError.self) { try StoreLocation(parsing: "sqlite:") }
        #expect(throws: PostgresSettingError.self) { try StoreLocation(parsing: "./orders.db") }
    }
}
