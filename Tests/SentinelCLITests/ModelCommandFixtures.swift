import Foundation

/// A small synthetic file in the Handbook transformed layout, for running the model verbs in-process.
enum ModelCommandFixtures {
    static let header =
        "TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_TIME_SECONDS,TX_TIME_DAYS,TX_FRAUD,"
        + "TX_FRAUD_SCENARIO,TX_DURING_WEEKEND,TX_DURING_NIGHT,CUSTOMER_ID_NB_TX_1DAY_WINDOW,"
        + "CUSTOMER_ID_AVG_AMOUNT_1DAY_WINDOW,CUSTOMER_ID_NB_TX_7DAY_WINDOW,CUSTOMER_ID_AVG_AMOUNT_7DAY_WINDOW,"
        + "CUSTOMER_ID_NB_TX_30DAY_WINDOW,CUSTOMER_ID_AVG_AMOUNT_30DAY_WINDOW,TERMINAL_ID_NB_TX_1DAY_WINDOW,"
        + "TERMINAL_ID_RISK_1DAY_WINDOW,TERMINAL_ID_NB_TX_7DAY_WINDOW,TERMINAL_ID_RISK_7DAY_WINDOW,"
        + "TERMINAL_ID_NB_TX_30DAY_WINDOW,TERMINAL_ID_RISK_30DAY_WINDOW"

    /// 21 days from 2018-07-01, 120 transactions a day over 150 cards; fraud depends on amount and terminal risk.
    static func csv() -> String {
        var state: UInt64 = 12_345
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        var lines = [header]
        var id = 0
        for day in 0..<21 {
            for i in 0..<120 {
                let amount = (next() * 100).rounded() / 1
                let risk = next() < 0.1 ? next() : 0
                let fraud = amount / 100 + risk * 2 + next() * 0.6 > 1.25 ? 1 : 0
                let seconds = day * 86_400 + i * 700
                let date = String(
                    format: "2018-07-%02d %02d:%02d:%02d", day + 1, i * 700 / 3600, i * 700 % 3600 / 60, i * 700 % 60)
                let card = (day * 37 + i * 11) % 150
                let fields: [String] = [
                    String(id), date, String(card), String(i % 40), String(amount), String(seconds), String(day),
                    String(fraud), String(fraud), day % 7 < 2 ? "1" : "0", i < 20 ? "1" : "0",
                    String(1 + i % 4), String(amount), String(5 + i % 9), String(50 + next() * 10),
                    String(20 + i % 30), String(50 + next() * 5), String(i % 3), String(risk), String(7 + i % 5),
                    String(risk), String(30 + i % 10), String(risk / 2),
                ]
                lines.append(fields.joined(separator: ","))
                id += 1
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A fresh temporary directory holding `transactions.csv`.
    static func directory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sentinel-cli-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(csv().utf8).write(to: directory.appendingPathComponent("transactions.csv"))
        return directory
    }
}
