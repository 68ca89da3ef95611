/// What to do with each column of a file: decided once from the header and the options, then applied to every row.
struct LoadPlan {
    enum Action: Equatable {
        case feature(Int)
        case label
        case transactionID
        case cardID
        case terminalID
        /// `YYYY-MM-DD HH:MM:SS` → `eventTimes` (epoch seconds) and `days`.
        case dateTime
        /// A whole number of seconds (ULB `Time`, since the first transaction) → `eventTimes`.
        case relativeTime
    }

    /// The 15 model inputs of the Handbook transformed data, in model order (`Docs/Evaluation.md`).
    static let handbookInputs = [
        "TX_AMOUNT", "TX_DURING_WEEKEND", "TX_DURING_NIGHT",
        "CUSTOMER_ID_NB_TX_1DAY_WINDOW", "CUSTOMER_ID_AVG_AMOUNT_1DAY_WINDOW",
        "CUSTOMER_ID_NB_TX_7DAY_WINDOW", "CUSTOMER_ID_AVG_AMOUNT_7DAY_WINDOW",
        "CUSTOMER_ID_NB_TX_30DAY_WINDOW", "CUSTOMER_ID_AVG_AMOUNT_30DAY_WINDOW",
        "TERMINAL_ID_NB_TX_1DAY_WINDOW", "TERMINAL_ID_RISK_1DAY_WINDOW",
        "TERMINAL_ID_NB_TX_7DAY_WINDOW", "TERMINAL_ID_RISK_7DAY_WINDOW",
        "TERMINAL_ID_NB_TX_30DAY_WINDOW", "TERMINAL_ID_RISK_30DAY_WINDOW",
    ]

    /// The ULB inputs: the 28 PCA components and the amount. `Time` is not an input (see the CSVDialect article).
    static let ulbInputs = (1...28).map { "V\($0)" } + ["Amount"]

    let header: [String]
    let schema: DatasetSchema
    let featureNames: [String]
    /// The columns that are used, with what to do with them; every other column is only counted.
    let actions: [(column: Int, action: Action)]
    let amountFeatureIndex: Int?

    var hasLabels: Bool { actions.contains { $0.action == .label } }
    var hasDates: Bool { actions.contains { $0.action == .dateTime } }
    func has(_ action: Action) -> Bool { actions.contains { $0.action == action } }

    /// Recognises the layout of `header` and applies the options' column choices.
    /// - Throws: `DataError` for duplicate header names, unknown column names, or an unrecognised header
    ///   without `featureColumns`.
    init(header: [String], options: LoadOptions, file: String) throws {
        let index = try LoadPlan.indexColumns(header, file: file)
        func has(_ name: String) -> Bool { index[name] != nil }

        var schema = DatasetSchema.custom
        var features: [String] = []
        var label: String?
        var identifiers: [(String, Action)] = []
        var time: (String, Action)?
        if LoadPlan.handbookInputs.allSatisfy(has) || (has("TX_AMOUNT") && has("TX_DATETIME")) {
            let transformed = LoadPlan.handbookInputs.allSatisfy(has)
            schema = transformed ? .handbook : .handbookRaw
            features = transformed ? LoadPlan.handbookInputs : ["TX_AMOUNT"]
            label = "TX_FRAUD"
            identifiers = [("TRANSACTION_ID", .transactionID), ("CUSTOMER_ID", .cardID), ("TERMINAL_ID", .terminalID)]
            time = ("TX_DATETIME", .dateTime)
        } else if LoadPlan.ulbInputs.allSatisfy(has) {
            schema = .ulb
            features = LoadPlan.ulbInputs
            label = "Class"
            time = ("Time", .relativeTime)
        } else if has("Time"), has("Amount"), !has("V1") {
            schema = .ulbTimeAmount
            features = ["Amount"]
            label = "Class"
            time = ("Time", .relativeTime)
        } else {
            time = ("TX_DATETIME", .dateTime)
        }

        if let named = options.featureColumns {
            guard !named.isEmpty else {
                throw DataError(.invalidOptions, "the list of feature columns is empty", file: file)
            }
            features = named
        } else if schema == .custom {
            throw DataError(
                .unrecognizedHeader,
                "header matches no known layout (Handbook, ULB); name the feature columns "
                    + "(and the label column, if any) to load it. Header: \(LoadPlan.abbreviate(header))",
                file: file, line: 1)
        }
        if let named = options.labelColumn {
            guard has(named) else { throw LoadPlan.missing(named, header: header, file: file) }
            label = named
        } else if let defaultLabel = label, !has(defaultLabel) {
            label = nil  // a file for scoring or drift: no labels
        }

        var actions: [(column: Int, action: Action)] = []
        var used: [Int: String] = [:]
        func use(_ name: String, _ action: Action) throws {
            guard let column = index[name] else { throw LoadPlan.missing(name, header: header, file: file) }
            if let previous = used[column] {
                throw DataError(
                    .invalidOptions, "column \(name) is used twice (as \(previous) and as \(action))",
                    file: file)
            }
            used[column] = "\(action)"
            actions.append((column, action))
        }
        for (position, name) in features.enumerated() { try use(name, .feature(position)) }
        if let label { try use(label, .label) }
        for (name, action) in identifiers where has(name) { try use(name, action) }
        if let time, has(time.0), used[index[time.0]!] == nil { try use(time.0, time.1) }

        self.header = header
        self.schema = schema
        self.featureNames = features
        self.actions = actions.sorted { $0.column < $1.column }
        self.amountFeatureIndex = features.firstIndex { ["amount", "tx_amount"].contains($0.lowercased()) }
    }

    /// A plan that reads only the named columns as numbers (the generic column reader).
    init(header: [String], columns: [String], file: String) throws {
        let index = try LoadPlan.indexColumns(header, file: file)
        var actions: [(column: Int, action: Action)] = []
        for (position, name) in columns.enumerated() {
            guard let column = index[name] else { throw LoadPlan.missing(name, header: header, file: file) }
            actions.append((column, .feature(position)))
        }
        self.header = header
        self.schema = .custom
        self.featureNames = columns
        self.actions = actions
        self.amountFeatureIndex = nil
    }

    private static func indexColumns(_ header: [String], file: String) throws -> [String: Int] {
        var index: [String: Int] = [:]
        for (column, name) in header.enumerated() {
            guard index[name] == nil else {
                throw DataError(
                    .duplicateColumn, "the header names column '\(name)' twice", file: file, line: 1)
            }
            index[name] = column
        }
        return index
    }

    private static func missing(_ name: String, header: [String], file: String) -> DataError {
        DataError(
            .missingColumn, "no column named '\(name)' (header: \(abbreviate(header)))", file: file,
            line: 1)
    }

    private static func abbreviate(_ header: [String]) -> String {
        let shown = header.prefix(12).joined(separator: ",")
        return header.count > 12 ? shown + ",… (\(header.count) columns)" : shown
    }
}
